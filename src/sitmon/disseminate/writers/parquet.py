"""Parquet: one column per document column (texts as strings, numbers as doubles, a suppressed cell null with its
reason in a ``<key>__flag`` column), the title, labels, notes and meta in the file's key-value metadata."""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from .document import Document, Suppressed
from .json import _default


def write(doc: Document, out: BinaryIO) -> None:
    """Write ``doc`` as a Parquet file onto ``out``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays, names = [], []
    for c in doc.columns:
        values = [r.get(c.key) for r in doc.rows]
        if c.kind == "number":
            arrays.append(
                pa.array(
                    [None if isinstance(v, Suppressed) or v is None else float(v) for v in values],
                    pa.float64(),
                )
            )
        else:
            arrays.append(pa.array([None if v is None else _text(v) for v in values], pa.string()))
        names.append(c.key)
        if any(isinstance(v, Suppressed) for v in values):
            arrays.append(
                pa.array([v.flag if isinstance(v, Suppressed) else None for v in values], pa.string())
            )
            names.append(f"{c.key}__flag")
    table = pa.Table.from_arrays(arrays, names=names)
    from .json import as_dict

    info = {k: v for k, v in as_dict(doc).items() if k != "rows"}
    table = table.replace_schema_metadata({b"sitmon": json.dumps(info, ensure_ascii=False, default=_default)})
    pq.write_table(table, out)


def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
