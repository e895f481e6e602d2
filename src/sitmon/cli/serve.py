"""``sitmon serve``: the HTTP API (uvicorn) on a host and port."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .common import console, state


def _export(settings) -> None:  # type: ignore[no-untyped-def]
    """Put the settings in the environment, where the worker processes of ``--workers N`` read them."""
    for name, value in settings.model_dump().items():
        if value is not None:
            os.environ[f"SITMON_{name.upper()}"] = str(value)


def register(app: typer.Typer) -> None:
    """Add ``sitmon serve``."""
    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: Annotated[str, typer.Option("--host", help="监听地址 address to bind")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口 port")] = 8000,
        workers: Annotated[int, typer.Option("--workers", min=1, help="进程数 worker processes")] = 1,
    ) -> None:
        """启动 HTTP 接口 Serve the HTTP API under /api/v1 (OpenAPI: /api/v1/openapi.json)."""
        import uvicorn

        from ..store.secrets import secret_key

        st = state(ctx)
        st.db.dispose()  # upgraded the schema; each worker opens its own connections
        settings = st.settings.model_copy(update={"secret_key": secret_key(st.settings)})
        console.print(st.t(f"sitmon 接口：http://{host}:{port}/api/v1/（公开读取 {'开' if settings.public_read else '关'}）",
                           f"sitmon API: http://{host}:{port}/api/v1/ (public read {'on' if settings.public_read else 'off'})"),
                      highlight=False)
        if workers == 1:
            from ..disseminate.api import create_app

            uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
            return
        _export(settings)
        uvicorn.run("sitmon.disseminate.api:app_from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level="warning")
