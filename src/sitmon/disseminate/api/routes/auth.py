"""``/auth``: sign in (a session cookie and its CSRF token), the current caller, sign out."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ....security import sessions
from ....security.users import get_user as get_account
from ..deps import DbDep, SecretDep, SettingsDep, UserDep, client_ip
from ..schemas.auth import LoginCreate, MePublic, SessionPublic
from ..schemas.common import errors
from ..schemas.users import UserPublic

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=SessionPublic, responses=errors(401, 422, 429))
def login(
    body: LoginCreate,
    request: Request,
    response: Response,
    db: DbDep,
    settings: SettingsDep,
    secret: SecretDep,
) -> SessionPublic:
    """登录 Sign in: sets the ``sitmon_session`` cookie (HttpOnly, SameSite=Strict) and returns the CSRF token
    to send as ``X-CSRF-Token`` on POST/PATCH/DELETE. Failed logins are rate-limited and audited."""
    result = sessions.login(
        db,
        settings,
        secret,
        body.username,
        body.password,
        client_ip(request),
        request.headers.get("user-agent"),
    )
    response.set_cookie(
        sessions.COOKIE,
        result.cookie,
        max_age=settings.session_minutes * 60,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )
    return SessionPublic(
        user=UserPublic.model_validate(result.account, from_attributes=True),
        csrf_token=result.csrf_token,
        expires_at=result.expires_at,
    )


@router.get("/me", response_model=MePublic, responses=errors(401))
def me(user: UserDep, db: DbDep, secret: SecretDep) -> MePublic:
    """当前用户 The caller (and, on a cookie session, its CSRF token)."""
    account = get_account(db, user.username)
    csrf = sessions.csrf_token(secret, user.session_token) if user.session_token else None
    return MePublic(
        user=UserPublic.model_validate(account, from_attributes=True),
        via="session" if user.via == "session" else "token",
        csrf_token=csrf,
    )


@router.post("/logout", status_code=204, responses=errors(401, 403))
def logout(user: UserDep, db: DbDep, response: Response) -> Response:
    """退出 End the session (needs its CSRF token) and clear the cookie."""
    sessions.logout(db, user)
    response.status_code = 204
    response.delete_cookie(sessions.COOKIE, path="/")
    return response
