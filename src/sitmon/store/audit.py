"""The audit trail: every state change appended as an :class:`AuditEvent` (never updated or deleted)."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MAX_TEXT = 512


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """``value`` safe to store and show in a terminal, a log line or a spreadsheet: control characters (escape
    codes, line breaks that would forge a line, bidi overrides) written as ``\\xNN`` / ``\\uNNNN``, cut to
    ``limit`` characters."""
    out = _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", value
    )
    return out if len(out) <= limit else out[: limit - 1] + "…"


def clean(value: Any, depth: int = 0) -> Any:
    """A JSON-ready copy of ``value`` with every text cleaned (:func:`clean_text`), non-finite numbers as None and
    nesting and sizes bounded."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int)):
        return value
    if depth >= 4:
        return clean_text(repr(value))
    if isinstance(value, dict):
        return {clean_text(str(k), 64): clean(v, depth + 1) for k, v in list(value.items())[:50]}
    if isinstance(value, (list, tuple, set)):
        return [clean(v, depth + 1) for v in list(value)[:50]]
    return clean_text(str(value))


def record(
    session: Session,
    actor: str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one audit event in the caller's transaction and return it, every text sanitised (:func:`clean`:
    what a caller sent — a user name, a path, a file name — cannot inject escape codes or forge lines).

    ``action`` is a dotted verb such as ``report.filed``, ``report.revised``, ``report.accepted``,
    ``report.returned``, ``period.published``, ``user.changed``, ``login.failed``, ``access.refused``,
    ``data.read_confidential``.
    """
    event = AuditEvent(
        actor=clean_text(actor, 64),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else clean_text(str(object_id), 64),
        detail=clean(detail),
    )
    session.add(event)
    return event


def events(
    session: Session, since: datetime | None = None, actor: str | None = None, limit: int = 1000
) -> list[AuditEvent]:
    """Audit events, oldest first, optionally since a time and by one actor (at most ``limit``)."""
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if actor is not None:
        stmt = stmt.where(AuditEvent.actor == actor)
    return list(session.scalars(stmt.limit(limit)))
