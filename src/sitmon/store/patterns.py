"""Published disclosure patterns, kept with the warehouse and never overwritten.

Once a table has left the system its suppression pattern is a published fact: computing it again later (other
parameters, other code) and publishing a different one would let an attacker difference the two. So the first
pattern computed for a release and indicator is written once, as JSON, and every later output reads it.

Layout: ``<home>/warehouse/disclosure/<form>/period=<P>/release=<N>/<indicator>.json``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..config import Settings


def pattern_path(settings: Settings, form: str, period: str, release: int, indicator: str) -> Path:
    """Where the pattern of ``indicator`` in release ``release`` of ``form`` and ``period`` is kept."""
    return (settings.warehouse_dir / "disclosure" / form / f"period={period}" / f"release={release}"
            / f"{indicator}.json")


def read_pattern(settings: Settings, form: str, period: str, release: int, indicator: str) -> dict[str, Any] | None:
    """The stored pattern document, or None if none has been written yet."""
    path = pattern_path(settings, form, period, release, indicator)
    if not path.exists():
        return None
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def write_pattern(settings: Settings, form: str, period: str, release: int, indicator: str,
                  doc: dict[str, Any]) -> dict[str, Any]:
    """Store ``doc`` unless a pattern is stored already; returns the stored document (the earlier one wins, so
    two processes computing the same pattern at once publish one)."""
    path = pattern_path(settings, form, period, release, indicator)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1, default=str)
        try:
            os.link(tmp, path)  # fails if the file exists: never overwrite
        except FileExistsError:
            stored = read_pattern(settings, form, period, release, indicator)
            return stored if stored is not None else doc
    finally:
        os.unlink(tmp)
    return doc
