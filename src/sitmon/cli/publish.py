"""``sitmon publish`` and ``sitmon releases list``: closing a period into an immutable release."""

from __future__ import annotations

from typing import Annotated

import typer

from ..domain.messages import Message
from .common import FormatOpt, FormOpt, OutputFormat, PeriodsOpt, console, emit, fail, state

releases_app = typer.Typer(help="数据版本 Releases", no_args_is_help=True)


@releases_app.command("list")
def list_(ctx: typer.Context, form: Annotated[str | None, typer.Option("--form", help="monthly | annual")] = None,
          fmt: FormatOpt = OutputFormat.table) -> None:
    """列出已发布的数据版本 List published releases."""
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
    emit(rows, cols if fmt is OutputFormat.table else [*cols, "checksum"], fmt, title=st.t("数据版本", "Releases"),
         headers=[st.t(zh, en) for zh, en in (("报表", "form"), ("报告期", "period"), ("版本", "release"),
                                               ("发布时间", "created"), ("报送", "respondents"), ("推算", "imputed"),
                                               ("应报", "expected"), ("报送率%", "response %"), ("合成", "synthetic"))]
         if fmt is OutputFormat.table else None)


def register(app: typer.Typer) -> None:
    app.add_typer(releases_app, name="releases")

    @app.command("publish")
    def publish(
        ctx: typer.Context,
        period: PeriodsOpt,
        form: FormOpt = None,
    ) -> None:
        """关闭报告期并发布数据版本 Close periods and publish immutable releases (N+1 keeps N)."""
        from rich.progress import Progress

        from ..process.publish import PublishError
        from ..process.publish import publish as publish_period

        st = state(ctx)
        done = []
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(st.t("发布", "publishing"), total=len(period))
            step = bar.add_task(st.t("统计披露控制", "disclosure control"), total=None)

            def progress(i: int, total: int, what: str) -> None:
                bar.update(step, completed=i, total=total,
                           description=Message("disclosure.computing", done=i, total=total, what=what).render(st.lang))

            for p in sorted(period):
                try:
                    done.append(publish_period(st.db, p, form, on_progress=progress))
                except PublishError as exc:
                    zh, _, en = str(exc).partition(" / ")
                    raise fail(st.t(zh, en), 2) from exc
                bar.advance(task)
        for r in done:
            console.print(st.t(
                f"{r.form} {r.period} 第 {r.number} 版：报送 {r.respondents:,}，推算 {r.imputed:,}，应报 {r.expected:,}，"
                f"报送率 {r.response_rate_pct}%{'（合成数据）' if r.synthetic else ''}，校验和 {r.checksum[:16]}…",
                f"{r.form} {r.period} release {r.number}: respondents {r.respondents:,}, imputed {r.imputed:,}, "
                f"expected {r.expected:,}, response {r.response_rate_pct}%{' (SYNTHETIC)' if r.synthetic else ''}, "
                f"checksum {r.checksum[:16]}…"))
