#!/usr/bin/env bash
# The web pages' third-party assets: `npm ci` from package.json + package-lock.json (exact versions and
# integrity hashes; install scripts are not run), then the few files the pages load are copied into the
# git-ignored static folder src/sitmon/disseminate/web/static/vendor/, each with a gzip copy that the server
# sends to browsers that accept it. Nothing is loaded from a CDN. Idempotent: skipped while the vendor folder
# is newer than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=src/sitmon/disseminate/web/static/vendor
stamp="$vendor/.installed"
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ "$stamp" -nt "$0" ]; then
  exit 0
fi
echo "== npm ci (web assets pinned by package-lock.json)"
SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
rm -rf "$vendor"
mkdir -p "$vendor/echarts" "$vendor/map" "$vendor/swagger-ui"
cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE "$vendor/echarts/"
cp node_modules/echarts4/map/json/china.json "$vendor/map/china.json"
cp node_modules/echarts4/LICENSE "$vendor/map/LICENSE"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
   node_modules/swagger-ui-dist/LICENSE "$vendor/swagger-ui/"
find "$vendor" -type f \( -name '*.js' -o -name '*.css' -o -name '*.json' \) -exec gzip -9 -k -n -f {} \;
touch "$stamp"
