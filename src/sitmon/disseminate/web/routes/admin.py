"""管理 The administrator's pages: users with their roles and scopes (add, disable, enable, new password),
API tokens (list, revoke) and the audit trail (read only) — the same functions as ``sitmon users``,
``sitmon tokens``, ``sitmon audit`` and the API, every change audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ....security import Role, tokens, users
from ....security.audit import trail
from ..pages import check_form, member, render

router = APIRouter()


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request, actor: str | None = None, days: int = 7) -> HTMLResponse:
    """Users, tokens and the recent audit trail (``actor`` and ``days`` filter it)."""
    viewer = member(request, Role.admin)
    db = request.app.state.db
    days = max(1, min(days, 3660))
    since = datetime.now(UTC) - timedelta(days=days)
    events = trail(db, since, (actor or "").strip()[:64] or None, 500)
    return render(
        request,
        viewer,
        "admin.html",
        users=users.list_users(db),
        tokens=tokens.list_tokens(db),
        events=list(reversed(events)),
        actor=actor or "",
        days=days,
        roles=list(Role),
        notice=request.query_params.get("done"),
    )


@router.post("/admin/users")
async def add_user(request: Request) -> Response:
    """Create a user (password at least 10 characters; scope: a USCC for a filer, a province for a reviewer)."""
    viewer = member(request, Role.admin)
    data = await request.form(max_files=0, max_fields=16)
    check_form(request, viewer, str(data.get("csrf_token", ""))[:128])
    st = request.app.state
    await run_in_threadpool(
        users.add_user,
        st.db,
        st.settings,
        str(data.get("username", ""))[:64],
        str(data.get("password", ""))[:1024],
        str(data.get("role", ""))[:16],
        str(data.get("scope", "")).strip()[:32] or None,
        str(data.get("display_name", "")).strip()[:128] or None,
        actor=viewer.principal.username,
    )
    return RedirectResponse("/admin?done=user_added", status_code=303)


@router.post("/admin/users/{username}/{action}")
async def change_user(request: Request, username: str, action: str) -> Response:
    """Disable or enable a user, or set a new password (which ends their sessions)."""
    viewer = member(request, Role.admin)
    data = await request.form(max_files=0, max_fields=8)
    check_form(request, viewer, str(data.get("csrf_token", ""))[:128])
    st = request.app.state
    name = username[:64]
    if action in ("disable", "enable"):
        await run_in_threadpool(
            users.update_user,
            st.db,
            st.settings,
            name,
            disabled=action == "disable",
            actor=viewer.principal.username,
        )
    elif action == "password":
        await run_in_threadpool(
            users.update_user,
            st.db,
            st.settings,
            name,
            password=str(data.get("password", ""))[:1024],
            actor=viewer.principal.username,
        )
    else:
        return RedirectResponse("/admin", status_code=303)
    return RedirectResponse(f"/admin?done=user_{action}", status_code=303)


@router.post("/admin/tokens/{token_id}/revoke")
async def revoke(request: Request, token_id: int) -> Response:
    """Revoke an API token at once."""
    viewer = member(request, Role.admin)
    data = await request.form(max_files=0, max_fields=8)
    check_form(request, viewer, str(data.get("csrf_token", ""))[:128])
    if 1 <= token_id <= 2**31 - 1:
        await run_in_threadpool(
            tokens.revoke_token, request.app.state.db, token_id, actor=viewer.principal.username
        )
    return RedirectResponse("/admin?done=token_revoked", status_code=303)
