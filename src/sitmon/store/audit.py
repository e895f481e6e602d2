"""The audit trail: every state change appended as an :class:`AuditEvent` (never updated or deleted)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent


def record(session: Session, actor: str, action: str, object_type: str | None = None,
           object_id: str | int | None = None, **detail: Any) -> AuditEvent:
    """Append one audit event in the caller's transaction and return it.

    ``action`` is a dotted verb such as ``report.filed``, ``report.revised``, ``report.accepted``,
    ``report.returned``, ``period.published``, ``user.changed``, ``login.failed``.
    """
    event = AuditEvent(actor=actor, action=action, object_type=object_type,
                       object_id=None if object_id is None else str(object_id), detail=detail)
    session.add(event)
    return event


def events(session: Session, since: datetime | None = None, actor: str | None = None,
           limit: int = 1000) -> list[AuditEvent]:
    """Audit events, oldest first, optionally since a time and by one actor (at most ``limit``)."""
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if actor is not None:
        stmt = stmt.where(AuditEvent.actor == actor)
    return list(session.scalars(stmt.limit(limit)))
