"""The revision notice as every output reads it (CLI, API): the one recorded with the release
(:mod:`sitmon.process.revision_notice`), completed from the published tables for the indicators whose patterns
were not stored when the release was published.

A deployment whose patterns are computed when a public table is first asked for (rather than at publish time) has
no pattern to record in the notice yet; the notice's cells of those indicators are then taken from the one
published-table function under disclosure control (:func:`~sitmon.disseminate.tables.published_table` with
``public=True``) for both releases — published cells only, as everywhere. Where a table cannot be read that way
the indicator stays listed as missing and none of its cells is shown (fail safe).
"""

from __future__ import annotations

from dataclasses import replace

from ..catalog import load_catalog
from ..catalog.disclosure import load_disclosure
from ..config import Settings
from ..process.revision_notice import Cell, RevisionNotice, compare, stored_notice
from .tables import QueryError, published_table

Flags = dict[tuple[str, tuple[str, ...]], str]


def _public_cells(
    settings: Settings, form: str, period: str, number: int, indicator: str
) -> tuple[dict[Cell, float], Flags] | None:
    """The cells of ``indicator``'s linked tables as published in release ``number`` (suppressed ones flagged,
    valued 0: they are never shown), or None when a table cannot be read under disclosure control."""
    cells: dict[Cell, float] = {}
    flags: Flags = {}
    ind = load_catalog().indicators[indicator]
    for dims in load_disclosure().tables_for(ind):
        try:
            res = published_table(
                settings, indicator, list(dims), period, "level", release=number, public=True, form=form
            )
        except QueryError:
            return None
        name = "_".join(dims) or "national"
        for row in res.rows:
            key = tuple(str(row[d]) for d in dims)
            cells[(indicator, name, key)] = 0.0 if row["value"] is None else float(row["value"])
            if row["flag"] is not None:
                flags[(name, key)] = str(row["flag"])
    return cells, flags


def revision_notice(
    settings: Settings, form: str, period: str, number: int | None = None
) -> RevisionNotice | None:
    """The revision notice of release ``number`` (default: the latest) of ``form``/``period``, completed where
    its patterns were not recorded (see the module docstring); None when there is none."""
    notice = stored_notice(settings, form, period, number)
    if notice is None or notice.previous is None or notice.complete:
        return notice
    old: dict[Cell, float] = {}
    new: dict[Cell, float] = {}
    old_flags: dict[str, Flags | None] = {}
    new_flags: dict[str, Flags | None] = {}
    for indicator in notice.missing_patterns:
        before = _public_cells(settings, form, period, notice.previous, indicator)
        after = _public_cells(settings, form, period, notice.number, indicator)
        old_flags[indicator] = before[1] if before else None
        new_flags[indicator] = after[1] if after else None
        old.update(before[0] if before else {})
        new.update(after[0] if after else {})
    filled = compare(old, new, old_flags, new_flags, form, period, notice.number, notice.previous)
    cells = sorted([*notice.cells, *filled.cells], key=lambda c: (c.indicator, c.table, c.key))
    return replace(notice, cells=cells, missing_patterns=filled.missing_patterns)
