"""Published aggregate tables: the one function that the CLI, the API and reports call.

With ``public=True`` every figure passes disclosure control (:mod:`sitmon.disseminate.disclosure`): the table must
be one of the linked tables of the catalog, each row gets a ``flag`` (None, or the reason code ``threshold``,
``dominance`` or ``secondary``) and a suppressed row's ``value`` is None. With ``public=False`` the figures are
unsuppressed micro-data aggregates for roles whose scope covers the enterprises: the result says it is
confidential.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analyse.measures import DIMENSIONS, MEASURES, PERCENT_MEASURES, measure
from ..catalog import load_catalog
from ..config import Settings
from ..domain import KeyedError, Message, Period, PeriodError
from ..domain.units import UnitMismatch, conversion_factor
from ..store.warehouse import Warehouse


class QueryError(KeyedError):
    """The query cannot be answered (unknown indicator or dimension, no release, wrong unit): ``message`` says
    why."""


def definition(measure_name: str) -> Message:
    """What a figure of ``measure_name`` is (``query.definition.<measure>``)."""
    return Message(f"query.definition.{measure_name}")


@dataclass
class TableResult:
    """A table of figures: rows (dimension codes, ``value``, ``flag``), unit, the releases read, and whether it
    passed disclosure control (``protected``) or holds unsuppressed confidential figures (``confidential``)."""

    indicator: str
    measure: str
    period: str
    by: list[str]
    unit: str
    rows: list[dict[str, Any]]
    releases: dict[str, int] = field(default_factory=dict)
    synthetic: bool = False
    definition: Message | None = None
    protected: bool = False
    confidential: bool = False


def published_table(settings: Settings, indicator: str, by: Sequence[str], period: str, measure_name: str = "level",
                    release: int | None = None, unit: str | None = None, public: bool = False,
                    backend: Any = None, form: str | None = None) -> TableResult:
    """The figures of ``measure_name`` of ``indicator`` for ``period`` by the dimensions ``by``.

    Values are in the form's unit (万元 / 万美元 / persons) unless ``unit`` names another unit of the same
    kind; percentages for growth and share measures. Each row is ``{*by: code, "value": float | None,
    "flag": str | None}``.

    ``public=True`` applies disclosure control: ``by`` must be a published table of the indicator (catalog
    ``disclosure.yaml``), a suppressed cell has ``value`` None and ``flag`` ``threshold``, ``dominance`` or
    ``secondary``, a published cell ``flag`` None, and ``protected`` is True. ``public=False`` gives every
    cell unsuppressed (``flag`` None) and marks the result ``confidential``.
    """
    cat = load_catalog()
    if indicator not in cat.indicators:
        raise QueryError(Message("query.unknown_indicator", indicator=indicator))
    if measure_name not in MEASURES:
        raise QueryError(Message("query.unknown_measure", measure=measure_name, measures=", ".join(MEASURES)))
    bad = [d for d in by if d not in DIMENSIONS]
    if bad:
        raise QueryError(Message("query.unknown_dimensions", dimensions=", ".join(bad),
                                 allowed=", ".join(DIMENSIONS)))
    try:
        form = form or Period.parse(period).form
    except PeriodError as exc:
        raise QueryError(exc.message) from exc
    if indicator not in cat.forms[form].indicators:
        raise QueryError(Message("query.not_on_form", form=Message(f"terms.form.{form}"), indicator=indicator))
    wh = Warehouse(settings, backend)
    pin = {period: release} if release is not None else None
    try:
        table = wh.table(form, pin=pin)
    except LookupError as exc:
        raise QueryError(Message("query.no_release", detail=str(exc))) from exc
    files = {f.period: f for f in wh.files(form)}
    if period not in files:
        raise QueryError(Message("query.not_published", period=period))
    canonical: tuple[str, ...] = ()
    if public:
        from ..catalog.disclosure import load_disclosure

        found = load_disclosure().table_of(cat.indicators[indicator], list(by))
        if found is None:
            allowed = "; ".join(",".join(t) or "-" for t in load_disclosure().tables_for(cat.indicators[indicator]))
            raise QueryError(Message("query.not_public", by=",".join(by) or Message("terms.table.national"),
                                     indicator=indicator, allowed=allowed))
        canonical = found
    try:
        df = measure(table, measure_name, indicator, list(by), period).execute()
    except PeriodError as exc:  # e.g. growth of the first year a period may name: no year before it
        raise QueryError(exc.message) from exc
    base_unit = cat.indicators[indicator].unit
    out_unit = "pct" if measure_name in PERCENT_MEASURES else (unit or base_unit)
    factor = 1.0
    if out_unit != base_unit and measure_name not in PERCENT_MEASURES:
        a, b = cat.units.get(base_unit), cat.units.get(out_unit)
        try:
            if a is None or b is None:
                raise UnitMismatch(Message("units.mismatch", source=base_unit, target=out_unit))
            factor = conversion_factor(a, b)
        except UnitMismatch as exc:
            raise QueryError(exc.message) from exc
    df = df.sort_values(list(by)) if by else df
    rows = [{**{d: r[d] for d in by}, "value": None if r["value"] != r["value"] else float(r["value"]) * factor,
             "flag": None} for r in df.to_dict("records")]
    if public:
        rows = _protect_rows(wh, rows, form, period, indicator, canonical, measure_name, release)
    used = {p: f.number for p, f in files.items()}
    if release is not None:
        used[period] = release
    return TableResult(indicator=indicator, measure=measure_name, period=period, by=list(by), unit=out_unit,
                       rows=rows, releases=used, synthetic=any(f.manifest.get("synthetic") for f in files.values()),
                       definition=definition(measure_name), protected=public, confidential=not public)


def _protect_rows(wh: Warehouse, rows: list[dict[str, Any]], form: str, period: str, indicator: str,
                  dims: tuple[str, ...], measure_name: str, release: int | None) -> list[dict[str, Any]]:
    """The rows with the flags of the release's pattern: a suppressed cell's value becomes None. Rows outside
    the published cells (enterprises in no city, for the city table) are dropped; a row the pattern does not
    know is suppressed (fail safe)."""
    from .disclosure import Disclosure
    from .failsafe import flags_or_all_suppressed

    rows = [r for r in rows if all(r[d] is not None for d in dims)]
    keys = [tuple(r[d] for d in dims) for r in rows]
    flags = flags_or_all_suppressed(  # fail safe: a pattern that cannot be computed suppresses the table
        lambda: Disclosure(wh).table_flags(form, period, indicator, dims, measure_name, keys, pin=release),
        keys, [r["value"] for r in rows])
    for r, k in zip(rows, keys, strict=True):
        flag = flags.get(k, "secondary")
        r["flag"] = flag
        if flag is not None:
            r["value"] = None
    return rows
