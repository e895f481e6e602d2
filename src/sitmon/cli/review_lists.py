"""``sitmon review queue|late``: the reports waiting for review and the enterprises late to file, on the console
or written to a file (.csv .xlsx .json .parquet), as the operator with national scope (``--province`` narrows)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import OutputFormat, emit, fail, state, write_out

review_app = typer.Typer(help="审核 Review: the queue and late filers", no_args_is_help=True)


def _operator():  # type: ignore[no-untyped-def]
    from ..security import Principal, Role

    return Principal(username="cli", role=Role.admin, via="cli")


@review_app.command("queue")
def queue(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Option("--period", help="报告期 YYYY-MM / YYYY")] = None,
    province: Annotated[str | None, typer.Option("--province", help="省级代码 e.g. 330000")] = None,
    form: Annotated[str, typer.Option("--form", help="monthly | annual")] = "monthly",
    limit: Annotated[int, typer.Option("--limit", min=1, max=100000)] = 10000,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="写入文件 .csv .xlsx .json .parquet")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="CSV: utf-8 | gbk")] = None,
) -> None:
    """待审核报表（有提示的在前）Submitted reports waiting for review, those with warnings first."""
    from ..disseminate.listings import queue_document
    from ..process.filings import review_queue

    st = state(ctx)
    page = review_queue(st.db, _operator(), form=form, period=period, province=province, limit=limit)
    _show(st, queue_document(page.items, st.lang, period), fmt, out, encoding)


@review_app.command("late")
def late(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="报告期 YYYY-MM / YYYY")],
    province: Annotated[str | None, typer.Option("--province", help="省级代码 e.g. 330000")] = None,
    form: Annotated[str | None, typer.Option("--form", help="monthly | annual（默认按报告期）")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="写入文件 .csv .xlsx .json .parquet")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="CSV: utf-8 | gbk")] = None,
) -> None:
    """迟报、未报企业（催报）Enterprises expected to file the period that have not, with the last period filed."""
    from ..disseminate.listings import late_document
    from ..domain import Period, PeriodError
    from ..process.monitoring import late_filers

    st = state(ctx)
    try:
        p = Period.parse(period)
    except PeriodError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    rows = late_filers(st.db, _operator(), form=form or p.form, period=str(p), province=province)
    _show(st, late_document(rows, st.lang, str(p)), fmt, out, encoding)


def _show(st, doc, fmt, out, encoding) -> None:  # type: ignore[no-untyped-def]
    if out is not None:
        write_out(st, doc, out, encoding)
        return
    emit(doc.rows, [c.key for c in doc.columns], fmt, title=doc.text(doc.title))


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
