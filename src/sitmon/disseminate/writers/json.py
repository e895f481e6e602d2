"""JSON: the document as one object — title, columns (key, labels in both languages, period, unit, decimals),
rows with the values as computed (a suppressed cell is null, its reason in the row's ``flags``), notes and meta.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, BinaryIO

from ...domain import jsontext
from .document import Document, Suppressed


def write(doc: Document, out: BinaryIO) -> None:
    """Write ``doc`` as UTF-8 JSON onto ``out`` (strict: a non-finite number is written as null)."""
    out.write(dumps(doc).encode("utf-8"))


def dumps(doc: Document) -> str:
    """``doc`` as JSON text."""
    return jsontext.dumps(as_dict(doc), indent=1, default=_default)


def as_dict(doc: Document) -> dict[str, Any]:
    """The JSON object of ``doc``."""
    rows = []
    for r in doc.rows:
        row = {c.key: _plain(r.get(c.key)) for c in doc.columns}
        flags = doc.flags(r)
        if flags:
            row["flags"] = flags
        rows.append(row)
    return {
        "title": {"zh": doc.title[0], "en": doc.title[1]},
        "lang": doc.lang,
        "columns": [
            {
                "key": c.key,
                "label": {"zh": c.label[0], "en": c.label[1]},
                "group": None if c.group is None else {"zh": c.group[0], "en": c.group[1]},
                "kind": c.kind,
                "unit": c.unit,
                "decimals": c.decimals,
            }
            for c in doc.columns
        ],
        "rows": rows,
        "total_rows": doc.total_rows,
        "notes": [{"zh": zh, "en": en} for zh, en in doc.notes],
        "meta": doc.meta,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Suppressed) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)
