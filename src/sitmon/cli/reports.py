"""``sitmon reports import|list|history``: filing, listing and revision history of reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress

from ..domain import Period, form_of, jsontext
from .common import (
    FormatOpt,
    FormOpt,
    OptionalPeriodOpt,
    OutputFormat,
    check_periods,
    console,
    emit,
    existing_files,
    state,
    write_out,
)

reports_app = typer.Typer(help="报表 Reports: import, list, history", no_args_is_help=True)
MAX_LINES = 60


@reports_app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="CSV（UTF-8/BOM/GBK）或 XLSX 文件 files")],
    form: FormOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只校验不写入 validate only")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    errors_out: Annotated[Path | None, typer.Option(
        "--errors-out", help="问题清单写入文件（按行，.xlsx .csv .json .parquet），可发回企业 problems by row, for sending back")] = None,
) -> None:
    """导入报表：校验、存档、生成修订版本 Import reports: validate, archive, store revisions.

    Each file is one transaction: a file with any hard error is rejected whole (exit code 1). CSV (UTF-8 or GBK;
    comma, semicolon or tab), XLSX or old Excel XLS; columns that are not indicators (企业名称, 联系人 ...) are
    ignored with a notice.
    """
    from ..collect.intake import import_file, summarise

    st = state(ctx)
    paths = existing_files(files)
    results = []
    with Progress(console=console, transient=True, disable=fmt == "json") as bar:
        task = bar.add_task(st.t("导入报表", "importing reports"), total=len(paths))
        for p in paths:
            bar.update(task, description=p.name)
            results.append(import_file(st.db, p, form, dry_run=dry_run))
            bar.advance(task)
    if errors_out is not None:
        from ..disseminate.round_listings import problems_listing
        from .review import _show

        _show(st, problems_listing(results, st.lang), OutputFormat.table, errors_out)
    if fmt == "json":
        sys.stdout.write(jsontext.dumps([r.to_dict() for r in results], indent=2, default=str) + "\n")
    else:
        _print_text(st, results)
        tot = summarise(results)
        console.print(st.t(
            f"文件 {tot['files']}（存储 {tot['stored']}，未变 {tot['unchanged']}，拒绝 {tot['rejected']}，试运行 {tot['dry_run']}）；"
            f"新报表 {tot['new_reports']:,}，新修订 {tot['new_revisions']:,}；错误 {tot['errors']}，提示 {tot['warnings']}",
            f"files {tot['files']} (stored {tot['stored']}, unchanged {tot['unchanged']}, rejected {tot['rejected']}, "
            f"dry run {tot['dry_run']}); new reports {tot['new_reports']:,}, new revisions {tot['new_revisions']:,}; "
            f"errors {tot['errors']}, warnings {tot['warnings']}"))
    if any(r.status == "rejected" for r in results):
        raise typer.Exit(1)


def _print_text(st, results) -> None:  # type: ignore[no-untyped-def]
    from ..disseminate.round_listings import SEVERITY_ORDER
    from ..domain import text

    shown = 0
    colours = {"error": "red", "warning": "yellow", "notice": "cyan"}
    for r in results:
        status = {"stored": st.t("已存储", "stored"), "unchanged": st.t("未变（同一文件已导入）", "unchanged (same file already imported)"),
                  "rejected": st.t("已拒绝，未写入任何数据", "REJECTED, nothing stored"),
                  "dry_run": st.t("试运行，未写入", "dry run, nothing stored")}[r.status]
        console.print(f"[bold]{r.file}[/bold]: {status} — "
                      + st.t(f"{r.rows} 行，新报表 {r.new_reports}，新修订 {r.new_revisions}，未变 {r.unchanged_rows}",
                             f"{r.rows} rows, new {r.new_reports}, revised {r.new_revisions}, unchanged {r.unchanged_rows}"))
        row = None  # the problems of a file are listed by row: a heading per row, errors first
        for issue in sorted([*r.errors, *r.warnings, *r.notices],
                            key=lambda i: (i.row, SEVERITY_ORDER.get(i.severity, 3), i.column)):
            if shown >= MAX_LINES:
                break
            if issue.row != row:
                row = issue.row
                console.print(f"  [bold]{escape(text('intake_files.errors_heading', st.lang, row=row))}[/bold]",
                              highlight=False)
            colour = colours.get(issue.severity, "white")
            label = text(f"review.severity_{issue.severity}", st.lang)
            console.print(f"    [{colour}]{label}[/{colour}] "
                          + escape(f"[{issue.column}] “{issue.value}”: {issue.message(st.lang)} ({issue.rule})"),
                          highlight=False)
            shown += 1
    rest = sum(len(r.errors) + len(r.warnings) + len(r.notices) for r in results) - shown
    if rest > 0:
        console.print(st.t(f"  ……另有 {rest} 条（用 --format json 查看全部）", f"  ... {rest} more (see all with --format json)"))


@reports_app.command("list")
def list_(
    ctx: typer.Context,
    period: OptionalPeriodOpt = None,
    uscc: Annotated[str | None, typer.Option("--uscc")] = None,
    status: Annotated[str | None, typer.Option("--status", help="submitted | accepted | returned")] = None,
    form: Annotated[str, typer.Option("--form", help="monthly | annual")] = "monthly",
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="写入文件 .csv .xlsx .json .parquet")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="CSV: utf-8 | gbk")] = None,
) -> None:
    """列出当前版本的报表 List the current revision of each report."""
    from ..store.enterprises import uscc_ids
    from ..store.reports import current_reports

    st = state(ctx)
    if period and form == "monthly" and Period.parse(period).is_annual:
        form = "annual"
    with st.db.session() as s:
        ids = None
        if uscc:
            hit = uscc_ids(s).get(uscc.upper())
            ids = [hit[0]] if hit else []
        reps = current_reports(s, form, [period] if period else None, status=status, enterprise_ids=ids)
    rows = [{"uscc": r.uscc, "period": r.period, "revision": r.revision, "status": r.status,
             "revenue_total": r.values.get("revenue_total"), "warnings": len(r.warnings), "note": r.note,
             "filed_at": r.created_at} for r in reps]
    cols = ["uscc", "period", "revision", "status", "revenue_total", "warnings", "note", "filed_at"]
    if out is not None:
        from ..disseminate.layout import both, listing_document

        doc = listing_document(both("listings.title_reports"), rows, cols, st.lang,
                               notes=[both("listings.note_confidential_list")],
                               name=f"sitmon-reports-{form}-{period or 'all'}")
        write_out(st, doc, out, encoding)
        return
    if fmt is OutputFormat.table and len(rows) > 200:
        console.print(st.t(f"共 {len(rows):,} 份，显示前 200 份（--format csv 导出全部）",
                           f"{len(rows):,} reports, showing 200 (--format csv exports all)"))
        rows = rows[:200]
    emit(rows, cols, fmt, title=st.t("报表（当前版本）", "Reports (current revisions)"))


@reports_app.command("history")
def history(
    ctx: typer.Context, uscc: str,
    period: Annotated[str, typer.Argument(help="报告期 YYYY-MM / YYYY", callback=check_periods)],
    form: FormOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """一份报表的全部修订版本 Every revision of one report, with warnings and review events."""
    from ..store.enterprises import uscc_ids
    from ..store.reports import review_events, revisions

    st = state(ctx)
    form = form or form_of(period)
    with st.db.session() as s:
        hit = uscc_ids(s).get(uscc.upper())
        revs = revisions(s, hit[0], form, period) if hit else []
        events = review_events(s, [r.id for r in revs])
    if not revs:
        console.print(st.t(f"没有 {uscc} {period} 的报表", f"no report of {uscc} for {period}"))
        raise typer.Exit(1)
    by_rev: dict[int, list[str]] = {}
    for e in events:
        by_rev.setdefault(e.report_id, []).append(f"{e.action} by {e.actor}" + (f": {e.reason}" if e.reason else ""))
    rows = [{"revision": r.revision, "filed_at": r.created_at, "filed_by": r.created_by, **r.values, "note": r.note,
             "warnings": "; ".join(w["rule"] + ("(explained)" if w.get("explained") else "") for w in r.warnings),
             "review": "; ".join(by_rev.get(r.id, []))} for r in revs]
    if fmt is OutputFormat.table:  # one column per revision reads best for a handful of revisions
        keys = list(rows[0])
        pivot = [{"field": k, **{f"r{row['revision']}": row.get(k) for row in rows}} for k in keys if k != "revision"]
        emit(pivot, ["field", *[f"r{row['revision']}" for row in rows]], fmt, title=f"{uscc} {period}")
    else:
        emit(rows, list(rows[0]), fmt)


def register(app: typer.Typer) -> None:
    app.add_typer(reports_app, name="reports")
