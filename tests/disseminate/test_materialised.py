"""Materialised aggregates (a release's cube): written with the release at publish time, equal to the engine for
every breakdown, measure and period, and set aside where they would not be — a release without a cube, a cube
paired with a superseded release of last year; a release whose cube fails (or whose publisher is killed) is not
visible."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from itertools import combinations

import pandas as pd
import pytest

from sitmon.analyse.measures import DIMENSIONS, MEASURES, measure
from sitmon.config import Settings
from sitmon.disseminate.materialised import Materialised
from sitmon.disseminate.tables import published_table
from sitmon.process.materialise import materialise
from sitmon.store.cubes import ATOMS_FILE, META_FILE, read_cube
from sitmon.store.warehouse import Warehouse, release_files, write_release

PERIODS = ["2023-01", "2023-06", "2024-01", "2024-06", "2024-12"]
TABLES = [
    (),
    *[(d,) for d in DIMENSIONS],
    *combinations(("region", "province", "city", "sector"), 2),
    ("city", "size_tier"),
    ("region", "province", "sector"),
]


def engine_cells(t, name, indicator, by, period):
    out = {}
    for r in measure(t, name, indicator, list(by), period).execute().itertuples(index=False):
        key = tuple(None if isinstance(v, float) and v != v else v for v in r[:-1])
        out[key] = None if r[-1] != r[-1] else float(r[-1])
    return out


def assert_same(got, want, label):
    assert got is not None, f"{label}: not materialised"
    got = dict(got)
    assert set(got) == set(want), label
    for k, v in want.items():
        if v is None:
            assert got[k] is None, (label, k)
        else:
            assert got[k] == pytest.approx(v, rel=1e-9, abs=1e-9), (label, k)


@pytest.mark.slow
@pytest.mark.parametrize("indicator", ["revenue_total", "profit_total"])
def test_the_cube_gives_the_engines_answer_for_every_breakdown_measure_and_period(published, indicator):
    s = published.settings
    t = Warehouse(s).table("monthly")
    mat = Materialised(s)
    for by in TABLES:
        for name in MEASURES:
            for p in PERIODS:
                assert_same(
                    mat.values("monthly", p, indicator, by, name),
                    engine_cells(t, name, indicator, by, p),
                    f"{indicator} {by} {name} {p}",
                )


def test_publishing_writes_the_cube_with_the_release(published):
    s = published.settings
    (f,) = release_files(s, "monthly", ["2024-06"])
    cube = read_cube(f.path.parent)
    assert cube is not None and (f.path.parent / ATOMS_FILE).exists()
    meta = json.loads((f.path.parent / META_FILE).read_text(encoding="utf-8"))
    assert meta["last_year_period"] == "2023-06" and meta["last_year_release"] == 1
    assert meta["enterprises"] == len(pd.read_parquet(f.path))
    assert len(meta["top"]["revenue_total"]) == min(100, meta["enterprises"])
    first = read_cube(release_files(s, "monthly", ["2023-01"])[0].path.parent)
    assert first is not None and first.panel is None and first.last_year_release is None
    res = published_table(
        s, "revenue_total", "province", "2024-01:2024-06", "ytd,month,yoy,yoy_comparable,share"
    )
    assert res.materialised == 6 * 5  # every part of the table from the cubes, no engine


def _write(settings, period, data, cube=True):
    existing = [f.number for f in Warehouse(settings).files("monthly", [period])]
    number = (max(existing) + 1) if existing else 1
    derived = (lambda folder: materialise(settings, "monthly", period, folder)) if cube else None
    write_release(settings, "monthly", period, number, data, {"synthetic": True}, derived=derived)


def _release(published, period):
    return pd.read_parquet(release_files(published.settings, "monthly", [period])[0].path)


def test_what_is_not_materialised_comes_from_the_engine(published, tmp_path):
    s = Settings(home=tmp_path / "home")
    _write(s, "2023-06", _release(published, "2023-06"), cube=False)  # published before cubes existed
    _write(s, "2024-05", _release(published, "2024-05"))
    _write(s, "2024-06", _release(published, "2024-06"))
    mat = Materialised(s)
    assert (
        mat.values("monthly", "2024-06", "revenue_total", ["region"], "yoy") is None
    )  # last year has no cube
    assert mat.values("monthly", "2024-06", "revenue_total", ["region"], "month") is not None
    res = published_table(s, "revenue_total", "region", "2024-06", "ytd,month,yoy,yoy_comparable")
    assert res.materialised == 3  # comparable growth: the cube was paired with 2023-06 #1, still in force
    t = Warehouse(s).table("monthly")
    for name in ("ytd", "month", "yoy", "yoy_comparable"):
        got = [((r["region"],), r["value"]) for r in res.rows if r["measure"] == name]
        assert_same(got, engine_cells(t, name, "revenue_total", ["region"], "2024-06"), name)


def test_a_cube_paired_with_a_superseded_release_is_set_aside(published, tmp_path):
    s = Settings(home=tmp_path / "home")
    last = _release(published, "2023-06")
    _write(s, "2023-06", last)
    _write(s, "2024-06", _release(published, "2024-06"))
    revised = last.copy()
    revised.loc[revised.index[:20], "revenue_total"] *= 2  # a revision of last year after this year's release
    _write(s, "2023-06", revised)
    mat = Materialised(s)
    assert mat.values("monthly", "2024-06", "revenue_total", ["sector"], "yoy_comparable") is None
    assert (
        mat.values("monthly", "2024-06", "revenue_total", ["sector"], "yoy") is not None
    )  # reads 2023-06 #2
    t = Warehouse(s).table("monthly")
    for name in ("yoy", "yoy_comparable"):
        res = published_table(s, "revenue_total", "sector", "2024-06", name)
        assert_same(
            [((r["sector"],), r["value"]) for r in res.rows],
            engine_cells(t, name, "revenue_total", ["sector"], "2024-06"),
            name,
        )


def test_a_release_whose_cube_fails_is_not_visible(published, tmp_path):
    s = Settings(home=tmp_path / "home")

    def broken(folder):
        raise RuntimeError("the cube could not be computed")

    with pytest.raises(RuntimeError):
        write_release(s, "monthly", "2024-06", 1, _release(published, "2024-06"), {}, derived=broken)
    assert release_files(s, "monthly") == []
    assert list((s.warehouse_dir / "monthly" / "period=2024-06").iterdir()) == []  # no staging folder left
    _write(s, "2024-06", _release(published, "2024-06"))
    assert [f.number for f in release_files(s, "monthly")] == [1]


KILLED = """
import sys, time
from pathlib import Path
import pandas as pd
from sitmon.config import Settings
from sitmon.process.materialise import materialise
from sitmon.store.warehouse import write_release
s = Settings(home=Path(sys.argv[1]))
def slow(folder):
    materialise(s, "monthly", "2024-06", folder)
    Path(sys.argv[3]).write_text("cube written")
    time.sleep(60)
write_release(s, "monthly", "2024-06", 1, pd.read_parquet(sys.argv[2]), {}, derived=slow)
"""


@pytest.mark.slow
def test_a_publisher_killed_half_way_leaves_no_visible_release(published, tmp_path):
    s = Settings(home=tmp_path / "home")
    src = release_files(published.settings, "monthly", ["2024-06"])[0].path
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(s.home), str(src), str(marker)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, (
                "the publisher did not get to its cube"
            )
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert release_files(s, "monthly") == []  # the staging folder holds the cube; nothing is visible
    _write(s, "2024-06", pd.read_parquet(src))
    (f,) = release_files(s, "monthly")
    assert f.number == 1 and read_cube(f.path.parent) is not None
