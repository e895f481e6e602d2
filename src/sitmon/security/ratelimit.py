"""Login rate limiting, counted in the operational DB so that it holds across server processes.

A user name is refused after ``login_max_failures`` failed logins within ``login_window_minutes`` (since
its last successful login); an address after ``login_max_failures_per_ip`` failures within the window,
whatever the user names. A refused attempt is not counted again, so the lock ends one window after the
failures that caused it.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from ..config import Settings
from ..store.accounts import failures_since
from ..store.db import Session
from .errors import RateLimited


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite returns naive UTC times


def check_login_allowed(session: Session, settings: Settings, username: str, ip: str, now: datetime) -> None:
    """Raise :class:`RateLimited` (with ``retry_after`` in seconds) when this user name or address has
    failed too often within the window."""
    window = timedelta(minutes=settings.login_window_minutes)
    since = now - window
    for kind, limit, (count, oldest) in (
        ("user", settings.login_max_failures, failures_since(session, since, username=username)),
        ("ip", settings.login_max_failures_per_ip, failures_since(session, since, ip=ip)),
    ):
        if count >= limit:
            wait = (_aware(oldest) + window - now).total_seconds() if oldest else window.total_seconds()
            raise RateLimited(retry_after=max(1, math.ceil(wait)), limit=kind)
