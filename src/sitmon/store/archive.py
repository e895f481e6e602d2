"""The archive of received files: every stored upload kept byte for byte under its sha256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..config import Settings


def sha256_hex(data: bytes) -> str:
    """Hex sha256 digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def archive_path(settings: Settings, sha256: str, suffix: str) -> Path:
    """Where the file with this digest is archived: ``<home>/archive/<sha[:2]>/<sha><suffix>``."""
    return settings.archive_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


def archive_bytes(settings: Settings, data: bytes, suffix: str) -> Path:
    """Write ``data`` to the archive (once: content-addressed, never overwritten) and return its path."""
    sha = sha256_hex(data)
    path = archive_path(settings, sha, suffix)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path
