#!/usr/bin/env bash
# The demo on embedded defaults: a calibrated synthetic population is generated, imported through the
# real intake, accepted, published and summarised (SQLite + Parquet/DuckDB in ./sitmon-data).
# Extra arguments go to `sitmon demo`, e.g. scripts/demo.sh --enterprises 5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
exec .venv/bin/sitmon demo "$@"
