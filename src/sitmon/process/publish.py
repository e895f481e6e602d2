"""Publishing (发布): close a period and freeze its accepted reports, plus imputed non-respondents,
into an immutable release in the warehouse."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from ..catalog import load_catalog
from ..domain import KeyedError, Message, Period
from ..store.db import Database
from ..store.models import Release
from ..store.releases import latest_accepted, list_releases, registry_frame
from ..store.warehouse import release_files
from .disclosure import stage_patterns
from .impute import impute
from .materialise import cube_step
from .monitoring import expected_filers, population
from .release_commit import Derive, commit_release, period_writer
from .revision_notice import NoticeStep


class PublishError(KeyedError):
    """A period that cannot be published (nothing accepted and nothing to impute); ``message`` says why."""


@dataclass(frozen=True)
class PublishedRelease:
    """What was published: release number, counts, response rate (%) and checksum."""

    form: str
    period: str
    number: int
    respondents: int
    imputed: int
    expected: int
    response_rate_pct: float
    checksum: str
    path: str
    synthetic: bool
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def build_release_frame(db: Database, form: str, period: str) -> tuple[pd.DataFrame, set[int], bool]:
    """The rows a release of ``form``/``period`` would hold, the expected enterprises, and the synthetic flag."""
    cat = load_catalog()
    codes = list(cat.forms[form].indicators)
    with db.session() as s:
        acc = latest_accepted(s, form, period)
        reg = registry_frame(s)
        expected = expected_filers(s, period, form)
        acc = acc[acc["enterprise_key"].isin(population(s, form))]  # its population only (catalog scope.yaml)
    values = pd.DataFrame(list(acc["values"]), columns=codes) if len(acc) else pd.DataFrame(columns=codes)
    cur = pd.concat(
        [acc[["enterprise_key", "revision"]].reset_index(drop=True), values.astype(float)], axis=1
    )
    cur = cur.merge(reg, on="enterprise_key", how="left")
    cur["imputed"] = False
    prev_files = release_files(db.settings, form, [str(Period.parse(period).previous)])
    if prev_files:
        prev = pd.read_parquet(prev_files[0].path)
        stocks = {c for c in codes if cat.indicators[c].stock}
        extra = impute(cur, prev, expected, [c for c in codes if c not in stocks])
        extra = extra.drop(columns=["imputation_basis"]).assign(period=period)
        keep = [
            "enterprise_key",
            "uscc",
            "province",
            "city",
            "region",
            "sector",
            "revision",
            "imputed",
            *codes,
        ]
        cur = pd.concat([cur, extra[[c for c in keep if c in extra.columns]]], ignore_index=True)
    synthetic = bool(reg["synthetic"].any())  # recorded when the registry was imported
    ref = Period.parse(period)
    out = pd.DataFrame(
        {
            "enterprise_key": cur["enterprise_key"].astype("int64"),
            "uscc": cur["uscc"].astype(str),
            "period": period,
            "year": np.int32(ref.year),
            "month": pd.array([ref.month] * len(cur), dtype="Int32"),
            "province": cur["province"].astype(str),
            "city": cur["city"].astype(object).where(cur["city"].notna(), None),
            "region": cur["region"].astype(str),
            "sector": cur["sector"].astype(str),
            "imputed": cur["imputed"].astype(bool),
            "revision": cur["revision"].astype("int32"),
        }
    )
    for c in codes:
        out[c] = cur[c].astype("float64").to_numpy()
    return out.sort_values("enterprise_key").reset_index(drop=True), expected, synthetic


def publish(
    db: Database,
    period: str,
    form: str | None = None,
    actor: str = "cli",
    checks: Sequence[Derive] = (),
    on_progress: Callable[[int, int, str], None] | None = None,
) -> PublishedRelease:
    """Close ``period`` and write the next release with the disclosure patterns of every indicator (computed
    before the release becomes visible; ``on_progress(done, total, indicator)``); audited as
    ``period.published``. Raises :class:`PublishError` when there is nothing to publish (an immutable empty
    release would help nobody).

    ``checks`` run last on the staged release, after everything derived from it, before it becomes visible (the
    guard of :mod:`.publish_guard`): one that raises stops the publish with nothing visible."""
    form = form or Period.parse(period).form
    with period_writer(db, form, period, actor):  # one writer per period; settles what a killed publish left
        frame, expected, synthetic = build_release_frame(db, form, period)
        if frame.empty:
            raise PublishError(Message("publish.nothing", period=period))
        respondents = int((~frame.imputed).sum())
        imputed = int(frame.imputed.sum())
        rate = (
            round(100 * len(set(frame.enterprise_key[~frame.imputed]) & expected) / len(expected), 2)
            if expected
            else 0.0
        )
        number, folder, checksum, created = commit_release(
            db,
            form,
            period,
            frame,
            manifest={
                "respondents": respondents,
                "imputed": imputed,
                "expected": len(expected),
                "response_rate_pct": rate,
                "synthetic": synthetic,
            },
            record={
                "enterprises": len(expected),
                "respondents": respondents,
                "imputed": imputed,
                "response_rate": rate,
                "synthetic": synthetic,
            },
            actor=actor,
            # patterns first: the materialised aggregates carry the stored flags (public reads compute nothing)
            derive=[
                stage_patterns(db.settings, form, period, on_progress),
                cube_step(db.settings, form, period),
                NoticeStep(db, form, period),
                *checks,
            ],
        )
    return PublishedRelease(
        form,
        period,
        number,
        respondents,
        imputed,
        len(expected),
        rate,
        checksum,
        str(folder),
        synthetic,
        created,
    )


def releases(db: Database, form: str | None = None) -> list[Release]:
    """Every published release (of one form), by form, period and number."""
    with db.session() as s:
        return list_releases(s, form)
