"""``sitmon publish`` and ``sitmon releases list|calendar|revisions``: closing a period into an immutable release
through the publish guard, the releases, their calendar and revision notices."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..domain import jsontext
from ..domain.messages import Message
from .common import (
    FormatOpt,
    FormOpt,
    OutputFormat,
    PeriodOpt,
    PeriodsOpt,
    ReleaseOpt,
    console,
    emit,
    err_console,
    fail,
    state,
)

releases_app = typer.Typer(no_args_is_help=True)


@releases_app.command("list")
def list_(
    ctx: typer.Context,
    form: Annotated[str | None, typer.Option("--form")] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List published releases."""
    from ..store.releases import list_releases

    st = state(ctx)
    with st.db.session() as s:
        rows = [
            {
                "form": r.form,
                "period": r.period,
                "release": r.number,
                "created_at": r.created_at.strftime("%Y-%m-%d %H:%M"),
                "respondents": r.respondents,
                "imputed": r.imputed,
                "expected": r.enterprises,
                "response_rate_pct": r.response_rate,
                "synthetic": r.synthetic,
                "checksum": r.checksum[:16],
            }
            for r in list_releases(s, form)
        ]
    cols = [
        "form",
        "period",
        "release",
        "created_at",
        "respondents",
        "imputed",
        "expected",
        "response_rate_pct",
        "synthetic",
    ]
    emit(
        rows,
        cols if fmt is OutputFormat.table else [*cols, "checksum"],
        fmt,
        lang=st.lang,
        title=st.text("cli_publish.releases_title"),
        terms={"form": "form"},
        headers={"created_at": st.text("cli_publish.created_at")},
    )


@releases_app.command("calendar")
def calendar(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", min=2000, max=2100)] = None,
    form: Annotated[str, typer.Option("--form")] = "monthly",
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """The release calendar: planned dates, first releases, late and overdue periods."""
    from datetime import datetime

    from ..disseminate.release_listings import calendar_listing
    from ..process.release_calendar import BEIJING, release_calendar
    from .review import _show

    st = state(ctx)
    year = year or datetime.now(BEIJING).year
    _show(
        st,
        calendar_listing(release_calendar(st.db, form=form, year=year), st.lang, form, year),
        fmt,
        out,
        encoding,
    )


@releases_app.command("revisions")
def revisions(
    ctx: typer.Context,
    period: PeriodOpt,
    release: ReleaseOpt = None,
    form: FormOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """The revision notice: published cells changed since the previous release of the period (old, new)."""
    from ..disseminate.release_listings import notice_listing
    from ..disseminate.revisions import revision_notice
    from ..domain import Period
    from .review import _show

    st = state(ctx)
    form = form or Period.parse(period).form
    notice = revision_notice(st.settings, form, period, release)
    if notice is None:
        raise fail(
            escape(
                st.text("releases_round.notice_missing", form=Message(f"terms.form.{form}"), period=period)
            ),
            1,
        )
    _show(st, notice_listing(notice, st.lang), fmt, out, encoding)


def register(app: typer.Typer) -> None:
    app.add_typer(releases_app, name="releases")

    @app.command("publish")
    def publish(
        ctx: typer.Context,
        period: PeriodsOpt,
        form: FormOpt = None,
        dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
        force: Annotated[bool, typer.Option("--force")] = False,
        reason: Annotated[str | None, typer.Option("--reason")] = None,
        min_rate: Annotated[float | None, typer.Option("--min-response-rate", min=0, max=100)] = None,
        fmt: Annotated[str, typer.Option("--format")] = "text",
    ) -> None:
        """Close periods and publish releases: shows what is about to be published and refuses below the minimum
        response rate or with unexplained warnings, unless --force --reason (audited); --dry-run previews."""
        from ..domain import InvalidInput
        from ..process.publish import PublishError
        from ..process.publish_guard import GuardPolicy, PublishRefused

        st = state(ctx)
        policy = GuardPolicy(
            st.settings.publish_min_response_rate if min_rate is None else min_rate, force, reason, dry_run
        )
        refused, payload = False, []
        for p in sorted(period):
            try:
                done = _publish_one(st, p, form, policy, show_progress=fmt != "json")
            except PublishError as exc:
                raise fail(escape(exc.render(st.lang)), 2) from exc
            except InvalidInput as exc:
                raise fail(escape(exc.render(st.lang)), 2) from exc
            except PublishRefused as exc:
                refused = True
                payload.append({"period": p, "status": "refused", "preview": exc.preview.to_dict()})
                if fmt != "json":
                    _print_preview(st, exc.preview, dry_run)
                    err_console.print(f"[red]{escape(exc.render(st.lang))}[/red]", highlight=False)
                continue
            status = "dry_run" if done.release is None else ("forced" if done.preview.forced else "published")
            payload.append({"period": p, "status": status, "preview": done.preview.to_dict()})
            if fmt == "json":
                continue
            _print_preview(st, done.preview, dry_run)
            if done.release is None:
                problems = "; ".join(x.render(st.lang) for x in done.preview.problems)
                verdict = (
                    st.text("publish_guard.would_refuse", problems=problems)
                    if problems
                    else st.text("publish_guard.passed")
                )
                console.print(escape(st.text("publish_guard.dry_run_done", verdict=verdict)), highlight=False)
                continue
            r = done.release
            console.print(
                escape(
                    st.text(
                        "publish_guard.published",
                        form=st.term("form", r.form),
                        period=r.period,
                        number=r.number,
                        respondents=f"{r.respondents:,}",
                        imputed=f"{r.imputed:,}",
                        expected=f"{r.expected:,}",
                        rate=r.response_rate_pct,
                        synthetic=st.text("publish_guard.synthetic") if r.synthetic else "",
                        checksum=r.checksum[:16],
                    )
                ),
                highlight=False,
            )
            if done.preview.forced:
                console.print(
                    f"[yellow]{escape(st.text('publish_guard.forced', reason=done.preview.reason))}[/yellow]",
                    highlight=False,
                )
        if fmt == "json":
            sys.stdout.write(jsontext.dumps(payload, indent=2, default=str) + "\n")
        if refused:
            raise typer.Exit(1)


def _publish_one(st, period: str, form: str | None, policy, show_progress: bool):  # type: ignore[no-untyped-def]
    """The guarded publish of one period, with a transient progress bar over the disclosure patterns."""
    from rich.progress import Progress

    from ..process.publish_guard import publish_guarded

    if not show_progress:
        return publish_guarded(st.db, period, form, policy=policy)
    with Progress(console=err_console, transient=True) as bar:
        step = bar.add_task(st.text("disclosure.control"), total=None)

        def progress(i: int, total: int, what: str) -> None:
            bar.update(
                step,
                completed=i,
                total=total,
                description=st.text("disclosure.computing", done=i, total=total, what=what),
            )

        return publish_guarded(st.db, period, form, policy=policy, on_progress=progress)


def _print_preview(st, preview, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    from ..disseminate.release_listings import preview_lines, provinces_listing, revisions_listing

    lines = preview_lines(preview, st.lang, dry_run)
    console.print(f"[bold]{escape(lines[0])}[/bold]", highlight=False)
    provinces = provinces_listing(preview, st.lang)
    emit(
        provinces.shown(),
        provinces.keys,
        OutputFormat.table,
        lang=st.lang,
        headers=dict(zip(provinces.keys, provinces.headers, strict=True)),
    )
    for line in lines[1:]:
        console.print(escape(line), highlight=False)
    if preview.largest_revisions:
        changes = revisions_listing(preview, st.lang)
        emit(
            changes.shown(),
            changes.keys,
            OutputFormat.table,
            lang=st.lang,
            headers=dict(zip(changes.keys, changes.headers, strict=True)),
        )
