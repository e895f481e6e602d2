"""``sitmon init``: create or upgrade the operational store."""

from __future__ import annotations

import typer

from .common import console, state


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init(ctx: typer.Context) -> None:
        """Create or upgrade the operational store (idempotent)."""
        st = state(ctx)
        rev = st.db.current_revision()
        st.settings.home.mkdir(parents=True, exist_ok=True)
        console.print(
            st.text("cli.init", home=str(st.settings.home.resolve()), revision=rev), highlight=False
        )
