"""JSON text as sitmon writes it: strict, so a non-finite number can never be written.

``json.dumps`` writes ``NaN`` and ``Infinity`` by default, which is not JSON: a stored ``Infinity`` then breaks
every reader (SQLite's JSON functions answer "malformed JSON"). Numbers are refused at parse time (the intake);
this is the backstop on every serialisation: :func:`dumps` raises ``ValueError`` instead of writing one.
"""

from __future__ import annotations

import json
from typing import Any


def dumps(obj: Any, **kwargs: Any) -> str:
    """``obj`` as JSON text (``ensure_ascii=False`` unless given); raises ``ValueError`` on NaN or ±Infinity."""
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(obj, allow_nan=False, **kwargs)
