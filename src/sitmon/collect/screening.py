"""What is checked of a received table before its rows are validated: text cells free of control characters,
and the form the file is of — with a cell error for each period that cannot be read when the form is to be
inferred (never a misleading "cannot tell the form")."""

from __future__ import annotations

import re
from typing import Any

from ..catalog import Catalog, Form
from ..domain import Message
from .cells import infer_frequency, parse_period_cell
from .headers import identity_position
from .readers import RawTable
from .rules import Issue

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _cell(row: list[Any], pos: int | None) -> Any:
    return row[pos] if pos is not None and pos < len(row) else None


def _structural(file: str, row: int, column: str, value: str, rule: str, msg: Message) -> Issue:
    return Issue(file=file, row=row, column=column, value=value, rule=rule, severity="error", msg=msg)


def control_characters(table: RawTable) -> list[Issue]:
    """An error for each text cell (at most 100) holding a control character (NUL, escape codes, line separators, bidi
    overrides): they would corrupt the store, the audit trail and every terminal that shows them."""
    out: list[Issue] = []
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        for pos, v in enumerate(row):
            if isinstance(v, str) and (m := _CONTROL.search(v)) is not None:
                column = table.header[pos] if pos < len(table.header) else str(pos + 1)
                msg = Message("intake_guard.control_character", column=column, char=f"U+{ord(m.group()):04X}")
                out.append(
                    Issue(
                        file=table.source,
                        row=number,
                        column=column,
                        value=_CONTROL.sub("?", v)[:40],
                        rule="control_character",
                        severity="error",
                        msg=msg,
                    )
                )
                if len(out) >= 100:
                    return out
    return out


def choose_form(table: RawTable, form: str | None, catalog: Catalog) -> tuple[Form | None, list[Issue]]:
    """The form given, or the one the first readable period belongs to; else (None, why), naming the
    unreadable period cells (row, column, value)."""
    if form is not None:
        return catalog.forms[form], []
    pos = identity_position(table.header, "period")
    if pos is None or not table.rows:
        msg = Message("intake_guard.no_period")
        return None, [_structural(table.source, 1, "period", "", "form", msg)]
    for row in table.rows:
        freq = infer_frequency(_cell(row, pos))
        if freq:
            return next((f for f in catalog.forms.values() if f.frequency == freq), None), []
    errors = []
    for number, row in zip(table.row_numbers[:100], table.rows[:100], strict=True):
        value = _cell(row, pos)
        _, reason = parse_period_cell(value, "monthly")
        reason = reason or Message("intake_guard.period_shape")
        text = "" if value is None else str(value)[:40]
        errors.append(
            Issue(
                file=table.source,
                row=number,
                column=table.header[pos],
                value=text,
                rule="period",
                severity="error",
                msg=Message("intake_guard.period_cell", value=text, reason=reason),
                field="period",
            )
        )
    return None, errors
