"""``sitmon review queue|late``: the reports waiting for review and the enterprises late to file, on the console
or written to a file (.csv .xlsx .json .parquet), as the operator with national scope (``--province`` narrows)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import OutputFormat, emit, fail, state, write_out

review_app = typer.Typer(no_args_is_help=True)


def _operator():  # type: ignore[no-untyped-def]
    from ..security import Principal, Role

    return Principal(username="cli", role=Role.admin, via="cli")


@review_app.command("queue")
def queue(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Option("--period")] = None,
    province: Annotated[str | None, typer.Option("--province")] = None,
    form: Annotated[str, typer.Option("--form")] = "monthly",
    limit: Annotated[int, typer.Option("--limit", min=1, max=100000)] = 10000,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """Submitted reports waiting for review, those with warnings first."""
    from ..disseminate.listings import queue_document
    from ..process.filings import review_queue

    st = state(ctx)
    page = review_queue(st.db, _operator(), form=form, period=period, province=province, limit=limit)
    _show(st, queue_document(page.items, st.lang, period), fmt, out, encoding)


@review_app.command("late")
def late(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period")],
    province: Annotated[str | None, typer.Option("--province")] = None,
    form: Annotated[str | None, typer.Option("--form")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """Enterprises expected to file the period that have not, with the last period filed."""
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
    emit(doc.rows, [c.key for c in doc.columns], fmt, lang=st.lang, title=doc.text(doc.title),
         headers={c.key: doc.header(c) for c in doc.columns})


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
