"""Schemas of filing, reading and reviewing reports, and of filing monitoring."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from ....catalog import load_catalog
from ....domain import Label
from ....process.compare import IndicatorComparison
from ....process.filings import ReportView, Review
from ....process.monitoring import LateFiler, ProvinceRate
from ....process.review import Skipped
from .common import Form, PagePublic, Period, Province, mirrors

Cell = Annotated[float, Field(allow_inf_nan=False)] | Annotated[str, StringConstraints(max_length=64)] | None

#: One report row as JSON: ``uscc``, ``period``, one optional field per indicator of the catalog (numbers in
#: the form's units; strings are parsed like CSV cells: thousands separators, full-width digits), ``note``.
ReportRowCreate: Any = create_model(  # type: ignore[call-overload]
    "ReportRowCreate",
    __config__=ConfigDict(extra="forbid"),
    __doc__="One enterprise's report for one period, values in the form's units (万元 / 万美元 / persons).",
    uscc=(Annotated[str, StringConstraints(max_length=64)], ...),
    period=(Annotated[str, StringConstraints(max_length=16)], Field(examples=["2024-06"])),
    **{
        code: (Cell, Field(default=None, description=f"{ind.name_zh} {ind.name_en} ({ind.unit})"))
        for code, ind in load_catalog().indicators.items()
    },
    note=(
        Annotated[str, StringConstraints(max_length=2000)] | None,
        Field(default=None, description="上报说明 explanation"),
    ),
)


class ReportsCreate(BaseModel):
    """Reports filed as JSON: validated exactly like a file (one transaction; any hard error stores nothing)."""

    form: Form | None = Field(
        default=None, description="monthly | annual; inferred from the periods when absent"
    )
    dry_run: bool = Field(default=False, description="validate only")
    reports: list[ReportRowCreate] = Field(min_length=1, max_length=5000)  # type: ignore[valid-type]


class IssuePublic(BaseModel):
    """A rule hit: file, row (spreadsheet row; for JSON the 1-based position in ``reports``), column, value,
    rule, severity, and the message in the caller's language and in both."""

    file: str
    row: int
    column: str
    value: str
    rule: str
    severity: Literal["error", "warning"]
    field: str | None = None
    message: str
    message_zh: str
    message_en: str


class ImportPublic(BaseModel):
    """What the intake did: ``stored`` (new reports or revisions), ``unchanged`` or ``dry_run``; warnings."""

    file: str
    sha256: str
    status: Literal["stored", "unchanged", "dry_run"]
    form: str | None
    rows: int
    new_reports: int
    new_revisions: int
    unchanged_rows: int
    warnings: list[IssuePublic]
    upload_id: int | None


class WarningPublic(BaseModel):
    """A soft rule hit stored with a revision; ``explained`` when the filer's note gives the reason."""

    model_config = ConfigDict(extra="ignore")
    rule: str
    field: str | None = None
    column: str | None = None
    message: str
    message_zh: str
    message_en: str
    explained: bool = False


@mirrors(Review)
class ReviewPublic(BaseModel):
    """A review decision on a revision."""

    action: Literal["accept", "return"]


@mirrors(ReportView)
class ReportPublic(BaseModel):
    """A report revision: status ``submitted | accepted | returned``; ``return_reason`` is what the reviewer
    wrote when returning it; ``current`` whether it is the latest revision."""

    status: Literal["submitted", "accepted", "returned"]
    values: dict[str, float | int | None]
    warnings: list[WarningPublic]
    reviews: list[ReviewPublic]


class ReportPagePublic(PagePublic):
    """A page of reports."""

    items: list[ReportPublic]


class ReturnCreate(BaseModel):
    """Why a report is returned (the filer sees it)."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class AcceptCreate(BaseModel):
    """An acceptance: ``reason`` is needed when the enterprise has not explained the report's warnings
    (核实性错误); it is stored with the decision and audited."""

    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] | None = (
        None
    )


class BulkAcceptCreate(BaseModel):
    """Bulk acceptance of a period's submitted reports (a reviewer: in their province)."""

    model_config = ConfigDict(extra="forbid")
    period: Period
    form: Form | None = None
    province: Province | None = None


@mirrors(Skipped)
class SkippedPublic(BaseModel):
    """A report bulk acceptance skipped: the rules of its warnings the enterprise has not explained."""


class BulkAcceptancePublic(BaseModel):
    """What bulk acceptance did: reports accepted, and those skipped for a reviewer to decide one by one."""

    period: str
    accepted: int
    skipped: list[SkippedPublic]


@mirrors(IndicatorComparison)
class IndicatorComparisonPublic(BaseModel):
    """One indicator of a report against last month and the same period last year (growth in %, one decimal)."""


class ReportComparisonPublic(BaseModel):
    """A report revision with every indicator compared to the enterprise's reports of the previous month (same
    year; None in January and for annual reports) and of the same period last year."""

    report: ReportPublic
    last_month_period: str | None
    last_year_period: str | None
    rows: list[IndicatorComparisonPublic]


@mirrors(LateFiler)
class LateFilerPublic(BaseModel):
    """An enterprise that has not filed the period, and the last period it did file."""


class LateFilersPublic(BaseModel):
    """Enterprises expected to file ``period`` that have not."""

    form: str
    period: str
    total: int
    items: list[LateFilerPublic]


@mirrors(ProvinceRate)
class ResponseRatePublic(BaseModel):
    """Filing of one province and period: response rate = filed ∩ expected / expected × 100."""


def issue_public(issue: Any, lang: str) -> IssuePublic:
    """An intake :class:`~sitmon.collect.rules.Issue` with its message in ``lang``."""
    return IssuePublic(**issue.to_dict(), message=issue.message(lang))


def warning_public(w: dict[str, Any], lang: str) -> WarningPublic:
    """A stored warning with its message in ``lang``."""
    said = Label(w.get("message_zh", ""), w.get("message_en", "")).render(lang)  # as stored with the revision
    return WarningPublic(**{**w, "message": said})
