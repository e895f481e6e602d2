"""Dependencies of the routes, as ``Annotated`` aliases: the settings, the DB, the release cache, the
caller's language, and the caller — from an ``Authorization: Bearer`` token or a session cookie (whose
state-changing requests must carry the session's ``X-CSRF-Token``), or the anonymous reader."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPBearer

from ...config import Settings
from ...domain import Message
from ...security import ANONYMOUS, NotAuthenticated, Principal, Role, SessionExpired
from ...security.roles import REVIEWERS
from ...security.sessions import COOKIE, CSRF_HEADER, check_csrf, principal_for_cookie
from ...security.tokens import principal_for_token
from ...store.db import Database
from ..cache import ReleaseCache
from .edge import client_address
from .errors import request_language

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Declared for the OpenAPI document; the header and cookie are read below.
_bearer = HTTPBearer(auto_error=False, description="API token: `Authorization: Bearer sitmon_…`")
_cookie = APIKeyCookie(
    name=COOKIE,
    auto_error=False,
    description=f"session cookie from POST /api/v1/auth/login; send `{CSRF_HEADER}` on POST/PATCH/DELETE",
)


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_db(request: Request) -> Database:
    """The operational DB of the app."""
    return request.app.state.db  # type: ignore[no-any-return]


async def get_cache(request: Request) -> ReleaseCache:
    """The app's cache of published results (and its long-lived analysis backend)."""
    return request.app.state.cache  # type: ignore[no-any-return]


async def get_secret(request: Request) -> str:
    """The deployment's secret key."""
    return request.app.state.secret  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
CacheDep = Annotated[ReleaseCache, Depends(get_cache)]
SecretDep = Annotated[str, Depends(get_secret)]


async def language_of(request: Request) -> str:
    """The caller's language (``Accept-Language``: zh or en)."""
    return request_language(request)


LangDep = Annotated[str, Depends(language_of)]


def client_ip(request: Request) -> str:
    """The caller's address (what login rate limiting counts): see :func:`.edge.client_address`."""
    return client_address(request, request.app.state.settings)


def _credentials(request: Request, db: Database, secret: str) -> Principal:
    auth = request.headers.get("authorization")
    if auth is not None:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated(Message("errors.bearer_only"))
        return principal_for_token(db, token.strip())
    cookie = request.cookies.get(COOKIE)
    if cookie:
        principal = principal_for_cookie(db, secret, cookie)
        request.state.principal = principal  # named in the audit record if the CSRF check refuses
        if request.method not in SAFE_METHODS:
            check_csrf(secret, principal, request.headers.get(CSRF_HEADER))
        return principal
    return ANONYMOUS


def _has_credentials(request: Request) -> bool:
    return "authorization" in request.headers or COOKIE in request.cookies


async def _resolve(request: Request, db: Database, secret: str) -> Principal:
    """The caller of a request with credentials. On SQLite (a local file, never blocked by a writer in WAL mode)
    the lookup takes a fraction of a millisecond — less than handing it to a worker thread — so it runs here;
    on a database server it runs in the thread pool, so that a slow round trip never holds up other requests."""
    if db.url.startswith("sqlite"):
        principal = _credentials(request, db, secret)
    else:
        principal = await run_in_threadpool(_credentials, request, db, secret)
    request.state.principal = principal  # named in the audit record if the request is then refused
    return principal


async def get_user(
    request: Request,
    db: DbDep,
    secret: SecretDep,
    _b: Annotated[object, Security(_bearer)],
    _c: Annotated[object, Security(_cookie)],
) -> Principal:
    """The signed-in caller; :class:`NotAuthenticated` for none, ``invalid_token`` / ``session_expired`` /
    ``csrf_failed`` for bad credentials."""
    if not _has_credentials(request):
        raise NotAuthenticated()
    return await _resolve(request, db, secret)


async def get_reader(
    request: Request,
    settings: SettingsDep,
    db: DbDep,
    secret: SecretDep,
    _b: Annotated[object, Security(_bearer)],
    _c: Annotated[object, Security(_cookie)],
) -> Principal:
    """The caller of a published-data endpoint: a signed-in user, or — when ``public_read`` is on — the
    anonymous reader (a stale session cookie then reads anonymously; a bad token is still refused)."""
    if not _has_credentials(request):
        if not settings.public_read:
            raise NotAuthenticated()
        return ANONYMOUS
    try:
        return await _resolve(request, db, secret)
    except SessionExpired:
        if not settings.public_read:
            raise
        return ANONYMOUS


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only callers with one of ``roles`` through (others: ``forbidden``)."""

    async def dependency(user: Annotated[Principal, Depends(get_user)]) -> Principal:
        """The signed-in caller, if their role is one of ``roles``."""
        user.require(*roles)
        return user

    return dependency


UserDep = Annotated[Principal, Depends(get_user)]
ReaderDep = Annotated[Principal, Depends(get_reader)]
ReviewerDep = Annotated[Principal, Depends(require(*REVIEWERS))]
AnalystDep = Annotated[Principal, Depends(require(Role.analyst, Role.admin))]
AdminDep = Annotated[Principal, Depends(require(Role.admin))]
FilerDep = Annotated[Principal, Depends(require(Role.filer, Role.admin))]
