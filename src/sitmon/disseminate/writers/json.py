"""JSON: the document as one object — title, columns (key, labels in both languages, period, unit, decimals),
rows with the values as computed (a suppressed cell is null, its reason in the row's ``flags``), notes and meta.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, BinaryIO

from .document import Document, Suppressed


def write(doc: Document, out: BinaryIO) -> None:
    """Write ``doc`` as UTF-8 JSON onto ``out``."""
    out.write(json.dumps(as_dict(doc), ensure_ascii=False, indent=1, default=_default).encode("utf-8"))


def as_dict(doc: Document) -> dict[str, Any]:
    """The JSON object of ``doc``."""
    rows = []
    for r in doc.rows:
        row = {c.key: None if isinstance(r.get(c.key), Suppressed) else r.get(c.key) for c in doc.columns}
        flags = doc.flags(r)
        if flags:
            row["flags"] = flags
        rows.append(row)
    return {
        "title": {"zh": doc.title[0], "en": doc.title[1]},
        "lang": doc.lang,
        "columns": [{"key": c.key, "label": {"zh": c.label[0], "en": c.label[1]},
                     "group": None if c.group is None else {"zh": c.group[0], "en": c.group[1]},
                     "kind": c.kind, "unit": c.unit, "decimals": c.decimals} for c in doc.columns],
        "rows": rows,
        "total_rows": doc.total_rows,
        "notes": [{"zh": zh, "en": en} for zh, en in doc.notes],
        "meta": doc.meta,
    }


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)
