"""Materialised aggregates of a release (its cube), stored inside the release folder and read back.

A cube is written into the release's staging folder before the folder is renamed into place, so a release and
its cube become visible together, and a release whose cube failed is never visible. Like the release it is
immutable; a release published before cubes existed simply has none (readers fall back to the engine).

Files: ``aggregates.arrow`` (one row per atom, see :mod:`sitmon.analyse.cube`), ``aggregates-panel.arrow`` (one row
per atom of the comparable panel; absent when last year's period was not published) and ``aggregates.json`` (the
format version, the indicators, the release of last year the comparable panel pairs with, the largest values
per indicator, the enterprises and time it took). The atoms are Arrow IPC files, not Parquet like the micro-data:
a few hundred rows that a reader opens in a tenth of a millisecond (Parquet: over a millisecond).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from pyarrow import feather

from ..domain import jsontext
from .durable import fsync_dir, fsync_file

ATOMS_FILE = "aggregates.arrow"
PANEL_FILE = "aggregates-panel.arrow"
META_FILE = "aggregates.json"
VERSION = 1
"""Format of the cube files; a cube of another version is ignored (the engine answers instead)."""
MAX_CACHED = 512


@dataclass(frozen=True)
class Cube:
    """The materialised aggregates of one release: ``atoms`` and ``panel`` (Arrow tables, values in the form's
    unit; ``panel`` None when last year's period was not published) and ``meta``."""

    path: Path
    atoms: pa.Table
    panel: pa.Table | None
    meta: dict[str, Any]

    @property
    def indicators(self) -> list[str]:
        """The indicators the cube holds."""
        return list(self.meta.get("indicators", []))

    @property
    def last_year_release(self) -> int | None:
        """The release number of last year's period the comparable panel was built against (None: there was
        none published)."""
        n = self.meta.get("last_year_release")
        return None if n is None else int(n)

    def top(self, indicator: str) -> list[float]:
        """The largest values of ``indicator`` (descending, at most :data:`~sitmon.analyse.cube.TOP`)."""
        return [float(v) for v in self.meta.get("top", {}).get(indicator, [])]


def write_cube(folder: Path, atoms: pd.DataFrame, panel: pd.DataFrame | None, meta: dict[str, Any]) -> None:
    """Write the cube files into ``folder`` (a release's staging folder, not yet visible), flushed to the disk
    with their directory entries, so they are as durable as the release when it is renamed into place."""
    written = [folder / ATOMS_FILE, folder / META_FILE]
    feather.write_feather(
        pa.Table.from_pandas(atoms, preserve_index=False), folder / ATOMS_FILE, compression="uncompressed"
    )
    if panel is not None:
        feather.write_feather(
            pa.Table.from_pandas(panel, preserve_index=False), folder / PANEL_FILE, compression="uncompressed"
        )
        written.append(folder / PANEL_FILE)
    (folder / META_FILE).write_text(
        jsontext.dumps({"version": VERSION, **meta}, default=str), encoding="utf-8"
    )
    for path in written:
        fsync_file(path)
    fsync_dir(folder)


_CACHE: OrderedDict[str, Cube | None] = OrderedDict()
_LOCK = threading.Lock()


def read_cube(release_folder: Path) -> Cube | None:
    """The cube of the release in ``release_folder``, or None when it has none (or one of another format
    version). Kept in memory once read: release folders never change."""
    key = str(release_folder)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    cube = _load(release_folder)
    with _LOCK:
        _CACHE[key] = cube
        while len(_CACHE) > MAX_CACHED:
            _CACHE.popitem(last=False)
    return cube


def _load(folder: Path) -> Cube | None:
    meta_path = folder / META_FILE
    if not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("version") != VERSION:
        return None
    panel = feather.read_table(folder / PANEL_FILE) if (folder / PANEL_FILE).exists() else None
    return Cube(folder, feather.read_table(folder / ATOMS_FILE), panel, meta)


def forget_cubes() -> None:
    """Drop every cube read into memory (benchmarks time a cold read with it)."""
    with _LOCK:
        _CACHE.clear()
