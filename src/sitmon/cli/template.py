"""``sitmon template``: a bilingual fill-in template of a report form."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import console, fail, state


def register(app: typer.Typer) -> None:
    @app.command("template")
    def template(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("--out", help="输出文件 output file")],
        form: Annotated[str, typer.Option("--form", help="monthly | annual")] = "monthly",
        fmt: Annotated[str, typer.Option("--format", help="csv | xlsx")] = "xlsx",
    ) -> None:
        """生成填报模板（中英文表头） Write a bilingual fill-in template."""
        from ..collect.templates import template_csv, template_xlsx

        st = state(ctx)
        if form not in ("monthly", "annual") or fmt not in ("csv", "xlsx"):
            raise fail(st.t("--form 取 monthly 或 annual，--format 取 csv 或 xlsx",
                            "--form is monthly or annual, --format is csv or xlsx"), 2)
        out.write_bytes(template_csv(form) if fmt == "csv" else template_xlsx(form))
        console.print(st.t(f"已写出模板 {out}", f"template written to {out}"))
