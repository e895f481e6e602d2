"""``sitmon serve``: the HTTP API (uvicorn) on a host and port."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import console, state


def register(app: typer.Typer) -> None:
    """Add ``sitmon serve``."""

    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    ) -> None:
        """Serve the web pages under / and the HTTP API under /api/v1 (OpenAPI: /api/v1/openapi.json)."""
        import uvicorn

        from ..disseminate.api import create_app
        from ..store.secrets import secret_key

        st = state(ctx)
        st.db.dispose()  # the schema is upgraded; the app opens its own connections
        settings = st.settings.model_copy(update={"secret_key": secret_key(st.settings)})
        console.print(
            st.text("cli.serving_public" if settings.public_read else "cli.serving", host=host, port=port),
            highlight=False,
        )
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="warning", proxy_headers=False
        )  # X-Forwarded-For is believed only from trusted_proxies (api/edge.py)
