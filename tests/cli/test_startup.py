"""Every command starts fast when it touches no data: the heavy libraries are imported where they are used, so
``sitmon --help`` and ``sitmon query --help`` load none of them (checked in a fresh interpreter)."""

import json
import subprocess
import sys

HEAVY = [
    "ibis",
    "pandas",
    "pyarrow",
    "duckdb",
    "numpy",
    "scipy",
    "statsmodels",
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "pydantic_settings",
    "yaml",
    "pyspark",
]
PROBE = """
import json, sys
from typer.testing import CliRunner
from sitmon.cli import app
codes = [CliRunner().invoke(app, args).exit_code for args in (["--help"], ["query", "--help"], ["plans", "--help"],
                                                             ["reports", "list", "--help"], ["version"])]
print(json.dumps({"codes": codes, "loaded": [m for m in sys.argv[1:] if m in sys.modules]}))
"""


def test_help_loads_no_heavy_library():
    out = subprocess.run([sys.executable, "-c", PROBE, *HEAVY], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["codes"] == [0, 0, 0, 0, 0]
    assert result["loaded"] == []
