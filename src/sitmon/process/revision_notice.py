"""The revision notice (修订说明) of a release: the published cells whose value changed since the previous release
of the same period (old, new), the cells newly suppressed and those newly published.

It is computed when a release is published — a ``derive`` step of the publish pipeline, after the disclosure
patterns — from the two releases' data and their stored patterns, and kept in the release folder
(``revision_notice.json``), so every release records what changed. Published cells only: a cell suppressed in
either release never shows a value (a cell newly suppressed shows none; a cell newly published shows its new
value only). When a pattern is not stored, no cell of that indicator is shown and the notice says so (fail
safe).

Levels are those of the published tables (year to date for the monthly form), computed with the same Ibis
expressions as every published table (:mod:`sitmon.analyse.measures`), for every linked table of each indicator
(catalog ``disclosure.yaml``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..analyse.disclosure.cells import table_name
from ..analyse.measures import with_size_tier
from ..catalog import load_catalog
from ..catalog.disclosure import load_disclosure
from ..config import Settings
from ..store.db import Database
from ..store.patterns import read_pattern
from ..store.release_notes import NOTICE, read_note, read_staged_note, write_note
from ..store.staging import StagedRelease
from ..store.warehouse import Warehouse, release_files

Cell = tuple[str, str, tuple[str, ...]]
"""(indicator, table, key): one cell of a linked table."""


@dataclass(frozen=True)
class NoticeCell:
    """One cell of the notice: ``status`` ``revised`` (published in both releases, value changed), ``newly_suppressed``
    (no value shown) or ``newly_published`` (the new value only); values in the form's unit, change in % to one
    decimal."""

    indicator: str
    table: str
    key: list[str]
    status: str
    old: float | None
    new: float | None
    change: float | None
    change_pct: float | None


@dataclass
class RevisionNotice:
    """What changed in release ``number`` of ``form``/``period`` since release ``previous`` (None: the first)."""

    form: str
    period: str
    number: int
    previous: int | None
    cells: list[NoticeCell] = field(default_factory=list)
    missing_patterns: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every indicator's patterns were known, so every changed published cell is listed."""
        return not self.missing_patterns

    def to_dict(self) -> dict[str, Any]:
        """The notice as a JSON-ready mapping."""
        return {**asdict(self), "complete": self.complete}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> RevisionNotice:
        """A stored notice."""
        return cls(
            form=doc["form"],
            period=doc["period"],
            number=int(doc["number"]),
            previous=doc.get("previous"),
            cells=[NoticeCell(**c) for c in doc.get("cells", [])],
            missing_patterns=list(doc.get("missing_patterns", [])),
        )


def release_cells(settings: Settings, path: Path, form: str) -> dict[Cell, float]:
    """The level of every cell of every linked table of each indicator of ``form`` in the release data file
    ``path`` (Σ over the release's enterprises, respondents and imputed; the size tier by software business
    revenue, as published). A data file never changes once written, so the cells of the last few files read are
    kept (the notice and the guard of one publish read the same two)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns, form)
    if key not in _CELLS:
        if len(_CELLS) >= 4:
            _CELLS.pop(next(iter(_CELLS)))
        _CELLS[key] = _release_cells(settings, path, form)
    return _CELLS[key]


_CELLS: dict[tuple[str, int, int, str], dict[Cell, float]] = {}


def _release_cells(settings: Settings, path: Path, form: str) -> dict[Cell, float]:
    wh = Warehouse(settings)
    t = wh.backend.read_parquet(str(path))
    cat, rules = load_catalog(), load_disclosure()
    by_table: dict[tuple[str, ...], list[str]] = {}
    for code in cat.forms[form].indicators:
        for dims in rules.tables_for(cat.indicators[code]):
            by_table.setdefault(tuple(dims), []).append(code)
    out: dict[Cell, float] = {}
    for dims, codes in by_table.items():
        tt = with_size_tier(t) if "size_tier" in dims else t
        agg = {c: tt[c].sum() for c in codes}
        df = (tt.group_by(list(dims)).aggregate(**agg) if dims else tt.aggregate(**agg)).execute()
        name = table_name(dims)
        for row in df.to_dict("records"):
            if any(row[d] is None or row[d] != row[d] for d in dims):
                continue  # enterprises in no city
            key = tuple(str(row[d]) for d in dims)
            for c in codes:
                if row[c] is not None and row[c] == row[c]:
                    out[(c, name, key)] = float(row[c])
    return out


def flags_of(doc: dict[str, Any] | None) -> dict[tuple[str, tuple[str, ...]], str] | None:
    """(table, key) → reason code of the suppressed cells of a stored pattern document; None when there is no
    pattern, or it is a fail-safe one (computing it failed, so every cell is suppressed): nothing of that
    indicator may be shown."""
    if not doc or not isinstance(doc.get("cells"), list) or doc.get("failsafe"):
        return None
    return {(str(c["table"]), tuple(str(k) for k in c["key"])): str(c["flag"]) for c in doc["cells"]}


def staged_pattern(folder: Path, indicator: str) -> dict[str, Any] | None:
    """The pattern document of ``indicator`` written into a (staging) release folder, or None."""
    return read_staged_note(folder / "disclosure", f"{indicator}.json")


def _changed(old: float, new: float) -> bool:
    return abs(new - old) > 1e-9 * max(abs(old), abs(new), 1.0)


def compare(
    old: dict[Cell, float],
    new: dict[Cell, float],
    old_flags: dict[str, dict | None],
    new_flags: dict[str, dict | None],
    form: str,
    period: str,
    number: int,
    previous: int,
) -> RevisionNotice:
    """The notice between two releases' cells and their patterns (indicator → flags, None when not stored)."""
    notice = RevisionNotice(form, period, number, previous)
    notice.missing_patterns = sorted(c for c in new_flags if new_flags[c] is None or old_flags.get(c) is None)
    for cell in sorted(set(old) | set(new)):
        indicator, table, key = cell
        nf, of = new_flags.get(indicator), old_flags.get(indicator)
        if nf is None or of is None:
            continue
        shown_new = cell in new and (table, key) not in nf
        shown_old = cell in old and (table, key) not in of
        if shown_new and shown_old and _changed(old[cell], new[cell]):
            o, n = old[cell], new[cell]
            notice.cells.append(
                NoticeCell(
                    indicator,
                    table,
                    list(key),
                    "revised",
                    o,
                    n,
                    n - o,
                    round(100 * (n - o) / o, 1) if o else None,
                )
            )
        elif shown_old and not shown_new:
            notice.cells.append(
                NoticeCell(indicator, table, list(key), "newly_suppressed", None, None, None, None)
            )
        elif shown_new and not shown_old and cell in old:
            notice.cells.append(
                NoticeCell(indicator, table, list(key), "newly_published", None, new[cell], None, None)
            )
    return notice


class NoticeStep:
    """The derive step that writes the revision notice of a staged release (see the module docstring)."""

    def __init__(self, db: Database, form: str, period: str) -> None:
        self.db, self.form, self.period = db, form, period

    def __call__(self, staged: StagedRelease) -> dict[str, Any]:
        notice = staged_notice(self.db.settings, staged)
        write_note(staged.folder, NOTICE, notice.to_dict())
        return {"revised_cells": sum(c.status == "revised" for c in notice.cells)} if notice.previous else {}


def staged_notice(settings: Settings, staged: StagedRelease) -> RevisionNotice:
    """The notice of the staged release against the latest visible release of its period."""
    previous = release_files(settings, staged.form, [staged.period])
    if not previous:
        return RevisionNotice(staged.form, staged.period, staged.number, None)
    prev = previous[0]
    codes = list(load_catalog().forms[staged.form].indicators)
    new_flags = {c: flags_of(staged_pattern(staged.folder, c)) for c in codes}
    old_flags = {
        c: flags_of(read_pattern(settings, staged.form, staged.period, prev.number, c)) for c in codes
    }
    return compare(
        release_cells(settings, prev.path, staged.form),
        release_cells(settings, staged.folder / "data.parquet", staged.form),
        old_flags,
        new_flags,
        staged.form,
        staged.period,
        staged.number,
        prev.number,
    )


def stored_notice(
    settings: Settings, form: str, period: str, number: int | None = None
) -> RevisionNotice | None:
    """The revision notice kept with release ``number`` (default: the latest) of ``form``/``period``; None when
    the period is not published, or the release predates revision notices."""
    files = release_files(settings, form, [period], number)
    if not files:
        return None
    doc = read_note(settings, form, period, files[0].number, NOTICE)
    return None if doc is None else RevisionNotice.from_dict(doc)
