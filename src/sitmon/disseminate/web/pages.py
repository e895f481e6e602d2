"""What every page needs: who is looking (the session cookie of ``security.sessions``, or the anonymous
reader), in which language (a remembered cookie, else the deployment's default: Chinese), the session's CSRF
token for forms, and rendering a template with the helpers of :mod:`.format`.

Pages never trust a form: a state-changing request must carry the session's CSRF token (the same HMAC the
API checks in ``X-CSRF-Token``) and, when the browser says where it comes from, come from this site.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from ...domain import Label, Message, term, text
from ...security import ANONYMOUS, AccessError, Forbidden, Principal, Role, SessionExpired
from ...security.errors import CsrfFailed
from ...security.sessions import COOKIE, check_csrf, csrf_token, principal_for_cookie
from . import format as fmt
from .assets import asset_url, vendor_missing

LANG_COOKIE = "sitmon_lang"
LOGIN_COOKIE = "sitmon_login_csrf"
#: Every template is autoescaped (``.html`` or not): text from a form, a file or the store is never markup.
TEMPLATES = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        auto_reload=False,
    )
)
TEMPLATES.env.globals.update(asset=asset_url)


class LoginRequired(Exception):
    """The page needs a signed-in user: answered by a redirect to the login page (and back)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location

    @classmethod
    def for_request(cls, request: Request) -> LoginRequired:
        """Redirect to ``/login?next=<this page>``."""
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return cls(f"/login?next={quote(target, safe='')}")


@dataclass(frozen=True)
class Viewer:
    """The person looking at a page: principal (or the anonymous reader), language and the CSRF token of
    their session (None when not signed in)."""

    principal: Principal
    lang: str
    csrf: str | None

    @property
    def signed_in(self) -> bool:
        """True for a signed-in user."""
        return not self.principal.anonymous

    def t(self, key: str, **params: Any) -> str:
        """The message ``web…`` ``key`` in the viewer's language."""
        return text(key, self.lang, **params)

    def term(self, kind: str, code: object) -> str:
        """How a code of ``kind`` (status, plan_status, flag, role, import, severity) is said, as everywhere else
        (``terms.<kind>.<code>``)."""
        return term(kind, code, self.lang)


def page_language(request: Request) -> str:
    """``zh`` or ``en``: the remembered choice, else the deployment's default (Chinese unless set)."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in ("zh", "en"):
        return chosen
    return str(getattr(request.app.state.settings, "lang", "zh"))


def viewer_of(request: Request, quiet: bool = False) -> Viewer:
    """The viewer of ``request``: a stale or forged session cookie reads as the anonymous reader (``quiet``
    also swallows a database that cannot be reached, for error pages)."""
    lang = page_language(request)
    cached = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    principal = ANONYMOUS
    cookie = request.cookies.get(COOKIE)
    secret = request.app.state.secret
    if cookie:
        try:
            principal = principal_for_cookie(request.app.state.db, secret, cookie)
        except SessionExpired:
            principal = ANONYMOUS
        except Exception:
            if not quiet:
                raise
    token = csrf_token(secret, principal.session_token) if principal.session_token else None
    viewer = Viewer(principal, lang, token)
    request.state.viewer = viewer
    return viewer


def reader(request: Request) -> Viewer:
    """The viewer of a published-data page: anyone when the deployment opens published data to the public
    (``SITMON_PUBLIC_READ``), else a signed-in user."""
    viewer = viewer_of(request)
    if viewer.principal.anonymous and not request.app.state.settings.public_read:
        raise LoginRequired.for_request(request)
    return viewer


def member(request: Request, *roles: Role) -> Viewer:
    """The viewer of a page for ``roles`` only: the anonymous reader is sent to log in, another role refused."""
    viewer = viewer_of(request)
    if viewer.principal.anonymous:
        raise LoginRequired.for_request(request)
    if viewer.principal.role not in roles:
        raise Forbidden()
    return viewer


def check_form(request: Request, viewer: Viewer, token: str | None) -> None:
    """Refuse (:class:`CsrfFailed`) a state-changing form without the session's CSRF token or sent from
    another site (``Origin`` / ``Referer`` of another host)."""
    same_site_or_raise(request)
    if viewer.principal.anonymous:
        raise CsrfFailed()
    check_csrf(request.app.state.secret, viewer.principal, token)


def same_site_or_raise(request: Request) -> None:
    """Raise :class:`CsrfFailed` when the browser says the request comes from another origin."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin and origin != "null":
        parts = urlsplit(origin)
        if parts.netloc and parts.netloc != request.headers.get("host", request.url.netloc):
            raise CsrfFailed()
    elif origin == "null":
        raise CsrfFailed()


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to after login or a language switch (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def new_login_token() -> str:
    """A random token for the login form's double-submit check (login CSRF)."""
    return secrets.token_urlsafe(24)


def render(
    request: Request,
    viewer: Viewer,
    template: str,
    status: int = 200,
    *,
    private: bool | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """``template`` rendered for ``viewer`` with the formatting helpers; pages of signed-in users are never
    stored by a cache (``no-store``), public ones revalidated (``no-cache``)."""
    settings = request.app.state.settings
    lang = viewer.lang
    if "synthetic" not in context:
        context["synthetic"] = _synthetic(request)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "viewer": viewer,
            "lang": lang,
            "t": viewer.t,
            "term": viewer.term,
            "f": fmt.Formatter(lang),
            "Role": Role,
            "said": lambda zh, en: Label(zh or "", en or "").render(
                lang
            ),  # a pair that is data (names, stored texts)
            "path": request.url.path,
            "query": request.url.query,
            "settings": settings,
            "vendor_missing": vendor_missing(),
            **context,
        },
        status_code=status,
        headers=headers,
    )
    private = viewer.signed_in if private is None else private
    response.headers["cache-control"] = "no-store" if private else "no-cache"
    return response


def _synthetic(request: Request) -> bool:
    """Whether the newest published release (monthly or annual) holds synthetic data (False when unknown)."""
    from .figures import latest_release

    try:
        return any(
            r is not None and r.synthetic
            for r in (latest_release(request.app.state.db, form) for form in ("monthly", "annual"))
        )
    except Exception:  # an error page must render even when the DB cannot be read
        return False


def render_error(
    request: Request, viewer: Viewer, status: int, message: Message, headers: dict[str, str] | None = None
) -> HTMLResponse:
    """The error page: status and the message in the viewer's language."""
    return render(
        request,
        viewer,
        "error.html",
        status,
        private=True,
        headers=headers,
        status_code=status,
        message=message.render(viewer.lang),
    )


__all__ = [
    "AccessError",
    "LoginRequired",
    "Viewer",
    "check_form",
    "member",
    "reader",
    "render",
    "render_error",
    "safe_next",
    "viewer_of",
]
