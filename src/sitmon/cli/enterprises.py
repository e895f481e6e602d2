"""``sitmon enterprises import|list|history``: the enterprise registry (企业名录)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..domain import jsontext
from .common import FormatOpt, OutputFormat, console, emit, existing_files, state

enterprises_app = typer.Typer(help="企业名录 Enterprise registry", no_args_is_help=True)


@enterprises_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV 或 XLSX：uscc,name,region_code,sector[,founded][,closed]")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只校验不写入 validate only")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
) -> None:
    """导入或更新企业名录 Import or update the enterprise registry (one transaction)."""
    from ..collect.registry import import_enterprises

    st = state(ctx)
    existing_files([file])
    result = import_enterprises(st.db, file, dry_run=dry_run)
    if fmt == "json":
        sys.stdout.write(jsontext.dumps(result.to_dict(), indent=2, default=str) + "\n")
    else:
        for e in result.errors[:50]:
            console.print(f"[red]{escape(f'{e.file}:{e.row} [{e.column}] {e.value!s}')}[/red] — "
                          + escape(f"{e.message(st.lang)} ({e.rule})"), highlight=False)
        if len(result.errors) > 50:
            console.print(st.t(f"……另有 {len(result.errors) - 50} 条错误", f"... and {len(result.errors) - 50} more errors"))
        console.print(st.t(
            f"{file.name}：{result.status}；新增 {result.added}，更新 {result.updated}，未变 {result.unchanged_rows}",
            f"{file.name}: {result.status}; added {result.added}, updated {result.updated}, unchanged {result.unchanged_rows}"))
    if result.status == "rejected":
        raise typer.Exit(1)


@enterprises_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table,
          province: Annotated[str | None, typer.Option("--province", help="省级代码 province code")] = None) -> None:
    """列出企业名录 List registered enterprises."""
    from ..store.enterprises import registry

    st = state(ctx)
    with st.db.session() as s:
        rows = [e.__dict__ for e in registry(s).values() if province is None or e.province_code == province]
    cols = ["uscc", "name", "region_code", "province_code", "city_code", "macro_region", "sector", "founded", "closed"]
    emit(rows, cols, fmt, title=st.t("企业名录", "Enterprise registry"))


@enterprises_app.command("history")
def history(ctx: typer.Context, uscc: str,
            fmt: FormatOpt = OutputFormat.table) -> None:
    """企业名录的历史版本 Recorded versions of one enterprise's registry entry."""
    from ..store.enterprises import history as versions

    st = state(ctx)
    with st.db.session() as s:
        rows = [{"version": v.version, "name": v.name, "region_code": v.region_code, "sector": v.sector,
                 "founded": v.founded, "closed": v.closed, "recorded_at": v.recorded_at} for v in versions(s, uscc)]
    if not rows:
        console.print(st.t(f"未找到企业 {uscc}", f"no enterprise {uscc}"))
        raise typer.Exit(1)
    emit(rows, list(rows[0]), fmt, title=uscc)


def register(app: typer.Typer) -> None:
    app.add_typer(enterprises_app, name="enterprises")
