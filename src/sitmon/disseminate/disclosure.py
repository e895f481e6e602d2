"""Disclosure control for every output (统计披露控制): the flags of one published table and measure, read from
the patterns stored with the releases when they were published (:mod:`sitmon.process.disclosure`).

Nothing is computed here: a public request only reads, from the release's materialised aggregates (publishing
stores the patterns first and the cube carries them, :mod:`sitmon.process.materialise`), else from the pattern
files (a release published before cubes existed, or whose patterns were written later). A pattern that is missing or unreadable suppresses every
cell it would have covered (fail safe), and so does a pattern that failed safe when it was computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analyse.disclosure import SECONDARY, measure_flags, table_name
from ..catalog import load_catalog
from ..catalog.disclosure import DisclosureRules, load_disclosure
from ..domain.period import Period
from ..store.cubes import read_cube
from ..store.patterns import pattern_path, read_pattern
from ..store.warehouse import ReleaseFiles, Warehouse
from .materialised import Materialised

_PATTERNS: dict[str, PublishedPattern] = {}  # stored path → pattern, for this process (patterns never change)


@dataclass(frozen=True)
class PublishedPattern:
    """The pattern published for one release and indicator: the reason code of every suppressed cell, and the
    primary flags of its comparable-basis panel."""

    form: str
    period: str
    release: int
    indicator: str
    flags: dict[tuple[str, tuple], str]
    panel: dict[tuple[str, tuple], str] = field(default_factory=dict)
    carried_from: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    failsafe: str | None = None

    def table_flags(self, dims: tuple[str, ...], keys: list[tuple] | None = None) -> dict[tuple, str | None]:
        """Cell key → reason code or None for the table ``dims`` (its suppressed cells, or ``keys``); with a
        fail-safe pattern every cell is suppressed."""
        name = table_name(dims)
        if keys is None:
            return {k: f for (t, k), f in self.flags.items() if t == name}
        if self.failsafe:
            return {k: self.flags.get((name, k), SECONDARY) for k in keys}
        return {k: self.flags.get((name, k)) for k in keys}

    def flag(self, table: str, key: tuple = ()) -> str | None:
        """Reason code of one cell (None: published)."""
        if self.failsafe:
            return self.flags.get((table, tuple(key)), SECONDARY)
        return self.flags.get((table, tuple(key)))


def doc_to_pattern(doc: dict[str, Any]) -> PublishedPattern:
    """A stored pattern document as a :class:`PublishedPattern`."""
    flags = {(c["table"], tuple(c["key"])): c["flag"] for c in doc["cells"]}
    panel = {(c["table"], tuple(c["key"])): c["flag"] for c in doc.get("panel", [])}
    return PublishedPattern(
        form=doc["form"],
        period=doc["period"],
        release=int(doc["release"]),
        indicator=doc["indicator"],
        flags=flags,
        panel=panel,
        carried_from=tuple(doc.get("carried_from", ())),
        counts=dict(doc.get("counts", {})),
        failsafe=doc.get("failsafe"),
    )


class Disclosure:
    """Read access to the published patterns of one warehouse."""

    def __init__(self, wh: Warehouse, rules: DisclosureRules | None = None) -> None:
        self.wh = wh
        self.rules = rules or load_disclosure()
        self.catalog = load_catalog()

    def release(self, form: str, period: str, pin: int | None = None) -> ReleaseFiles | None:
        """The release read for ``period`` (``pin``: that release number, else the latest), or None."""
        return Materialised(self.wh.settings).release(form, period, pin)

    def pattern(
        self, form: str, period: str, indicator: str, pin: int | None = None
    ) -> PublishedPattern | None:
        """The stored pattern of ``indicator`` in the release of ``period``, or None (not published, or no
        pattern stored: the caller suppresses)."""
        f = self.release(form, period, pin)
        if f is None:
            return None
        path = str(pattern_path(self.wh.settings, form, period, f.number, indicator))
        if path not in _PATTERNS:
            cube = read_cube(f.path.parent)
            carried = None if cube is None else cube.meta.get("disclosure", {}).get(indicator)
            doc = (
                carried
                if isinstance(carried, dict)
                else read_pattern(self.wh.settings, form, period, f.number, indicator)
            )
            if doc is None:
                return None
            try:
                _PATTERNS[path] = doc_to_pattern(doc)
            except (KeyError, TypeError, ValueError):
                return None
        return _PATTERNS[path]

    def table_flags(
        self,
        form: str,
        period: str,
        indicator: str,
        dims: tuple[str, ...],
        measure: str,
        keys: list[tuple],
        pin: int | None = None,
    ) -> dict[tuple, str | None]:
        """Reason code (or None) of each cell ``keys`` of the table ``dims`` for ``measure``: this period's
        stored pattern and the patterns of the periods and totals the measure is computed from (see
        :func:`~sitmon.analyse.disclosure.measure_flags`). A pattern that is needed but missing suppresses."""
        cur = self.pattern(form, period, indicator, pin)
        if cur is None:
            return dict.fromkeys(keys, SECONDARY)
        current = cur.table_flags(dims, keys)
        previous = last_year = panel = None
        p = Period.parse(period)
        prev_p, ly = p.previous_in_year, str(p.same_period_last_year)
        if measure == "month" and prev_p is not None and self.release(form, str(prev_p)) is not None:
            prev = self.pattern(form, str(prev_p), indicator)
            previous = prev.table_flags(dims, keys) if prev is not None else dict.fromkeys(keys, SECONDARY)
        last = None
        if measure in ("yoy", "yoy_comparable", "contribution") and self.release(form, ly) is not None:
            last = self.pattern(form, ly, indicator)
            last_year = last.table_flags(dims, keys) if last is not None else dict.fromkeys(keys, SECONDARY)
        if measure == "yoy_comparable":
            name = table_name(dims)
            panel = {k: cur.panel.get((name, k)) for k in keys}
        last_total = last.flag("national") if last is not None else (SECONDARY if last_year else None)
        return measure_flags(
            measure,
            current,
            previous=previous,
            last_year=last_year,
            current_total=cur.flag("national"),
            last_year_total=last_total,
            panel=panel,
        )
