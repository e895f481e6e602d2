"""The statistical design as pydantic models: indicators, units, forms, regions, sectors.

Pure domain objects, validated when constructed; they never do I/O (the YAML is read by
:mod:`sitmon.catalog.loader`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..domain.messages import Label
from ..domain.regions import province_of


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Named:
    """A catalog object named in both languages (``name_zh``, ``name_en`` are data of the catalog)."""

    @property
    def label(self) -> Label:
        """The name as a :class:`~sitmon.domain.messages.Label`, to pass to a message."""
        return Label(self.name_zh, self.name_en)  # type: ignore[attr-defined]

    def name(self, lang: str) -> str:
        """The name in ``lang`` (``zh`` or ``en``)."""
        return self.label.render(lang)


class Unit(Named, _Model):
    """A unit of measure; ``factor`` converts one of it to the base unit (CNY, USD, persons). ``decimals`` is
    the customary precision of a figure shown to people in this unit; ``display`` the unit bulletins show a
    figure of this unit in (万元 → 亿元), when it is another."""

    code: str
    name_zh: str
    name_en: str
    factor: float
    currency: Literal["CNY", "USD"] | None = None
    decimals: int = Field(default=2, ge=0, le=6)
    display: str | None = None


class Indicator(Named, _Model):
    """One statistical indicator (统计指标) of the report forms."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    unit: str
    nonnegative: bool = True
    integer: bool = False
    stock: bool = False
    parent: str | None = None
    sector: str | None = None
    min: float | None = None
    max: float

    @model_validator(mode="after")
    def _limits_are_finite(self) -> Indicator:
        import math

        lo = self.lower_limit
        if not (math.isfinite(self.max) and math.isfinite(lo) and lo < self.max):
            raise ValueError(f"hard limits must be finite with min < max, got [{lo}, {self.max}]")
        return self

    @property
    def lower_limit(self) -> float:
        """The smallest possible value, in the indicator's unit: ``min``, else 0 for a non-negative indicator,
        else ``-max``."""
        if self.min is not None:
            return self.min
        return 0.0 if self.nonnegative else -self.max


class Form(Named, _Model):
    """A report form (报表): which indicators it carries and how periods are written."""

    code: str
    name_zh: str
    name_en: str
    frequency: Literal["monthly", "annual"]
    cumulative: bool
    indicators: tuple[str, ...]
    required: tuple[str, ...]

    @model_validator(mode="after")
    def _required_are_carried(self) -> Form:
        missing = set(self.required) - set(self.indicators)
        if missing:
            raise ValueError(f"required indicators not on the form: {sorted(missing)}")
        return self


class MacroRegion(Named, _Model):
    """One of the four macro regions (东部 / 中部 / 西部 / 东北)."""

    code: Literal["east", "central", "west", "northeast"]
    name_zh: str
    name_en: str


class Province(Named, _Model):
    """A provincial-level division with its GB/T 2260 code."""

    code: str = Field(pattern=r"^\d{2}0000$")
    name_zh: str
    short: str
    name_en: str
    macro: str | None = None
    municipality: bool = False
    reports: bool = True

    @model_validator(mode="after")
    def _reporting_has_macro(self) -> Province:
        if self.reports and self.macro is None:
            raise ValueError("a reporting province needs a macro region")
        return self


class City(Named, _Model):
    """A prefecture-level city (地级市) with its GB/T 2260 code."""

    code: str = Field(pattern=r"^\d{4}00$")
    name_zh: str
    name_en: str
    sub_provincial: bool = False
    separately_planned: bool = False

    @field_validator("code")
    @classmethod
    def _not_a_province(cls, v: str) -> str:
        if v.endswith("0000"):
            raise ValueError("a city code must not end in 0000")
        return v

    @property
    def province_code(self) -> str:
        """GB/T 2260 code of the province the city belongs to."""
        return province_of(self.code)


class Sector(Named, _Model):
    """A sub-sector of the industry and the revenue indicator that measures it."""

    code: str
    name_zh: str
    name_en: str
    indicator: str


class RegionPath(_Model):
    """Where a GB/T 2260 code sits: its province, city (if any) and macro region."""

    code: str
    province: str
    city: str | None
    macro: str | None
