"""``sitmon reports accept``: bulk acceptance of submitted reports of a period."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import FormOpt, PeriodOpt, console, fail, state
from .reports import reports_app


@reports_app.command("accept")
def accept(
    ctx: typer.Context,
    period: PeriodOpt,
    region: Annotated[str | None, typer.Option("--region")] = None,
    form: FormOpt = None,
) -> None:
    """Accept every submitted report of a period (audited)."""
    from ..process.review import ReviewError, accept_period

    st = state(ctx)
    try:
        n = accept_period(st.db, period, form=form, region=region)
    except ReviewError as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(st.text("cli_reports.accepted", period=period, n=f"{n:,}"), highlight=False)


def register(app: typer.Typer) -> None:
    """The command is attached to the ``reports`` group at import."""
