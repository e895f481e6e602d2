"""JSON text as sitmon writes it: strict, so a non-finite number can never be written.

``json.dumps`` writes ``NaN`` and ``Infinity`` by default, which is not JSON: a stored ``Infinity`` then breaks
every reader (SQLite's JSON functions answer "malformed JSON"). Numbers are refused at parse time (the intake);
this is the backstop on every serialisation: :func:`dumps` raises ``ValueError`` instead of writing one.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any


@cache
def strict_encoder(ensure_ascii: bool = False) -> json.JSONEncoder:
    """A shared encoder that refuses NaN and ±Infinity (built once: ``json.dumps`` with options builds one per
    call, which costs more than the encoding of a small document)."""
    return json.JSONEncoder(allow_nan=False, ensure_ascii=ensure_ascii)


def dumps(obj: Any, **kwargs: Any) -> str:
    """``obj`` as JSON text (``ensure_ascii=False`` unless given); raises ``ValueError`` on NaN or ±Infinity."""
    if not kwargs or kwargs.keys() == {"ensure_ascii"}:
        return strict_encoder(bool(kwargs.get("ensure_ascii", False))).encode(obj)
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(obj, allow_nan=False, **kwargs)
