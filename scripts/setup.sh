#!/usr/bin/env bash
# Installs what sitmon needs on a fresh Debian 12 machine: Debian packages (python3-venv, npm for the web
# assets, CJK fonts for the PDF bulletins; for the test suite PostgreSQL, Java for Spark, Chromium, poppler-utils), as root
# directly or else through sudo, a virtual environment in .venv with the pinned versions of constraints.txt,
# and the web pages' third-party assets (ECharts, the China map, Swagger UI) from the npm registry, pinned by
# package-lock.json, copied into the git-ignored src/sitmon/disseminate/web/static/vendor/ by
# scripts/web-assets.sh (nothing is fetched at run time). Idempotent: a second run only checks.
#   scripts/setup.sh          runtime only (the demo)
#   scripts/setup.sh dev      runtime + everything the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-runtime}"

apt_missing=()
need() { dpkg -s "$1" >/dev/null 2>&1 || apt_missing+=("$1"); }
need python3-venv  # `python3 -m venv` needs it on Debian
command -v npm >/dev/null 2>&1 || need npm  # the web assets (scripts/web-assets.sh)
need fonts-noto-cjk  # Chinese in the PDF bulletins (WeasyPrint embeds it) and in the browser
if [ "$mode" = dev ]; then
  need postgresql
  need openjdk-17-jre-headless
  need chromium        # the browser tests (Playwright drives it; never `playwright install`)
  need poppler-utils   # the bulletin tests read PDFs back (pdftotext, pdffonts, pdftoppm)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "== apt-get install ${apt_missing[*]}"
  # as root: apt-get itself; otherwise through sudo (env passes DEBIAN_FRONTEND, which sudo would drop)
  if [ "$(id -u)" -eq 0 ]; then
    as_root=(env)
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo env)
  else
    echo "setup.sh: missing Debian packages (${apt_missing[*]}) and no sudo: install them as root" >&2
    exit 1
  fi
  "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" \
    >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
extra=""
[ "$mode" = dev ] && extra="[dev]"
stamp=".venv/.sitmon-installed-$mode"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "== pip install -e .$extra (pinned by constraints.txt)"
  # (the grep hides pip's notes about index folders this machine's pip.conf names but does not have)
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".$extra" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "pip install failed" >&2; exit 1; }
  touch "$stamp"
fi

"$BASH" scripts/web-assets.sh
