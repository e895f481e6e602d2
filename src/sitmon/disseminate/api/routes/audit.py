"""``/audit`` (admin): read the audit trail. There is no way to write, change or delete an event through
the API — events are written by the operations themselves, and the database refuses updates and deletes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from ....security.audit import AuditEntry, trail
from ..deps import AdminDep, DbDep
from ..schemas.common import Timestamp, errors, mirrors

router = APIRouter(prefix="/audit", tags=["audit"], responses=errors(401, 403, 422))


@mirrors(AuditEntry)
class AuditEventPublic(BaseModel):
    """One audit event."""


@router.get("", response_model=list[AuditEventPublic])
def read_audit(
    _: AdminDep,
    db: DbDep,
    since: Timestamp | None = None,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> list[AuditEventPublic]:
    """审计日志 Audit events, oldest first, since a time and / or by one actor."""
    return [AuditEventPublic(**e.__dict__) for e in trail(db, since, actor, limit)]
