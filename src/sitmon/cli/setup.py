"""``sitmon init``: create or upgrade the operational store."""

from __future__ import annotations

import typer

from .common import console, state


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init(ctx: typer.Context) -> None:
        """创建或升级运营数据库 Create or upgrade the operational store (idempotent)."""
        st = state(ctx)
        rev = st.db.current_revision()
        st.settings.home.mkdir(parents=True, exist_ok=True)
        console.print(
            st.t(f"数据目录 {st.settings.home.resolve()}，数据库版本 {rev}", f"data directory {st.settings.home.resolve()}, schema revision {rev}")
        )
