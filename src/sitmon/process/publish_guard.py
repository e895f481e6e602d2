"""The guard of publishing: what a release is about to publish, and a refusal when it should not be published.

The guard is the last step of the publish pipeline (a ``derive`` step of
:func:`~sitmon.process.release_commit.commit_release`): it runs on the staged release — the exact rows and
suppression patterns about to become visible — under the period's publish lock, after every other derived part.
It writes what it saw (``guard.json``, the :class:`ReleasePreview`) into the release folder and then

- with ``dry_run``, stops the publish (:class:`PreviewOnly`): nothing becomes visible, the preview is returned;
- refuses (:class:`PublishRefused`, nothing visible) when the response rate is below the minimum
  (``SITMON_PUBLISH_MIN_RESPONSE_RATE``, default 80 %) or reports of the period still carry warnings that neither
  the enterprise explained nor a reviewer accepted with a reason — unless ``force`` with a ``reason``, which the
  ``period.published`` audit event records with the problems it overrode.

The preview is internal (unsuppressed figures, for the analyst who publishes): response rate by province, the
share imputed, the cells that changed most since the previous release of the period, the cells newly
suppressed (from the stored patterns) and the release calendar's verdict.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from ..catalog.calendar import load_calendar
from ..domain import InvalidInput, Message, Refusal
from ..store.db import Database
from ..store.enterprises import spans
from ..store.release_notes import GUARD, NOTICE, read_frame, read_staged_note, write_note
from ..store.reports import review_states
from ..store.staging import StagedRelease
from ..store.warehouse import release_files
from .monitoring import expected_among
from .publish import PublishedRelease, publish
from .release_calendar import BEIJING, status_of
from .review import ReviewError, clean_reason, unexplained
from .revision_notice import Cell, RevisionNotice, release_cells

TOP = 10
"""How many of the largest revisions the preview shows."""


@dataclass(frozen=True)
class GuardPolicy:
    """How the guard decides: the lowest response rate (%) to publish at, and whether to ``force`` past a refusal
    (with a ``reason``) or only preview (``dry_run``)."""

    min_response_rate_pct: float = 80.0
    force: bool = False
    reason: str | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class ProvinceLine:
    """One province of the release: expected filers, respondents, imputed, response rate (%)."""

    province: str
    expected: int
    respondents: int
    imputed: int
    response_rate_pct: float
    below: bool


@dataclass(frozen=True)
class CellChange:
    """A cell of a linked table whose level changed since the previous release (form's unit)."""

    indicator: str
    table: str
    key: list[str]
    old: float | None
    new: float | None
    change: float
    change_pct: float | None


@dataclass
class ReleasePreview:
    """What a release is about to publish and why it would be refused (``problems``, empty when it may go)."""

    form: str
    period: str
    number: int
    previous: int | None
    expected: int
    respondents: int
    imputed: int
    response_rate_pct: float
    minimum_pct: float
    imputed_share_pct: float
    imputed_revenue_share_pct: float
    provinces: list[ProvinceLine]
    unexplained: int
    largest_revisions: list[CellChange]
    newly_suppressed: list[CellChange] | None
    planned: date | None
    calendar_status: str
    days_late: int | None
    problems: list[Message] = field(default_factory=list)
    forced: bool = False
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The preview as a JSON-ready mapping, each problem as its code and its sentence in both languages."""
        d = asdict(self)
        d["problems"] = [
            {"code": p.key.rsplit(".", 1)[-1], "zh": p.render("zh"), "en": p.render("en")}
            for p in self.problems
        ]
        return d


class PublishRefused(Refusal):
    """The guard refused the release (nothing was published): ``preview`` says what and why."""

    code = "publish_refused"

    def __init__(self, preview: ReleasePreview) -> None:
        self.preview = preview
        super().__init__(
            Message(
                "publish_guard.refused",
                form=Message(f"terms.form.{preview.form}"),
                period=preview.period,
                problems=_Problems(preview.problems),
            ),
            preview=preview.to_dict(),
        )


class _Problems:
    """The problems of a refused release as one parameter of its message, said in the language it is rendered in."""

    def __init__(self, problems: list[Message]) -> None:
        self.problems = problems

    def render(self, lang: str = "zh") -> str:
        return "; ".join(p.render(lang) for p in self.problems)

    def __repr__(self) -> str:
        return f"_Problems({self.problems!r})"


class PreviewOnly(Exception):
    """Raised by the guard of a dry run to stop the publish after the preview (nothing becomes visible)."""

    def __init__(self, preview: ReleasePreview) -> None:
        self.preview = preview
        super().__init__("dry run")


class Guard:
    """The guard as a derive step of one publish (see the module docstring); ``preview`` is set once it ran."""

    def __init__(self, db: Database, form: str, period: str, policy: GuardPolicy) -> None:
        try:
            reason = clean_reason(policy.reason)
        except ReviewError as exc:
            raise InvalidInput(exc.message) from exc
        if policy.force and reason is None:
            raise InvalidInput(Message("publish_guard.force_needs_reason"))
        self.db, self.form, self.period, self.policy = db, form, period, policy
        self.preview: ReleasePreview | None = None

    def __call__(self, staged: StagedRelease) -> dict[str, Any]:
        preview = build_preview(self.db, staged, read_frame(staged.folder / "data.parquet"), self.policy)
        self.preview = preview
        write_note(staged.folder, GUARD, preview.to_dict())
        if self.policy.dry_run:
            raise PreviewOnly(preview)
        if preview.problems and not self.policy.force:
            raise PublishRefused(preview)
        if preview.problems:
            return {
                "forced": True,
                "reason": preview.reason,
                "problems": [p.key.rsplit(".", 1)[-1] for p in preview.problems],
            }
        return {}


@dataclass(frozen=True)
class GuardedPublish:
    """What :func:`publish_guarded` did: the preview, and the release (None for a dry run)."""

    preview: ReleasePreview
    release: PublishedRelease | None


def publish_guarded(
    db: Database,
    period: str,
    form: str | None = None,
    actor: str = "cli",
    policy: GuardPolicy | None = None,
    **options: Any,
) -> GuardedPublish:
    """Publish ``period`` through the guard (see the module docstring): returns the preview and the release; a
    dry run returns the preview only. :class:`PublishRefused` when the guard refuses (nothing published)."""
    from ..domain import Period

    form = form or Period.parse(period).form
    guard = Guard(db, form, period, policy or GuardPolicy(db.settings.publish_min_response_rate))
    try:
        release = publish(db, period, form, actor, checks=[guard], **options)
    except PreviewOnly as stop:
        return GuardedPublish(stop.preview, None)
    assert guard.preview is not None
    return GuardedPublish(guard.preview, release)


def build_preview(
    db: Database, staged: StagedRelease, frame: pd.DataFrame, policy: GuardPolicy
) -> ReleasePreview:
    """The preview of the staged release ``frame`` (see :class:`ReleasePreview`)."""
    form, period = staged.form, staged.period
    with db.session() as s:
        ents = spans(s)
        states = review_states(s, form, period)
    expected = expected_among(ents, period, form)
    province_of = {e.id: e.province_code for e in ents}
    resp = set(frame.enterprise_key[~frame.imputed])
    provinces = _provinces(frame, expected, province_of, policy.min_response_rate_pct)
    rate = round(100 * len(resp & expected) / len(expected), 2) if expected else 0.0
    n_imputed = int(frame.imputed.sum())
    revenue = float(frame["revenue_total"].sum()) if "revenue_total" in frame else 0.0
    imputed_revenue = (
        float(frame.loc[frame.imputed, "revenue_total"].sum()) if "revenue_total" in frame else 0.0
    )
    waiting = sum(
        1
        for warnings, action, reason in states
        if unexplained(warnings) and not (action == "accept" and reason)
    )
    previous = release_files(db.settings, form, [period])
    prev_number = previous[0].number if previous else None
    before = release_cells(db.settings, previous[0].path, form) if previous else {}
    after = release_cells(db.settings, staged.folder / "data.parquet", form) if previous else {}
    planned = load_calendar().planned_date(period)
    today = datetime.now(BEIJING).date()
    status, late = status_of(planned, today, today) if prev_number is None else ("revision", None)
    problems = []
    if rate < policy.min_response_rate_pct:
        problems.append(
            Message(
                "publish_guard.low_response",
                rate=rate,
                minimum=policy.min_response_rate_pct,
                imputed=n_imputed,
            )
        )
    if waiting:
        problems.append(Message("publish_guard.unexplained", count=waiting))
    return ReleasePreview(
        form=form,
        period=period,
        number=staged.number,
        previous=prev_number,
        expected=len(expected),
        respondents=len(resp),
        imputed=n_imputed,
        response_rate_pct=rate,
        minimum_pct=policy.min_response_rate_pct,
        imputed_share_pct=round(100 * n_imputed / len(frame), 1) if len(frame) else 0.0,
        imputed_revenue_share_pct=round(100 * imputed_revenue / revenue, 1) if revenue else 0.0,
        provinces=provinces,
        unexplained=waiting,
        largest_revisions=largest_revisions(before, after),
        newly_suppressed=newly_suppressed(staged, before),
        planned=planned,
        calendar_status=status,
        days_late=late,
        problems=problems,
        forced=bool(problems) and policy.force,
        reason=(policy.reason or "").strip() or None,
    )


def _provinces(
    frame: pd.DataFrame, expected: set[int], province_of: dict[int, str], minimum: float
) -> list[ProvinceLine]:
    out = []
    exp: dict[str, set[int]] = {}
    for e in expected:
        exp.setdefault(province_of.get(e, ""), set()).add(e)
    for prov in sorted(set(exp) | set(frame.province)):
        rows = frame[frame.province == prov]
        resp = set(rows.enterprise_key[~rows.imputed])
        want = exp.get(prov, set())
        rate = round(100 * len(resp & want) / len(want), 2) if want else 0.0
        out.append(
            ProvinceLine(
                prov, len(want), len(resp), int(rows.imputed.sum()), rate, bool(want) and rate < minimum
            )
        )
    return out


def largest_revisions(
    before: dict[Cell, float], after: dict[Cell, float], top: int = TOP
) -> list[CellChange]:
    """The ``top`` cells of the linked tables whose level changed most between two releases' cells, ranked by the
    change as a share of the indicator's national level (so that indicators compare)."""
    changes = []
    for cell in set(before) | set(after):
        indicator, table, key = cell
        o, n = before.get(cell), after.get(cell)
        delta = (n or 0.0) - (o or 0.0)
        if abs(delta) <= 1e-9 * max(abs(o or 0.0), abs(n or 0.0), 1.0):
            continue
        national = abs(before.get((indicator, "national", ()), 0.0)) or 1.0
        pct = round(100 * delta / o, 1) if o else None
        changes.append((abs(delta) / national, CellChange(indicator, table, list(key), o, n, delta, pct)))
    changes.sort(key=lambda c: (-c[0], c[1].indicator, c[1].table, c[1].key))
    return [c for _, c in changes[:top]]


def newly_suppressed(staged: StagedRelease, before: dict[Cell, float]) -> list[CellChange] | None:
    """The cells the staged release's revision notice lists as newly suppressed, with the level they were
    published at (None while a pattern is not stored: the notice is incomplete)."""
    doc = read_staged_note(staged.folder, NOTICE)
    if doc is None:
        return None
    notice = RevisionNotice.from_dict(doc)
    if notice.previous is None:
        return []
    if not notice.complete:
        return None
    return [
        CellChange(
            c.indicator,
            c.table,
            c.key,
            before.get((c.indicator, c.table, tuple(c.key))),
            None,
            -(before.get((c.indicator, c.table, tuple(c.key))) or 0.0),
            None,
        )
        for c in notice.cells
        if c.status == "newly_suppressed"
    ]
