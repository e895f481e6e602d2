"""Enterprise registry import: ``uscc,name,region_code,sector[,founded][,closed]`` and the optional scope and
contact columns ``above_scale`` (规模以上), ``monthly_panel`` (月报重点企业), ``contact`` (联系人), ``phone``
(联系电话), ``main_revenue`` / ``software_revenue`` (last year's, 万元) from CSV, XLSX or XLS.

The USCC must carry a correct check character; the region is a GB/T 2260 code at province, city or
county level (resolved to its city, province and macro region); re-importing updates the name, region,
sector, dates, scope or contacts and appends a version to the enterprise's history. One file is one transaction.

Scope (catalog ``scope.yaml``): ``above_scale`` as given, else decided by the threshold from the two revenues
when given, else yes; ``monthly_panel`` as given, else the same as ``above_scale``; a key enterprise must be above
designated size. A scope or contact column the file does not have leaves a registered enterprise's value as it
is (a new enterprise gets the default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..catalog import Catalog, load_catalog
from ..domain import Label, Message
from ..domain.uscc import uscc_problem
from ..store import audit
from ..store.archive import StagedFile, recover_staged, sha256_hex, stage_bytes
from ..store.db import Database
from ..store.enterprises import TRACKED, add_enterprises, registry, update_enterprises
from ..store.locks import exclusive
from ..store.uploads import add_upload, upload_with_sha
from .cells import parse_date
from .readers import ReadLimits, UnreadableFile, read_table
from .registry_scope import DEFAULTS, scope_columns
from .rules import Issue
from .synthetic.manifest import marked_synthetic

COLUMNS = {
    "uscc": ("uscc", "统一社会信用代码"),
    "name": ("name", "企业名称", "单位详细名称"),
    "region_code": ("region_code", "行政区划代码", "地区代码"),
    "sector": ("sector", "行业", "主营行业"),
    "founded": ("founded", "成立日期", "开业日期"),
    "closed": ("closed", "注销日期", "停业日期"),
    "above_scale": ("above_scale", "规模以上", "规模以上企业", "是否规模以上"),
    "monthly_panel": ("monthly_panel", "月报重点企业", "重点企业", "是否月报重点企业"),
    "contact": ("contact", "联系人"),
    "phone": ("phone", "联系电话", "电话"),
    "main_revenue": ("main_revenue", "主营业务收入", "上年主营业务收入"),
    "software_revenue": ("software_revenue", "上年软件业务收入"),
}
REQUIRED = ("uscc", "name", "region_code", "sector")
KEPT = ("above_scale", "monthly_panel", "contact", "phone")
"""Tracked attributes that a file without their column leaves as they are."""


@dataclass
class RegistryResult:
    """Outcome of one registry file: status stored | unchanged | rejected | dry_run, and counts."""

    file: str
    sha256: str
    status: str
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged_rows: int = 0
    errors: list[Issue] = field(default_factory=list)
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping of the result."""
        d = {k: v for k, v in self.__dict__.items() if k != "errors"}
        d["errors"] = [e.to_dict() for e in self.errors]
        return d


def _err(file: str, row: int, column: str, value: Any, rule: str, msg: Message) -> Issue:
    return Issue(
        file=file,
        row=row,
        column=column,
        value="" if value is None else str(value),
        rule=rule,
        severity="error",
        msg=msg,
    )


def _sector_code(value: str, catalog: Catalog) -> str | None:
    v = value.strip()
    for s in catalog.sectors.values():
        if v in (s.code, s.name_zh, s.name_en):
            return s.code
    return None


def import_enterprises(
    db: Database, path: Path, *, dry_run: bool = False, actor: str = "cli", synthetic: bool | None = None
) -> RegistryResult:
    """Validate and store one registry file; returns counts of added, updated and unchanged enterprises.

    ``synthetic`` records that the file is synthetic (demo) data, and so is every enterprise it adds or changes;
    None: as the generator's manifest beside the file says (:func:`~.synthetic.manifest.marked_synthetic`).
    """
    catalog = load_catalog()
    limits = ReadLimits.of(db.settings)
    data = path.read_bytes() if path.stat().st_size <= limits.max_bytes else b""
    sha = sha256_hex(data)
    if synthetic is None:
        synthetic = marked_synthetic(path, data)
    result = RegistryResult(file=path.name, sha256=sha, status="rejected", synthetic=synthetic)
    try:
        table = read_table(path, data or None, limits)  # an oversized file is refused before it is read
    except UnreadableFile as exc:
        result.errors.append(_err(path.name, exc.row, exc.column, exc.value, "file", exc.message))
        return result
    result.rows = len(table.rows)
    lookup = {name.lower(): code for code, names in COLUMNS.items() for name in names}
    pos: dict[str, int] = {}
    for i, h in enumerate(table.header):
        code = lookup.get(h.strip().lower())
        if code is None and h.strip():
            result.errors.append(
                _err(path.name, 1, h, h, "header", Message("intake.unknown_column", column=h))
            )
        elif code:
            pos[code] = i
    for code in REQUIRED:
        if code not in pos:
            result.errors.append(
                _err(path.name, 1, code, "", "header", Message("intake.missing_column", column=code))
            )
    if result.errors:
        return result
    parsed: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for rownum, row in zip(table.row_numbers, table.rows, strict=True):
        rec = _parse_row(path.name, rownum, row, pos, table.header, catalog, result.errors)
        if rec is None:
            continue
        if rec["uscc"] in first_row:
            result.errors.append(
                _err(
                    path.name,
                    rownum,
                    table.header[pos["uscc"]],
                    rec["uscc"],
                    "duplicate",
                    Message("intake.registry_duplicate", first_row=first_row[rec["uscc"]]),
                )
            )
            continue
        first_row[rec["uscc"]] = rownum
        parsed.append(rec)
    if result.errors:
        return result
    staged: list[StagedFile] = []
    with exclusive(db, "intake"):
        try:
            _store(db, result, parsed, data, path, actor, dry_run, staged)
        except BaseException:
            for f in staged:
                f.discard()
            raise
        for f in staged:
            f.commit()  # after the DB commit: an archive file always has its upload record
    return result


def _store(
    db: Database,
    result: RegistryResult,
    parsed: list[dict[str, Any]],
    data: bytes,
    path: Path,
    actor: str,
    dry_run: bool,
    staged: list[StagedFile],
) -> None:
    """Add and update the enterprises of ``parsed`` in one transaction; the archive copy is staged (appended
    to ``staged``) for the caller to commit after the transaction."""
    sha, synthetic = result.sha256, result.synthetic
    with db.session() as session:
        if not dry_run:
            recover_staged(db.settings, session)
        current = registry(session)
        new, changes = [], []
        for rec in parsed:
            have = current.get(rec["uscc"])
            if have is None:
                new.append({**DEFAULTS, **rec, "synthetic": synthetic})
                continue
            rec = {**{k: getattr(have, k) for k in KEPT}, **rec}
            if have.tracked() != tuple(rec[k] for k in TRACKED):
                changes.append(
                    (
                        have.id,
                        {
                            **{k: v for k, v in rec.items() if k != "uscc"},
                            "synthetic": have.synthetic or synthetic,
                        },
                    )
                )
            else:
                result.unchanged_rows += 1
        result.added, result.updated = len(new), len(changes)
        if dry_run:
            result.status = "dry_run"
            return
        if not new and not changes:
            result.status = "unchanged"
            return
        seen = upload_with_sha(session, sha, "enterprises")
        staged.append(stage_bytes(db.settings, data, path.suffix))
        upload_id = add_upload(
            session,
            kind="enterprises",
            filename=path.name,
            sha256=sha,
            size_bytes=len(data),
            archive_path=str(staged[0].final),
            rows=len(parsed),
            actor=actor,
            synthetic=synthetic,
        )
        add_enterprises(session, new, upload_id)
        update_enterprises(session, changes, upload_id)
        audit.record(
            session,
            actor,
            "registry.imported",
            "upload",
            upload_id,
            file=path.name,
            added=len(new),
            updated=len(changes),
            reimport_of=seen,
            synthetic=synthetic,
        )
        result.status = "stored"


def _parse_row(
    file: str,
    rownum: int,
    row: list[Any],
    pos: dict[str, int],
    header: list[str],
    catalog: Catalog,
    errors: list[Issue],
) -> dict[str, Any] | None:
    def cell(code: str) -> Any:
        i = pos.get(code)
        return row[i] if i is not None and i < len(row) else None

    def col(code: str) -> str:
        return header[pos[code]] if code in pos else code

    before = len(errors)
    uscc = str(cell("uscc") or "").strip().upper()
    problem = uscc_problem(uscc)
    if problem:
        errors.append(
            _err(file, rownum, col("uscc"), uscc, "uscc", Message("intake.registry_uscc", value=uscc))
        )
    name = str(cell("name") or "").strip()
    if not name:
        errors.append(_err(file, rownum, col("name"), "", "required", Message("intake.registry_name")))
    region_raw = cell("region_code")
    region = str(int(region_raw)) if isinstance(region_raw, (int, float)) else str(region_raw or "").strip()
    path = None
    try:
        path = catalog.resolve_region(region)
    except KeyError:
        errors.append(
            _err(
                file,
                rownum,
                col("region_code"),
                region,
                "region",
                Message("intake.registry_region", value=region),
            )
        )
    sector = _sector_code(str(cell("sector") or ""), catalog)
    if sector is None:
        errors.append(
            _err(
                file,
                rownum,
                col("sector"),
                cell("sector"),
                "sector",
                Message(
                    "intake.registry_sector",
                    value=cell("sector"),
                    names=Label(
                        "、".join(s.name_zh for s in catalog.sectors.values()),
                        ", ".join(s.name_en for s in catalog.sectors.values()),
                    ),
                    codes=", ".join(catalog.sectors),
                ),
            )
        )
    dates: dict[str, date | None] = {}
    for code in ("founded", "closed"):
        try:
            dates[code] = parse_date(cell(code))
        except (ValueError, TypeError):
            errors.append(
                _err(
                    file,
                    rownum,
                    col(code),
                    cell(code),
                    "date",
                    Message("intake.registry_date", value=cell(code)),
                )
            )
    founded, closed = dates.get("founded"), dates.get("closed")
    if founded and closed and closed < founded:
        errors.append(
            _err(file, rownum, col("closed"), cell("closed"), "date", Message("intake.registry_closed"))
        )
    scope = scope_columns(file, rownum, cell, col, pos, errors)
    if len(errors) > before or path is None or sector is None:
        return None
    return {
        "uscc": uscc,
        "name": name,
        "region_code": region,
        "province_code": path.province,
        "city_code": path.city,
        "macro_region": path.macro,
        "sector": sector,
        "founded": dates.get("founded"),
        "closed": dates.get("closed"),
        **scope,
    }
