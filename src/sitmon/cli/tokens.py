"""``sitmon tokens create|list|revoke``: API tokens (shown once, stored as hashes; audited)."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import FormatOpt, OutputFormat, console, emit, fail, state

tokens_app = typer.Typer(no_args_is_help=True)


@tokens_app.command("create")
def create(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option("--name")] = "api",
    expires_days: Annotated[int | None, typer.Option("--expires-days", min=1)] = None,
) -> None:
    """Create a token; it is printed once and only its hash is stored."""
    from ..domain import Refusal
    from ..security.tokens import create_token

    st = state(ctx)
    try:
        new = create_token(st.db, username, name, expires_days)
    except Refusal as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(
        st.text("cli_tokens.created", id=new.info.id, username=username, name=name), highlight=False
    )
    typer.echo(new.token)


@tokens_app.command("list")
def list_(
    ctx: typer.Context,
    username: Annotated[str | None, typer.Argument()] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List tokens (never the tokens themselves)."""
    from ..security.tokens import list_tokens

    st = state(ctx)
    rows = [
        {
            "id": t.id,
            "username": t.username,
            "name": t.name,
            "prefix": t.prefix + "…",
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "revoked_at": t.revoked_at,
        }
        for t in list_tokens(st.db, username)
    ]
    emit(
        rows,
        ["id", "username", "name", "prefix", "created_at", "expires_at", "revoked_at"],
        fmt,
        lang=st.lang,
        title=st.text("cli_tokens.title"),
        headers={"name": st.text("cli_tokens.name")},
    )


@tokens_app.command("revoke")
def revoke(ctx: typer.Context, token_id: Annotated[int, typer.Argument()]) -> None:
    """Revoke a token at once."""
    from ..domain import Refusal
    from ..security.tokens import revoke_token

    st = state(ctx)
    try:
        info = revoke_token(st.db, token_id)
    except Refusal as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(
        st.text("cli_tokens.revoked", id=info.id, username=info.username, name=info.name), highlight=False
    )


def register(app: typer.Typer) -> None:
    """Add the ``sitmon tokens`` group."""
    app.add_typer(tokens_app, name="tokens")
