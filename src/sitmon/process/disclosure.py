"""Disclosure patterns (统计披露控制) computed when a release is published, before it becomes visible.

For every indicator of the form, the pattern covers all linked tables of the release (catalog
``disclosure.yaml``) and holds what the public outputs need: the reason code of every suppressed cell and the
primary flags of the comparable-basis panel. It is computed against an attacker who knows
(:class:`~sitmon.analyse.disclosure.Knowledge`): this release's published cells; the earlier releases of the same
period (their suppressed cells stay suppressed — carried — and their published cells that did not change are
known); last month's published year-to-date values (YTD does not fall) and the cells suppressed last month
(carried forward, with room above last month's value); last year's published cells with growth near the
parent's; for an annual release, December within a band; and each province's reviewer its own province.

The documents are written into the release's staging folder (:func:`~sitmon.store.warehouse.write_release`'s
``derive``), so data and patterns become visible together; a release whose patterns fail is not published.
Releases published before patterns were stored get theirs with :func:`ensure_patterns` (write-once).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd

from .. import __version__
from ..analyse.disclosure import (
    Knowledge,
    LinkedTables,
    build_linked,
    primary_flags,
    protect,
    protect_parts,
    province_scopes,
)
from ..analyse.disclosure.stats import long_stats
from ..catalog import load_catalog
from ..catalog.disclosure import DisclosureRules, load_disclosure
from ..config import Settings
from ..domain.period import Period
from ..store.patterns import read_pattern, write_pattern
from ..store.warehouse import Warehouse, release_dir

Progress = Callable[[int, int, str], None]
_log = logging.getLogger("sitmon.disclosure")
#: the table whose published growth bounds a cell's growth (last year's a priori bounds)
PARENT = {
    "province_sector": "region_sector",
    "province": "region",
    "city": "province",
    "region_sector": "region",
    "region": "national",
    "sector": "national",
}


@dataclass
class _Release:
    """One release's linked tables of one indicator, with its pattern when it has one."""

    linked: LinkedTables
    flags: dict[tuple[str, tuple], str] | None

    def value(self) -> dict[tuple[str, tuple], float]:
        v = self.linked.values()
        return {
            (str(self.linked.cells.table.iat[i]), self.linked.key(i)): float(v[i])
            for i in range(self.linked.n_cells)
        }


class PatternBuilder:
    """Computes the patterns of releases of one warehouse with the parameters in force."""

    def __init__(self, settings: Settings, rules: DisclosureRules | None = None, backend: Any = None) -> None:
        self.settings = settings
        self.wh = Warehouse(settings, backend)
        self.rules = rules or load_disclosure()
        self.catalog = load_catalog()
        self._cache: dict[tuple[int, str], dict[str, pd.DataFrame]] = {}
        self._panels: dict[tuple[int, str], dict[str, pd.DataFrame]] = {}
        self._release_tables: dict[tuple[str, str, int], Any] = {}

    # -- statistics -------------------------------------------------------------------------------------------
    def _stats(self, t: Any, period: str, indicator: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        key = (id(t), period)
        if key not in self._cache:
            form = "annual" if len(period) == 4 else "monthly"
            codes = list(self.catalog.forms[form].indicators)
            exprs = long_stats(t, period, codes, self.rules.dominance.n)
            self._cache[key] = {k: self.wh.backend.execute(v) for k, v in exprs.items()}
        frames = self._cache[key]
        atoms, tiers, parts = (
            frames[k][frames[k].indicator == indicator].drop(columns="indicator")
            for k in ("atoms", "tiers", "parts")
        )
        drop = [c for c in ("period",) if c in atoms.columns]
        return atoms.drop(columns=drop), tiers.drop(columns=drop), parts

    def _linked(self, t: Any, period: str, indicator: str) -> tuple[LinkedTables, dict[str, np.ndarray]]:
        atoms, tiers, parts = self._stats(t, period, indicator)
        ind = self.catalog.indicators[indicator]
        linked = build_linked(atoms, tiers, self.rules.tables_for(ind), indicator, self.rules.dominance.n)
        tier_parts: dict[str, np.ndarray] = {}
        if linked.tier_labels:
            for prov, g in parts.groupby("province"):
                s = g.set_index("size_tier")["sum"]
                tier_parts[str(prov)] = np.array([float(s.get(label, 0.0)) for label in linked.tier_labels])
        return linked, tier_parts

    def _visible(self, form: str, period: str, number: int, indicator: str) -> _Release | None:
        files = self.wh.files(form, [period], number)
        if not files:
            return None
        t = self.release_table(form, period, number)
        linked, _ = self._linked(t, period, indicator)
        doc = read_pattern(self.settings, form, period, number, indicator)
        flags = None if doc is None else {(c["table"], tuple(c["key"])): c["flag"] for c in doc["cells"]}
        return _Release(linked, flags)

    def release_table(self, form: str, period: str, number: int) -> Any:
        """The rows of a published release as one Ibis table (the same object each time: it keys the caches)."""
        key = (form, period, number)
        if key not in self._release_tables:
            self._release_tables[key] = self.wh.table(form, [period], release=number)
        return self._release_tables[key]

    def _numbers(self, form: str, period: str) -> list[int]:
        folder = self.settings.warehouse_dir / form / f"period={period}"
        if not folder.exists():
            return []
        return sorted(
            int(d.name.split("=", 1)[1])
            for d in folder.iterdir()
            if d.name.startswith("release=") and (d / "release.json").exists()
        )

    def _latest(self, form: str, period: str, indicator: str) -> tuple[int, _Release] | None:
        numbers = self._numbers(form, period)
        if not numbers or indicator not in self.catalog.forms[form].indicators:
            return None
        found = self._visible(form, period, numbers[-1], indicator)
        return None if found is None else (numbers[-1], found)

    # -- what the attacker knows ------------------------------------------------------------------------------
    def knowledge(
        self,
        form: str,
        period: str,
        number: int,
        indicator: str,
        linked: LinkedTables,
        tier_parts: dict[str, np.ndarray],
    ) -> tuple[Knowledge, list[int], list[str]]:
        """The attacker's knowledge for this release (see the module docstring), the cells carried into the
        pattern and where they come from."""
        ind = self.catalog.indicators[indicator]
        k = Knowledge.none(linked)
        v = linked.values()
        keys = [(str(linked.cells.table.iat[i]), linked.key(i)) for i in range(linked.n_cells)]
        carried: set[int] = set()
        sources: list[str] = []
        flow = not ind.stock
        # earlier releases of this period: suppressed stays suppressed; unchanged published cells are known
        for n in self._numbers(form, period):
            if n >= number:
                continue
            old = self._visible(form, period, n, indicator)
            if old is None or old.flags is None:
                continue
            values = old.value()
            sources.append(f"{form} {period} #{n}")
            for i, key in enumerate(keys):
                if key in old.flags:
                    carried.add(i)
                elif key in values and np.isclose(values[key], v[i], rtol=1e-9, atol=1e-9):
                    k.known[i] = True
        # last month (or December, for an annual release): carried cells and a priori bounds
        pred = self._predecessor(form, period, indicator)
        if pred is not None and self.rules.carry_forward:
            pform, pperiod = pred
            found = self._latest(pform, pperiod, indicator)
            if found is not None and found[1].flags is not None:
                pn, prev = found
                prev_flags = found[1].flags
                values = prev.value()
                sources.append(f"{pform} {pperiod} #{pn}")
                lower = np.full(linked.n_cells, -np.inf)
                upper = np.full(linked.n_cells, np.inf)
                band = self.rules.annual_band_pct / 100.0
                for i, key in enumerate(keys):
                    if key in prev_flags:
                        carried.add(i)
                        if flow and form == "monthly" and key in values:
                            k.carried_value[i] = values[key]
                    elif key in values and form == "monthly" and flow:
                        lower[i] = values[key]  # YTD does not fall
                    elif key in values and form == "annual":
                        lower[i], upper[i] = values[key] * (1 - band), values[key] * (1 + band)
                k.bound(lower, upper, v)
        # last year's published cells, with growth within a band of the parent's
        self._last_year(form, period, indicator, linked, keys, k)
        if self.rules.reviewer_scopes:
            k.scopes = province_scopes(linked, tier_parts if ind.nonnegative else None)
        return k, sorted(carried), sources

    def _predecessor(self, form: str, period: str, indicator: str) -> tuple[str, str] | None:
        p = Period.parse(period)
        if form == "annual":
            return (
                ("monthly", f"{period}-12") if indicator in self.catalog.forms["monthly"].indicators else None
            )
        prev = p.previous_in_year
        return None if prev is None else (form, str(prev))

    def _last_year(
        self,
        form: str,
        period: str,
        indicator: str,
        linked: LinkedTables,
        keys: list[tuple[str, tuple]],
        k: Knowledge,
    ) -> None:
        found = self._latest(form, str(Period.parse(period).same_period_last_year), indicator)
        if found is None or found[1].flags is None:
            return
        last, last_flags = found[1].value(), found[1].flags
        v = linked.values()
        now = dict(zip(keys, v, strict=True))
        primary = primary_flags(linked.cells, self.rules, self.catalog.indicators[indicator].nonnegative)
        sensitive_now = {keys[i] for i in range(len(keys)) if primary[i] is not None}
        region_of = dict(
            zip(linked.atoms.province.astype(str), linked.atoms.region.astype(str), strict=False)
        )
        province_of = {
            str(c): str(p)
            for c, p in zip(linked.atoms.city, linked.atoms.province, strict=False)
            if c is not None and c == c
        }
        band = self.rules.last_year_band_pct / 100.0
        lower = np.full(len(keys), -np.inf)
        upper = np.full(len(keys), np.inf)
        for i, (table, key) in enumerate(keys):
            if (table, key) not in last or (table, key) in last_flags or last[(table, key)] <= 0:
                continue
            parent = _parent_key(table, key, region_of, province_of)
            if (
                parent is None
                or parent not in last
                or parent in last_flags
                or parent in sensitive_now
                or parent not in now
                or last[parent] <= 0
            ):
                continue
            growth = now[parent] / last[parent] - 1
            lower[i] = last[(table, key)] * max(1 + growth - band, 0.0)
            upper[i] = last[(table, key)] * (1 + growth + band)
        k.bound(lower, upper, v)

    # -- patterns ---------------------------------------------------------------------------------------------
    def compute(self, form: str, period: str, number: int, indicator: str, t: Any) -> dict[str, Any]:
        """The pattern document of ``indicator`` in release ``number`` of ``period``, whose rows are the Ibis
        table ``t`` (staged or published). Anything that goes wrong in computing it gives the fail-safe document
        (every cell suppressed, the reason kept): the release stays publishable and shows nothing unsafe."""
        try:
            return self._compute(form, period, number, indicator, t)
        except Exception as exc:  # noqa: BLE001 - fail safe: suppress everything, keep the reason
            _log.exception("disclosure pattern of %s %s #%s %s failed safe", form, period, number, indicator)
            return {
                "form": form,
                "period": period,
                "release": number,
                "indicator": indicator,
                "parameters": self.rules.model_dump(mode="json"),
                "carried_from": [],
                "counts": {},
                "failsafe": f"{type(exc).__name__}: {exc}",
                "cells": [],
                "panel": [],
                "sitmon": __version__,
            }

    def _compute(self, form: str, period: str, number: int, indicator: str, t: Any) -> dict[str, Any]:
        t0 = time.perf_counter()
        ind = self.catalog.indicators[indicator]
        linked, tier_parts = self._linked(t, period, indicator)
        k, carried, sources = self.knowledge(form, period, number, indicator, linked, tier_parts)
        if ind.sector:
            carried += self._parts_national(t, period, indicator, linked)
        pat = protect(linked, self.rules, ind.nonnegative, carried=carried, knowledge=k)
        cells = [
            {"table": str(linked.cells.table.iat[i]), "key": list(linked.key(i)), "flag": pat.flags[i]}
            for i in np.flatnonzero(pat.suppressed)
        ]
        return {
            "form": form,
            "period": period,
            "release": number,
            "indicator": indicator,
            "parameters": self.rules.model_dump(mode="json"),
            "carried_from": sources,
            "counts": pat.counts(),
            "rounds": pat.rounds,
            "lps": pat.lps,
            "failsafe": pat.failsafe,
            "cells": cells,
            "panel": self._panel(t, form, period, indicator),
            "seconds": round(time.perf_counter() - t0, 3),
            "sitmon": __version__,
        }

    def _parts_national(self, t: Any, period: str, indicator: str, linked: LinkedTables) -> list[int]:
        """For a sub-sector revenue: the national cell, when the parts of the software business revenue need it
        suppressed so that no part is the total minus the others."""
        form = "annual" if len(period) == 4 else "monthly"
        parts = [
            i.code
            for i in self.catalog.indicators.values()
            if i.sector and i.code in self.catalog.forms[form].indicators
        ]
        values, flags = {}, {}
        for code in parts:
            atoms, tiers, _ = self._stats(t, period, code)
            one = build_linked(atoms, tiers, [()], code, self.rules.dominance.n)
            values[code] = float(one.values()[0])
            flags[code] = primary_flags(one.cells, self.rules)[0]
        out = protect_parts(values, flags, self.rules.protection_pct)
        return [linked.index("national", ())] if out[indicator] is not None else []

    def _panel(self, t: Any, form: str, period: str, indicator: str) -> list[dict[str, Any]]:
        """Primary flags of the comparable-basis panel (enterprises in this period and the same period last year)
        of every linked table: comparable growth is published only where its panel passes the rules."""
        ly = str(Period.parse(period).same_period_last_year)
        if not self.wh.files(form, [ly]):
            return []
        key = (id(t), period)
        if key not in self._panels:
            this = self.wh.backend.execute(t.filter(t.period == period))
            last = self.wh.backend.execute(self.wh.table(form, [ly]))
            cols = [c for c in this.columns if c in last.columns]  # not a staging folder's hive partition
            union = ibis.memtable(pd.concat([this[cols], last[cols]], ignore_index=True))
            codes = list(self.catalog.forms[form].indicators)
            exprs = long_stats(union, period, codes, self.rules.dominance.n, panel_of=ly)
            self._panels[key] = {k: self.wh.backend.execute(v) for k, v in exprs.items()}
        frames = {
            k: f[f.indicator == indicator].drop(columns=["indicator", "period"])
            for k, f in self._panels[key].items()
        }
        ind = self.catalog.indicators[indicator]
        top = self.rules.dominance.n
        linked = build_linked(frames["atoms"], frames["tiers"], self.rules.tables_for(ind), indicator, top)
        flags = primary_flags(linked.cells, self.rules, ind.nonnegative)
        return [
            {"table": str(linked.cells.table.iat[i]), "key": list(linked.key(i)), "flag": flags[i]}
            for i in range(linked.n_cells)
            if flags[i] is not None
        ]

    def write_all(
        self, form: str, period: str, number: int, folder: Path, t: Any, on_progress: Progress | None = None
    ) -> dict[str, dict[str, Any]]:
        """Compute and store (in release folder ``folder``) the pattern of every indicator of the form;
        ``on_progress(done, total, indicator)`` after each."""
        codes = list(self.catalog.forms[form].indicators)
        out = {}
        for i, code in enumerate(codes):
            out[code] = write_pattern(folder, code, self.compute(form, period, number, code, t))
            if on_progress is not None:
                on_progress(i + 1, len(codes), code)
        return out


def _parent_key(
    table: str, key: tuple, region_of: dict[str, str], province_of: dict[str, str]
) -> tuple[str, tuple] | None:
    parent = PARENT.get(table)
    if parent is None:
        return None
    if parent == "national":
        return ("national", ())
    if table == "province_sector":
        return (parent, (region_of.get(str(key[0])), key[1]))
    if table == "province":
        return (parent, (region_of.get(str(key[0])),))
    if table == "city":
        return (parent, (province_of.get(str(key[0])),))
    if table == "region_sector":
        return (parent, (key[0],))
    return None


def stage_patterns(
    settings: Settings, form: str, period: str, on_progress: Progress | None = None
) -> Callable[[Any], None]:
    """A derive step of :func:`~sitmon.process.release_commit.commit_release`: the patterns of every indicator,
    computed from the staged release's data and written into its staging folder (visible with it)."""

    def derive(staged: Any) -> None:
        builder = PatternBuilder(settings)
        backend = builder.wh.backend
        # the staging folder's path is not a partition: DuckDB would read ``period=2023`` as a number and add a
        # ``.staging-release`` column
        kw = {"hive_partitioning": False} if backend.name == "duckdb" else {}
        t = backend.read_parquet(str(staged.folder / "data.parquet"), **kw)
        builder.write_all(form, period, staged.number, staged.folder, t, on_progress)

    return derive


def ensure_patterns(
    settings: Settings, form: str, period: str, number: int | None = None, on_progress: Progress | None = None
) -> list[str]:
    """Compute the missing patterns of a release published before patterns were stored (the latest of
    ``period`` unless ``number``), earlier periods of the year first; the indicators written."""
    builder = PatternBuilder(settings)
    chain = []
    p: str | None = period
    f = form
    while p is not None:
        chain.append((f, p))
        pred = builder._predecessor(f, p, "revenue_total")
        if pred is None:
            break
        f, p = pred
    written: list[str] = []
    for f, p in reversed(chain):
        numbers = builder._numbers(f, p)
        if not numbers:
            continue
        n = number if (f, p) == (form, period) and number is not None else numbers[-1]
        codes = [c for c in builder.catalog.forms[f].indicators if read_pattern(settings, f, p, n, c) is None]
        if not codes:
            continue
        t = builder.release_table(f, p, n)
        folder = release_dir(settings, f, p, n)
        for i, code in enumerate(codes):
            write_pattern(folder, code, builder.compute(f, p, n, code, t))
            written.append(f"{f} {p} #{n} {code}")
            if on_progress is not None:
                on_progress(i + 1, len(codes), f"{p} {code}")
    return written


@dataclass(frozen=True)
class AuditRow:
    """One suppressed cell as one attacker sees it (values in the form's unit): ``attacker`` is ``public`` or
    the province whose reviewer it is."""

    table: str
    key: tuple
    flag: str
    value: float
    lo: float
    hi: float
    need_below: float
    need_above: float
    protected: bool
    attacker: str = "public"


def audit_release(
    settings: Settings,
    form: str,
    period: str,
    indicator: str,
    number: int | None = None,
    primary_only: bool = False,
    reviewers: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[AuditRow]:
    """The attacker audit of the stored pattern of ``indicator`` in a release (the latest of ``period`` unless
    ``number``), with the attacker's knowledge as at publishing; with ``reviewers`` also against every
    province's reviewer; with ``primary_only`` of the primary rules alone (a demonstration of what secondary
    suppression prevents). CONFIDENTIAL: the true values are micro-data aggregates. LookupError when the
    release or its pattern is missing."""
    from ..analyse.disclosure import audit_all, audit_cells

    builder = PatternBuilder(settings)
    numbers = builder._numbers(form, period)
    if not numbers or (number is not None and number not in numbers):
        raise LookupError(f"{form} {period} has not been published")
    n = number if number is not None else numbers[-1]
    t = builder.release_table(form, period, n)
    linked, tier_parts = builder._linked(t, period, indicator)
    ind = builder.catalog.indicators[indicator]
    if primary_only:
        flags = primary_flags(linked.cells, builder.rules, ind.nonnegative)
        k = Knowledge.none(linked)
    else:
        doc = read_pattern(settings, form, period, n, indicator)
        if doc is None:
            raise LookupError(f"no stored pattern of {indicator} in {form} {period} #{n}")
        flags = np.full(linked.n_cells, None, dtype=object)
        for c in doc["cells"]:
            key = (c["table"], tuple(c["key"]))
            if key in linked:
                flags[linked.index(*key)] = c["flag"]
        k, _, _ = builder.knowledge(form, period, n, indicator, linked, tier_parts)
        if not reviewers:
            k.scopes = []
    suppressed = np.array([f is not None for f in flags], bool)
    if reviewers and not primary_only:
        res = audit_all(linked, flags, ind.nonnegative, builder.rules.protection_pct, k, on_progress)
    else:
        res = audit_cells(
            linked,
            suppressed,
            ind.nonnegative,
            builder.rules.protection_pct,
            flags=flags,
            knowledge=k,
            on_progress=on_progress,
        )
    return [
        AuditRow(
            table=a.table,
            key=a.key,
            flag=str(flags[a.cell]),
            value=a.value,
            lo=a.lo,
            hi=a.hi,
            need_below=a.need_below,
            need_above=a.need_above,
            protected=a.protected,
            attacker=a.attacker,
        )
        for a in res
    ]
