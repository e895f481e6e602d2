"""What a writer writes: a table for people or for machines, independent of the file format.

A :class:`Document` has a title, columns (a machine key, a header in both languages with its unit, the period it
falls under, and how many decimals people see), rows of plain values — numbers as numbers, None where there is
no figure, :class:`Suppressed` where disclosure control withholds one — and the notes that go under the table
(definitions, the suppression mark, releases, source). Every output format renders the same document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Text = tuple[str, str]
"""A text in Chinese and English."""

MARK = "…"
"""How a suppressed cell is shown to people (explained in a note under the table)."""


@dataclass(frozen=True)
class Suppressed:
    """A cell withheld by disclosure control, with its reason code (threshold, dominance or secondary)."""

    flag: str


@dataclass(frozen=True)
class Column:
    """One column: ``key`` (the machine name: long-layout header, JSON key, Parquet column), ``label`` (header for
    people, with the unit), ``group`` (an upper header, e.g. the period, shared by neighbouring columns),
    ``kind`` (``code``, ``label`` or ``number``), ``decimals`` people see, and ``unit`` (a catalog unit code)."""

    key: str
    label: Text
    group: Text | None = None
    kind: Literal["code", "label", "number"] = "label"
    decimals: int | None = None
    unit: str | None = None


@dataclass
class Document:
    """A table ready to write: for people (``for_people``: headers in ``lang`` with units, values rounded, notes
    under the table) or for machines (headers are the column keys, values as computed)."""

    title: Text
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[Text] = field(default_factory=list)
    name: str = "sitmon"
    lang: str = "zh"
    for_people: bool = True
    total_rows: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    def text(self, value: Text) -> str:
        """``value`` in the document's language."""
        return value[0] if self.lang == "zh" else value[1]

    def header(self, column: Column) -> str:
        """The one-line header of ``column``: its key for machines; for people its group and label."""
        if not self.for_people:
            return column.key
        label = self.text(column.label)
        return f"{self.text(column.group)} {label}" if column.group else label

    def shown(self, column: Column, value: Any) -> Any:
        """The value people see in ``column``: rounded to the column's decimals (numbers stay numbers), the
        mark for a suppressed cell, None for no figure; machines get the value as it is (a suppressed one None)."""
        if isinstance(value, Suppressed):
            return MARK if self.for_people else None
        if value is None or not self.for_people or column.kind != "number" or column.decimals is None:
            return value
        return round(float(value), column.decimals)

    def flags(self, row: dict[str, Any]) -> dict[str, str]:
        """The reason codes of the suppressed cells of ``row``, by column key."""
        return {k: v.flag for k, v in row.items() if isinstance(v, Suppressed)}


@dataclass(frozen=True)
class Chart:
    """A chart drawn by the writers themselves (no browser, no network): ``kind`` ``line`` or ``bar``, categories
    along the x axis, and series of values (None: no point) in ``unit``."""

    kind: Literal["line", "bar"]
    title: Text
    categories: list[Text]
    series: list[tuple[Text, list[float | None]]]
    unit: Text = ("", "")


@dataclass
class Section:
    """A part of a report: a heading, paragraphs, tables and charts, in that order."""

    heading: Text
    paragraphs: list[Text] = field(default_factory=list)
    tables: list[Document] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Report:
    """A document of several sections (a bulletin) in both languages, written in ``lang``; ``banner`` (e.g. that
    the data are synthetic) goes on every page."""

    title: Text
    subtitle: Text
    sections: list[Section]
    name: str = "sitmon-report"
    lang: str = "zh"
    banner: Text | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def text(self, value: Text) -> str:
        """``value`` in the report's language."""
        return value[0] if self.lang == "zh" else value[1]
