"""Published aggregate tables: the one function that the CLI, the API, web pages, bulletins and exports call.

A table is one indicator broken down by up to three dimensions, for one or more periods and one or more measures
(level, month, YoY, comparable YoY, share, contribution). Figures come from the aggregates materialised when the
release was published (:mod:`sitmon.disseminate.materialised`), and from the analysis engine for what is not
materialised; both evaluate the same definitions (:mod:`sitmon.analyse.measures`).

With ``public=True`` every figure passes disclosure control (:mod:`sitmon.disseminate.disclosure`): the table must
be one of the linked tables of the catalog, each row gets a ``flag`` (None, or the reason code ``threshold``,
``dominance`` or ``secondary``) and a suppressed row's ``value`` is None. With ``public=False`` the figures are
unsuppressed micro-data aggregates for roles whose scope covers the enterprises: the result says it is
confidential.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analyse.measures import DIMENSIONS, MEASURES, PERCENT_MEASURES, measure
from ..catalog import load_catalog
from ..config import Settings
from ..domain import KeyedError, Message, Period, PeriodError, parse_periods
from ..domain.units import UnitMismatch, conversion_factor
from ..store.warehouse import ReleaseFiles, Warehouse
from .materialised import Materialised


class QueryError(KeyedError):
    """The query cannot be answered (unknown indicator or dimension, no release, wrong unit): ``message`` says
    why."""


MAX_DIMENSIONS = 3
MAX_COLUMNS = 120
"""Most (period, measure) pairs one table may hold: twelve months of every measure, with room."""


def definition(measure_name: str) -> Message:
    """What a figure of ``measure_name`` is (``query.definition.<measure>``)."""
    return Message(f"query.definition.{measure_name}")


@dataclass
class TableResult:
    """A table of figures: long rows (dimension codes, ``period``, ``measure``, ``value``, ``flag``) for every
    period and measure asked for, the unit of each measure, the releases read, and whether it passed disclosure
    control (``protected``) or holds unsuppressed confidential figures (``confidential``). ``total_rows`` holds
    the national cells of the same periods and measures when a total was asked for."""

    indicator: str
    by: list[str]
    periods: list[str]
    measures: list[str]
    units: dict[str, str]
    rows: list[dict[str, Any]]
    releases: dict[str, int] = field(default_factory=dict)
    synthetic: bool = False
    definitions: dict[str, Message] = field(default_factory=dict)
    protected: bool = False
    confidential: bool = False
    total_rows: list[dict[str, Any]] = field(default_factory=list)
    form: str = "monthly"
    materialised: int = 0
    """How many (period, measure) parts came from materialised aggregates (the rest: from the engine)."""

    @property
    def period(self) -> str:
        """The first period (the only one of a single-period table)."""
        return self.periods[0]

    @property
    def measure(self) -> str:
        """The first measure (the only one of a single-measure table)."""
        return self.measures[0]

    @property
    def unit(self) -> str:
        """The unit of the first measure."""
        return self.units[self.measures[0]]

    @property
    def definition(self) -> Message:
        """What the first measure is."""
        return self.definitions[self.measures[0]]


def split_list(values: str | Sequence[str] | None) -> list[str]:
    """The items of comma-separated values, repeated options welcome: ``["region,sector"]``, ``["region",
    "sector"]`` and ``"region, sector"`` all give ``["region", "sector"]`` (in order, without repeats)."""
    items = [values] if isinstance(values, str) else list(values or [])
    out: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def published_table(
    settings: Settings,
    indicator: str,
    by: str | Sequence[str],
    period: str | Sequence[str],
    measure_name: str | Sequence[str] = "level",
    release: int | None = None,
    unit: str | None = None,
    public: bool = False,
    backend: Any = None,
    form: str | None = None,
    total: bool = False,
) -> TableResult:
    """The figures of the measures ``measure_name`` of ``indicator`` for the periods ``period`` by the dimensions
    ``by``.

    ``period`` names one period (``2024-06``), or several (a list, comma lists and ranges: ``2024-01:2024-12``);
    ``measure_name`` and ``by`` take lists and comma lists alike. Values are in the form's unit (万元 / 万美元 /
    persons) unless ``unit`` names another unit of the same kind; percent for growth and shares, percentage points
    for contributions. Each row is ``{*by: code, "period", "measure", "value": float | None, "flag": str | None}``,
    by period, then measure, then dimension codes. ``release`` pins the release of a single period. With ``total``
    (and a breakdown) ``total_rows`` also holds the national cells.

    ``public=True`` applies disclosure control: ``by`` must be a published table of the indicator (catalog
    ``disclosure.yaml``), a suppressed cell has ``value`` None and ``flag`` ``threshold``, ``dominance`` or
    ``secondary``, a published cell ``flag`` None, and ``protected`` is True. ``public=False`` gives every
    cell unsuppressed (``flag`` None) and marks the result ``confidential``.
    """
    cat = load_catalog()
    dims = split_list(by)
    measures = split_list(measure_name) or ["level"]
    try:
        periods = [str(p) for p in parse_periods(period if isinstance(period, str) else list(period))]
    except PeriodError as exc:
        raise QueryError(exc.message) from exc
    if indicator not in cat.indicators:
        raise QueryError(Message("query.unknown_indicator", indicator=indicator))
    bad = [m for m in measures if m not in MEASURES]
    if bad:
        raise QueryError(
            Message("query.unknown_measure", measure=",".join(bad), measures=", ".join(MEASURES))
        )
    bad = [d for d in dims if d not in DIMENSIONS]
    if bad:
        raise QueryError(
            Message("query.unknown_dimensions", dimensions=", ".join(bad), allowed=", ".join(DIMENSIONS))
        )
    if len(dims) > MAX_DIMENSIONS:
        raise QueryError(Message("tables.too_many_dimensions", n=MAX_DIMENSIONS))
    if len(periods) * len(measures) > MAX_COLUMNS:
        raise QueryError(
            Message("tables.too_many_columns", n=MAX_COLUMNS, periods=len(periods), measures=len(measures))
        )
    forms = {Period.parse(p).form for p in periods}
    if form is None and len(forms) > 1:
        raise QueryError(Message("tables.forms_mixed"))
    form = form or forms.pop()
    if indicator not in cat.forms[form].indicators:
        raise QueryError(
            Message("query.not_on_form", form=Message(f"terms.form.{form}"), indicator=indicator)
        )
    if release is not None and len(periods) > 1:
        raise QueryError(Message("tables.release_one_period"))
    units, factors = _units(indicator, measures, unit)
    mat = Materialised(settings)
    files = mat.releases(form)
    for p in periods:
        if p not in files:
            raise QueryError(Message("query.not_published", period=p))
    if release is not None and mat.release(form, periods[0], release) is None:
        raise QueryError(
            Message(
                "query.no_such_release",
                release=release,
                form=Message(f"terms.form.{form}"),
                period=periods[0],
            )
        )
    if public and release is not None and release != files[periods[0]].number:
        # a later release may suppress what this one shows: the public reads the latest release only
        raise QueryError(
            Message(
                "disclosure.superseded", period=periods[0], release=release, latest=files[periods[0]].number
            )
        )
    canonical = _public_table(indicator, dims) if public else ()
    source = _Source(settings, backend, form, release, periods[0])
    rows: list[dict[str, Any]] = []
    for p in periods:
        for m in measures:
            try:
                pairs = source.values(p, indicator, dims, m)
            except PeriodError as exc:  # e.g. growth of the first year a period may name: no year before it
                raise QueryError(exc.message) from exc
            part = [
                {
                    **dict(zip(dims, key, strict=True)),
                    "period": p,
                    "measure": m,
                    "value": None if v is None else v * factors[m],
                    "flag": None,
                }
                for key, v in pairs
            ]
            if public:
                part = _protect_rows(source.wh, part, form, p, indicator, canonical, m, release)
            rows.extend(part)
    total_rows: list[dict[str, Any]] = []
    if total and dims:
        nat = published_table(
            settings,
            indicator,
            [],
            periods,
            measures,
            release=release,
            unit=unit,
            public=public,
            backend=source.engine_backend,
            form=form,
        )
        total_rows = nat.rows
    used = {p: f.number for p, f in files.items()}
    if release is not None:
        used[periods[0]] = release
    return TableResult(
        indicator=indicator,
        by=dims,
        periods=periods,
        measures=measures,
        units=units,
        rows=rows,
        releases=used,
        synthetic=any(_synthetic(f) for f in files.values()),
        definitions={m: definition(m) for m in measures},
        protected=public,
        confidential=not public,
        total_rows=total_rows,
        form=form,
        materialised=source.materialised,
    )


def _synthetic(f: ReleaseFiles) -> bool:
    return bool(f.manifest.get("synthetic"))


def _units(indicator: str, measures: list[str], unit: str | None) -> tuple[dict[str, str], dict[str, float]]:
    """The unit of each measure and the factor from the form's unit to it."""
    cat = load_catalog()
    base = cat.indicators[indicator].unit
    units, factors = {}, {}
    for m in measures:
        if m in PERCENT_MEASURES:
            units[m], factors[m] = "pct", 1.0
            continue
        out = unit or base
        a, b = cat.units.get(base), cat.units.get(out)
        try:
            if a is None or b is None or (out != base and {a.code, b.code} & {"pct", "count"}):
                raise UnitMismatch(Message("units.mismatch", source=base, target=out))
            units[m], factors[m] = out, conversion_factor(a, b)
        except UnitMismatch as exc:
            raise QueryError(exc.message) from exc
    return units, factors


def _public_table(indicator: str, dims: list[str]) -> tuple[str, ...]:
    """The linked table of ``indicator`` by ``dims`` in canonical order; QueryError when it is not published."""
    from ..catalog.disclosure import load_disclosure

    ind = load_catalog().indicators[indicator]
    found = load_disclosure().table_of(ind, dims)
    if found is None:
        allowed = "; ".join(",".join(t) or "-" for t in load_disclosure().tables_for(ind))
        raise QueryError(
            Message(
                "query.not_public",
                by=",".join(dims) or Message("terms.table.national"),
                indicator=indicator,
                allowed=allowed,
            )
        )
    return found


class _Source:
    """Where the figures of one table come from: the materialised aggregates, else the engine (connected and
    read only when needed)."""

    def __init__(self, settings: Settings, backend: Any, form: str, release: int | None, period: str) -> None:
        self.mat = Materialised(settings)
        self.wh = Warehouse(settings, backend)
        self.form, self.pin = form, release
        self.pinned = period if release is not None else None
        self._table: Any = None
        self.materialised = 0

    @property
    def engine_backend(self) -> Any:
        """The engine's backend if it was connected (else None: connect lazily)."""
        return self.wh._backend

    def values(
        self, period: str, indicator: str, dims: list[str], name: str
    ) -> list[tuple[tuple, float | None]]:
        """(key, value) of every cell of measure ``name`` in ``period``, by key (codes; a missing one last)."""
        pin = self.pin if period == self.pinned else None
        pairs = self.mat.values(self.form, period, indicator, dims, name, pin)
        if pairs is not None:
            self.materialised += 1
        else:
            pairs = self._engine(period, indicator, dims, name)
        return sorted(pairs, key=lambda kv: tuple((v is None, "" if v is None else str(v)) for v in kv[0]))

    def _engine(
        self, period: str, indicator: str, dims: list[str], name: str
    ) -> list[tuple[tuple, float | None]]:
        if self._table is None:
            pin = {self.pinned: self.pin} if self.pinned is not None and self.pin is not None else None
            try:
                self._table = self.wh.table(self.form, pin=pin)
            except LookupError as exc:
                raise QueryError(Message("query.no_release", detail=str(exc))) from exc
        df = measure(self._table, name, indicator, dims, period).execute()
        out = []
        for r in df.itertuples(index=False):
            key = tuple(None if (isinstance(v, float) and v != v) else v for v in r[:-1])
            v = r[-1]
            out.append((key, float(v) if v is not None and math.isfinite(v) else None))
        return out


def _protect_rows(
    wh: Warehouse,
    rows: list[dict[str, Any]],
    form: str,
    period: str,
    indicator: str,
    dims: tuple[str, ...],
    measure_name: str,
    release: int | None,
) -> list[dict[str, Any]]:
    """The rows with the flags of the release's pattern: a suppressed cell's value becomes None. Rows outside
    the published cells (enterprises in no city, for the city table) are dropped; a row the pattern does not
    know is suppressed (fail safe)."""
    from .disclosure import Disclosure
    from .failsafe import flags_or_all_suppressed

    rows = [r for r in rows if all(r[d] is not None for d in dims)]
    keys = [tuple(r[d] for d in dims) for r in rows]
    flags = flags_or_all_suppressed(  # fail safe: a pattern that cannot be computed suppresses the table
        lambda: Disclosure(wh).table_flags(form, period, indicator, dims, measure_name, keys, pin=release),
        keys,
        [r["value"] for r in rows],
    )
    for r, k in zip(rows, keys, strict=True):
        flag = flags.get(k, "secondary")
        r["flag"] = flag
        if flag is not None:
            r["value"] = None
    return rows
