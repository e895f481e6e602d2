"""Listings of the monthly round that go to people — the problems of a report file, the review queue, the
late-filer list, the response rates, the release calendar and notices — and how they become files.

A :class:`Listing` is what the console shows (numbers people read rounded, e.g. growth to one decimal); written to
a file (``--out`` of the CLI, ``format=`` of the API) it becomes a writers :class:`~.writers.Document` and goes
through the writers registry (:mod:`.writers`: one writer per format, formula escaping by the shared
``escape_cell``, the file whole or not at all). Files keep the full numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .layout import both
from .writers.document import Column, Document, Text

__all__ = ["Listing", "Text", "both"]


@dataclass
class Listing:
    """A table for people: a title, columns (key, header in both languages), rows of plain values, notes, the
    decimals people see of some columns on the console (files keep the full numbers), and the stem of its file
    name."""

    title: Text
    columns: list[tuple[str, Text]]
    rows: list[dict[str, Any]]
    notes: list[Text] = field(default_factory=list)
    lang: str = "zh"
    decimals: dict[str, int] = field(default_factory=dict)
    name: str = "sitmon"

    def shown(self) -> list[dict[str, Any]]:
        """The rows as people read them on a console: numbers of the columns in ``decimals`` as text with that many
        decimals (growth rates to one decimal)."""
        return [
            {
                k: (
                    f"{v:,.{self.decimals[k]}f}"
                    if k in self.decimals and isinstance(v, (int, float)) and not isinstance(v, bool)
                    else v
                )
                for k, v in r.items()
            }
            for r in self.rows
        ]

    def say(self, value: Text) -> str:
        """``value`` in the listing's language."""
        return value[0] if self.lang == "zh" else value[1]

    @property
    def keys(self) -> list[str]:
        """The column keys, in order."""
        return [k for k, _ in self.columns]

    @property
    def headers(self) -> list[str]:
        """The column headers in the listing's language."""
        return [self.say(label) for _, label in self.columns]

    def document(self) -> Document:
        """The listing as a document for the writers registry: for people, numbers kept as numbers (in full), a
        yes/no as ✓ or empty."""
        rows = [{k: _plain(r.get(k)) for k in self.keys} for r in self.rows]
        cols = []
        for key, label in self.columns:
            values = [r[key] for r in rows if r[key] is not None]
            numeric = bool(values) and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
            )
            cols.append(Column(key, label, kind="number" if numeric else "label"))
        return Document(
            title=self.title,
            columns=cols,
            rows=rows,
            notes=list(self.notes),
            name=self.name,
            lang=self.lang,
            for_people=True,
        )


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "✓" if value else ""
    return value
