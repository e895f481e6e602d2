"""Hostile files fed to the intake in a separate process whose address space is capped (RLIMIT_AS): each is
refused with a clear error naming the file (and the row when there is one), none crashes or exhausts memory, and
the store is unchanged. A seeded corpus of random mutations of a valid file must never crash either."""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from sitmon.collect.registry import import_enterprises
from sitmon.config import Settings
from sitmon.domain.uscc import make_uscc
from sitmon.store import models
from sitmon.store.db import Database

from .conftest import MONTHLY, good_values

pytestmark = pytest.mark.slow
ADDRESS_SPACE = (
    2 * 1024**3
)  # 2 GiB of virtual memory for the whole process (the interpreter and libraries too)
USCC = make_uscc("110108", 1)
RUNNER = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
from datetime import date
from pathlib import Path
from sitmon.collect.intake import import_bytes
from sitmon.config import Settings
from sitmon.store.db import Database
db = Database(Settings(home=Path(sys.argv[1])))
dry = sys.argv[4] == "dry"
out = []
for path in json.loads(Path(sys.argv[2]).read_text()):
    p = Path(path)
    try:
        r = import_bytes(db, p.name, p.read_bytes(), dry_run=dry, today=date(2026, 11, 22))
        out.append({"file": p.name, "status": r.status, "errors": [[e.file, e.row, e.rule, e.message_en]
                                                                    for e in r.errors[:3]]})
    except MemoryError:
        out.append({"file": p.name, "status": "crash", "errors": [["MemoryError"]]})
    except Exception as exc:
        out.append({"file": p.name, "status": "crash", "errors": [[repr(exc)[:300]]]})
print(json.dumps(out))
"""


def _valid_rows() -> list[list[object]]:
    header = ["uscc", "period", *MONTHLY, "note"]
    v = good_values()
    return [header, [USCC, "2024-01", *[v[k] for k in MONTHLY], "说明"]]


def _csv(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def _xlsx(build) -> bytes:  # type: ignore[no-untyped-def]
    wb = Workbook()
    build(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip_bomb() -> bytes:
    """A small XLSX whose worksheet unpacks to about 1 GB of rows."""
    base = _xlsx(lambda ws: ws.append(["uscc", "period"]))
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>' + b"9" * 200 + b"</t></is></c></row>"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info, src.read(info.filename))
                continue
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                fh.write(
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>'
                )
                block = row * 4096
                for _ in range(1_000_000_000 // len(block)):
                    fh.write(block)
                fh.write(b"</sheetData></worksheet>")
    return out.getvalue()


def hostile_corpus(folder: Path) -> list[Path]:
    """Files an attacker or an accident would send, each refused for its own reason."""
    valid = _valid_rows()
    v = valid[1]
    cases: dict[str, bytes] = {
        "inf.csv": _csv([valid[0], [*v[:2], "inf", *v[3:]]]),
        "neg-infinity.csv": _csv([valid[0], [*v[:2], *v[2:10], "-Infinity", *v[11:]]]),
        "huge-number.csv": _csv([valid[0], [*v[:2], "1.7e308", *v[3:]]]),
        "employees-1e19.csv": _csv([valid[0], [*v[:12], "1e19", *v[13:]]]),
        "period-march.csv": _csv([valid[0], [v[0], "March", *v[2:]]]),
        "period-0000.csv": _csv([valid[0], [v[0], "0000-01", *v[2:]]]),
        "period-13.csv": _csv([valid[0], [v[0], "2024/13", *v[2:]]]),
        "nul.csv": _csv(valid).replace("说明".encode(), b"\x00"),
        "cut-utf8.csv": _csv(valid).rstrip(b"\r\n")[:-1],
        "long-field.csv": _csv([valid[0], [*v[:-1], "x" * 300_000]]),
        "escape-codes.csv": _csv([valid[0], [*v[:-1], "\x1b]0;pwned\x07"]]),
        "open-quote.csv": _csv(valid) + b'"' + b"a," * 100_000,
        "wide.csv": _csv([[f"c{i}" for i in range(5000)], ["1"] * 5000]),
        "many-rows.csv": _csv([valid[0]]) + (",".join(map(str, v)) + "\n").encode() * 310_000,
        "garbage.csv": bytes(random.Random(1).getrandbits(8) for _ in range(50_000)),
        "empty.csv": b"",
        "header-only.csv": _csv([valid[0]]),
        "not-a-zip.xlsx": b"PK\x03\x04" + b"\x00" * 1000,
        "garbage.xlsx": bytes(random.Random(2).getrandbits(8) for _ in range(50_000)),
        "whole-sheet.xlsx": _xlsx(
            lambda ws: (ws.append(["uscc", "period"]), ws.__setitem__("XFD1048576", 1))
        ),
        "bomb.xlsx": _zip_bomb(),
        "unsupported.pdf": b"%PDF-1.4",
    }
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in cases.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths


def mutants(folder: Path, n: int = 60, seed: int = 11) -> list[Path]:
    """Random mutations of a valid file: bytes flipped, inserted, deleted, cut, lines repeated."""
    rnd = random.Random(seed)
    base = _csv(_valid_rows() * 1)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        data = bytearray(base)
        for _ in range(rnd.randint(1, 8)):
            op = rnd.choice(["flip", "insert", "delete", "cut", "repeat"])
            pos = rnd.randrange(max(1, len(data)))
            if op == "flip" and data:
                data[pos] = rnd.getrandbits(8)
            elif op == "insert":
                data[pos:pos] = rnd.choice(
                    [b"\x00", b'"', b",", b"\n", b"\xe4\xb8", b"inf", b"-", b"\r", b"=1+1"]
                )
            elif op == "delete":
                del data[pos : pos + rnd.randint(1, 5)]
            elif op == "cut":
                data = data[:pos]
            else:
                data += bytes(data[pos:]) * rnd.randint(1, 50)
        path = folder / f"mutant-{i:03d}.{rnd.choice(['csv', 'csv', 'xlsx'])}"
        path.write_bytes(bytes(data))
        out.append(path)
    return out


def _run(home: Path, files: list[Path], mode: str) -> list[dict]:
    listing = home.parent / f"{mode}.json"
    listing.write_text(json.dumps([str(p) for p in files]))
    env = {
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", RUNNER, str(home), str(listing), str(ADDRESS_SPACE), mode],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _state(db: Database) -> tuple:
    with db.session() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(t)) for t in (models.Upload, models.Report))
    archive = (
        sorted(str(p) for p in db.settings.archive_dir.rglob("*")) if db.settings.archive_dir.exists() else []
    )
    return counts, archive


def test_hostile_files_are_refused_with_memory_capped(tmp_path):
    home = tmp_path / "home"
    db = Database(Settings(home=home))
    db.upgrade()
    reg = tmp_path / "e.csv"
    reg.write_text(
        f"uscc,name,region_code,sector,founded\n{USCC},测试企业,110108,it_services,2010-01-01\n",
        encoding="utf-8",
    )
    assert import_enterprises(db, reg).status == "stored"
    before = _state(db)
    results = _run(home, hostile_corpus(tmp_path / "hostile"), "store")
    for r in results:
        assert r["status"] == "rejected", r
        assert r["errors"] and r["errors"][0][0] == r["file"] and r["errors"][0][3], r
    assert _state(db) == before
    db.dispose()


def test_random_mutants_never_crash_with_memory_capped(tmp_path):
    home = tmp_path / "home"
    db = Database(Settings(home=home))
    db.upgrade()
    db.dispose()
    results = _run(home, mutants(tmp_path / "mutants"), "dry")
    assert [r for r in results if r["status"] == "crash"] == []
    assert all(r["status"] in ("rejected", "dry_run", "unchanged") for r in results)
    assert all(r["errors"][0][3] for r in results if r["status"] == "rejected")
