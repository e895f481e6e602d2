"""The received files (uploads): each stored file recorded once with its sha256, where it is archived, how many
rows it had and who sent it. Append-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Upload


def upload_with_sha(session: Session, sha256: str, kind: str) -> int | None:
    """The id of a stored upload of ``kind`` (``reports`` or ``enterprises``) with this sha256, if any."""
    return session.scalar(select(Upload.id).where(Upload.sha256 == sha256, Upload.kind == kind).limit(1))


def add_upload(session: Session, **fields: Any) -> int:
    """Record one received file (columns of :class:`~sitmon.store.models.Upload`); returns its id."""
    upload = Upload(**fields)
    session.add(upload)
    session.flush()
    return upload.id
