"""``/bulletins``: the operations bulletin of a release (HTML, PDF, XLSX; zh or en) and ``/sdmx/...``: the open data
of a release in SDMX-ML or SDMX-CSV and its structure. Published aggregates only (disclosure control applied),
readable as the published aggregates are (anonymously when the deployment allows it). Each answer is computed
once per release and kept in the release cache."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from ....domain import form_of
from ...bulletins import bulletin, bulletin_bytes
from ...sdmx import open_data, structure_xml
from ...writers import writer_for
from ..deps import CacheDep, LangDep, ReaderDep, SettingsDep
from ..schemas.common import Period, errors

router = APIRouter(tags=["published"], responses=errors(401, 403, 422))
ReleaseQ = Annotated[
    int | None, Query(ge=1, le=100_000, description="该期的版本号（默认最新）release number")
]
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_TEXT = {"schema": {"type": "string"}}
STRUCTURE_TYPE = "application/vnd.sdmx.structure+xml;version=2.1"


def _attachment(body: bytes, fmt: str, stem: str, inline: bool = False) -> Response:
    writer = writer_for(fmt)
    charset = "; charset=utf-8" if fmt in ("html", "sdmx-csv", "sdmx-ml") else ""
    disposition = "inline" if inline else "attachment"
    return Response(
        body,
        media_type=writer.media_type + charset,
        headers={"Content-Disposition": f'{disposition}; filename="{writer.filename(stem)}"'},
    )


@router.get(
    "/bulletins/{period}",
    response_class=Response,
    responses={
        200: {
            "description": "the bulletin",
            "content": {
                "text/html": _TEXT,
                "application/pdf": _BINARY,
                writer_for("xlsx").media_type: _BINARY,
            },
        }
    },
)
async def get_bulletin(
    period: Period,
    _: ReaderDep,
    cache: CacheDep,
    settings: SettingsDep,
    lang: LangDep,
    release: ReleaseQ = None,
    format: Literal["html", "pdf", "xlsx"] = "html",  # noqa: A002
    bulletin_lang: Annotated[Literal["zh", "en"] | None, Query(alias="lang")] = None,
) -> Response:
    """运行情况通报 The operations bulletin of ``period`` (release ``release``, default the latest): paragraphs
    written from the published figures, the main-indicators table, charts, the methods note."""
    language = bulletin_lang or lang
    key = ("bulletin", period, release, language, format)

    def compute(_backend: Any) -> bytes:
        return bulletin_bytes(bulletin(settings, period, release, language), format)

    body = cache.peek(key, [form_of(period)]) or await run_in_threadpool(
        cache.get, key, [form_of(period)], compute
    )
    return _attachment(body, format, f"sitmon-bulletin-{period}-{language}", inline=format == "html")


@router.get(
    "/sdmx/structure",
    response_class=Response,
    responses={200: {"description": "SDMX-ML 2.1 structure message", "content": {STRUCTURE_TYPE: _TEXT}}},
)
async def sdmx_structure(_: ReaderDep) -> Response:
    """SDMX 结构 The structure of the open data: codelists (Chinese and English names), concepts, the data
    structure definition SITMON:DSD_SITMON(1.0) and the dataflow SITMON:DF_SITMON(1.0)."""
    return Response(await run_in_threadpool(structure_xml), media_type=STRUCTURE_TYPE + "; charset=utf-8")


@router.get(
    "/sdmx/data/{period}",
    response_class=Response,
    responses={
        200: {
            "description": "SDMX-ML or SDMX-CSV data",
            "content": {writer_for("sdmx-ml").media_type: _TEXT, writer_for("sdmx-csv").media_type: _TEXT},
        }
    },
)
async def sdmx_data(
    period: Period,
    _: ReaderDep,
    cache: CacheDep,
    settings: SettingsDep,
    release: ReleaseQ = None,
    format: Literal["sdmx-ml", "sdmx-csv"] = "sdmx-ml",
) -> Response:  # noqa: A002
    """开放数据 The open data of ``period``: every published cell of the published tables with the SDMX
    dimensions and attributes; a withheld cell carries CONF_STATUS (C or D) and no value."""
    key = ("sdmx", period, release, format)

    def compute(_backend: Any) -> bytes:
        return writer_for(format).to_bytes(open_data(settings, period, release))

    body = cache.peek(key, [form_of(period)]) or await run_in_threadpool(
        cache.get, key, [form_of(period)], compute
    )
    return _attachment(body, format, f"sitmon-{period}-{'r' + str(release) if release else 'latest'}")
