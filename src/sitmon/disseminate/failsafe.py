"""Disclosure control that fails safe: whatever goes wrong while computing a table's suppression pattern — a
solver that gives up, a value it cannot handle — the table is published with every cell suppressed, never
unprotected and never as a server error. Values are refused at the intake before they are stored (hard limits
of the catalog, finite numbers only); this is the guard at the other end, whatever the pattern code becomes."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any

log = logging.getLogger("sitmon.disclosure")

FAIL_SAFE_FLAG = "secondary"
"""The reason code a cell gets when its pattern could not be computed (the strictest that readers know)."""


def flags_or_all_suppressed(
    compute: Callable[[], dict[Any, str | None]], keys: Sequence[Hashable], values: Sequence[float | None]
) -> dict[Any, str | None]:
    """The flags ``compute()`` returns for ``keys`` — or every key suppressed (:data:`FAIL_SAFE_FLAG`) when a value
    is not finite or ``compute`` raises anything but ``LookupError`` (no such release: the caller's to report)."""
    if any(v is not None and not math.isfinite(v) for v in values):
        log.error("non-finite value in a public table: every cell suppressed")
        return dict.fromkeys(keys, FAIL_SAFE_FLAG)
    try:
        return compute()
    except LookupError:
        raise
    except Exception:
        log.exception("disclosure pattern failed: every cell of the table suppressed")
        return dict.fromkeys(keys, FAIL_SAFE_FLAG)
