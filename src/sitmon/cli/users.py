"""``sitmon users add|list|disable|enable|reset-password``: the people who sign in to the API (audited)."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import FormatOpt, OutputFormat, console, emit, fail, state

users_app = typer.Typer(help="用户 Users: add, list, disable, enable, reset-password", no_args_is_help=True)
ROLE_HELP = "filer（填报员，范围=统一社会信用代码）| reviewer（审核员，范围=省级代码）| analyst | admin"


def _password(st, password: str | None) -> str:  # type: ignore[no-untyped-def]
    if password is not None:
        return password
    return str(typer.prompt(st.t("密码", "password"), hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="用户名 user name")],
    role: Annotated[str, typer.Option("--role", help=ROLE_HELP)],
    scope: Annotated[str | None, typer.Option("--scope", help="USCC（filer）或省级代码（reviewer）")] = None,
    name: Annotated[str | None, typer.Option("--name", help="姓名或单位 display name")] = None,
    password: Annotated[str | None, typer.Option("--password", envvar="SITMON_NEW_PASSWORD", hidden=True)] = None,
) -> None:
    """新增用户（提示输入密码）Add a user; the password is asked for (twice) and stored as an argon2id hash."""
    from ..domain import Refusal
    from ..security.users import add_user

    st = state(ctx)
    try:
        acc = add_user(st.db, st.settings, username, _password(st, password), role, scope, name)
    except Refusal as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(st.t(f"已新增用户 {acc.username}（{acc.role}，范围 {acc.scope or '全国'}）",
                       f"added user {acc.username} ({acc.role}, scope {acc.scope or 'national'})"), highlight=False)


@users_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """列出用户 List users."""
    from ..security.users import list_users

    st = state(ctx)
    rows = [{"username": a.username, "role": a.role, "scope": a.scope, "name": a.display_name,
             "disabled": a.disabled, "created_at": a.created_at.strftime("%Y-%m-%d %H:%M")}
            for a in list_users(st.db)]
    emit(rows, ["username", "role", "scope", "name", "disabled", "created_at"], fmt, title=st.t("用户", "Users"))


def _set_disabled(ctx: typer.Context, username: str, disabled: bool) -> None:
    from ..domain import Refusal
    from ..security.users import set_disabled

    st = state(ctx)
    try:
        set_disabled(st.db, username, disabled)
    except Refusal as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(st.t(f"已{'停用' if disabled else '启用'}用户 {username}",
                       f"{'disabled' if disabled else 'enabled'} user {username}"), highlight=False)


@users_app.command("disable")
def disable(ctx: typer.Context, username: str) -> None:
    """停用用户（立即结束其会话，令牌随之失效）Disable a user: sessions end, tokens are refused."""
    _set_disabled(ctx, username, True)


@users_app.command("enable")
def enable(ctx: typer.Context, username: str) -> None:
    """重新启用用户 Enable a disabled user again."""
    _set_disabled(ctx, username, False)


@users_app.command("reset-password")
def reset_password(
    ctx: typer.Context, username: str,
    password: Annotated[str | None, typer.Option("--password", envvar="SITMON_NEW_PASSWORD", hidden=True)] = None,
) -> None:
    """重置密码（结束该用户的所有会话）Set a new password; the user's sessions end."""
    from ..domain import Refusal
    from ..security.users import reset_password as reset

    st = state(ctx)
    try:
        reset(st.db, st.settings, username, _password(st, password))
    except Refusal as exc:
        raise fail(exc.render(st.lang), 2) from exc
    console.print(st.t(f"已重置 {username} 的密码", f"password of {username} reset"), highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``sitmon users`` group."""
    app.add_typer(users_app, name="users")
