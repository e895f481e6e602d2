"""``sitmon review queue|show|accept|return|late|rates`` — every review action of the API, from the command line —
and ``sitmon reports accept`` (bulk acceptance of a period, kept under its old name).

The commands act as the operator with national scope (``--region`` narrows: a province code or east, central,
west, northeast) and are audited as ``cli``. Every listing can be written for sending with ``--out FILE.xlsx``
(or ``.csv``, ``.json``, ``.parquet``; ``--encoding gbk`` for CSV) through the writers registry, as tables are.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from .common import (
    FormatOpt,
    FormOpt,
    OptionalPeriodOpt,
    OutputFormat,
    PeriodOpt,
    PeriodsOpt,
    console,
    emit,
    err_console,
    fail,
    state,
    write_out,
)
from .reports import reports_app

if TYPE_CHECKING:
    from ..disseminate.round_files import Listing
    from ..security import Principal
    from .common import State

review_app = typer.Typer(no_args_is_help=True)
RegionOpt = Annotated[str | None, typer.Option("--region", "--province")]
OutOpt = Annotated[Path | None, typer.Option("--out")]
EncodingOpt = Annotated[str | None, typer.Option("--encoding")]


def _operator() -> Principal:
    from ..security import Principal, Role

    return Principal(username="cli", role=Role.admin, via="cli")


def _form(form: str | None, period: str | None) -> str:
    from ..domain import Period

    return form or (Period.parse(period).form if period else "monthly")


def _show(
    st: State, listing: Listing, fmt: OutputFormat, out: Path | None, encoding: str | None = None
) -> None:
    """The listing on the console (table, CSV or JSON), or written to ``out`` by its extension through the writers
    registry (.xlsx .csv .json .parquet; CSV in ``encoding``)."""
    if out is not None:
        write_out(st, listing.document(), out, encoding)
        return
    emit(
        listing.shown() if fmt is OutputFormat.table else listing.rows,
        listing.keys,
        fmt,
        lang=st.lang,
        title=listing.say(listing.title),
        headers=dict(zip(listing.keys, listing.headers, strict=True)),
    )
    if fmt is OutputFormat.table:
        for note in listing.notes:
            console.print(escape(listing.say(note)), highlight=False)


def _provinces(st: State, region: str | None) -> list[str] | None:
    from ..process.review import ReviewError, provinces_of

    try:
        return provinces_of(region)
    except ReviewError as exc:
        raise fail(escape(exc.message.render(st.lang)), 2) from exc


@review_app.command("queue")
def queue(
    ctx: typer.Context,
    period: OptionalPeriodOpt = None,
    region: RegionOpt = None,
    form: FormOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000)] = 10_000,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Reports waiting for review, those with warnings first."""
    from ..disseminate.round_listings import queue_listing
    from ..process.filings import review_queue

    st = state(ctx)
    page = review_queue(
        st.db,
        _operator(),
        form=_form(form, period),
        period=period,
        limit=limit,
        provinces=_provinces(st, region),
    )
    _show(st, queue_listing(page.items, st.lang, period), fmt, out, encoding)


def _report_id(st: State, report: str, period: str | None, form: str | None) -> int:
    """A report id as given, or the current revision of ``USCC`` for ``--period``."""
    if report.isdigit() and len(report) < 18:  # a USCC has 18 characters and may be all digits
        return int(report)
    from ..process.filings import list_reports

    if not period:
        raise fail(escape(st.text("review.no_report", uscc=report, period="—")), 1)
    page = list_reports(
        st.db, _operator(), form=_form(form, period), period=period, uscc=report.upper(), limit=1
    )
    if not page.items:
        raise fail(escape(st.text("review.no_report", uscc=report, period=period)), 1)
    return page.items[0].id


@review_app.command("show")
def show(
    ctx: typer.Context,
    report: Annotated[str, typer.Argument()],
    period: OptionalPeriodOpt = None,
    form: FormOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """One report against last month and the same period last year."""
    from ..disseminate.round_listings import comparison_listing
    from ..domain import NotFound
    from ..process.compare import compare_report

    st = state(ctx)
    rid = _report_id(st, report, period, form)
    try:
        comparison = compare_report(st.db, _operator(), rid)
    except NotFound as exc:
        raise fail(escape(exc.message.render(st.lang)), 1) from exc
    _show(st, comparison_listing(comparison, st.lang), fmt, out, encoding)


@review_app.command("accept")
def accept(
    ctx: typer.Context,
    reports: Annotated[list[str] | None, typer.Argument()] = None,
    period: OptionalPeriodOpt = None,
    region: RegionOpt = None,
    form: FormOpt = None,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    out: OutOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Accept reports one by one (ids, or codes with --period), or a whole period in bulk (only --period).

    Bulk acceptance skips, and lists, the reports whose warnings the enterprise has not explained; accept one of
    those on its own with --reason (audited).
    """
    st = state(ctx)
    if not reports and not period:
        raise fail(escape(st.text("review.ids_or_period")), 2)
    if not reports:
        _bulk(st, period or "", region, form, out, encoding)
        return
    from ..domain import Conflict, NotFound
    from ..process.review import review_report

    failed = False
    for r in reports or []:
        try:
            view = review_report(st.db, _operator(), _report_id(st, r, period, form), "accept", reason)
        except (Conflict, NotFound) as exc:
            err_console.print(
                f"[red]{escape(r)}: {escape(exc.message.render(st.lang))}[/red]", highlight=False
            )
            failed = True
            continue
        key = (
            "review.accepted_with_reason"
            if view.reviews and view.reviews[-1].reason
            else "review.accepted_one"
        )
        console.print(
            escape(
                st.text(key, report_id=view.id, uscc=view.uscc, period=view.period, revision=view.revision)
            ),
            highlight=False,
        )
    if failed:
        raise typer.Exit(1)


def _bulk(
    st: State,
    period: str,
    region: str | None,
    form: str | None,
    out: Path | None,
    encoding: str | None = None,
) -> None:
    from ..disseminate.round_listings import skipped_listing
    from ..process.review import ReviewError, accept_period

    try:
        done = accept_period(st.db, period, form=form, region=region)
    except ReviewError as exc:
        raise fail(escape(exc.message.render(st.lang)), 2) from exc
    console.print(
        escape(st.text("review.bulk_accepted", period=period, accepted=f"{done.accepted:,}")), highlight=False
    )
    if done.skipped:
        console.print(
            f"[yellow]{escape(st.text('review.bulk_skipped', skipped=len(done.skipped)))}[/yellow]",
            highlight=False,
        )
        _show(st, skipped_listing(done.skipped, st.lang, period), OutputFormat.table, out, encoding)


@review_app.command("return")
def return_(
    ctx: typer.Context,
    report: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option("--reason")],
    period: OptionalPeriodOpt = None,
    form: FormOpt = None,
) -> None:
    """Return one report to its filer with a reason."""
    from ..domain import Conflict, NotFound
    from ..process.review import review_report

    st = state(ctx)
    try:
        view = review_report(st.db, _operator(), _report_id(st, report, period, form), "return", reason)
    except (Conflict, NotFound) as exc:
        raise fail(escape(exc.message.render(st.lang)), 1) from exc
    console.print(
        escape(
            st.text(
                "review.returned_one",
                report_id=view.id,
                uscc=view.uscc,
                period=view.period,
                revision=view.revision,
                reason=view.return_reason,
            )
        ),
        highlight=False,
    )


@review_app.command("late")
def late(
    ctx: typer.Context,
    period: PeriodOpt,
    region: RegionOpt = None,
    form: FormOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Enterprises to chase for a period (late, missing, returned and not filed again), with their contacts."""
    from ..disseminate.round_listings import late_listing
    from ..process.monitoring import late_filers

    st = state(ctx)
    provinces = _provinces(st, region)
    rows = late_filers(st.db, _operator(), form=_form(form, period), period=period)
    if provinces is not None:
        rows = [r for r in rows if r.province in provinces]
    _show(st, late_listing(rows, st.lang, period), fmt, out, encoding)


@review_app.command("rates")
def rates(
    ctx: typer.Context,
    period: PeriodsOpt,
    region: RegionOpt = None,
    form: FormOpt = None,
    by_sector: Annotated[bool, typer.Option("--by-sector")] = False,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Response rates by province (and sector)."""
    from ..disseminate.round_listings import rates_listing
    from ..process.monitoring import response_rates

    st = state(ctx)
    provinces = _provinces(st, region)
    periods = list(dict.fromkeys(period))
    rows = response_rates(
        st.db, _operator(), form=_form(form, periods[0]), periods=periods, by_sector=by_sector
    )
    if provinces is not None:
        rows = [r for r in rows if r.province in provinces]
    _show(st, rates_listing(rows, st.lang, periods, by_sector), fmt, out, encoding)


@reports_app.command("accept")
def reports_accept(
    ctx: typer.Context,
    period: PeriodOpt,
    region: RegionOpt = None,
    form: FormOpt = None,
    out: OutOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Accept a period's submitted reports in bulk, skipping those with unexplained warnings (= sitmon review
    accept --period)."""
    _bulk(state(ctx), period, region, form, out, encoding)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
