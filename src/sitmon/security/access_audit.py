"""Audit records of access that is not a state change: refused requests (``access.refused``: no or bad
credentials, CSRF, role, scope) and reads of confidential data (``data.read_confidential``: micro-data,
rankings, unsuppressed tables). The interfaces call these with plain values; texts are sanitised by
:func:`sitmon.store.audit.record`. Refusals are bounded per address and minute (:class:`RefusalBudget`), so a
flood of bad requests cannot fill the audit table."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from ..store import audit
from ..store.db import Database

REFUSALS_PER_MINUTE = 30


class RefusalBudget:
    """At most ``per_minute`` refusal records per address and minute, for a bounded number of addresses (LRU);
    the refusals not recorded are counted into the next record."""

    def __init__(self, per_minute: int = REFUSALS_PER_MINUTE, addresses: int = 10_000) -> None:
        self.per_minute = per_minute
        self.addresses = addresses
        self._seen: OrderedDict[str, tuple[int, int, int]] = (
            OrderedDict()
        )  # address → (minute, recorded, skipped)
        self._lock = threading.Lock()

    def take(self, address: str) -> tuple[bool, int]:
        """(whether to record this refusal, how many were skipped since the last record)."""
        minute = int(time.monotonic() // 60)
        with self._lock:
            m, n, skipped = self._seen.pop(address, (minute, 0, 0))
            if m != minute:
                m, n = minute, 0
            if n < self.per_minute:
                self._seen[address] = (m, n + 1, 0)
                out = (True, skipped)
            else:
                self._seen[address] = (m, n, skipped + 1)
                out = (False, 0)
            while len(self._seen) > self.addresses:
                self._seen.popitem(last=False)
            return out


def record_refusal(
    db: Database, budget: RefusalBudget, actor: str | None, code: str, method: str, path: str, ip: str
) -> bool:
    """Append an ``access.refused`` event unless the address is over its budget; True when recorded."""
    record, skipped = budget.take(ip)
    if not record:
        return False
    extra = {"skipped_before": skipped} if skipped else {}
    with db.session() as s:
        audit.record(
            s, actor or "-", "access.refused", "request", code, method=method, path=path[:200], ip=ip, **extra
        )
    return True


def record_read(db: Database, actor: str, what: str, **detail: Any) -> None:
    """Append a ``data.read_confidential`` event: who read which confidential data (``what`` and ``detail``)."""
    with db.session() as s:
        audit.record(s, actor, "data.read_confidential", "data", what, **detail)
