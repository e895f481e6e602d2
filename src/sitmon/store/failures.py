"""Storage failures as a person can act on them: a read-only data directory, a full disk, a database file that
cannot be opened, another writer holding a lock — instead of ``unable to open database file`` or a traceback."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator

from ..config import Settings
from ..domain import Message
from .locks import Busy

_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        orig = getattr(cur, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
        if isinstance(orig, BaseException) and id(orig) not in seen:
            yield orig
        cur = cur.__cause__ or cur.__context__


def _writable(folder: str) -> bool:
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def storage_failure(exc: BaseException, settings: Settings | None = None) -> Message | None:
    """The message for ``exc`` when it (or what caused it) is a storage failure or a busy lock, else None."""
    home = str(settings.home.resolve()) if settings is not None else ""
    for e in _chain(exc):
        if isinstance(e, Busy):
            return e.message
        if isinstance(e, OSError) and e.errno in _FULL:
            return Message("crash_safety.disk_full", path=e.filename or home)
        if isinstance(e, OSError) and e.errno in _READ_ONLY:
            return Message("crash_safety.read_only", path=e.filename or home)
        text = str(e).lower()
        if "database or disk is full" in text or "no space left" in text:
            return Message("crash_safety.disk_full", path=home)
        if "readonly database" in text or "read-only file system" in text:
            return Message("crash_safety.read_only", path=home)
        if "unable to open database file" in text:
            db = settings.resolved_database_url.split("///", 1)[-1] if settings is not None else ""
            folder = os.path.dirname(db) or "."
            if os.path.isdir(folder) and not _writable(folder):
                return Message("crash_safety.read_only", path=folder)
            return Message("crash_safety.cannot_open", path=db)
    return None
