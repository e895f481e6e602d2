"""Units of measure and their conversion (单位换算).

Which units exist is catalog data (``indicators.yaml``: code, names, ``factor`` to the base unit, ``currency``);
how a value moves from one unit to another is defined here, once: by the ratio of the two factors, and only
between units of the same currency (万元 ↔ 亿元, 万美元 ↔ 亿美元, 人 ↔ 万人), never across currencies (that needs
an exchange rate, which is a statistical choice, not a unit).
"""

from __future__ import annotations

from typing import Protocol

from .errors import KeyedError
from .messages import Message


class UnitLike(Protocol):
    """What conversion needs of a unit: its code, the size of one unit in the base unit, and its currency."""

    @property
    def code(self) -> str: ...

    @property
    def factor(self) -> float: ...

    @property
    def currency(self) -> str | None: ...


class UnitMismatch(KeyedError):
    """Two units that cannot be converted into each other: ``message`` names them."""


def conversion_factor(source: UnitLike, target: UnitLike) -> float:
    """The number to multiply a value in ``source`` by to express it in ``target`` (``10k_cny`` → ``100m_cny``:
    1e-4); :class:`UnitMismatch` for units of different currencies."""
    if source.currency != target.currency:
        raise UnitMismatch(Message("units.mismatch", source=source.code, target=target.code))
    return source.factor / target.factor


def convert(value: float, source: UnitLike, target: UnitLike) -> float:
    """``value`` given in ``source``, expressed in ``target`` (see :func:`conversion_factor`)."""
    return value * conversion_factor(source, target)
