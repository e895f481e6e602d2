"""Report intake: a received file (or JSON rows) → validated → stored as new report revisions.

One file is one transaction: with any hard error nothing from it is stored (no upload, no archive
copy, no report) and every error is listed with file, spreadsheet row, column, value and rule. A
stored file is archived byte for byte under its sha256; re-importing the same file changes nothing;
a changed value for an existing (enterprise, form, period) makes a new revision — nothing is overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from ..catalog import Catalog, Form, load_catalog
from ..catalog.extra_columns import load_extra_columns
from ..catalog.rules import RuleSet, load_rules
from ..domain import Message, Period, PeriodError, jsontext
from ..domain.uscc import is_valid_uscc
from ..store import audit
from ..store.archive import StagedFile, recover_staged, sha256_hex, stage_bytes
from ..store.db import Database, Session
from ..store.enterprises import uscc_ids
from ..store.locks import exclusive
from ..store.reports import StoredValues, add_revisions, current_values
from ..store.uploads import add_upload, upload_with_sha
from .cells import is_future, parse_numbers, parse_period_cell
from .headers import HeaderError, identity_position, ignored_columns, map_header
from .peers import add_peers
from .readers import RawTable, ReadLimits, UnreadableFile, read_table
from .received import decimal_commas, file_notices
from .rules import Batch, Issue, apply_rules, hb_reference
from .screening import choose_form, control_characters

INTAKE_LOCK = "intake"
"""One import at a time (files, API filings, the registry): revision numbers and the archive stay consistent."""
_INSERT_CHUNK = 5_000

Progress = Callable[[int], None]


@dataclass
class ImportResult:
    """What happened to one file: ``status`` is stored | unchanged | rejected | dry_run; ``notices`` say what the
    intake did with the file beyond the rules (extra columns ignored, a separator detected)."""

    file: str
    sha256: str
    status: str
    form: str | None = None
    rows: int = 0
    new_reports: int = 0
    new_revisions: int = 0
    unchanged_rows: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    upload_id: int | None = None
    encoding: str | None = None
    notices: list[Issue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready mapping (issues as lists of mappings)."""
        d = {k: v for k, v in self.__dict__.items() if k not in ("errors", "warnings", "notices")}
        d["errors"] = [i.to_dict() for i in self.errors]
        d["warnings"] = [i.to_dict() for i in self.warnings]
        d["notices"] = [i.to_dict() for i in self.notices]
        return d


def import_files(
    db: Database,
    paths: Sequence[Path],
    form: str | None = None,
    *,
    dry_run: bool = False,
    actor: str = "cli",
    today: date | None = None,
    progress: Progress | None = None,
) -> list[ImportResult]:
    """Import each file in its own transaction, in the order given; returns one result per file."""
    results = []
    for path in paths:
        results.append(import_file(db, Path(path), form, dry_run=dry_run, actor=actor, today=today))
        if progress:
            progress(1)
    return results


def import_file(
    db: Database,
    path: Path,
    form: str | None = None,
    *,
    dry_run: bool = False,
    actor: str = "cli",
    today: date | None = None,
) -> ImportResult:
    """Import one CSV/XLSX file of reports (see module docstring); returns its :class:`ImportResult`."""
    limit = ReadLimits.of(db.settings).max_bytes
    size = path.stat().st_size
    if size > limit:  # refused before reading it
        return _file_error(
            path.name,
            "",
            UnreadableFile(
                Message("intake_guard.file_too_large", mb=round(size / 2**20), limit=round(limit / 2**20))
            ),
        )
    return import_bytes(db, path.name, path.read_bytes(), form, dry_run=dry_run, actor=actor, today=today)


def import_bytes(
    db: Database,
    name: str,
    data: bytes,
    form: str | None = None,
    *,
    dry_run: bool = False,
    actor: str = "cli",
    today: date | None = None,
    only_uscc: str | None = None,
) -> ImportResult:
    """Import the bytes of a received CSV/XLSX file called ``name`` (an upload); see :func:`import_table`.

    With ``only_uscc`` (a filer's upload) every row must be that enterprise's: otherwise the file is
    rejected with an ``own_enterprise`` error per foreign row and nothing else is checked or stored.
    """
    sha = sha256_hex(data)
    try:
        table = read_table(Path(name), data, ReadLimits.of(db.settings))
    except UnreadableFile as exc:
        return _file_error(name, sha, exc)
    if only_uscc is not None and (outside := _outside_scope(table, only_uscc)):
        return ImportResult(file=name, sha256=sha, status="rejected", rows=len(table.rows), errors=outside)
    return import_table(
        db, table, form, actor=actor, dry_run=dry_run, today=today, data=data, suffix=Path(name).suffix
    )


def import_records(
    db: Database,
    records: Sequence[dict[str, Any]],
    form: str | None = None,
    *,
    source: str = "api",
    dry_run: bool = False,
    actor: str = "cli",
    today: date | None = None,
    only_uscc: str | None = None,
) -> ImportResult:
    """Import reports given as mappings of column code → value (as filed through the API): the columns are
    the keys present, in catalog order; issue ``row`` numbers are 1-based positions in ``records``.

    The same validation, archive (as JSON) and revisions as a file; ``only_uscc`` as in :func:`import_bytes`.
    """
    catalog = load_catalog()
    present = set().union(*(r.keys() for r in records)) if records else set()
    order = ["uscc", "period", *catalog.indicators, "note"]
    header = [c for c in order if c in present] + sorted(present - set(order))
    table = RawTable(
        source=source,
        header=header,
        rows=[[r.get(c) for c in header] for r in records],
        row_numbers=list(range(1, len(records) + 1)),
    )
    sha = sha256_hex(_as_json(table))
    if only_uscc is not None and (outside := _outside_scope(table, only_uscc)):
        return ImportResult(file=source, sha256=sha, status="rejected", rows=len(records), errors=outside)
    return import_table(db, table, form, actor=actor, dry_run=dry_run, today=today)


def _as_json(table: RawTable) -> bytes:
    """How a table that did not come as a file is archived (and identified by its sha256)."""
    try:
        return jsontext.dumps({"header": table.header, "rows": table.rows}, default=str).encode("utf-8")
    except ValueError:  # a non-finite number: refused by the rules; identify the payload all the same
        return repr((table.header, table.rows)).encode("utf-8")


def _outside_scope(table: RawTable, only_uscc: str) -> list[Issue]:
    """An ``own_enterprise`` error for each row whose USCC is not ``only_uscc`` (decided without any lookup,
    so the answer says nothing about other enterprises)."""
    pos = identity_position(table.header, "uscc")
    if pos is None:
        return []  # the header check of import_table reports the missing column
    out = []
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        given = str(_cell(row, pos) or "").strip().upper()
        if given != only_uscc:
            out.append(
                _structural(
                    table.source,
                    number,
                    table.header[pos],
                    given,
                    "own_enterprise",
                    Message("intake.own_enterprise", uscc=only_uscc),
                )
            )
    return out


def import_table(
    db: Database,
    table: RawTable,
    form: str | None = None,
    *,
    actor: str = "cli",
    dry_run: bool = False,
    today: date | None = None,
    data: bytes | None = None,
    suffix: str = ".csv",
) -> ImportResult:
    """Validate ``table`` against the rules of ``form`` (inferred from the periods when None) and, when
    it has no hard error and ``dry_run`` is false, store it as new revisions in one transaction.

    ``data`` are the bytes as received (archived under their sha256; when None, the table is
    serialised as JSON for the archive, as for reports filed through the API). Imports take turns (the
    ``intake`` lock): two imports of the same or overlapping files at once are done one after the other.
    The archive copy is kept only once the upload record is committed.
    """
    catalog, rules = load_catalog(), load_rules()
    raw_bytes = data if data is not None else _as_json(table)
    sha = sha256_hex(raw_bytes)
    result = ImportResult(
        file=table.source, sha256=sha, status="rejected", rows=len(table.rows), encoding=table.encoding
    )
    if bad_text := control_characters(table):
        result.errors = bad_text
        return result
    form_obj, form_errors = choose_form(table, form, catalog)
    if form_obj is None:
        result.errors = form_errors
        return result
    result.form = form_obj.code
    extra = load_extra_columns()
    result.notices = file_notices(table, ignored_columns(table.header, catalog, form_obj.indicators, extra))
    try:
        columns = map_header(
            table.header, catalog, form_obj.indicators, required=("uscc", "period"), ignore=extra
        )
    except HeaderError as exc:
        result.errors.extend(
            _structural(table.source, 1, col, col, "header", msg) for col, msg in exc.problems
        )
        return result
    names = {c: (catalog.indicators[c].name_zh, catalog.indicators[c].name_en) for c in form_obj.indicators}
    if commas := decimal_commas(table, columns, names):
        result.errors = commas
        return result
    today = today or date.today()
    staged: StagedFile | None = None
    with nullcontext() if dry_run else exclusive(db, INTAKE_LOCK):
        try:
            with db.session() as session:
                if not dry_run:
                    recover_staged(db.settings, session)
                seen = upload_with_sha(session, sha, "reports")
                if seen is not None:
                    return ImportResult(
                        file=table.source,
                        sha256=sha,
                        status="unchanged",
                        upload_id=seen,
                        notices=result.notices,
                    )
                registry = uscc_ids(session)
                batch, keys = _build_batch(table, form_obj, columns, catalog, registry, today)
                periods = {p for p, ok in zip(batch.period, batch.period_ok, strict=True) if ok}
                needed = periods | {ref for p in periods for ref in _references(p) if ref is not None}
                stored = current_values(session, form_obj.code, sorted(needed), fields=_context_fields(rules))
                _add_context(batch, keys, rules, stored, catalog)
                add_peers(batch, keys, rules, stored, {i: sector for i, sector in registry.values()})
                issues = apply_rules(batch, rules, catalog)
                result.errors = [i for i in issues if i.severity == "error"]
                result.warnings = [i for i in issues if i.severity == "warning"]
                if result.errors:
                    return result
                if dry_run:
                    result.status = "dry_run"
                    return result
                staged = stage_bytes(db.settings, raw_bytes, suffix)
                _store(session, batch, keys, stored, result, raw_bytes, staged.final, actor)
        except BaseException:
            if staged is not None:
                staged.discard()
            raise
        if staged is not None:
            staged.commit()  # after the DB commit: an archive file always has its upload record
    return result


def _cell(row: list[Any], pos: int | None) -> Any:
    return row[pos] if pos is not None and pos < len(row) else None


def _build_batch(
    table: RawTable,
    form: Form,
    columns: dict[str, int],
    catalog: Catalog,
    registry: dict[str, tuple[int, str]],
    today: date,
) -> tuple[Batch, list[int | None]]:
    rows = table.rows
    uscc_raw = [_cell(r, columns["uscc"]) for r in rows]
    uscc = [str(v if v is not None else "").strip().upper() for v in uscc_raw]
    periods_raw = [_cell(r, columns["period"]) for r in rows]
    parsed = [parse_period_cell(p, form.frequency) for p in periods_raw]
    future = Message("intake_guard.period_future", today=f"{today.year:04d}-{today.month:02d}")
    reasons = [why if p is None else (future if is_future(p, today) else None) for p, why in parsed]
    period_ok = np.array([r is None for r in reasons], dtype=bool)
    uscc_ok = np.array([is_valid_uscc(u) for u in uscc], dtype=bool)
    ids = [registry.get(u) for u in uscc]
    registered = np.array([i is not None for i in ids], dtype=bool)
    raw: dict[str, list[Any]] = {}
    values: dict[str, np.ndarray] = {}
    invalid: dict[str, np.ndarray] = {}
    nonfinite: dict[str, np.ndarray] = {}
    for code in form.indicators:
        cells = [_cell(r, columns.get(code)) for r in rows]
        raw[code] = cells
        values[code], invalid[code], nonfinite[code] = parse_numbers(cells)
    raw["note"] = [_cell(r, columns.get("note")) for r in rows]
    header_names = {code: table.header[pos] for code, pos in columns.items()}
    batch = Batch(
        source=table.source,
        form=form,
        row_numbers=list(table.row_numbers),
        columns=header_names,
        uscc=uscc,
        period=[
            p if p is not None else str(raw_p if raw_p is not None else "")[:40]
            for (p, _), raw_p in zip(parsed, periods_raw, strict=True)
        ],
        raw=raw,
        values=values,
        invalid=invalid,
        uscc_ok=uscc_ok,
        registered=registered,
        period_ok=period_ok,
        sector=np.array([i[1] if i else "" for i in ids], dtype=object),
        nonfinite=nonfinite,
        period_reason=reasons,
        uscc_raw=uscc_raw,
    )
    return batch, [i[0] if i else None for i in ids]


def _references(period: str) -> tuple[str | None, str | None]:
    """The periods the rules compare ``period`` with: the previous month of the same year (``prev_``; None for
    January and for a year) and the same period last year (``last_year_``; None before the first year)."""
    p = Period.parse(period)
    try:
        last: str | None = str(p.same_period_last_year)
    except PeriodError:
        last = None
    return (None if p.previous_in_year is None else str(p.previous_in_year)), last


def _wanted_context(rules: RuleSet) -> set[tuple[str, str]]:
    names = set().union(*(e.names for e in rules.expressions.values()))
    wanted = {(pre, n_[len(pre) :]) for n_ in names for pre in ("prev_", "last_year_") if n_.startswith(pre)}
    return wanted | {
        (hb_reference(r), r.field or "revenue_total") for r in rules.rules if r.kind == "hb_outlier"
    }


def _context_fields(rules: RuleSet) -> list[str]:
    return sorted({code for _, code in _wanted_context(rules)})


def _add_context(
    batch: Batch,
    keys: list[int | None],
    rules: RuleSet,
    stored: dict[tuple[int, str], StoredValues],
    catalog: Catalog,
) -> None:
    """Fill month, months, year, usd_cny and the prev_/last_year_ arrays the rules read.

    A reference value comes from the same file when it holds that enterprise's other period, else from
    the current stored revision.
    """
    n = len(batch)
    monthly = batch.form.frequency == "monthly"
    ok = batch.period_ok
    parsed = [Period.parse(p) if ok[i] else None for i, p in enumerate(batch.period)]
    year = np.array([np.nan if p is None else p.year for p in parsed], dtype=float)
    month = np.array([np.nan if p is None else p.month_number for p in parsed], dtype=float)
    batch.context.update(
        year=year,
        month=month,
        months=month if monthly else np.where(ok, 12.0, np.nan),
        usd_cny=np.array([catalog.usd_rate(int(y)) if np.isfinite(y) else np.nan for y in year]),
    )
    wanted = _wanted_context(rules)
    in_file = {
        (k, p): i for i, (k, p) in enumerate(zip(keys, batch.period, strict=True)) if k is not None and ok[i]
    }
    for prefix, code in wanted:
        if code not in batch.values:
            continue
        arr = np.full(n, np.nan)
        for i, key in enumerate(keys):
            if key is None or not ok[i]:
                continue
            prev, last = _references(batch.period[i])
            ref = prev if prefix == "prev_" else last
            if ref is None:
                continue
            j = in_file.get((key, ref))
            if j is not None:
                arr[i] = batch.values[code][j]
            else:
                hit = stored.get((key, ref))
                if hit is not None and hit.values.get(code) is not None:
                    arr[i] = float(hit.values[code])
        batch.context[prefix + code] = arr


def content_hash(values: dict[str, Any], note: str | None) -> str:
    """sha256 of a report's values and note (what decides whether a row is a new revision)."""
    return hashlib.sha256(repr((sorted(values.items()), note or "")).encode()).hexdigest()


def _store(
    session: Session,
    batch: Batch,
    keys: list[int | None],
    stored: dict[tuple[int, str], StoredValues],
    result: ImportResult,
    raw_bytes: bytes,
    archive_path: Path,
    actor: str,
) -> None:
    upload_id = add_upload(
        session,
        kind="reports",
        form=batch.form.code,
        filename=batch.source,
        sha256=result.sha256,
        size_bytes=len(raw_bytes),
        archive_path=str(archive_path),
        rows=len(batch),
        actor=actor,
    )
    warnings_by_row: dict[int, list[dict[str, Any]]] = {}
    for w in result.warnings:
        warnings_by_row.setdefault(w.row, []).append(
            {
                "rule": w.rule,
                "field": w.field,
                "column": w.column,
                "message_zh": w.message_zh,
                "message_en": w.message_en,
            }
        )
    integer_codes = {c for c in batch.form.indicators if load_catalog().indicators[c].integer}
    new_rows: list[dict[str, Any]] = []
    for i in range(len(batch)):
        values = {}
        for code in batch.form.indicators:
            v = batch.values[code][i]
            values[code] = None if np.isnan(v) else (int(v) if code in integer_codes else float(v))
        note_raw = batch.raw["note"][i]
        note = str(note_raw).strip() if note_raw not in (None, "") and str(note_raw).strip() else None
        h = content_hash(values, note)
        key = (keys[i], batch.period[i])
        prev = stored.get(key)  # type: ignore[arg-type]
        if prev is not None and prev.content_hash == h:
            result.unchanged_rows += 1
            continue
        warns = [dict(w, explained=bool(note)) for w in warnings_by_row.get(batch.row_numbers[i], [])]
        new_rows.append(
            {
                "enterprise_id": keys[i],
                "form": batch.form.code,
                "period": batch.period[i],
                "revision": (prev.revision + 1) if prev else 1,
                "values": values,
                "note": note,
                "warnings": warns,
                "content_hash": h,
                "upload_id": upload_id,
                "created_by": actor,
            }
        )
        if prev is None:
            result.new_reports += 1
        else:
            result.new_revisions += 1
        if len(new_rows) >= _INSERT_CHUNK:  # bounded memory: insert as we go, in the same transaction
            add_revisions(session, new_rows)
            new_rows = []
    add_revisions(session, new_rows)
    audit.record(
        session,
        actor,
        "report.filed",
        "upload",
        upload_id,
        file=batch.source,
        form=batch.form.code,
        new_reports=result.new_reports,
        new_revisions=result.new_revisions,
        unchanged=result.unchanged_rows,
        warnings=len(result.warnings),
    )
    if result.new_revisions:
        audit.record(session, actor, "report.revised", "upload", upload_id, count=result.new_revisions)
    result.status = "stored"
    result.upload_id = upload_id


def _structural(file: str, row: int, column: str, value: str, rule: str, msg: Message) -> Issue:
    return Issue(file=file, row=row, column=column, value=value, rule=rule, severity="error", msg=msg)


def _file_error(name: str, sha: str, exc: UnreadableFile) -> ImportResult:
    return ImportResult(
        file=name,
        sha256=sha,
        status="rejected",
        errors=[_structural(name, exc.row, exc.column, exc.value, "file", exc.message)],
    )


def summarise(results: Iterable[ImportResult]) -> dict[str, int]:
    """Totals over results: files by status, rows, new reports, new revisions, errors, warnings."""
    out = {
        "files": 0,
        "stored": 0,
        "unchanged": 0,
        "rejected": 0,
        "dry_run": 0,
        "rows": 0,
        "new_reports": 0,
        "new_revisions": 0,
        "errors": 0,
        "warnings": 0,
    }
    for r in results:
        out["files"] += 1
        out[r.status] += 1
        out["rows"] += r.rows
        out["new_reports"] += r.new_reports
        out["new_revisions"] += r.new_revisions
        out["errors"] += len(r.errors)
        out["warnings"] += len(r.warnings)
    return out
