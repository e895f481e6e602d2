"""What the intake says about a file as an enterprise sent it, beyond the validation rules: the extra columns it
ignored (企业名称, 联系人, 填表人, 电话 ...), the separator it detected, and — in a file not separated by commas —
numbers whose comma cannot be read safely (a decimal comma or a thousands separator?)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..domain import Label, Message
from .readers import RawTable
from .rules import Issue

_SEPARATOR_NAMES = {";", "\t"}  # the separators other than a comma that a file may use


def _separator(delimiter: str) -> Message:
    """The name of a separator other than a comma, said in the reader's language."""
    return Message("intake_files.separator_semicolon" if delimiter == ";" else "intake_files.separator_tab")


_COMMA_NUMBER = re.compile(r"^\s*[-+]?[\d.]*,[\d.,]*\s*$")


def issue(
    message: Message,
    *,
    file: str,
    row: int,
    column: str = "",
    value: str = "",
    rule: str,
    severity: str,
    field: str | None = None,
) -> Issue:
    """An :class:`Issue` whose text is the catalogue message ``message`` (said in the reader's language)."""
    return Issue(
        file=file, row=row, column=column, value=value, rule=rule, severity=severity, msg=message, field=field
    )


def file_notices(table: RawTable, ignored: Iterable[str]) -> list[Issue]:
    """Notices (severity ``notice``, row 1) for each extra column ignored and for a separator other than a comma."""
    out = [
        issue(
            Message("intake_files.ignored_column", column=name),
            file=table.source,
            row=1,
            column=name,
            value=name,
            rule="ignored_column",
            severity="notice",
        )
        for name in ignored
    ]
    if table.delimiter in _SEPARATOR_NAMES:
        sep = _separator(table.delimiter)
        out.append(
            issue(
                Message("intake_files.separator", separator=sep),
                file=table.source,
                row=1,
                value=table.delimiter,
                rule="separator",
                severity="notice",
            )
        )
    return out


def decimal_commas(
    table: RawTable, columns: dict[str, int], names: dict[str, tuple[str, str]]
) -> list[Issue]:
    """An error for each number cell holding a comma in a file separated by semicolons or tabs (at most 100):
    there a comma may be a decimal point (``1234,5``) or a thousands separator (``1,234``), and guessing wrong
    would store a value 1,000 times off. ``names``: indicator code → (name zh, name en)."""
    if table.delimiter not in _SEPARATOR_NAMES:
        return []
    sep = _separator(table.delimiter)
    out: list[Issue] = []
    for code, (zh, en) in names.items():
        pos = columns.get(code)
        if pos is None:
            continue
        for number, row in zip(table.row_numbers, table.rows, strict=True):
            v: Any = row[pos] if pos < len(row) else None
            if isinstance(v, str) and _COMMA_NUMBER.match(v):
                column = table.header[pos]
                out.append(
                    issue(
                        Message(
                            "intake_files.decimal_comma", field=Label(zh, en), value=v[:40], separator=sep
                        ),
                        file=table.source,
                        row=number,
                        column=column,
                        value=v[:40],
                        rule="decimal_comma",
                        severity="error",
                        field=code,
                    )
                )
                if len(out) >= 100:
                    return out
    return out
