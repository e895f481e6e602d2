"""The archive of received files: every stored upload kept byte for byte under its sha256.

A file enters the archive only together with its upload record. It is first written to
``<home>/archive/.staging/`` (and flushed to the disk), the upload is committed to the DB, and only then is the
file moved to its place; a failed import discards the staged file. A process killed in between leaves a
staged file that :func:`recover_staged` settles on the next import: moved into place when its upload was
committed, removed when it was not. So the archive never holds a file without a record, nor a record
without its file, once the next import has run.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import Settings
from .durable import fsync_dir, write_bytes
from .models import Upload


def sha256_hex(data: bytes) -> str:
    """Hex sha256 digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def archive_path(settings: Settings, sha256: str, suffix: str) -> Path:
    """Where the file with this digest is archived: ``<home>/archive/<sha[:2]>/<sha><suffix>``."""
    return settings.archive_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


def staging_dir(settings: Settings) -> Path:
    """Folder of archive files written but not yet recorded."""
    return settings.archive_dir / ".staging"


@dataclass(frozen=True)
class StagedFile:
    """A received file written to the staging folder, waiting for its upload record."""

    staged: Path
    final: Path

    def commit(self) -> Path:
        """Move the file to its archive place (after the upload record is committed); returns that place."""
        if self.final.exists():  # the same bytes were archived before (content-addressed: identical)
            self.staged.unlink(missing_ok=True)
            return self.final
        self.final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.staged, self.final)
        fsync_dir(self.final.parent)
        return self.final

    def discard(self) -> None:
        """Remove the staged file (the import failed: nothing of it is kept)."""
        self.staged.unlink(missing_ok=True)


def stage_bytes(settings: Settings, data: bytes, suffix: str) -> StagedFile:
    """Write ``data`` to the staging folder, flushed to the disk; :meth:`StagedFile.commit` it after the DB
    commit, :meth:`StagedFile.discard` it on failure."""
    sha = sha256_hex(data)
    folder = staging_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    staged = folder / f"{sha}{suffix.lower()}"
    tmp = folder / f".tmp-{uuid.uuid4().hex}"
    try:
        write_bytes(tmp, data)
        os.replace(tmp, staged)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(folder)
    return StagedFile(staged, archive_path(settings, sha, suffix))


def recover_staged(settings: Settings, session: Session) -> list[str]:
    """Settle what a killed import left in the staging folder (call it holding the intake lock): a file whose
    upload was committed is moved into place, any other is removed. Returns what was done, one line each."""
    folder = staging_dir(settings)
    if not folder.exists():
        return []
    done = []
    for path in sorted(folder.iterdir()):
        sha = path.name.split(".", 1)[0]
        if path.name.startswith(".tmp-") or len(sha) != 64:
            path.unlink(missing_ok=True)
            done.append(f"removed {path.name}")
            continue
        recorded = session.scalar(select(Upload.id).where(Upload.sha256 == sha).limit(1))
        if recorded is not None:
            StagedFile(path, archive_path(settings, sha, path.suffix)).commit()
            done.append(f"archived {path.name}")
        else:
            path.unlink(missing_ok=True)
            done.append(f"removed {path.name}")
    if done:
        fsync_dir(folder)
    return done


def archive_bytes(settings: Settings, data: bytes, suffix: str) -> Path:
    """Write ``data`` straight to the archive (once: content-addressed, never overwritten) and return its path.
    For callers without an upload record to wait for; the intake uses :func:`stage_bytes`."""
    return stage_bytes(settings, data, suffix).commit()
