"""What every command shares: the settings, the DB, the console, bilingual messages, output formats."""

from __future__ import annotations

import csv
import io
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..domain import Period, PeriodError, jsontext
from ..domain.spreadsheet import escape_cell

if TYPE_CHECKING:  # imported when used: `sitmon --help` starts without SQLAlchemy, pydantic-settings or pandas
    from ..config import Settings
    from ..disseminate.writers import Document
    from ..store.db import Database


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def check_periods(ctx: typer.Context, value: str | list[str] | None) -> str | list[str] | None:
    """Typer callback of ``--period``: each value checked and written the one way (``2024-03``, ``2024``)."""
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return str(Period.parse(value))
        return [str(Period.parse(v)) for v in value]
    except PeriodError as exc:
        raise typer.BadParameter(exc.message.render(state(ctx).lang)) from exc


# The options several commands share, declared once.
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table | csv | json")]
PeriodOpt = Annotated[str, typer.Option("--period", help="报告期 YYYY-MM / YYYY", callback=check_periods)]
OptionalPeriodOpt = Annotated[str | None, typer.Option("--period", help="报告期 YYYY-MM / YYYY", callback=check_periods)]
PeriodsOpt = Annotated[list[str], typer.Option("--period", help="报告期 YYYY-MM / YYYY（可多次）", callback=check_periods)]
IndicatorOpt = Annotated[str, typer.Option("--indicator", help="指标代码 e.g. revenue_total")]
ReleaseOpt = Annotated[int | None, typer.Option("--release", help="该期的版本号（默认最新）")]
FormOpt = Annotated[str | None, typer.Option("--form", help="monthly | annual（默认按报告期判断 inferred）")]
VintageOpt = Annotated[str, typer.Option("--vintage", help="latest（最新修订，默认）| first（首次公布）")]


console = Console()
err_console = Console(stderr=True)


@dataclass
class State:
    """Per-invocation state: settings built once from options and environment when first needed, the DB
    opened lazily."""

    options: dict[str, Any] = field(default_factory=dict)
    _db: Database | None = field(default=None, repr=False)

    @classmethod
    def from_options(cls, **options: Any) -> State:
        return cls(options=options)

    @cached_property
    def settings(self) -> Settings:
        """The settings from the options and the environment."""
        from ..config import load_settings

        return load_settings(**self.options)

    @property
    def lang(self) -> str:
        return self.settings.lang

    @cached_property
    def db(self) -> Database:
        """The operational DB, upgraded to the newest schema on first use."""
        from ..store.db import Database

        db = Database(self.settings)
        db.upgrade()
        return db

    def t(self, zh: str, en: str) -> str:
        """The message in the user's language (``SITMON_LANG`` / ``--lang``)."""
        return zh if self.lang == "zh" else en


def state(ctx: typer.Context) -> State:
    """The :class:`State` of the running command."""
    obj = ctx.find_root().obj
    if obj is None:  # invoked without the root callback (e.g. in-process tests of a sub-app)
        obj = ctx.find_root().obj = State.from_options()
    return obj  # type: ignore[no-any-return]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` on stderr and return the exit to raise (``raise fail(...)``)."""
    err_console.print(f"[red]{message}[/red]")
    return typer.Exit(code)


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: OutputFormat,
    *,
    title: str | None = None,
    headers: Sequence[str] | None = None,
    caption: str | None = None,
) -> None:
    """Print ``rows`` as a Rich table, CSV (header row = ``columns``) or a JSON list on stdout.

    CSV cells that a spreadsheet would run as a formula are escaped (:mod:`sitmon.domain.spreadsheet`); JSON is
    strict (a non-finite number is written as null, never as ``NaN``/``Infinity``).
    """
    if fmt is OutputFormat.json:
        sys.stdout.write(jsontext.dumps(_finite(list(rows)), indent=2, default=str) + "\n")
        return
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=[escape_cell(c) for c in columns], extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({escape_cell(k): ("" if row.get(k) is None else escape_cell(row.get(k))) for k in columns})
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=title, caption=caption, show_lines=False)
    for i, col in enumerate(columns):
        numeric = any(isinstance(r.get(col), (int, float)) for r in rows[:50])
        table.add_column(headers[i] if headers else col, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*[escape(_cell(row.get(c))) for c in columns])
    console.print(table)


def write_out(st: State, doc: Document, out: Path, encoding: str | None = None) -> None:
    """Write ``doc`` to ``out`` by its extension (.csv .xlsx .json .parquet; CSV in ``encoding``) and say so on
    stderr; a bad format, encoding or text exits with code 2."""
    from ..disseminate.writers import WriterError, write_file
    from ..domain import text

    try:
        writer = write_file(doc, out, encoding=encoding)
    except WriterError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    except OSError as exc:
        raise fail(f"{out}: {exc.strerror or exc}", 2) from exc
    err_console.print(text("tables.written", st.lang, path=str(out), format=writer.name, rows=len(doc.rows)),
                      highlight=False)


def print_document(doc: Document) -> None:
    """Print ``doc`` for people on the console: the title, the table (headers with their periods, the total row
    in bold) and the notes."""
    table = Table(title=escape(doc.text(doc.title)), show_lines=False)
    for c in doc.columns:
        table.add_column(escape(doc.header(c)), justify="right" if c.kind == "number" else "left")
    for i, row in enumerate(doc.rows):
        cells = []
        for c in doc.columns:
            v = doc.shown(c, row.get(c.key))
            cells.append("" if v is None else f"{v:,.{c.decimals}f}" if isinstance(v, float) and c.decimals is not None
                         else escape(_cell(v)))
        table.add_row(*cells, style="bold" if i < doc.total_rows else None)
    console.print(table)
    for note in doc.notes:
        console.print(escape(doc.text(note)), highlight=False)


def _finite(value: Any) -> Any:
    """``value`` with every non-finite float (in lists and mappings) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


def existing_files(paths: Iterable[Path]) -> list[Path]:
    """The paths, checked to exist; raises a bilingual exit naming the first that does not."""
    out = []
    for p in paths:
        if not p.exists():
            raise fail(f"文件不存在 file not found: {p}", 2)
        out.append(p)
    return out
