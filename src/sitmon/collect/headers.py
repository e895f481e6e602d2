"""Mapping the header of a received file to catalog codes: codes, the template's Chinese names
(``软件业务收入`` or ``软件业务收入(revenue_total)``) or the English names are all accepted."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..catalog import Catalog
from ..domain import Message

IDENTITY_NAMES = {
    "uscc": ("uscc", "统一社会信用代码", "unified social credit code"),
    "period": ("period", "报告期", "报告期别", "report period"),
    "note": ("note", "备注", "上报说明", "备注（上报说明）", "explanation"),
}
_CODE_IN_PARENS = re.compile(r"[（(]\s*([a-z][a-z0-9_]*)\s*[)）]\s*$")


class HeaderError(ValueError):
    """The header cannot be mapped: ``problems`` lists (column, message)."""

    def __init__(self, problems: list[tuple[str, Message]]) -> None:
        self.problems = problems
        super().__init__("; ".join(msg.render("en") for _, msg in problems))


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    text = re.sub(r"[（(][^)）]*(万元|万美元|人|10k[^)）]*|persons?)[)）]$", "", text).strip()
    return text.replace("其中:", "").replace("其中", "").replace("of which:", "").strip()


def name_index(catalog: Catalog, codes: Iterable[str]) -> dict[str, str]:
    """Normalised header text → code for the given indicator codes and the identity columns."""
    index: dict[str, str] = {}
    for code, names in IDENTITY_NAMES.items():
        for n in names:
            index[_key(n)] = code
    for code in codes:
        ind = catalog.indicators[code]
        for n in (code, ind.name_zh, ind.name_en):
            index[_key(n)] = code
    return index


def map_header(
    header: list[str],
    catalog: Catalog,
    codes: Iterable[str],
    required: Iterable[str] = ("uscc",),
    ignore: Iterable[str] = (),
) -> dict[str, int]:
    """code → column index for ``header``; raises :class:`HeaderError` on unknown, repeated or missing columns.

    Columns named in ``ignore`` (extra columns that are not indicators, see :func:`ignored_columns`) are left
    out without a problem."""
    codes = list(codes)
    index = name_index(catalog, codes)
    allowed = set(codes) | set(IDENTITY_NAMES)
    skip = {_key(n) for n in ignore}
    found: dict[str, int] = {}
    problems: list[tuple[str, Message]] = []
    for pos, name in enumerate(header):
        if not str(name).strip():
            continue
        m = _CODE_IN_PARENS.search(str(name))
        code = m.group(1) if m and m.group(1) in allowed else index.get(_key(name))
        if code is None and _key(name) in skip:
            continue
        if code is None:
            problems.append((name, Message("intake.unknown_column", column=name)))
        elif code in found:
            problems.append((name, Message("intake.repeated_column", column=name)))
        else:
            found[code] = pos
    for code in required:
        if code not in found:
            problems.append((code, Message("intake.missing_column", column=code)))
    if problems:
        raise HeaderError(problems)
    return found


def ignored_columns(
    header: list[str], catalog: Catalog, codes: Iterable[str], ignore: Iterable[str]
) -> list[str]:
    """The columns of ``header`` that :func:`map_header` leaves out: named in ``ignore`` and not an indicator
    of ``codes`` or an identity column, as written in the file."""
    codes = list(codes)
    index = name_index(catalog, codes)
    allowed = set(codes) | set(IDENTITY_NAMES)
    skip = {_key(n) for n in ignore}
    out = []
    for name in header:
        m = _CODE_IN_PARENS.search(str(name))
        code = m.group(1) if m and m.group(1) in allowed else index.get(_key(name))
        if str(name).strip() and code is None and _key(name) in skip:
            out.append(str(name))
    return out


def identity_position(header: list[str], code: str) -> int | None:
    """Column index of identity column ``code`` (uscc, period, note) however it is named, or None."""
    names = {_key(n) for n in IDENTITY_NAMES[code]}
    for pos, name in enumerate(header):
        m = _CODE_IN_PARENS.search(str(name))
        if (m and m.group(1) == code) or _key(name) in names:
            return pos
    return None
