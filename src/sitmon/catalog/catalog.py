"""The core catalog: indicators, units, forms, regions and sectors, cross-checked on load."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..domain.regions import RegionCodeError, city_of, parse_region_code, province_of
from .loader import CatalogError, build, read_yaml
from .models import City, Form, Indicator, MacroRegion, Province, RegionPath, Sector, Unit


@dataclass(frozen=True)
class Catalog:
    """The statistical design in force; look things up by code."""

    indicators: dict[str, Indicator]
    units: dict[str, Unit]
    forms: dict[str, Form]
    macro_regions: dict[str, MacroRegion]
    provinces: dict[str, Province]
    cities: dict[str, City]
    sectors: dict[str, Sector]
    usd_cny: dict[int, float]
    usd_cny_source: str
    _unknown_city_cache: dict[str, RegionPath] = field(default_factory=dict, repr=False, compare=False)

    # -- regions -------------------------------------------------------------------------
    @property
    def reporting_provinces(self) -> list[Province]:
        """The 31 mainland provincial-level divisions that report, in code order."""
        return [p for p in self.provinces.values() if p.reports]

    def resolve_region(self, code: str) -> RegionPath:
        """Province, city and macro region of a GB/T 2260 code at province, city or county level.

        A county (``xxxxNN`` not ending in ``00``) resolves to its city ``xxxx00``; for the four
        municipalities the urban-district group ``xx0100`` (and every county in it) is the
        municipality itself, so ``city`` is None. Raises ``KeyError`` if the province is unknown.
        """
        try:
            code = parse_region_code(code)
        except RegionCodeError as exc:
            raise KeyError(str(exc)) from exc
        province = self.provinces.get(province_of(code))
        if province is None:
            raise KeyError(f"unknown province in region code {code!r}")
        return RegionPath(
            code=code, province=province.code, city=city_of(code, province.municipality), macro=province.macro
        )

    def region_name(self, code: str | None, lang: str = "zh") -> str:
        """Display name of a province, city or macro-region code (the code itself if unnamed)."""
        if code is None:
            return ""
        for table in (self.provinces, self.cities, self.macro_regions):
            item = table.get(code)
            if item is not None:
                return item.name(lang)
        return code

    def usd_rate(self, year: int) -> float:
        """CNY per USD for ``year`` (the nearest year in the table when it is not listed)."""
        if year in self.usd_cny:
            return self.usd_cny[year]
        nearest = min(self.usd_cny, key=lambda y: abs(y - year))
        return self.usd_cny[nearest]


def _check_references(cat: Catalog) -> None:
    for ind in cat.indicators.values():
        if ind.unit not in cat.units:
            raise CatalogError(
                "indicators.yaml", f"indicators[{ind.code}].unit", f"unknown unit {ind.unit!r}"
            )
        if ind.parent and ind.parent not in cat.indicators:
            raise CatalogError(
                "indicators.yaml", f"indicators[{ind.code}].parent", f"unknown indicator {ind.parent!r}"
            )
        if ind.sector and ind.sector not in cat.sectors:
            raise CatalogError(
                "indicators.yaml", f"indicators[{ind.code}].sector", f"unknown sector {ind.sector!r}"
            )
    for unit in cat.units.values():
        if unit.display is not None and unit.display not in cat.units:
            raise CatalogError(
                "indicators.yaml", f"units[{unit.code}].display", f"unknown unit {unit.display!r}"
            )
    for form in cat.forms.values():
        for code in form.indicators:
            if code not in cat.indicators:
                raise CatalogError(
                    "forms.yaml", f"forms[{form.code}].indicators", f"unknown indicator {code!r}"
                )
    for sec in cat.sectors.values():
        if sec.indicator not in cat.indicators:
            raise CatalogError(
                "sectors.yaml", f"sectors[{sec.code}].indicator", f"unknown indicator {sec.indicator!r}"
            )
    for prov in cat.provinces.values():
        if prov.macro and prov.macro not in cat.macro_regions:
            raise CatalogError(
                "regions.yaml", f"provinces[{prov.code}].macro", f"unknown macro region {prov.macro!r}"
            )
    for city in cat.cities.values():
        if city.province_code not in cat.provinces:
            raise CatalogError("regions.yaml", f"cities[{city.code}]", "its province is not in the table")


def load_catalog_from(base: Path | None = None) -> Catalog:
    """Load and cross-check the catalog from folder ``base`` (default: the shipped data)."""
    ind_doc = read_yaml("indicators.yaml", base)
    units_raw = ind_doc.get("units")
    if not isinstance(units_raw, dict):
        raise CatalogError("indicators.yaml", "units", "expected a mapping of unit code to definition")
    units = build(Unit, [{"code": k, **v} for k, v in units_raw.items()], "indicators.yaml", "units")
    indicators = build(Indicator, ind_doc.get("indicators"), "indicators.yaml", "indicators")
    forms = build(Form, read_yaml("forms.yaml", base).get("forms"), "forms.yaml", "forms")
    reg = read_yaml("regions.yaml", base)
    macros = build(MacroRegion, reg.get("macro_regions"), "regions.yaml", "macro_regions")
    provinces = build(Province, reg.get("provinces"), "regions.yaml", "provinces")
    cities = build(City, reg.get("cities"), "regions.yaml", "cities")
    sectors = build(Sector, read_yaml("sectors.yaml", base).get("sectors"), "sectors.yaml", "sectors")
    fx = read_yaml("exchange_rates.yaml", base)
    rates = fx.get("usd_cny")
    if not isinstance(rates, dict) or not rates:
        raise CatalogError("exchange_rates.yaml", "usd_cny", "expected a mapping of year to rate")
    try:
        usd_cny = {int(y): float(r) for y, r in rates.items()}
    except (TypeError, ValueError) as exc:
        raise CatalogError("exchange_rates.yaml", "usd_cny", f"not a number: {exc}") from exc
    cat = Catalog(
        indicators={i.code: i for i in indicators},
        units={u.code: u for u in units},
        forms={f.code: f for f in forms},
        macro_regions={m.code: m for m in macros},
        provinces={p.code: p for p in provinces},
        cities={c.code: c for c in cities},
        sectors={s.code: s for s in sectors},
        usd_cny=usd_cny,
        usd_cny_source=str(fx.get("source", "")),
    )
    _check_references(cat)
    return cat


@cache
def load_catalog() -> Catalog:
    """The shipped catalog (read once per process)."""
    return load_catalog_from(None)
