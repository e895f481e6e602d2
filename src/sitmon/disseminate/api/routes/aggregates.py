"""``/aggregates``: published tables — the measures of ``sitmon query`` — always under disclosure control;
``/aggregates/confidential``: unsuppressed tables for the caller's scope (reviewers: their province). Both answer
JSON or a file (CSV, XLSX, Parquet) in the long or the wide layout, rendered by the same writers as the CLI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from ....domain import form_of
from ...layout import display_unit, table_document
from ...microdata import confidential_table
from ...tables import TableResult, published_table, split_list
from ...writers import check_options, writer_for
from ..deps import CacheDep, DbDep, LangDep, ReaderDep, ReviewerDep, SettingsDep
from ..edge import audit_read
from ..files import FILE_CONTENT, file_response
from ..schemas.common import errors
from ..schemas.published import (
    AggregatePublic,
    AggregateQuery,
    AggregateRowPublic,
    DefinitionPublic,
    TableDocumentPublic,
)

router = APIRouter(prefix="/aggregates", tags=["published"], responses=errors(401, 403, 422))
AggregateParams = Annotated[AggregateQuery, Query()]
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the table: JSON, or a file with its name in Content-Disposition",
        "content": FILE_CONTENT,
    }
}


def aggregate_public(res: TableResult, confidential: bool) -> AggregatePublic:
    """A :class:`~sitmon.disseminate.tables.TableResult` as the API shows it (long layout): each row with only the
    dimensions asked for, its period and measure, the value and the suppression flag."""
    rows = [
        AggregateRowPublic(
            **{d: (None if r.get(d) is None else str(r[d])) for d in res.by},
            period=r["period"],
            measure=r["measure"],
            value=r["value"],
            flag=r.get("flag"),
        )
        for r in res.rows
    ]
    definitions = {
        m: DefinitionPublic(zh=d.render("zh"), en=d.render("en")) for m, d in res.definitions.items()
    }
    return AggregatePublic(
        indicator=res.indicator,
        measure=res.measure,
        period=res.period,
        by=res.by,
        unit=res.unit,
        definition=definitions[res.measure],
        periods=res.periods,
        measures=res.measures,
        units=res.units,
        definitions=definitions,
        releases=res.releases,
        synthetic=res.synthetic,
        protected=bool(getattr(res, "protected", False)),
        confidential=confidential,
        rows=rows,
    )


def rendered(res: TableResult, confidential: bool) -> bytes:
    """The JSON body of a table in the long layout, rendered once and cached with it (releases are immutable)."""
    return aggregate_public(res, confidential).model_dump_json(exclude_unset=True).encode()


def render(res: TableResult, q: AggregateQuery, lang: str, confidential: bool) -> bytes:
    """The body ``q`` asks for: the long JSON, or the document of its layout in its format."""
    if q.format == "json" and q.layout == "long":
        return rendered(res, confidential)
    writer = writer_for(q.format)
    return writer.to_bytes(table_document(res, q.layout, lang), **check_options(writer, q.encoding))


def _args(q: AggregateQuery) -> dict[str, Any]:
    measures = split_list(q.measure)
    unit = q.unit.value if q.unit else (display_unit(q.indicator.value) if q.layout == "wide" else None)
    return {
        "indicator": q.indicator.value,
        "by": split_list(q.by),
        "period": list(q.period),
        "measure_name": measures,
        "release": q.release,
        "unit": unit,
        "total": q.layout == "wide",
    }


def _response(body: bytes, q: AggregateQuery, args: dict[str, Any]) -> Response:
    if q.format == "json" and q.layout == "long":
        return Response(body, media_type="application/json")
    stem = "-".join(
        [
            "sitmon",
            args["indicator"],
            *(args["by"] or ["national"]),
            "_".join(p.replace(":", "_").replace(",", "_") for p in args["period"]),
            *args["measure_name"],
            q.layout,
        ]
    )
    return file_response(body, q.format, q.encoding, stem)


async def _answer(
    key: tuple,
    q: AggregateQuery,
    lang: str,
    cache: Any,
    compute: Callable[[Any], TableResult],
    confidential: bool,
) -> Response:
    args = _args(q)
    periods = [p for item in args["period"] for p in item.split(",")]
    forms = sorted({form_of(p.split(":")[0]) for p in periods})
    full = (
        *key,
        tuple(args["period"]),
        tuple(args["by"]),
        tuple(args["measure_name"]),
        args["unit"],
        q.release,
        q.layout,
        q.format,
        q.encoding,
        lang if (q.layout, q.format) != ("long", "json") else None,
    )
    check_options(writer_for(q.format), q.encoding)
    body = cache.peek(full, forms) or await run_in_threadpool(
        cache.get, full, forms, lambda backend: render(compute(backend), q, lang, confidential)
    )
    return _response(body, q, args)


@router.get("", response_model=AggregatePublic | TableDocumentPublic, responses=FILE_RESPONSES)
async def published(
    q: AggregateParams, _: ReaderDep, cache: CacheDep, settings: SettingsDep, lang: LangDep
) -> Response:
    """已发布数据（经统计披露控制）Published figures with disclosure control: a suppressed cell has
    ``value: null`` and a ``flag`` (threshold | dominance | secondary); in a file, the mark ``…`` explained
    under the table."""
    args = _args(q)
    return await _answer(
        ("public", args["indicator"]),
        q,
        q.lang or lang,
        cache,
        lambda backend: published_table(settings, public=True, backend=backend, **args),
        confidential=False,
    )


@router.get("/confidential", response_model=AggregatePublic | TableDocumentPublic, responses=FILE_RESPONSES)
async def confidential(
    q: AggregateParams,
    user: ReviewerDep,
    cache: CacheDep,
    settings: SettingsDep,
    lang: LangDep,
    request: Request,
    db: DbDep,
) -> Response:
    """未抑制数据（保密）Unsuppressed figures, marked confidential: national for analysts and admins; a reviewer
    must break down by ``province`` and gets their province's rows only. Every read is audited."""
    args = _args(q)
    await run_in_threadpool(
        audit_read,
        request,
        db,
        user.username,
        "unsuppressed_table",
        indicator=args["indicator"],
        by=args["by"],
        period=args["period"],
        measure=args["measure_name"],
        layout=q.layout,
        format=q.format,
    )
    return await _answer(
        ("confidential", user.role, user.scope, args["indicator"]),
        q,
        q.lang or lang,
        cache,
        lambda backend: confidential_table(settings, user, backend=backend, **args),
        confidential=True,
    )
