#!/usr/bin/env bash
# The demo on embedded defaults: a calibrated synthetic population is generated, imported through the
# real intake, accepted, published and summarised (SQLite + Parquet/DuckDB in ./sitmon-data), and then the
# web pages and the API are served on http://127.0.0.1:8000/ with one demo user per role (printed, marked
# DEMO). A second run reuses the data and serves in seconds.
# Extra arguments go to `sitmon demo`, e.g. scripts/demo.sh --enterprises 5000 --port 8080
# Not serving (tests, CI): SITMON_DEMO_SERVE=0 scripts/demo.sh   or   scripts/demo.sh --no-serve
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
serve=(--serve)
[ "${SITMON_DEMO_SERVE:-1}" = 0 ] && serve=()
exec .venv/bin/sitmon demo "${serve[@]}" "$@"
