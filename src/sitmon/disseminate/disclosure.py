"""Disclosure control for every output (统计披露控制): the published pattern of a release and indicator, the
flags of one published table and measure, and the attacker audit of a period.

A pattern covers all linked tables of the release (catalog ``disclosure.yaml``) at once. It is computed the first
time any output asks for it, stored next to the warehouse (:mod:`sitmon.store.patterns`, never overwritten) and
kept in memory, so every output of that release — CLI, API, bulletins, exports — publishes the same pattern and
asking again is cheap. With ``carry_forward`` the pattern of a month starts from the pattern of the previous
month of the same year, and an annual release from its December monthly release.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import __version__
from ..analyse.disclosure import (
    CellAudit,
    LinkedTables,
    audit_cells,
    build_linked,
    measure_flags,
    panel_stats,
    primary_flags,
    protect,
    protect_parts,
    release_stats,
    table_name,
)
from ..catalog import load_catalog
from ..catalog.disclosure import DisclosureRules, load_disclosure
from ..domain import Period
from ..store.patterns import pattern_path, read_pattern, write_pattern
from ..store.warehouse import ReleaseFiles, Warehouse

_PATTERNS: dict[str, PublishedPattern] = {}  # stored path → pattern, for this process


@dataclass(frozen=True)
class PublishedPattern:
    """The pattern published for one release and indicator: the reason code of every suppressed cell."""

    form: str
    period: str
    release: int
    indicator: str
    flags: dict[tuple[str, tuple], str]
    carried_from: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def table_flags(self, dims: tuple[str, ...], keys: list[tuple] | None = None) -> dict[tuple, str | None]:
        """Cell key → reason code or None for the table ``dims`` (its suppressed cells, or ``keys``)."""
        name = table_name(dims)
        if keys is None:
            return {k: f for (t, k), f in self.flags.items() if t == name}
        return {k: self.flags.get((name, k)) for k in keys}

    def flag(self, table: str, key: tuple = ()) -> str | None:
        """Reason code of one cell (None: published)."""
        return self.flags.get((table, tuple(key)))


@dataclass(frozen=True)
class AuditRow:
    """One suppressed cell as the attacker audit sees it (values in the form's unit)."""

    table: str
    key: tuple
    flag: str
    value: float
    lo: float
    hi: float
    protected: bool


def _doc_to_pattern(doc: dict[str, Any]) -> PublishedPattern:
    flags = {(c["table"], tuple(c["key"])): c["flag"] for c in doc["cells"]}
    return PublishedPattern(form=doc["form"], period=doc["period"], release=int(doc["release"]),
                            indicator=doc["indicator"], flags=flags, carried_from=tuple(doc.get("carried_from", ())),
                            counts=dict(doc.get("counts", {})))


class Disclosure:
    """Disclosure control over the releases of one warehouse, with the parameters in force."""

    def __init__(self, wh: Warehouse, rules: DisclosureRules | None = None) -> None:
        self.wh = wh
        self.rules = rules or load_disclosure()
        self.catalog = load_catalog()
        self._linked: dict[tuple, LinkedTables] = {}

    # -- releases -----------------------------------------------------------------------------------------
    def release(self, form: str, period: str, pin: int | None = None) -> ReleaseFiles | None:
        """The release read for ``period`` (``pin``: that release number, else the latest), or None."""
        files = self.wh.files(form, [period], pin)
        return files[0] if files else None

    def _predecessor(self, form: str, period: str, indicator: str) -> tuple[str, str] | None:
        """The release whose pattern this one carries forward: the previous month of the same year, or for an
        annual release the December monthly release (when it carries the indicator)."""
        if not self.rules.carry_forward:
            return None
        if form == "annual":
            dec = ("monthly", str(Period.parse(period).december))
            ok = indicator in self.catalog.forms["monthly"].indicators and self.release(*dec) is not None
            return dec if ok else None
        prev = Period.parse(period).previous_in_year
        return (form, str(prev)) if prev is not None and self.release(form, str(prev)) is not None else None

    # -- the linked tables -------------------------------------------------------------------------------
    def linked(self, form: str, period: str, indicator: str, pin: int | None = None) -> LinkedTables:
        """The linked tables of ``indicator`` in the release of ``period`` (cells, statistics, unknowns)."""
        return self._linked_many(form, [period], indicator, {period: pin} if pin is not None else None)[period]

    def _linked_many(self, form: str, periods: list[str], indicator: str, pin: dict[str, int] | None = None
                     ) -> dict[str, LinkedTables]:
        keys: dict[str, tuple[str, str]] = {}
        out, todo = {}, []
        for p in periods:
            f = self.release(form, p, (pin or {}).get(p))
            if f is None:
                raise LookupError(f"{form} {p} has not been published")
            key = keys[p] = (str(f.path), indicator)
            if key in self._linked:
                out[p] = self._linked[key]
            else:
                todo.append(p)
        if todo:
            top = self.rules.dominance.n
            frames = self.wh.run(("disclosure", form, tuple(todo), indicator, tuple(sorted((pin or {}).items()))),
                                 lambda: release_stats(self.wh.table(form, pin=pin), todo, indicator, top), form=form)
            ind = self.catalog.indicators[indicator]
            for p in todo:
                atoms = frames["atoms"][frames["atoms"].period == p].drop(columns="period")
                tiers = frames["tiers"][frames["tiers"].period == p].drop(columns="period")
                linked = build_linked(atoms, tiers, self.rules.tables_for(ind), indicator, top)
                self._linked[keys[p]] = out[p] = linked
        return out

    # -- patterns ------------------------------------------------------------------------------------------
    def _stored(self, form: str, period: str, indicator: str, pin: int | None = None) -> PublishedPattern | None:
        f = self.release(form, period, pin)
        if f is None:
            raise LookupError(f"{form} {period} has not been published")
        path = str(pattern_path(self.wh.settings, form, period, f.number, indicator))
        if path not in _PATTERNS:
            doc = read_pattern(self.wh.settings, form, period, f.number, indicator)
            if doc is None:
                return None
            _PATTERNS[path] = _doc_to_pattern(doc)
        return _PATTERNS[path]

    def pattern(self, form: str, period: str, indicator: str, pin: int | None = None,
                on_step: Callable[[str], None] | None = None) -> PublishedPattern:
        """The published pattern of ``indicator`` in the release of ``period``: read if stored, else computed
        (with the earlier months of the year it carries forward), stored and returned."""
        found = self._stored(form, period, indicator, pin)
        if found is not None:
            return found
        chain: list[tuple[str, str]] = []
        cur: tuple[str, str] | None = (form, period)
        while cur is not None and (cur == (form, period) or self._stored(*cur, indicator) is None):
            chain.append(cur)
            cur = self._predecessor(*cur, indicator)
        chain.reverse()
        for f in ("monthly", "annual"):  # one query per form for every period to compute
            ps = [p for ff, p in chain if ff == f]
            if ps:
                self._linked_many(f, ps, indicator, {period: pin} if pin is not None and f == form else None)
        result: PublishedPattern | None = None
        for f, p in chain:
            if on_step is not None:
                on_step(f"{f} {p}")
            result = self._compute(f, p, indicator, pin if (f, p) == (form, period) else None)
        assert result is not None
        return result

    def _compute(self, form: str, period: str, indicator: str, pin: int | None) -> PublishedPattern:
        t0 = time.perf_counter()
        release = self.release(form, period, pin)
        assert release is not None
        linked = self.linked(form, period, indicator, pin)
        carried: set[tuple[str, tuple]] = set()
        carried_from = []
        pred = self._predecessor(form, period, indicator)
        if pred is not None:
            prev = self._stored(*pred, indicator)
            assert prev is not None
            carried |= set(prev.flags)
            carried_from.append(f"{pred[0]} {pred[1]} #{prev.release}")
        carried |= self._parts_national(form, period, indicator, pin)
        index = [linked.index(t, k) for t, k in carried if (t, k) in linked]
        ind = self.catalog.indicators[indicator]
        pat = protect(linked, self.rules, ind.nonnegative, carried=index)
        cells = [{"table": str(linked.cells.table.iat[i]), "key": list(linked.key(i)), "flag": pat.flags[i]}
                 for i in np.flatnonzero(pat.suppressed)]
        doc = {"form": form, "period": period, "release": release.number, "indicator": indicator,
               "parameters": self.rules.model_dump(mode="json"), "carried_from": carried_from,
               "counts": pat.counts(), "rounds": pat.rounds, "lps": pat.lps, "cells": cells,
               "seconds": round(time.perf_counter() - t0, 3), "sitmon": __version__}
        stored = write_pattern(self.wh.settings, form, period, release.number, indicator, doc)
        out = _doc_to_pattern(stored)
        _PATTERNS[str(pattern_path(self.wh.settings, form, period, release.number, indicator))] = out
        return out

    def _parts_national(self, form: str, period: str, indicator: str, pin: int | None) -> set[tuple[str, tuple]]:
        """For a sub-sector revenue: the national cell, when the parts of the software business revenue need it
        suppressed so that no part is the total minus the others."""
        if not self.catalog.indicators[indicator].sector:
            return set()
        parts = [i.code for i in self.catalog.indicators.values() if i.sector and i.code in
                 self.catalog.forms[form].indicators]
        values, flags = {}, {}
        for k in parts:
            linked = self.linked(form, period, k, pin)
            i = linked.index("national", ())
            values[k] = float(linked.values()[i])
            flags[k] = primary_flags(linked.cells.iloc[[i]], self.rules)[0]
        out = protect_parts(values, flags, self.rules.protection_pct)
        return {("national", ())} if out[indicator] is not None else set()

    # -- what outputs call -------------------------------------------------------------------------------
    def table_flags(self, form: str, period: str, indicator: str, dims: tuple[str, ...], measure: str,
                    keys: list[tuple], pin: int | None = None) -> dict[tuple, str | None]:
        """Reason code (or None) of each cell ``keys`` of the table ``dims`` for ``measure``: this period's pattern,
        and the patterns of the periods and totals the measure is computed from (see
        :func:`~sitmon.analyse.disclosure.measure_flags`)."""
        cur = self.pattern(form, period, indicator, pin)
        current = cur.table_flags(dims, keys)
        previous = last_year = panel = None
        p = Period.parse(period)
        prev_p = None if p.previous_in_year is None else str(p.previous_in_year)
        ly = str(p.same_period_last_year)
        if measure == "month" and prev_p is not None and self.release(form, prev_p) is not None:
            previous = self.pattern(form, prev_p, indicator).table_flags(dims, keys)
        last = None
        if measure in ("yoy", "yoy_comparable", "contribution") and self.release(form, ly) is not None:
            last = self.pattern(form, ly, indicator)
            last_year = last.table_flags(dims, keys)
        if measure == "yoy_comparable" and last is not None:
            panel = self._panel_flags(form, period, ly, indicator, dims, pin)
        return measure_flags(measure, current, previous=previous, last_year=last_year,
                             current_total=cur.flag("national"),
                             last_year_total=last.flag("national") if last is not None else None, panel=panel)

    def _panel_flags(self, form: str, period: str, ly: str, indicator: str, dims: tuple[str, ...],
                     pin: int | None) -> dict[tuple, str | None]:
        top = self.rules.dominance.n
        pins = {period: pin} if pin is not None else None
        frames = self.wh.run(("disclosure-panel", form, period, indicator, tuple(sorted((pins or {}).items()))),
                             lambda: panel_stats(self.wh.table(form, pin=pins), period, ly, indicator, top), form=form)
        linked = build_linked(frames["atoms"].drop(columns="period"), frames["tiers"].drop(columns="period"),
                              [dims], indicator, top)
        flags = primary_flags(linked.cells, self.rules)
        return {linked.key(i): flags[i] for i in range(linked.n_cells)}

    def audit(self, form: str, period: str, indicator: str, pin: int | None = None, primary_only: bool = False,
              on_progress: Callable[[int, int], None] | None = None) -> list[AuditRow]:
        """The attacker audit of the published pattern of ``period`` (or, with ``primary_only``, of the threshold
        and dominance rules alone): per suppressed cell its true value, the attacker's min and max and whether
        they cover ±protection_pct %. CONFIDENTIAL: the true values are micro-data aggregates."""
        linked = self.linked(form, period, indicator, pin)
        if primary_only:
            flags = primary_flags(linked.cells, self.rules)
        else:
            pat = self.pattern(form, period, indicator, pin)
            flags = np.full(linked.n_cells, None, dtype=object)
            for (t, k), f in pat.flags.items():
                flags[linked.index(t, k)] = f
        suppressed = np.array([f is not None for f in flags], bool)
        nonneg = self.catalog.indicators[indicator].nonnegative
        res: list[CellAudit] = audit_cells(linked, suppressed, nonneg, self.rules.protection_pct, on_progress=on_progress)
        return [AuditRow(table=a.table, key=a.key, flag=str(flags[a.cell]), value=a.value, lo=a.lo, hi=a.hi,
                         protected=a.protected) for a in res]
