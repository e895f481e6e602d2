"""The manifest a generated folder carries (``manifest.json``): what was generated, with which seed and errors,
and — what the registry import reads — that the folder's registry file is synthetic, with its sha256, so that
no other file dropped into the folder is taken for synthetic data."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
MAX_BYTES = 64 * 1024 * 1024
"""A manifest larger than this is not read (it is never that large: a list of injected errors at most)."""


def registry_entry(path: Path) -> dict[str, Any]:
    """What the manifest says of a generated registry file: its name and sha256."""
    return {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "synthetic": True}


def marked_synthetic(path: Path, data: bytes) -> bool:
    """True when ``path`` (whose bytes are ``data``) is a registry file that the manifest beside it declares
    synthetic: the manifest says ``synthetic: true`` and, where it records the registry file (every manifest
    written since it does), names this file with this sha256."""
    manifest = path.parent / MANIFEST
    try:
        if not manifest.is_file() or manifest.stat().st_size > MAX_BYTES:
            return False
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(doc, dict) or doc.get("synthetic") is not True:
        return False
    entry = doc.get("registry")
    if entry is None:  # a folder generated before the manifest recorded its registry file
        return path.name == "enterprises.csv"
    return (
        isinstance(entry, dict)
        and entry.get("file") == path.name
        and entry.get("sha256") == hashlib.sha256(data).hexdigest()
    )
