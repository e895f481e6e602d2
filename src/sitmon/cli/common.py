"""What every command shares: the settings, the DB, the console, messages in the user's language, output
formats."""

from __future__ import annotations

import csv
import io
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..domain import Label, Message, Period, PeriodError, jsontext, term, text
from ..domain.messages import has
from ..domain.spreadsheet import escape_cell

if (
    TYPE_CHECKING
):  # imported when used: `sitmon --help` starts without SQLAlchemy, pydantic-settings or pandas
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
        raise typer.BadParameter(exc.render(state(ctx).lang)) from exc


# The options several commands share, declared once; their help is in locale/cli_help.yaml (option.<name>).
FormatOpt = Annotated[OutputFormat, typer.Option("--format")]
PeriodOpt = Annotated[str, typer.Option("--period", callback=check_periods)]
OptionalPeriodOpt = Annotated[str | None, typer.Option("--period", callback=check_periods)]
PeriodsOpt = Annotated[list[str], typer.Option("--period", callback=check_periods)]
IndicatorOpt = Annotated[str, typer.Option("--indicator")]
ReleaseOpt = Annotated[int | None, typer.Option("--release")]
FormOpt = Annotated[str | None, typer.Option("--form")]
VintageOpt = Annotated[str, typer.Option("--vintage")]


# Plain text by default: a file name, a value or a user name that looks like Rich markup ("[/]", "[red]") is
# printed as it is, never interpreted; the few places that colour their output say markup=True and escape.
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)


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

    def text(self, key: str, **params: Any) -> str:
        """The catalogue's message ``key`` in the user's language (``SITMON_LANG`` / ``--lang``)."""
        return text(key, self.lang, **params)

    def say(self, message: Message | Label) -> str:
        """``message`` (or a catalog name) in the user's language."""
        return message.render(self.lang)

    def term(self, kind: str, code: object) -> str:
        """How the code ``code`` of ``kind`` (status, form, flag, ...) is said in the user's language."""
        return term(kind, code, self.lang)


def state(ctx: typer.Context) -> State:
    """The :class:`State` of the running command."""
    obj = ctx.find_root().obj
    if obj is None:  # invoked without the root callback (e.g. in-process tests of a sub-app)
        obj = ctx.find_root().obj = State.from_options()
    return obj  # type: ignore[no-any-return]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` on stderr and return the exit to raise (``raise fail(...)``)."""
    err_console.print(f"[red]{escape(message)}[/red]", highlight=False, markup=True)
    return typer.Exit(code)


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: OutputFormat,
    *,
    lang: str,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
    terms: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
) -> None:
    """Print ``rows`` as a Rich table, CSV (header row = ``columns``) or a JSON list on stdout.

    CSV and JSON are for machines: codes and values as they are. CSV cells that a spreadsheet would run as a
    formula are escaped (:mod:`sitmon.domain.spreadsheet`); JSON is strict (a non-finite number is written as
    null, never as ``NaN``/``Infinity``). The table is for people, in ``lang``: a column's header is
    ``headers[column]`` or the catalogue's ``columns.<column>``; the values of a column named in ``terms`` are
    codes of that kind (:func:`~sitmon.domain.messages.term`), booleans are said as yes / no, and a float has
    ``decimals[column]`` decimals (two by default).
    """
    if fmt is OutputFormat.json:
        sys.stdout.write(jsontext.dumps(_finite(list(rows)), indent=2, default=str) + "\n")
        return
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(
            buf, fieldnames=[escape_cell(c) for c in columns], extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {escape_cell(k): ("" if row.get(k) is None else escape_cell(row.get(k))) for k in columns}
            )
        sys.stdout.write(buf.getvalue())
        return
    headers, terms, decimals = headers or {}, terms or {}, decimals or {}
    table = Table(
        title=escape(title) if title else None, caption=escape(caption) if caption else None, show_lines=False
    )
    for col in columns:
        numeric = any(
            isinstance(r.get(col), (int, float)) and not isinstance(r.get(col), bool) for r in rows[:50]
        )
        table.add_column(
            escape(headers.get(col) or column_header(col, lang)), justify="right" if numeric else "left"
        )
    for row in rows:
        table.add_row(*[escape(_cell(row.get(c), lang, terms.get(c), decimals.get(c, 2))) for c in columns])
    console.print(table)


def column_header(column: str, lang: str) -> str:
    """The header people read over ``column`` (``columns.<column>`` in the catalogue; the code when none)."""
    key = f"columns.{column}"
    return text(key, lang) if has(key) else column


def write_out(st: State, doc: Document, out: Path, encoding: str | None = None) -> None:
    """Write ``doc`` to ``out`` by its extension (.csv .xlsx .json .parquet; CSV in ``encoding``) and say so on
    stderr; a bad format, encoding or text exits with code 2."""
    from ..disseminate.writers import WriterError, write_file

    try:
        writer = write_file(doc, out, encoding=encoding)
    except WriterError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    except OSError as exc:
        raise fail(f"{out}: {exc.strerror or exc}", 2) from exc
    err_console.print(
        text("tables.written", st.lang, path=str(out), format=writer.name, rows=len(doc.rows)),
        highlight=False,
    )


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
            cells.append(
                ""
                if v is None
                else f"{v:,.{c.decimals}f}"
                if isinstance(v, float) and c.decimals is not None
                else escape(_cell(v, doc.lang))
            )
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


def _cell(value: Any, lang: str, kind: str | None = None, decimals: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return term("bool", value, lang)
    if kind is not None:
        return term(kind, value, lang)
    if isinstance(value, float):
        return f"{value:,.{decimals}f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


def existing_files(st: State, paths: Iterable[Path]) -> list[Path]:
    """The paths, checked to exist; raises an exit naming the first that does not."""
    out = []
    for p in paths:
        if not p.exists():
            raise fail(st.text("cli.file_not_found", path=str(p)), 2)
        out.append(p)
    return out
