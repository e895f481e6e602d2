#!/usr/bin/env bash
# The whole test suite: installs what it needs (scripts/setup.sh dev), lints and checks the format (ruff),
# type-checks (mypy),
# then runs pytest on SQLite and on a throwaway PostgreSQL (started by the tests on 127.0.0.1), Spark in
# local mode.
# Extra arguments go to pytest, e.g. scripts/test.sh -k intake
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
echo "== ruff"
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
echo "== mypy"
.venv/bin/mypy src/sitmon
echo "== pytest"
export SPARK_LOCAL_IP=127.0.0.1
exec .venv/bin/python -m pytest "$@"
