"""Reading the audit trail (it is written by the operations themselves, through :mod:`sitmon.store.audit`;
nothing can change or delete an event — the database refuses it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..store.audit import events
from ..store.db import Database


@dataclass(frozen=True)
class AuditEntry:
    """One audit event: when (UTC), who, what, on which object, with details."""

    id: int
    at: datetime
    actor: str
    action: str
    object_type: str | None
    object_id: str | None
    detail: dict[str, Any]


def trail(
    db: Database, since: datetime | None = None, actor: str | None = None, limit: int = 1000
) -> list[AuditEntry]:
    """Audit events, oldest first, since a time and/or by one actor, at most ``limit``."""
    with db.session() as s:
        return [
            AuditEntry(e.id, e.at, e.actor, e.action, e.object_type, e.object_id, e.detail or {})
            for e in events(s, since, actor, limit)
        ]
