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
        out: Annotated[Path, typer.Option("--out")],
        form: Annotated[str, typer.Option("--form")] = "monthly",
        fmt: Annotated[str, typer.Option("--format")] = "xlsx",
    ) -> None:
        """Write a bilingual fill-in template."""
        from ..collect.templates import template_csv, template_xlsx

        st = state(ctx)
        if form not in ("monthly", "annual") or fmt not in ("csv", "xlsx"):
            raise fail(st.text("cli.template_options"), 2)
        out.write_bytes(template_csv(form) if fmt == "csv" else template_xlsx(form))
        console.print(st.text("cli.template_written", path=str(out)), highlight=False)
