"""``sitmon enterprises import|list|history``: the enterprise registry (企业名录)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..domain import jsontext
from .common import FormatOpt, OutputFormat, console, emit, existing_files, state

enterprises_app = typer.Typer(no_args_is_help=True)


@enterprises_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument()],
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    fmt: Annotated[str, typer.Option("--format")] = "text",
) -> None:
    """Import or update the enterprise registry (one transaction)."""
    from ..collect.registry import import_enterprises

    st = state(ctx)
    existing_files(st, [file])
    result = import_enterprises(st.db, file, dry_run=dry_run)
    if fmt == "json":
        sys.stdout.write(jsontext.dumps(result.to_dict(), indent=2, default=str) + "\n")
    else:
        for e in result.errors[:50]:
            console.print(
                f"[red]{escape(f'{e.file}:{e.row} [{e.column}] “{e.value!s}”')}[/red] — "
                + escape(st.text("cli_enterprises.error", message=e.msg, rule=e.rule)),
                highlight=False,
                markup=True,
            )
        if len(result.errors) > 50:
            console.print(st.text("cli_enterprises.more", n=len(result.errors) - 50), highlight=False)
        console.print(
            st.text(
                "cli_enterprises.summary",
                file=file.name,
                status=st.term("import", result.status),
                added=result.added,
                updated=result.updated,
                unchanged=result.unchanged_rows,
            ),
            highlight=False,
        )
    if result.status == "rejected":
        raise typer.Exit(1)


@enterprises_app.command("list")
def list_(
    ctx: typer.Context,
    fmt: FormatOpt = OutputFormat.table,
    province: Annotated[str | None, typer.Option("--province")] = None,
) -> None:
    """List registered enterprises."""
    from ..store.enterprises import registry

    st = state(ctx)
    with st.db.session() as s:
        rows = [e.__dict__ for e in registry(s).values() if province is None or e.province_code == province]
    cols = [
        "uscc",
        "name",
        "region_code",
        "province_code",
        "city_code",
        "macro_region",
        "sector",
        "founded",
        "closed",
    ]
    if fmt is OutputFormat.table:
        rows = [_said(st, r) for r in rows]
    emit(
        rows,
        cols,
        fmt,
        lang=st.lang,
        title=st.text("cli_enterprises.title"),
        headers={
            "name": st.text("cli_enterprises.name"),
            "macro_region": st.text("cli_enterprises.macro_region"),
        },
    )


def _said(st, row: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A registry row for people: the macro region and sector by name, not by code."""
    from ..catalog import load_catalog

    cat = load_catalog()
    sector = cat.sectors.get(str(row.get("sector")))
    return {
        **row,
        "macro_region": cat.region_name(row.get("macro_region"), st.lang) or None,
        "sector": sector.name(st.lang) if sector else row.get("sector"),
    }


@enterprises_app.command("history")
def history(ctx: typer.Context, uscc: str, fmt: FormatOpt = OutputFormat.table) -> None:
    """Recorded versions of one enterprise's registry entry."""
    from ..store.enterprises import history as versions

    st = state(ctx)
    with st.db.session() as s:
        rows = [
            {
                "version": v.version,
                "name": v.name,
                "region_code": v.region_code,
                "sector": v.sector,
                "founded": v.founded,
                "closed": v.closed,
                "recorded_at": v.recorded_at,
            }
            for v in versions(s, uscc)
        ]
    if not rows:
        console.print(st.text("cli_enterprises.no_enterprise", uscc=uscc), highlight=False)
        raise typer.Exit(1)
    if fmt is OutputFormat.table:
        rows = [_said(st, r) for r in rows]
    emit(
        rows, list(rows[0]), fmt, lang=st.lang, title=uscc, headers={"name": st.text("cli_enterprises.name")}
    )


def register(app: typer.Typer) -> None:
    app.add_typer(enterprises_app, name="enterprises")
