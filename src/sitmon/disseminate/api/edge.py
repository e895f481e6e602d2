"""The HTTP edge, before any route runs: the size of request bodies, the caller's address, and the audit of
refusals and confidential reads.

**Bodies.** :class:`BodyLimit` counts the bytes a request actually sends — ``Content-Length`` or chunked — and
answers ``413 payload_too_large`` as soon as they pass the limit, before authentication and before a route reads
the body: an anonymous caller can send at most ``ANONYMOUS_BODY_BYTES`` (a login is a few hundred bytes), a caller
presenting credentials at most the upload limit.

**Addresses.** :func:`client_address` believes ``X-Forwarded-For`` only when the connection comes from a proxy
listed in the ``trusted_proxies`` setting, and then takes the right-most address that is not itself a trusted
proxy (what the proxy saw); from anyone else the header is ignored. ``sitmon serve`` turns off uvicorn's own
header handling so this is the one rule.

**Audit.** :func:`audit_refusal` records every 401/403 (``access.refused``) and :func:`audit_read` every read of
confidential data (``data.read_confidential``), each with caller, address, method and path
(:mod:`sitmon.security.access_audit`: sanitised, refusals bounded per address and minute).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from fastapi import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...config import Settings
from ...security.access_audit import RefusalBudget, record_read, record_refusal
from ...store.db import Database
from . import errors

ANONYMOUS_BODY_BYTES = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a request body passes its limit: ``413 payload_too_large`` (FastAPI lets an
    HTTP exception from the body through as it is; :class:`BodyLimit` answers it if it arrives there)."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


def _has_credentials(scope: Scope) -> bool:
    for name, value in scope.get("headers") or []:
        if name == b"authorization" or (name == b"cookie" and b"sitmon_session=" in value):
            return True
    return False


class BodyLimit:
    """Caps the bytes of every request body as they arrive (declared or chunked); see the module docstring."""

    def __init__(self, app: ASGIApp, max_bytes: int, anonymous_bytes: int = ANONYMOUS_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.anonymous_bytes = anonymous_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes if _has_credentials(scope) else min(self.anonymous_bytes, self.max_bytes)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = errors.error_response(Request(scope), "payload_too_large", limit_bytes=limit)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    out = []
    for item in settings.trusted_proxies:
        try:
            out.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return out


def _trusted(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def client_address(request: Request, settings: Settings) -> str:
    """The caller's address (what login rate limiting and the audit count): the connection's peer, or — only when
    the peer is a trusted proxy — the right-most untrusted address of ``X-Forwarded-For``."""
    peer = request.client.host if request.client else "unknown"
    networks = _networks(settings)
    if networks and _trusted(peer, networks):
        forwarded = [
            a.strip() for a in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if a.strip()
        ]
        for address in reversed(forwarded):
            if not _trusted(address, networks):
                try:
                    return str(ipaddress.ip_address(address))[:45]
                except ValueError:
                    break  # a forged, malformed entry: fall back to the proxy itself
    return peer[:45]


def _where(request: Request) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.url.path[:200],
        "ip": client_address(request, request.app.state.settings),
    }


def audit_refusal(request: Request, code: str, actor: str | None = None) -> None:
    """Record a refused request (401/403: no or bad credentials, CSRF, role, scope) as ``access.refused``, within
    the app's per-address budget."""
    budget = getattr(request.app.state, "refusals", None)
    if budget is None:
        budget = request.app.state.refusals = RefusalBudget()
    try:
        record_refusal(request.app.state.db, budget, actor, code, **_where(request))
    except Exception:  # the audit must never turn a refusal into a 500
        errors.log.exception("could not audit a refusal")


def audit_read(request: Request, db: Database, actor: str, what: str, **detail: Any) -> None:
    """Record a read of confidential data (micro-data, rankings, unsuppressed tables) as ``data.read_confidential``."""
    record_read(db, actor, what, **_where(request), **detail)
