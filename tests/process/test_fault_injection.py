"""Fault injection: ``sitmon publish`` and ``sitmon reports import`` are SIGKILLed right after each of their
durable steps (every rename, fsync, removal and DB commit — so also right after the release folder appears), and
after every kill the store is consistent and the next run succeeds and leaves it whole."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from sitmon.collect.intake import import_file
from sitmon.collect.registry import import_enterprises
from sitmon.config import Settings
from sitmon.domain.uscc import make_uscc
from sitmon.process.publish import publish
from sitmon.process.review import accept_period
from sitmon.store import models
from sitmon.store.archive import sha256_hex
from sitmon.store.db import Database
from sitmon.store.warehouse import release_files

from ..collect.conftest import good_values, write_csv

pytestmark = [pytest.mark.slow, pytest.mark.integration]
RUNNER = Path(__file__).with_name("fault_runner.py")
CODES = [make_uscc("330100", i) for i in range(1, 7)]
TODAY = date.today()


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    """A home with six registered enterprises and an accepted January (the state each kill starts from)."""
    base = tmp_path_factory.mktemp("faults")
    home = base / "home"
    db = Database(Settings(home=home))
    db.upgrade()
    reg = base / "e.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector", "founded"])
        w.writerows(
            [u, f"企业{i}（synthetic）", "330100", "it_services", "2015-01-01"] for i, u in enumerate(CODES)
        )
    assert import_enterprises(db, reg).status == "stored"
    jan = write_csv(base / "jan.csv", [{"uscc": u, "period": "2024-01", **good_values(1)} for u in CODES])
    assert import_file(db, jan, today=TODAY).status == "stored"
    accept_period(db, "2024-01")
    db.dispose()
    write_csv(base / "feb.csv", [{"uscc": u, "period": "2024-02", **good_values(2)} for u in CODES])
    return base


def _run(home: Path, at: int, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITMON_HOME": str(home), "SITMON_FAULT_AT": str(at), "SITMON_LANG": "en"}
    return subprocess.run(
        [sys.executable, str(RUNNER), *args], env=env, capture_output=True, text=True, timeout=300
    )


def _steps(home: Path, *args: str) -> int:
    out = _run(home, 0, *args)
    assert out.returncode == 0, out.stderr
    return int(re.findall(r"steps=(\d+)", out.stderr)[-1])


def _fresh(seed: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(seed / "home", home)
    return home


def _visible_releases_are_recorded(db: Database) -> None:
    with db.session() as s:
        recorded = {(r.period, r.number): r.checksum for r in s.scalars(select(models.Release))}
    for f in release_files(db.settings, "monthly"):
        folders = sorted(p for p in f.path.parent.parent.glob("release=*"))
        for folder in folders:
            n = int(folder.name.split("=")[1])
            assert (f.period, n) in recorded, f"visible release {folder} has no DB record"
            assert sha256_hex((folder / "data.parquet").read_bytes()) == recorded[(f.period, n)]
            assert json.loads((folder / "release.json").read_text())["checksum"] == recorded[(f.period, n)]


def _whole(db: Database) -> None:
    """After a successful run: every recorded release visible and intact, nothing temporary left anywhere."""
    _visible_releases_are_recorded(db)
    with db.session() as s:
        recorded = sorted((r.period, r.number) for r in s.scalars(select(models.Release)))
        shas = set(s.scalars(select(models.Upload.sha256)))
    visible = sorted(
        (p.parent.name.split("=")[1], int(p.name.split("=")[1]))
        for p in db.settings.warehouse_dir.glob("monthly/period=*/release=*")
    )
    assert visible == recorded
    left = [p for p in db.settings.home.rglob("*") if p.name.startswith((".tmp-", ".staging-"))]
    assert left == []
    archive = db.settings.archive_dir
    files = {p.name.split(".")[0] for p in archive.rglob("*") if p.is_file() and ".staging" not in p.parts}
    assert files == shas
    assert not (archive / ".staging").exists() or list((archive / ".staging").iterdir()) == []


def test_publish_killed_at_every_step(seed, tmp_path):
    total = _steps(_fresh(seed, tmp_path), "publish", "--period", "2024-01")
    assert total >= 8
    for at in range(1, total + 1):
        home = _fresh(seed, tmp_path)
        out = _run(home, at, "publish", "--period", "2024-01")
        assert out.returncode == -9, (at, out.stderr)
        db = Database(Settings(home=home))
        _visible_releases_are_recorded(db)  # consistent right after the kill: nothing unrecorded is served
        rel = publish(db, "2024-01")  # the next run succeeds
        _whole(db)
        served = pd.read_parquet(release_files(db.settings, "monthly", ["2024-01"])[0].path)
        assert len(served) == len(CODES) and rel.number in (1, 2)
        db.dispose()


def test_import_killed_at_every_step(seed, tmp_path):
    feb = seed / "feb.csv"
    total = _steps(_fresh(seed, tmp_path), "reports", "import", str(feb))
    assert total >= 5
    for at in range(1, total + 1):
        home = _fresh(seed, tmp_path)
        out = _run(home, at, "reports", "import", str(feb))
        assert out.returncode == -9, (at, out.stderr)
        db = Database(Settings(home=home))
        with db.session() as s:  # one transaction: all of the file or none of it
            n = len(list(s.scalars(select(models.Report).where(models.Report.period == "2024-02"))))
        assert n in (0, len(CODES))
        res = import_file(db, feb, today=TODAY)  # the next run succeeds
        assert res.status == ("unchanged" if n else "stored"), res.errors
        _whole(db)
        with db.session() as s:
            revs = list(s.scalars(select(models.Report.revision).where(models.Report.period == "2024-02")))
        assert sorted(revs) == [1] * len(CODES)
        db.dispose()
