"""Bounded memory of the intake, measured as the peak RSS of a separate process (``resource.getrusage``): a
1,000,000-row file is refused, and a valid 235,000-row file is stored, each under 1 GB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitmon.collect.registry import import_enterprises
from sitmon.collect.synthetic import simulate, write
from sitmon.config import Settings
from sitmon.store.db import Database

pytestmark = pytest.mark.slow
LIMIT_MB = 1024
MEASURE = """
import json, resource, sys
from datetime import date
from pathlib import Path
from sitmon.collect.intake import import_file
from sitmon.config import Settings
from sitmon.store.db import Database
db = Database(Settings(home=Path(sys.argv[1])))
res = import_file(db, Path(sys.argv[2]), today=date(2026, 11, 22))
print(json.dumps({"status": res.status, "rows": res.rows, "errors": [e.message_en for e in res.errors[:3]],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(home: Path, path: Path) -> dict:
    """Import ``path`` into ``home`` in a fresh process; its outcome and peak resident memory (MB)."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(home), str(path)], capture_output=True, text=True, timeout=900
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> tuple[Path, Path]:
    """A registry of 20,000 synthetic enterprises and one file with their twelve months of 2024 (about 235,000
    rows)."""
    base = tmp_path_factory.mktemp("memory")
    write(simulate(20_000, 2024, 2024, seed=5, missing_rate=0.02), base / "gen", annual=False)
    home = base / "home"
    db = Database(Settings(home=home))
    db.upgrade()
    assert import_enterprises(db, base / "gen" / "enterprises.csv").status == "stored"
    db.dispose()
    files = sorted((base / "gen" / "reports").glob("synthetic-monthly-*.csv"))
    big = base / "year.csv"
    with big.open("wb") as out:
        for i, f in enumerate(files):
            lines = f.read_bytes().splitlines(keepends=True)
            out.writelines(lines if i == 0 else lines[1:])
    return home, big


def test_a_valid_235k_row_file_is_stored_under_1_gb(year):
    home, big = year
    rows = sum(1 for _ in big.open("rb")) - 1
    assert rows >= 230_000
    got = measure(home, big)
    assert got["status"] == "stored", got["errors"]
    assert got["peak_mb"] < LIMIT_MB, got


def test_a_million_row_file_is_refused_under_1_gb(year, tmp_path):
    home, big = year
    lines = big.read_bytes().splitlines(keepends=True)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:
        out.write(lines[0])
        n = 0
        while n < 1_000_000:
            chunk = lines[1 : 1 + min(len(lines) - 1, 1_000_000 - n)]
            out.writelines(chunk)
            n += len(chunk)
    got = measure(home, huge)
    assert got["status"] == "rejected" and "more than 300000 rows" in got["errors"][0]
    assert got["peak_mb"] < LIMIT_MB, got
