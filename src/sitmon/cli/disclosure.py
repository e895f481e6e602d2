"""``sitmon disclosure audit|pattern|compute``: the attacker audit of a period's published tables, the pattern,
and the patterns of releases published before they were stored."""

from __future__ import annotations

import math
import sys
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..domain import Message, form_of, jsontext, term
from .common import (
    FormatOpt,
    IndicatorOpt,
    OutputFormat,
    PeriodOpt,
    ReleaseOpt,
    console,
    emit,
    err_console,
    fail,
    state,
)

disclosure_app = typer.Typer(no_args_is_help=True)


def _cell(key: dict[str, Any], lang: str) -> str:
    from ..catalog import load_catalog

    cat = load_catalog()
    parts = []
    for d, v in key.items():
        if d in ("region", "province", "city"):
            parts.append(cat.region_name(v, lang))
        elif d == "sector":
            parts.append(cat.sectors[v].name(lang))
        elif d == "size_tier":
            parts.append(term("size_tier", v, lang))
        else:
            parts.append(str(v))
    return " × ".join(parts) or term("table", "national", lang)


def _num(v: float) -> float | None:
    if math.isinf(v) or math.isnan(v):
        return None
    return 0.0 if abs(v) < 1e-9 else v


@disclosure_app.command("audit")
def audit_cmd(
    ctx: typer.Context,
    period: PeriodOpt,
    indicator: IndicatorOpt = "revenue_total",
    release: ReleaseOpt = None,
    primary_only: Annotated[bool, typer.Option("--primary-only")] = False,
    reviewers: Annotated[bool, typer.Option("--reviewers")] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Attacker audit of a period's published tables (internal: shows true values).

    For every suppressed cell, two linear programs (HiGHS) find the smallest and largest value consistent with
    every published cell, the totals, non-negativity and the attacker's other knowledge (earlier releases, last
    month, last year; with --reviewers each province's reviewer); a primary cell's interval must reach ±15 %.
    Exit code 1 if any cell is under-protected.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..catalog import load_catalog
    from ..catalog.disclosure import load_disclosure
    from ..process.disclosure import audit_release

    st = state(ctx)
    cat = load_catalog()
    form = form_of(period)
    if indicator not in cat.indicators or indicator not in cat.forms[form].indicators:
        raise fail(st.text("query.not_on_form", form=Message(f"terms.form.{form}"), indicator=indicator), 2)
    if fmt is OutputFormat.csv:
        raise fail(st.text("cli_disclosure.table_or_json"), 2)
    rules = load_disclosure()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(st.text("cli_disclosure.auditing"), total=None)
        try:
            rows = audit_release(
                st.settings,
                form,
                period,
                indicator,
                release,
                primary_only=primary_only,
                reviewers=reviewers,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except LookupError as exc:
            raise fail(
                st.text("cli_disclosure.no_release_or_pattern", period=period, reason=str(exc)), 2
            ) from exc
    dims_of = {"_".join(t) or "national": t for t in rules.tables}
    out: list[dict[str, Any]] = [
        {
            "table": r.table,
            "key": dict(zip(dims_of[r.table], r.key, strict=True)),
            "flag": r.flag,
            "attacker": r.attacker,
            "value": r.value,
            "lo": _num(r.lo),
            "hi": _num(r.hi),
            "need_below": r.need_below,
            "need_above": r.need_above,
            "lo_pct": _num(100 * (r.value - r.lo) / abs(r.value)) if r.value else None,
            "hi_pct": _num(100 * (r.hi - r.value) / abs(r.value)) if r.value else None,
            "protected": r.protected,
        }
        for r in rows
    ]
    bad = sum(not r.protected for r in rows)
    unit = cat.indicators[indicator].unit
    if fmt is OutputFormat.json:
        sys.stdout.write(
            jsontext.dumps(
                {
                    "period": period,
                    "indicator": indicator,
                    "unit": unit,
                    "protection_pct": rules.protection_pct,
                    "primary_only": primary_only,
                    "cells": out,
                    "under_protected": bad,
                },
                indent=2,
            )
            + "\n"
        )
    else:
        table_rows = [
            {
                "attacker": _attacker(o["attacker"], st.lang),
                "table": o["table"],
                "cell": _cell(o["key"], st.lang),
                "flag": o["flag"],
                "value": o["value"],
                "lo": "-∞" if o["lo"] is None else o["lo"],
                "hi": "+∞" if o["hi"] is None else o["hi"],
                "lo_pct": "∞" if o["lo_pct"] is None and o["lo"] is None else o["lo_pct"],
                "hi_pct": "∞" if o["hi_pct"] is None and o["hi"] is None else o["hi_pct"],
                "ok": st.text("cli_disclosure.ok" if o["protected"] else "cli_disclosure.not_ok"),
            }
            for o in out
        ]
        title = st.text(
            "cli_disclosure.audit_title",
            indicator=cat.indicators[indicator].label,
            period=period,
            unit=cat.units[unit].label,
        )
        emit(
            table_rows,
            ["attacker", "table", "cell", "flag", "value", "lo", "hi", "lo_pct", "hi_pct", "ok"],
            fmt,
            lang=st.lang,
            title=title,
            terms={"table": "table", "flag": "flag"},
            headers={
                "attacker": st.text("cli_disclosure.col_attacker"),
                "value": st.text("cli_disclosure.col_value"),
                "lo": st.text("cli_disclosure.col_lo"),
                "hi": st.text("cli_disclosure.col_hi"),
                "lo_pct": st.text("cli_disclosure.col_lo_pct"),
                "hi_pct": st.text("cli_disclosure.col_hi_pct"),
                "ok": st.text("cli_disclosure.col_ok", pct=f"{rules.protection_pct:g}"),
            },
        )
        console.print(
            st.text(
                "cli_disclosure.summary_primary" if primary_only else "cli_disclosure.summary",
                n=len(rows),
                bad=bad,
            ),
            highlight=False,
        )
    if bad:
        raise typer.Exit(1)


@disclosure_app.command("pattern")
def pattern_cmd(
    ctx: typer.Context,
    period: PeriodOpt,
    indicator: IndicatorOpt = "revenue_total",
    release: ReleaseOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The published suppression pattern: every suppressed cell and its reason."""
    from ..catalog import load_catalog
    from ..catalog.disclosure import load_disclosure
    from ..disseminate.disclosure import Disclosure
    from ..store.warehouse import Warehouse

    st = state(ctx)
    form = form_of(period)
    d = Disclosure(Warehouse(st.settings))
    found = d.release(form, period, release)
    if found is None:
        raise fail(st.text("query.not_published", period=period), 2)
    pat = d.pattern(form, period, indicator, release)
    if pat is None:
        raise fail(
            st.text("disclosure.no_pattern", period=period, release=found.number, indicator=indicator), 2
        )
    if pat.failsafe:
        err_console.print(escape(st.text("disclosure.failsafe", reason=pat.failsafe)), highlight=False)
    dims_of = {"_".join(t) or "national": t for t in load_disclosure().tables}
    rows = [
        {
            "table": t,
            "cell": ",".join(map(str, k))
            if fmt is not OutputFormat.table
            else _cell(dict(zip(dims_of[t], k, strict=True)), st.lang),
            "flag": f,
        }
        for (t, k), f in sorted(pat.flags.items())
    ]
    emit(
        rows,
        ["table", "cell", "flag"],
        fmt,
        lang=st.lang,
        terms={"table": "table", "flag": "flag"},
        title=st.text(
            "cli_disclosure.pattern_title",
            indicator=load_catalog().indicators[indicator].label,
            period=period,
            release=pat.release,
        ),
    )
    if fmt is OutputFormat.table:
        sep = st.text("cli_reports.list_sep")
        counts = sep.join(f"{st.term('flag', k)} {v}" for k, v in sorted(pat.counts.items()) if k != "cells")
        carried = sep.join(_release_said(st, c) for c in pat.carried_from) or st.text("query.none")
        console.print(
            st.text(
                "cli_disclosure.carried",
                carried=carried,
                cells=pat.counts.get("cells", len(rows)),
                counts=counts or "0",
            ),
            highlight=False,
        )


def _attacker(attacker: str, lang: str) -> str:
    """Who the attacker of an audit row is: the public, or the reviewer of a province (its code)."""
    from ..catalog import load_catalog

    if attacker == "public":
        return term("attacker", "public", lang)
    return Message("cli_disclosure.reviewer_of", province=load_catalog().region_name(attacker, lang)).render(
        lang
    )


def _release_said(st, release: str) -> str:  # type: ignore[no-untyped-def]
    """``monthly 2024-11 #1`` (a release a pattern was carried from) in the user's language."""
    parts = release.split()
    if len(parts) != 3 or not parts[2].startswith("#"):
        return release
    return st.text(
        "cli_disclosure.release",
        form=st.term("form", parts[0]),
        period=parts[1],
        number=parts[2].removeprefix("#"),
    )


@disclosure_app.command("compute")
def compute_cmd(
    ctx: typer.Context,
    period: PeriodOpt,
    release: ReleaseOpt = None,
) -> None:
    """Compute the missing patterns of releases published before patterns were stored (the earlier months of the
    year first); stored once, never overwritten."""
    from rich.progress import Progress

    from ..process.disclosure import ensure_patterns

    st = state(ctx)
    form = form_of(period)
    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task(st.text("disclosure.control"), total=None)

        def step(done: int, total: int, what: str) -> None:
            bar.update(
                task,
                completed=done,
                total=total,
                description=st.text("disclosure.computing", done=done, total=total, what=what),
            )

        try:
            written = ensure_patterns(st.settings, form, period, release, on_progress=step)
        except LookupError as exc:
            raise fail(st.text("query.not_published", period=period), 2) from exc
    console.print(st.text("disclosure.computed", n=len(written)), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(disclosure_app, name="disclosure")
