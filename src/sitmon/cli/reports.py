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
    column_header,
    console,
    emit,
    existing_files,
    state,
    write_out,
)

reports_app = typer.Typer(no_args_is_help=True)
MAX_LINES = 60


@reports_app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument()],
    form: FormOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    fmt: Annotated[str, typer.Option("--format")] = "text",
    errors_out: Annotated[Path | None, typer.Option("--errors-out")] = None,
) -> None:
    """Import reports: validate, archive, store revisions; each file is one transaction (exit code 1 when a file
    is rejected). CSV (UTF-8 or GBK; comma, semicolon or tab), XLSX or old Excel XLS; columns that are not
    indicators (the enterprise's name, a contact ...) are ignored with a notice."""
    from ..collect.intake import import_file, summarise

    st = state(ctx)
    paths = existing_files(st, files)
    results = []
    with Progress(console=console, transient=True, disable=fmt == "json") as bar:
        task = bar.add_task(st.text("cli_reports.importing"), total=len(paths))
        for p in paths:
            bar.update(task, description=escape(p.name))
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
        console.print(
            st.text("cli_reports.summary", **{k: f"{v:,}" for k, v in tot.items()}), highlight=False
        )
    if any(r.status == "rejected" for r in results):
        raise typer.Exit(1)


def _print_text(st, results) -> None:  # type: ignore[no-untyped-def]
    from ..disseminate.round_listings import SEVERITY_ORDER

    shown = 0
    for r in results:
        console.print(
            f"[bold]{escape(r.file)}[/bold]: "
            + escape(
                st.text(
                    "cli_reports.file_line",
                    status=st.term("import", r.status),
                    rows=r.rows,
                    new=r.new_reports,
                    revised=r.new_revisions,
                    unchanged=r.unchanged_rows,
                )
            ),
            highlight=False,
            markup=True,
        )
        row = None  # the problems of a file are listed by row: a heading per row, errors first
        for issue in sorted(
            [*r.errors, *r.warnings, *r.notices],
            key=lambda i: (i.row, SEVERITY_ORDER.get(i.severity, 3), i.column),
        ):
            if shown >= MAX_LINES:
                break
            if issue.row != row:
                row = issue.row
                console.print(
                    f"  [bold]{escape(st.text('intake_files.errors_heading', row=row))}[/bold]",
                    highlight=False,
                )
            print_issue(st, issue)
            shown += 1
    rest = sum(len(r.errors) + len(r.warnings) + len(r.notices) for r in results) - shown
    if rest > 0:
        console.print(st.text("cli_reports.more", n=rest), highlight=False)


def print_issue(st, issue) -> None:  # type: ignore[no-untyped-def]
    """One error, warning or notice of a received file, under its row's heading: column, value, the message in the
    user's language, rule."""
    colour = {"error": "red", "warning": "yellow", "notice": "cyan"}.get(issue.severity, "white")
    console.print(
        f"    [{colour}]{escape(st.term('severity', issue.severity))}[/{colour}] "
        + escape(
            st.text(
                "cli_reports.issue",
                column=issue.column,
                value=issue.value,
                message=issue.msg,
                rule=issue.rule,
            )
        ),
        highlight=False,
        markup=True,
    )


@reports_app.command("list")
def list_(
    ctx: typer.Context,
    period: OptionalPeriodOpt = None,
    uscc: Annotated[str | None, typer.Option("--uscc")] = None,
    status: Annotated[str | None, typer.Option("--status")] = None,
    form: Annotated[str, typer.Option("--form")] = "monthly",
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """List the current revision of each report."""
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
    rows = [
        {
            "uscc": r.uscc,
            "period": r.period,
            "revision": r.revision,
            "status": r.status,
            "revenue_total": r.values.get("revenue_total"),
            "warnings": len(r.warnings),
            "note": r.note,
            "filed_at": r.created_at,
        }
        for r in reps
    ]
    cols = ["uscc", "period", "revision", "status", "revenue_total", "warnings", "note", "filed_at"]
    if out is not None:
        from ..disseminate.layout import both, listing_document

        doc = listing_document(
            both("listings.title_reports"),
            rows,
            cols,
            st.lang,
            notes=[both("listings.note_confidential_list")],
            name=f"sitmon-reports-{form}-{period or 'all'}",
        )
        write_out(st, doc, out, encoding)
        return
    if fmt is OutputFormat.table and len(rows) > 200:
        console.print(st.text("cli_reports.first_200", n=f"{len(rows):,}"), highlight=False)
        rows = rows[:200]
    emit(rows, cols, fmt, lang=st.lang, title=st.text("cli_reports.list_title"), terms={"status": "status"})


@reports_app.command("history")
def history(
    ctx: typer.Context,
    uscc: str,
    period: Annotated[str, typer.Argument(callback=check_periods)],
    form: FormOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Every revision of one report, with warnings and review events."""
    from ..store.enterprises import uscc_ids
    from ..store.reports import review_events, revisions

    st = state(ctx)
    form = form or form_of(period)
    with st.db.session() as s:
        hit = uscc_ids(s).get(uscc.upper())
        revs = revisions(s, hit[0], form, period) if hit else []
        events = review_events(s, [r.id for r in revs])
    if not revs:
        console.print(st.text("cli_reports.no_report", uscc=uscc, period=period), highlight=False)
        raise typer.Exit(1)
    if fmt is not OutputFormat.table:
        rows = [
            {
                "revision": r.revision,
                "filed_at": r.created_at,
                "filed_by": r.created_by,
                **r.values,
                "note": r.note,
                "warnings": "; ".join(
                    w["rule"] + ("(explained)" if w.get("explained") else "") for w in r.warnings
                ),
                "review": "; ".join(
                    f"{e.action} by {e.actor}" + (f": {e.reason}" if e.reason else "")
                    for e in events
                    if e.report_id == r.id
                ),
            }
            for r in revs
        ]
        emit(rows, list(rows[0]), fmt, lang=st.lang)
        return
    _print_history(st, uscc, period, revs, events)


def _print_history(st, uscc: str, period: str, revs, events) -> None:  # type: ignore[no-untyped-def]
    """One column per revision (reads best for a handful), one row per field, in the user's language."""
    from ..catalog import load_catalog

    cat = load_catalog()
    said: dict[int, list[str]] = {}
    for e in events:
        said.setdefault(e.report_id, []).append(
            st.text(
                "cli_reports.review_reason" if e.reason else "cli_reports.review",
                action=st.term("review", e.action),
                actor=st.term("actor", e.actor),
                reason=e.reason or "",
            )
        )
    rows = [
        {
            "filed_at": r.created_at,
            "filed_by": st.term("actor", r.created_by),
            **r.values,
            "note": r.note,
            "warnings": st.text("cli_reports.list_sep").join(
                st.text(
                    "cli_reports.explained" if w.get("explained") else "cli_reports.unexplained",
                    rule=w["rule"],
                )
                for w in r.warnings
            ),
            "review": st.text("cli_reports.list_sep").join(said.get(r.id, [])),
        }
        for r in revs
    ]
    cols = [f"r{r.revision}" for r in revs]
    pivot = [
        {
            "field": cat.indicators[k].name(st.lang) if k in cat.indicators else column_header(k, st.lang),
            **{col: row.get(k) for col, row in zip(cols, rows, strict=True)},
        }
        for k in rows[0]
    ]
    emit(
        pivot,
        ["field", *cols],
        OutputFormat.table,
        lang=st.lang,
        title=f"{uscc} {period}",
        headers={
            col: st.text("cli_reports.revision_n", n=r.revision) for col, r in zip(cols, revs, strict=True)
        },
    )


def register(app: typer.Typer) -> None:
    app.add_typer(reports_app, name="reports")
