"""How a release becomes durable and visible: written to a staging folder, flushed to the disk, recorded in the
DB, and only then renamed to ``release=<N>`` — the one name readers look for. And how what a killed publish
left behind is settled by the next one.

In the period's folder of the warehouse (``<home>/warehouse/<form>/period=<P>/``):

- ``.tmp-*``: being written — removed by recovery (only the lock holder writes here);
- ``.staging-release=<N>``: complete and flushed, waiting for its DB record — renamed into place by recovery
  when the record was committed (the publish was killed after the commit), else removed;
- ``release=<N>``: visible to every reader; without a DB record (written by an older sitmon killed between its
  rename and its commit) it is **set aside** to ``.set-aside-release=<N>-<time>`` with its disclosure patterns
  (they live inside it), so queries stop serving it and the number can be published again.

Recovery runs while holding the period's publish lock (:mod:`sitmon.store.locks`), so nothing else writes there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import Settings
from ..domain import jsontext
from .durable import fsync_dir, fsync_file
from .patterns import pattern_path
from .warehouse import release_dir

STAGING = ".staging-release="
SET_ASIDE = ".set-aside-release="
_RELEASE = re.compile(r"^release=(\d+)$")
_STAGED = re.compile(r"^\.staging-release=(\d+)$")


def period_dir(settings: Settings, form: str, period: str) -> Path:
    """The warehouse folder of one form and period."""
    return settings.warehouse_dir / form / f"period={period}"


@dataclass(frozen=True)
class StagedRelease:
    """A release written and flushed to its staging folder, not yet visible."""

    settings: Settings
    form: str
    period: str
    number: int
    folder: Path
    checksum: str

    @property
    def final(self) -> Path:
        """Where the release becomes visible: ``.../release=<N>``."""
        return release_dir(self.settings, self.form, self.period, self.number)

    def make_visible(self) -> Path:
        """Rename the staged release into place (call after its DB record is committed); returns its folder."""
        os.replace(self.folder, self.final)
        fsync_dir(self.final.parent)
        mark_changed(self.settings, self.form)
        return self.final

    def discard(self) -> None:
        """Remove the staged release (its DB record was not committed)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def stage_release(
    settings: Settings, form: str, period: str, number: int, data: pd.DataFrame, manifest: dict[str, Any]
) -> StagedRelease:
    """Write ``data`` and its ``release.json`` (with the sha256 ``checksum`` of the data file) as the staged
    release ``number``, every file and folder flushed to the disk. Refuses a number that is visible already."""
    if release_dir(settings, form, period, number).exists():
        raise FileExistsError(f"release {form} {period} #{number} exists already: releases are immutable")
    parent = period_dir(settings, form, period)
    new_parent = not parent.exists()
    parent.mkdir(parents=True, exist_ok=True)
    if new_parent:
        fsync_dir(parent.parent)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=parent))
    try:
        data.to_parquet(tmp / "data.parquet", index=False)
        fsync_file(tmp / "data.parquet")
        checksum = _sha256(tmp / "data.parquet")
        text = jsontext.dumps({**manifest, "checksum": checksum}, indent=2, default=str)
        (tmp / "release.json").write_text(text, encoding="utf-8")
        fsync_file(tmp / "release.json")
        fsync_dir(tmp)
        staged = parent / f"{STAGING}{number}"
        if staged.exists():
            shutil.rmtree(staged)
        os.replace(tmp, staged)
        fsync_dir(parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return StagedRelease(settings, form, period, number, staged, checksum)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def mark_changed(settings: Settings, form: str) -> None:
    """Move the form folder's modification time strictly forward: what readers' caches watch
    (:func:`sitmon.store.warehouse.release_fingerprint`)."""
    base = settings.warehouse_dir / form
    old = base.stat().st_mtime_ns
    now = time.time_ns()
    os.utime(base, ns=(now, max(now, old + 1)))


def recover_period(settings: Settings, form: str, period: str, recorded: set[int]) -> list[str]:
    """Settle what a killed publish of ``form``/``period`` left (see the module docstring), given the release
    numbers the DB records. Returns one line per thing done (empty when the folder was in order)."""
    parent = period_dir(settings, form, period)
    if not parent.exists():
        return []
    done: list[str] = []
    changed = False
    for entry in sorted(parent.iterdir()):
        name = entry.name
        if name.startswith(".tmp-"):
            shutil.rmtree(entry, ignore_errors=True)
            done.append(f"removed unfinished {name}")
        elif (m := _STAGED.match(name)) is not None:
            number = int(m.group(1))
            final = parent / f"release={number}"
            if number in recorded and not final.exists() and _complete(entry):
                os.replace(entry, final)
                changed = True
                done.append(f"completed release={number} (recorded, not yet visible)")
            else:
                shutil.rmtree(entry, ignore_errors=True)
                done.append(f"removed unrecorded {name}")
        elif (m := _RELEASE.match(name)) is not None and int(m.group(1)) not in recorded:
            number = int(m.group(1))
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            os.replace(entry, parent / f"{SET_ASIDE}{number}-{stamp}")  # its disclosure patterns inside it
            changed = True
            done.append(f"set aside unrecorded release={number}")
    _sweep_pattern_tmp(settings, form, period)
    if done:
        fsync_dir(parent)
    if changed:
        mark_changed(settings, form)
    return done


def _complete(folder: Path) -> bool:
    """True when a staged folder holds its data and a manifest whose checksum matches the data."""
    try:
        manifest = json.loads((folder / "release.json").read_text(encoding="utf-8"))
        return bool(manifest.get("checksum") == _sha256(folder / "data.parquet"))
    except (OSError, ValueError):
        return False


def _sweep_pattern_tmp(settings: Settings, form: str, period: str, older_than: float = 600) -> None:
    """Remove temporary pattern files a killed process left in visible releases (old enough that no live writer
    owns them; patterns live in ``release=<N>/disclosure/``)."""
    base = period_dir(settings, form, period)
    if not base.exists():
        return
    limit = time.time() - older_than
    for tmp in base.glob(f"release=*/{pattern_path(settings, form, period, 0, 'x').parent.name}/.tmp-*"):
        try:
            if tmp.stat().st_mtime < limit:
                tmp.unlink()
        except FileNotFoundError:
            pass


def stray_periods(settings: Settings, form: str) -> list[str]:
    """Periods of ``form`` whose folder holds something a killed publish left (a temporary or staged folder)."""
    base = settings.warehouse_dir / form
    if not base.exists():
        return []
    out = []
    for pdir in sorted(base.glob("period=*")):
        if any(e.name.startswith((".tmp-", STAGING)) for e in pdir.iterdir()):
            out.append(pdir.name.split("=", 1)[1])
    return out
