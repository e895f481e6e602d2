"""``sitmon users add|list|disable|enable|reset-password``: the people who sign in to the API (audited)."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import FormatOpt, OutputFormat, console, emit, fail, state

users_app = typer.Typer(no_args_is_help=True)


def _password(st, password: str | None) -> str:  # type: ignore[no-untyped-def]
    if password is not None:
        return password
    return str(
        typer.prompt(
            st.text("cli_users.password"),
            hide_input=True,
            confirmation_prompt=st.text("cli_users.password_again"),
        )
    )


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option("--role")],
    scope: Annotated[str | None, typer.Option("--scope")] = None,
    name: Annotated[str | None, typer.Option("--name")] = None,
    password: Annotated[
        str | None, typer.Option("--password", envvar="SITMON_NEW_PASSWORD", hidden=True)
    ] = None,
) -> None:
    """Add a user; the password is asked for (twice) and stored as an argon2id hash."""
    from ..domain import Refusal
    from ..security.users import add_user

    st = state(ctx)
    try:
        acc = add_user(st.db, st.settings, username, _password(st, password), role, scope, name)
    except Refusal as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(
        st.text(
            "cli_users.added",
            username=acc.username,
            role=st.term("role", acc.role),
            scope=acc.scope or st.term("table", "national"),
        ),
        highlight=False,
    )


@users_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """List users."""
    from ..security.users import list_users

    st = state(ctx)
    rows = [
        {
            "username": a.username,
            "role": a.role,
            "scope": a.scope,
            "name": a.display_name,
            "disabled": a.disabled,
            "created_at": a.created_at.strftime("%Y-%m-%d %H:%M"),
        }
        for a in list_users(st.db)
    ]
    emit(
        rows,
        ["username", "role", "scope", "name", "disabled", "created_at"],
        fmt,
        lang=st.lang,
        title=st.text("cli_users.title"),
        terms={"role": "role"},
        headers={"name": st.text("cli_users.name")},
    )


def _set_disabled(ctx: typer.Context, username: str, disabled: bool) -> None:
    from ..domain import Refusal
    from ..security.users import set_disabled

    st = state(ctx)
    try:
        set_disabled(st.db, username, disabled)
    except Refusal as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(
        st.text("cli_users.disabled" if disabled else "cli_users.enabled", username=username), highlight=False
    )


@users_app.command("disable")
def disable(ctx: typer.Context, username: str) -> None:
    """Disable a user: sessions end, tokens are refused."""
    _set_disabled(ctx, username, True)


@users_app.command("enable")
def enable(ctx: typer.Context, username: str) -> None:
    """Enable a disabled user again."""
    _set_disabled(ctx, username, False)


@users_app.command("reset-password")
def reset_password(
    ctx: typer.Context,
    username: str,
    password: Annotated[
        str | None, typer.Option("--password", envvar="SITMON_NEW_PASSWORD", hidden=True)
    ] = None,
) -> None:
    """Set a new password; the user's sessions end."""
    from ..domain import Refusal
    from ..security.users import reset_password as reset

    st = state(ctx)
    try:
        reset(st.db, st.settings, username, _password(st, password))
    except Refusal as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(st.text("cli_users.reset", username=username), highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``sitmon users`` group."""
    app.add_typer(users_app, name="users")
