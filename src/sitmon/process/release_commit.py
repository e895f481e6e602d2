"""Publishing made crash-safe and single-writer: what :func:`sitmon.process.publish.publish` calls around the
building of a release.

1. :func:`period_writer` holds the period's publish lock (``publish:<form>:<period>``; a file lock on SQLite, a
   PostgreSQL advisory lock on a server — :mod:`sitmon.store.locks`), so two publishes of one period take turns
   (or the second fails with a plain message after the wait), and settles what a killed publish left
   (:func:`sitmon.store.staging.recover_period`): a release recorded but not yet renamed into place is completed,
   an unrecorded one is set aside, temporary folders are removed — every step audited as ``release.recovered``.
2. :func:`commit_release` writes the release to a staging folder and flushes it to the disk, runs the
   ``derive`` steps (what is computed from a release before anyone may read it: disclosure patterns,
   materialised aggregates), commits the DB record and the audit event, and only then renames the folder into
   place. Killed at any point, the store is either without the release or — after the next run — with it
   whole; a release whose derived parts fail is never visible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..store import audit
from ..store.db import Database
from ..store.locks import Busy, exclusive
from ..store.releases import add_release, next_release_number, recorded_numbers
from ..store.staging import StagedRelease, recover_period, stage_release, stray_periods

Derive = Callable[[StagedRelease], Mapping[str, Any] | None]
"""A step computed from a staged release before it becomes visible (it may write files into ``folder``; what it
returns is added to the ``period.published`` audit event, e.g. the reason of a forced publish)."""


def lock_name(form: str, period: str) -> str:
    """The name of the publish lock of one form and period."""
    return f"publish:{form}:{period}"


@contextmanager
def period_writer(db: Database, form: str, period: str, actor: str = "cli") -> Iterator[list[str]]:
    """Hold the publish lock of ``form``/``period`` and settle what a killed publish left there (and, when
    their locks are free, in other periods of the form); yields what recovery did, one line each."""
    with exclusive(db, lock_name(form, period)):
        done = recover(db, form, period, actor)
        for other in stray_periods(db.settings, form):
            if other == period:
                continue
            try:
                with exclusive(db, lock_name(form, other), timeout=0):
                    done += recover(db, form, other, actor)
            except Busy:
                continue  # being published right now: that publish settles it
        yield done


def recover(db: Database, form: str, period: str, actor: str = "cli") -> list[str]:
    """Settle the warehouse folder of one period against the DB (hold its publish lock); audited."""
    with db.session() as s:
        recorded = recorded_numbers(s, form, period)
        done = recover_period(db.settings, form, period, recorded)
        for line in done:
            audit.record(s, actor, "release.recovered", "release", f"{form}/{period}", step=line)
    return [f"{form} {period}: {line}" for line in done]


def commit_release(
    db: Database,
    form: str,
    period: str,
    frame: pd.DataFrame,
    manifest: dict[str, Any],
    record: dict[str, Any],
    actor: str = "cli",
    derive: Sequence[Derive] = (),
) -> tuple[int, Path, str, datetime]:
    """Write, derive, record and reveal the next release of ``form``/``period`` (hold :func:`period_writer`).

    ``manifest`` goes into ``release.json`` (with form, period, number, created_at and the checksum added);
    ``record`` holds the columns of the ``releases`` row beyond form, period, number, path and checksum.
    Returns (release number, its folder, sha256 of the data file, creation time).
    """
    with db.session() as s:
        number = next_release_number(s, form, period)
    created = datetime.now(UTC)
    staged = stage_release(
        db.settings,
        form,
        period,
        number,
        frame,
        {"form": form, "period": period, "number": number, "created_at": created.isoformat(), **manifest},
    )
    try:
        noted: dict[str, Any] = {}
        for step in derive:
            noted.update(step(staged) or {})
        with db.session() as s:
            add_release(
                s,
                form=form,
                period=period,
                number=number,
                path=str(staged.final),
                checksum=staged.checksum,
                created_by=actor,
                **record,
            )
            audit.record(
                s,
                actor,
                "period.published",
                "release",
                f"{form}/{period}/{number}",
                checksum=staged.checksum,
                respondents=record.get("respondents"),
                imputed=record.get("imputed"),
                **noted,
            )
    except BaseException:
        staged.discard()
        raise
    return number, staged.make_visible(), staged.checksum, created
