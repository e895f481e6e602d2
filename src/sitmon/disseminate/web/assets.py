"""Static assets: the pages' own CSS and JavaScript and the third-party files installed from npm into
``static/vendor/`` (``scripts/web-assets.sh``).

URLs carry a content hash (``/static/js/map.js?v=3f2a…``), so a browser keeps a file for a year without asking
again (``Cache-Control: immutable``) and a new version has a new URL; a gzip copy made at install time is sent
to browsers that accept it. The China map is served by :func:`map_geojson`: the deployment's approved map
(``SITMON_MAP_FILE``) or the ECharts 4.9.0 ``china.json``, with every feature named by its GB/T 2260 code.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from ...catalog import load_catalog
from ...config import Settings

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
DEFAULT_MAP = VENDOR / "map" / "china.json"
YEAR = "public, max-age=31536000, immutable"


@cache
def _digest(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(name: str) -> str:
    """The URL of static file ``name`` (e.g. ``js/map.js``) with its content hash, or without one when the
    file is missing (a vendor file before ``scripts/setup.sh`` ran: the page then says so)."""
    path = STATIC / name
    try:
        return f"/static/{name}?v={_digest(path, path.stat().st_mtime)}"
    except OSError:
        return f"/static/{name}"


def vendor_missing() -> list[str]:
    """The third-party files the pages need that are not installed (run ``scripts/setup.sh``)."""
    needed = [
        "echarts/echarts.min.js",
        "map/china.json",
        "swagger-ui/swagger-ui-bundle.js",
        "swagger-ui/swagger-ui.css",
    ]
    return [n for n in needed if not (VENDOR / n).is_file()]


class StaticAssets(StaticFiles):
    """Static files with cache headers (a year and immutable for hashed URLs, else revalidate) and the
    installed gzip copy for browsers that accept gzip."""

    def __init__(self, *, directory: Path, settings: Settings) -> None:
        super().__init__(directory=directory, check_dir=False)
        self.settings = settings

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file at ``path`` (its ``.gz`` copy when accepted), with cache headers."""
        headers = Headers(scope=scope)
        gz = path + ".gz"
        if "gzip" in headers.get("accept-encoding", "") and not path.endswith(".gz"):
            full, stat = self.lookup_path(gz)
            if stat is not None and full:
                response = await super().get_response(gz, scope)
                if response.status_code in (200, 304):
                    response.headers["content-encoding"] = "gzip"
                    response.headers["content-type"] = self._type_of(path)
                    response.headers["vary"] = "Accept-Encoding"
                    self._cache(response, scope)
                    return response
        response = await super().get_response(path, scope)
        self._cache(response, scope)
        return response

    @staticmethod
    def _type_of(path: str) -> str:
        import mimetypes

        return (mimetypes.guess_type(path)[0] or "application/octet-stream") + (
            "; charset=utf-8" if path.endswith((".js", ".css", ".json")) else ""
        )

    @staticmethod
    def _cache(response: Response, scope: Scope) -> None:
        if response.status_code in (200, 304):
            hashed = b"v=" in scope.get("query_string", b"")
            response.headers["cache-control"] = YEAR if hashed else "no-cache"


def _feature_code(feature: dict[str, Any], by_name: dict[str, str]) -> str | None:
    props = feature.get("properties") or {}
    for key in ("adcode", "code", "id"):
        value = str(props.get(key) or feature.get(key) or "")
        if len(value) == 6 and value.isdigit() and value.endswith("0000"):
            return value
    name = str(props.get("name") or "")
    return by_name.get(name)


def normalise_map(doc: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON map of China with each provincial feature's ``name`` set to its GB/T 2260 code (found from an
    ``adcode`` / ``code`` / ``id`` property or from the full or short Chinese name); other features (the South
    China Sea inset, borders) are kept as they are."""
    cat = load_catalog()
    by_name: dict[str, str] = {}
    for p in cat.provinces.values():
        by_name[p.name_zh] = p.code
        if getattr(p, "short", None):
            by_name[str(p.short)] = p.code
    for feature in doc.get("features", []):
        code = _feature_code(feature, by_name)
        if code is not None:
            feature.setdefault("properties", {})["name"] = code
    return doc


@cache
def _map_body(path: str, mtime: float) -> tuple[bytes, str]:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    body = json.dumps(normalise_map(doc), ensure_ascii=False, separators=(",", ":")).encode()
    return body, hashlib.sha256(body).hexdigest()[:16]


def map_geojson(settings: Settings) -> tuple[bytes, str] | None:
    """(body, etag) of the map to draw: ``settings.map_file`` when set, else the installed ECharts 4.9.0
    ``china.json``; None when neither is there."""
    path = Path(settings.map_file) if settings.map_file else DEFAULT_MAP
    try:
        return _map_body(str(path), os.stat(path).st_mtime)
    except (OSError, ValueError):
        return None
