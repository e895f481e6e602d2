"""Publishing and importing that survive a crash half-way and take turns: an unrecorded release folder is set
aside, a recorded one not yet renamed is completed, no `.tmp-*` stays; concurrent publishes and imports
serialise; the archive holds a file only with its upload record; storage failures read as plain messages."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event, func, select

from sitmon.collect.intake import import_file
from sitmon.config import Settings
from sitmon.process.publish import publish
from sitmon.process.review import accept_period
from sitmon.store import models
from sitmon.store.db import Database
from sitmon.store.failures import storage_failure
from sitmon.store.locks import Busy, exclusive
from sitmon.store.patterns import pattern_path, read_pattern
from sitmon.store.warehouse import release_files, write_release

from ..collect.conftest import good_values, write_csv
from .test_publish import CODES, TODAY


def _setup(db, tmp_path):
    import csv

    from sitmon.collect.registry import import_enterprises

    reg = tmp_path / "e.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector", "founded"])
        for k, u in CODES.items():
            w.writerow([u, f"企业{k}", "330100", "it_services", "2015-01-01"])
    assert import_enterprises(db, reg).status == "stored"
    rows = [{"uscc": u, "period": "2024-01", **good_values(1)} for u in CODES.values()]
    assert import_file(db, write_csv(tmp_path / "jan.csv", rows), today=TODAY).status == "stored"
    accept_period(db, "2024-01")


def _recorded(db) -> list[int]:
    with db.session() as s:
        return sorted(s.scalars(select(models.Release.number)))


def _folder(db) -> Path:
    return db.settings.warehouse_dir / "monthly" / "period=2024-01"


def test_an_unrecorded_release_folder_is_set_aside_by_the_next_publish(db, tmp_path):
    _setup(db, tmp_path)
    # what the old publish left when killed between its rename and its commit: a visible, unrecorded release 1
    fake = pd.DataFrame({"enterprise_key": [1], "period": ["2024-01"], "revenue_total": [1e6]})
    write_release(db.settings, "monthly", "2024-01", 1, fake, {"synthetic": True})
    stale = pattern_path(db.settings, "monthly", "2024-01", 1, "revenue_total")
    stale.parent.mkdir(parents=True)
    stale.write_text('{"stale": true}', encoding="utf-8")  # its patterns live inside it
    rel = publish(db, "2024-01")
    assert rel.number == 1 and _recorded(db) == [1]
    names = sorted(p.name for p in _folder(db).iterdir())
    assert names[0].startswith(".set-aside-release=1-") and names[1] == "release=1" and len(names) == 2
    served = pd.read_parquet(release_files(db.settings, "monthly", ["2024-01"])[0].path)
    assert len(served) == 5  # the real release, not the unrecorded one
    fresh = read_pattern(db.settings, "monthly", "2024-01", 1, "revenue_total")
    assert (
        fresh is not None and "stale" not in fresh and fresh["release"] == 1
    )  # computed for the real release
    aside = next(p for p in _folder(db).iterdir() if p.name.startswith(".set-aside-release=1-"))
    assert (aside / "disclosure" / "revenue_total.json").read_text(encoding="utf-8") == '{"stale": true}'
    with db.session() as s:
        steps = [
            e.detail["step"]
            for e in s.scalars(
                select(models.AuditEvent).where(models.AuditEvent.action == "release.recovered")
            )
        ]
    assert steps == ["set aside unrecorded release=1"]


@pytest.mark.slow
def test_a_release_recorded_but_not_renamed_is_completed(db, tmp_path, monkeypatch):
    _setup(db, tmp_path)
    from sitmon.store import staging

    def killed(self):  # the process dies right after the DB commit
        raise SystemExit("killed")

    monkeypatch.setattr(staging.StagedRelease, "make_visible", killed)
    with pytest.raises(SystemExit):
        publish(db, "2024-01")
    assert _recorded(db) == [1] and not release_files(db.settings, "monthly")
    monkeypatch.undo()
    rel = publish(db, "2024-01")
    assert rel.number == 2 and _recorded(db) == [1, 2]
    assert sorted(p.name for p in _folder(db).iterdir()) == ["release=1", "release=2"]


def test_a_failed_publish_leaves_no_folder(db, tmp_path, monkeypatch):
    _setup(db, tmp_path)
    from sitmon.store import releases

    def boom(*a, **k):
        raise RuntimeError("db down")

    monkeypatch.setattr("sitmon.process.release_commit.add_release", boom)
    with pytest.raises(RuntimeError):
        publish(db, "2024-01")
    assert list(_folder(db).iterdir()) == [] and _recorded(db) == []
    assert releases  # module used


@pytest.mark.slow
def test_two_publishes_of_one_period_take_turns(db, tmp_path):
    _setup(db, tmp_path)
    errors: list[BaseException] = []

    def run():
        other = Database(db.settings)
        try:
            publish(other, "2024-01")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and _recorded(db) == [1, 2, 3]
    assert sorted(p.name for p in _folder(db).iterdir()) == ["release=1", "release=2", "release=3"]


def test_a_held_lock_is_a_plain_message_after_the_wait(db):
    with exclusive(db, "publish:monthly:2024-01"):
        other = Database(db.settings)
        with pytest.raises(Busy) as err, exclusive(other, "publish:monthly:2024-01", timeout=0.2):
            pass
        other.dispose()
    assert "publish monthly 2024-01" in str(err.value)
    assert "another process" in storage_failure(err.value).render("en")


def test_concurrent_imports_of_the_same_and_overlapping_files_serialise(db, tmp_path):
    _setup(db, tmp_path)
    same = write_csv(
        tmp_path / "feb.csv", [{"uscc": u, "period": "2024-02", **good_values(2)} for u in CODES.values()]
    )
    overlap = [
        write_csv(
            tmp_path / f"o{i}.csv",
            [{"uscc": u, "period": "2024-02", **good_values(2 + i / 10)} for u in CODES.values()],
        )
        for i in (1, 2)
    ]
    results, errors = [], []

    def run(path):
        other = Database(db.settings)
        try:
            results.append(import_file(other, path, today=TODAY).status)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=run, args=(p,)) for p in (same, same, *overlap)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == ["stored", "stored", "stored", "unchanged"]
    with db.session() as s:
        revs = sorted(s.scalars(select(models.Report.revision).where(models.Report.period == "2024-02")))
    assert revs == sorted([1, 2, 3] * len(CODES))


def _archive_files(db) -> list[Path]:
    root = db.settings.archive_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_failed_import_archives_nothing(db, tmp_path, monkeypatch):
    _setup(db, tmp_path)
    before = _archive_files(db)

    def boom(*a, **k):
        raise RuntimeError("insert failed")

    monkeypatch.setattr("sitmon.collect.intake.add_revisions", boom)
    feb = write_csv(
        tmp_path / "feb.csv", [{"uscc": u, "period": "2024-02", **good_values(2)} for u in CODES.values()]
    )
    with pytest.raises(RuntimeError):
        import_file(db, feb, today=TODAY)
    assert _archive_files(db) == before


def test_a_killed_import_leaves_nothing_after_the_next_one(db, tmp_path, monkeypatch):
    _setup(db, tmp_path)
    before = _archive_files(db)
    from sitmon.store import archive

    monkeypatch.setattr(archive.StagedFile, "discard", lambda self: None)  # as if killed: nothing cleans up

    def boom(*a, **k):
        raise SystemExit("killed")

    monkeypatch.setattr("sitmon.collect.intake.add_revisions", boom)
    feb = write_csv(
        tmp_path / "feb.csv", [{"uscc": u, "period": "2024-02", **good_values(2)} for u in CODES.values()]
    )
    with pytest.raises(SystemExit):
        import_file(db, feb, today=TODAY)
    monkeypatch.undo()
    other = write_csv(
        tmp_path / "mar.csv", [{"uscc": u, "period": "2024-03", **good_values(3)} for u in CODES.values()]
    )
    assert import_file(db, other, today=TODAY).status == "stored"
    with db.session() as s:
        shas = set(s.scalars(select(models.Upload.sha256)))
    after = _archive_files(db)
    assert {p.name.split(".")[0] for p in after} == shas and len(after) == len(before) + 1


def test_a_full_disk_is_a_plain_message(sqlite_settings, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sitmon.cli import app
    from sitmon.store import archive

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(archive, "write_bytes", full)
    reg = tmp_path / "e.csv"
    reg.write_text(
        "uscc,name,region_code,sector\n" + f"{CODES['A']},甲,330100,it_services\n", encoding="utf-8"
    )
    out = CliRunner().invoke(
        app, ["--home", str(sqlite_settings.home), "--lang", "en", "enterprises", "import", str(reg)]
    )
    assert out.exit_code == 1 and "disk is full" in " ".join(out.output.split())
    assert "Traceback" not in out.output
    db = Database(sqlite_settings)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(models.Upload)) == 0
    assert _archive_files(db) == []


def test_a_full_sqlite_database_archives_nothing(sqlite_db, tmp_path):
    db = sqlite_db
    _setup(db, tmp_path)
    before = _archive_files(db)
    with db.engine.connect() as c:
        pages = c.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_conn, _):
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 1}")

    db.engine.dispose()
    big = [
        {"uscc": u, "period": f"2024-{m:02d}", **good_values(m), "note": "说明" * 500}
        for m in range(2, 13)
        for u in CODES.values()
    ]
    with pytest.raises(Exception) as err:
        import_file(db, write_csv(tmp_path / "big.csv", big), today=TODAY)
    assert storage_failure(err.value, db.settings).key == "crash_safety.disk_full"
    assert _archive_files(db) == before


def test_sqlite_flushes_every_commit(sqlite_db):
    with sqlite_db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


@pytest.mark.slow
def test_a_release_is_flushed_before_it_is_recorded(db, tmp_path, monkeypatch):
    _setup(db, tmp_path)
    synced: list[str] = []
    real = os.fsync

    def spy(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    publish(db, "2024-01")
    names = [Path(p).name for p in synced]
    assert "data.parquet" in names and "release.json" in names and "period=2024-01" in names


def _read_only_run(home: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real ``sitmon`` with ``home`` on a read-only file system (a read-only bind mount in a private mount
    namespace as root; a folder without write permission otherwise)."""
    cmd = [sys.executable, "-m", "sitmon.cli", "--lang", "en", *args]
    if os.geteuid() == 0:
        view = home.parent / "ro-view"
        view.mkdir(exist_ok=True)
        script = f'mount --bind "{home}" "{view}" && mount -o remount,bind,ro "{view}" && exec "$@"'
        cmd = ["unshare", "-m", "sh", "-c", script, "sh", *[c.replace(str(home), str(view)) for c in cmd]]
    else:
        os.chmod(home, 0o555)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_a_read_only_home_is_a_plain_message(tmp_path):
    home = tmp_path / "home"
    db = Database(Settings(home=home))
    db.upgrade()
    db.dispose()
    reg = tmp_path / "e.csv"
    reg.write_text(
        "uscc,name,region_code,sector\n" + f"{CODES['A']},甲,330100,it_services\n", encoding="utf-8"
    )
    for args in (
        ("--home", str(home), "enterprises", "import", str(reg)),
        ("--home", str(home / "new"), "releases", "list"),
    ):
        out = _read_only_run(home, *args)
        text = " ".join(out.stderr.split())
        assert out.returncode == 1, out.stderr
        assert "not writable" in text and "Traceback" not in text and "unable to open" not in text
