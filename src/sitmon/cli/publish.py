"""``sitmon publish`` and ``sitmon releases list``: closing a period into an immutable release."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import FormatOpt, FormOpt, OutputFormat, PeriodsOpt, console, emit, fail, state

releases_app = typer.Typer(no_args_is_help=True)


@releases_app.command("list")
def list_(ctx: typer.Context, form: Annotated[str | None, typer.Option("--form")] = None,
          fmt: FormatOpt = OutputFormat.table) -> None:
    """List published releases."""
    from ..store.releases import list_releases

    st = state(ctx)
    with st.db.session() as s:
        rows = [{"form": r.form, "period": r.period, "release": r.number,
                 "created_at": r.created_at.strftime("%Y-%m-%d %H:%M"),
                 "respondents": r.respondents, "imputed": r.imputed, "expected": r.enterprises,
                 "response_rate_pct": r.response_rate, "synthetic": r.synthetic, "checksum": r.checksum[:16]}
                for r in list_releases(s, form)]
    cols = ["form", "period", "release", "created_at", "respondents", "imputed", "expected", "response_rate_pct",
            "synthetic"]
    emit(rows, cols if fmt is OutputFormat.table else [*cols, "checksum"], fmt, lang=st.lang,
         title=st.text("cli_publish.releases_title"), terms={"form": "form"},
         headers={"created_at": st.text("cli_publish.created_at")})


def register(app: typer.Typer) -> None:
    app.add_typer(releases_app, name="releases")

    @app.command("publish")
    def publish(
        ctx: typer.Context,
        period: PeriodsOpt,
        form: FormOpt = None,
    ) -> None:
        """Close periods and publish immutable releases (N+1 keeps N)."""
        from rich.progress import Progress

        from ..process.publish import PublishError
        from ..process.publish import publish as publish_period

        st = state(ctx)
        done = []
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(st.text("cli_publish.publishing"), total=len(period))
            for p in sorted(period):
                try:
                    done.append(publish_period(st.db, p, form))
                except PublishError as exc:
                    raise fail(exc.render(st.lang), 2) from exc
                bar.advance(task)
        for r in done:
            console.print(st.text("cli_publish.published_synthetic" if r.synthetic else "cli_publish.published",
                                  form=st.term("form", r.form), period=r.period, number=r.number,
                                  respondents=f"{r.respondents:,}", imputed=f"{r.imputed:,}", expected=f"{r.expected:,}",
                                  rate=r.response_rate_pct, checksum=r.checksum[:16]), highlight=False)
