"""Documents kept inside a release's folder beside its data: the revision notice (``revision_notice.json``: what
changed since the previous release of the period) and the publish guard's preview (``guard.json``). Written into
the staging folder before the release becomes visible — so they appear with it, whole, in the same rename — and
never changed afterwards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import Settings
from ..domain import jsontext
from .durable import fsync_file
from .warehouse import release_dir

NOTICE = "revision_notice.json"
GUARD = "guard.json"


def write_note(folder: Path, name: str, doc: dict[str, Any]) -> Path:
    """Write ``doc`` as ``name`` into the (staging) release folder ``folder``, flushed to the disk; returns the path."""
    path = folder / name
    path.write_text(jsontext.dumps(doc, indent=1, default=str), encoding="utf-8")
    fsync_file(path)
    return path


def read_note(settings: Settings, form: str, period: str, number: int, name: str) -> dict[str, Any] | None:
    """The document ``name`` of release ``number`` of ``form``/``period``, or None when there is none (a release
    published before such documents were kept) or it cannot be read."""
    try:
        doc = json.loads((release_dir(settings, form, period, number) / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def read_staged_note(folder: Path, name: str) -> dict[str, Any] | None:
    """The document ``name`` written into the (staging) release folder ``folder``, or None."""
    try:
        doc = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def read_frame(path: Path) -> pd.DataFrame:
    """The rows of a release's data file (staged or visible)."""
    return pd.read_parquet(path)
