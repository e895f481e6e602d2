"""Signing in and out of the pages (the session machinery of ``security.sessions``: the same cookie and
CSRF token the API accepts) and the remembered language switch."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ....domain import Refusal
from ....security import Role, sessions
from ....security.errors import CsrfFailed
from ...api.deps import client_ip
from ...api.errors import CODES
from ..pages import (
    LANG_COOKIE,
    LOGIN_COOKIE,
    check_form,
    new_login_token,
    render,
    safe_next,
    same_site_or_raise,
    viewer_of,
)

router = APIRouter()
HOME = {Role.filer: "/filing", Role.reviewer: "/review", Role.analyst: "/", Role.admin: "/admin"}


def _login_page(
    request: Request, next_: str, error: str | None = None, status: int = 200, username: str = ""
) -> HTMLResponse:
    viewer = viewer_of(request)
    token = new_login_token()
    response = render(
        request,
        viewer,
        "login.html",
        status,
        private=True,
        next=next_,
        error=error,
        login_token=token,
        username=username,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.cookie_secure,
        path="/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    """登录 The sign-in form."""
    return _login_page(request, safe_next(next, ""))


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    login_token: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    """Check the password (rate-limited and audited, as the API's login), open a session and go on."""
    same_site_or_raise(request)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), login_token.encode()):
        raise CsrfFailed()
    st = request.app.state
    try:
        result = sessions.login(
            st.db,
            st.settings,
            st.secret,
            username,
            password,
            client_ip(request),
            request.headers.get("user-agent"),
        )
    except Refusal as exc:
        viewer = viewer_of(request)
        message = exc.render(viewer.lang)
        page = _login_page(
            request,
            safe_next(next, ""),
            message,
            CODES.get(exc.code, CODES["forbidden"]),
            username=username[:64],
        )
        if "retry_after" in exc.detail:
            page.headers["retry-after"] = str(exc.detail["retry_after"])
        return page
    target = safe_next(next, HOME.get(result.principal.role or Role.analyst, "/"))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        sessions.COOKIE,
        result.cookie,
        max_age=st.settings.session_minutes * 60,
        httponly=True,
        samesite="strict",
        secure=st.settings.cookie_secure,
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=128)] = "") -> Response:
    """退出 End the session (the form carries its CSRF token) and go to the overview."""
    viewer = viewer_of(request)
    if viewer.signed_in:
        check_form(request, viewer, csrf_token)
        sessions.logout(request.app.state.db, viewer.principal)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str, next: str | None = None) -> Response:
    """中文 / English: remember the reader's language (a cookie for a year) and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in ("zh", "en"):
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="lax",
            secure=request.app.state.settings.cookie_secure,
            path="/",
        )
    return response
