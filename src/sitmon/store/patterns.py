"""Published disclosure patterns, kept inside their release's folder and never overwritten.

Once a table has left the system its suppression pattern is a published fact: computing it again later (other
parameters, other code) and publishing a different one would let an attacker difference the two. So the pattern
of every indicator of a release is computed when the release is published, written into the release's staging
folder, and becomes visible with the data in the same rename (:func:`~sitmon.store.warehouse.write_release`);
every output reads it, none computes it. A release published before patterns were stored gets them once,
written into its folder (write-once as well).

Layout: ``<home>/warehouse/<form>/period=<P>/release=<N>/disclosure/<indicator>.json``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..config import Settings
from .warehouse import release_dir

FOLDER = "disclosure"


def pattern_file(folder: Path, indicator: str) -> Path:
    """Where the pattern of ``indicator`` lives inside the release folder ``folder``."""
    return folder / FOLDER / f"{indicator}.json"


def pattern_path(settings: Settings, form: str, period: str, release: int, indicator: str) -> Path:
    """Where the pattern of ``indicator`` in release ``release`` of ``form`` and ``period`` is kept."""
    return pattern_file(release_dir(settings, form, period, release), indicator)


def read_pattern(
    settings: Settings, form: str, period: str, release: int, indicator: str
) -> dict[str, Any] | None:
    """The stored pattern document, or None if none has been written (or it cannot be read: fail safe)."""
    path = pattern_path(settings, form, period, release, indicator)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def write_pattern(folder: Path, indicator: str, doc: dict[str, Any]) -> dict[str, Any]:
    """Store ``doc`` in release folder ``folder`` (staging or published) unless a pattern is stored already;
    returns the stored document (the earlier one wins, so two processes computing the same pattern at once
    publish one)."""
    path = pattern_file(folder, indicator)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1, default=str)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if the file exists: never overwrite
        except FileExistsError:
            stored = json.loads(path.read_text(encoding="utf-8"))
            return stored if isinstance(stored, dict) else doc
    finally:
        os.unlink(tmp)
    return doc


def folder_patterns(folder: Path) -> dict[str, dict[str, Any]]:
    """Every pattern document stored in release folder ``folder`` (staging or published), by indicator; a file
    that cannot be read is left out (its readers then suppress: fail safe)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((folder / FOLDER).glob("*.json")) if (folder / FOLDER).is_dir() else []:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict):
            out[path.stem] = doc
    return out
