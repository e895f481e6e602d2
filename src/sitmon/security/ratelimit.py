"""Login rate limiting by growing delays, counted in the operational DB so that it holds across server
processes — a policy that slows a password guesser without letting anyone lock a user out.

Failed logins within ``login_window_minutes`` are counted three ways; past a free allowance each further try
must wait since the last failure, 1 s, then 2, 4, 8 … up to a cap:

| counted | free | longest wait | so that |
| --- | --- | --- | --- |
| one client and one user (since the user's last success) | ``login_max_failures`` | ``login_max_delay_seconds`` (15 min) | a guesser at one account from one address is slowed to a crawl |
| one client, any user | ``login_max_failures_per_ip`` | ``login_max_delay_seconds`` | spraying many accounts from one address is slowed the same way |
| one user, any client (since the last success) | ``login_user_free_failures`` | ``login_user_max_delay_seconds`` (30 s) | many addresses guessing one account are slowed, yet the real user waits seconds, never a lockout |

The client is the address the HTTP edge decides (``X-Forwarded-For`` only
from trusted proxies). Attempts on one user name are checked and recorded one at a time (the caller holds the
user's lock), so simultaneous guesses cannot all pass the check before any is counted.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from ..config import Settings
from ..store.accounts import failure_stats
from ..store.db import Session
from .errors import RateLimited


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite returns naive UTC times


def delay_seconds(failures: int, free: int, cap: int) -> float:
    """The wait before the next try after ``failures`` failed logins, ``free`` of them allowed without waiting:
    0 while fewer than ``free``, then 1, 2, 4 … seconds, at most ``cap``."""
    if failures < free or failures == 0:
        return 0.0
    return float(min(cap, 2 ** min(failures - free, 30)))


def check_login_allowed(session: Session, settings: Settings, username: str, ip: str, now: datetime) -> None:
    """Raise :class:`RateLimited` (``retry_after`` in seconds, ``limit`` = ``user`` | ``ip`` | ``user_all``) when
    this client or user must still wait after recent failures (see the module docstring)."""
    since = now - timedelta(minutes=settings.login_window_minutes)
    checks = (
        (
            "user",
            settings.login_max_failures,
            settings.login_max_delay_seconds,
            failure_stats(session, since, username=username, ip=ip),
        ),
        (
            "ip",
            settings.login_max_failures_per_ip,
            settings.login_max_delay_seconds,
            failure_stats(session, since, ip=ip),
        ),
        (
            "user_all",
            settings.login_user_free_failures,
            settings.login_user_max_delay_seconds,
            failure_stats(session, since, username=username),
        ),
    )
    for kind, free, cap, (count, latest) in checks:
        wait = delay_seconds(count, free, cap)
        if wait and latest is not None:
            left = (_aware(latest) + timedelta(seconds=wait) - now).total_seconds()
            if left > 0:
                raise RateLimited(retry_after=max(1, math.ceil(left)), limit=kind)
