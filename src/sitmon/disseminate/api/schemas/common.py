"""What every resource shares: the error body, periods and forms, and the codes of the catalog as enums
(so the OpenAPI document lists the valid indicators, dimensions, measures and units)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model

from ....analyse.measures import DIMENSIONS, MEASURES
from ....catalog import load_catalog
from ....domain import Period as ReferencePeriod
from ....domain import PeriodError

Form = Literal["monthly", "annual"]


def _period(value: str) -> str:
    try:
        return str(ReferencePeriod.parse(value))
    except PeriodError:
        raise  # a ValueError: pydantic reports it, and the error handler says it in the caller's language


Period = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$"),
    AfterValidator(_period),
    Field(description="报告期 YYYY-MM（月报）或 YYYY（年报） / period", examples=["2024-06"]),
]
Province = Annotated[str, StringConstraints(pattern=r"^\d{2}0000$"), Field(description="GB/T 2260 省级代码")]
Uscc = Annotated[
    str,
    StringConstraints(min_length=1, max_length=18, strip_whitespace=True),
    Field(description="统一社会信用代码 / unified social credit code"),
]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite returns naive UTC times


#: A point in time, always with its offset (UTC).
Timestamp = Annotated[datetime, AfterValidator(_utc)]

_cat = load_catalog()
Indicator = StrEnum("Indicator", {c: c for c in _cat.indicators})  # type: ignore[misc]
Unit = StrEnum("Unit", {c: c for c in _cat.units})  # type: ignore[misc]
Dimension = StrEnum("Dimension", {d: d for d in DIMENSIONS})  # type: ignore[misc]
Measure = StrEnum("Measure", {m: m for m in MEASURES})  # type: ignore[misc]


M = TypeVar("M", bound=BaseModel)


def _public_type(tp: Any) -> Any:
    """A field type as the API shows it: times always with their offset (:data:`Timestamp`)."""
    if tp is datetime:
        return Timestamp
    if get_origin(tp) in (Union, UnionType) and datetime in get_args(tp):
        return Timestamp | None
    return tp


def mirrors(source: type, *, exclude: tuple[str, ...] = ()) -> Callable[[type[M]], type[M]]:
    """A response schema that shows the dataclass ``source`` as it is: a field for every field of ``source`` (but
    ``exclude``), in its order and of its type — times as :data:`Timestamp` —, all required. Fields the decorated
    class declares replace the dataclass's (a narrower type, a nested schema) or come after them; its docstring
    and configuration are the schema's. One definition of the fields, so the API cannot drift from the code."""

    def deco(cls: type[M]) -> type[M]:
        hints = get_type_hints(source)
        own = cls.model_fields
        fields: dict[str, Any] = {}
        for f in dataclasses.fields(source):
            if f.name not in exclude:
                fields[f.name] = (
                    (own[f.name].annotation, own[f.name])
                    if f.name in own
                    else (_public_type(hints[f.name]), ...)
                )
        fields |= {name: (info.annotation, info) for name, info in own.items() if name not in fields}
        return create_model(
            cls.__name__,
            __config__=cls.model_config or None,
            __doc__=cls.__doc__,
            __module__=cls.__module__,
            **fields,
        )

    return deco


class ErrorDetailPublic(BaseModel):
    """The error: a stable code, a message in the caller's language, and code-specific fields."""

    model_config = ConfigDict(extra="allow")
    code: str
    message: str


class ErrorPublic(BaseModel):
    """Body of every error response."""

    error: ErrorDetailPublic


_DESCRIPTIONS = {
    400: "请求格式不正确 bad request",
    401: "未认证 not authenticated",
    403: "无权限 forbidden",
    404: "不存在（或不在您的范围内）not found",
    409: "冲突 conflict",
    413: "上传过大 too large",
    422: "参数或数据不正确 invalid",
    429: "尝试过多 too many attempts",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses, all with the :class:`ErrorPublic` body."""
    return {s: {"model": ErrorPublic, "description": _DESCRIPTIONS[s]} for s in statuses}


class PagePublic(BaseModel):
    """Where a page of a listing starts and how many items there are in all."""

    total: int
    offset: int
    limit: int
