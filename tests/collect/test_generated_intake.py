"""The generator and the intake together: clean files import; every injected error is caught."""

import json
from datetime import date

from sitmon.collect.intake import import_file
from sitmon.collect.registry import import_enterprises
from sitmon.collect.synthetic import simulate, write


def test_generated_files_import_and_injected_errors_are_caught(sqlite_db, tmp_path):
    out = tmp_path / "gen"
    write(simulate(400, 2024, 2024, seed=4), out, error_rate=0.004)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert import_enterprises(sqlite_db, out / "enterprises.csv").status == "stored"
    bad_files = {i["file"] for i in manifest["injected_errors"]}
    caught = set()
    for name in manifest["files"]:
        res = import_file(sqlite_db, out / "reports" / name, today=date(2026, 11, 22))
        if name in bad_files:
            assert res.status == "rejected", name
            rows = {e.row for e in res.errors}
            caught |= {
                (name, i["row"])
                for i in manifest["injected_errors"]
                if i["file"] == name and i["row"] in rows
            }
        else:
            assert res.status == "stored", (name, res.errors[:3])
    assert caught == {(i["file"], i["row"]) for i in manifest["injected_errors"]}
