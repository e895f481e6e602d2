"""The scope and contact columns of a registry file: above designated size (规模以上), the monthly key-enterprise
panel (月报重点企业), contact person and telephone — parsed, checked and decided by the catalog's threshold
(``scope.yaml``) where the file gives revenues instead of a flag."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from ..catalog.scope import load_scope
from ..domain import Message
from .received import issue
from .rules import Issue

DEFAULTS: dict[str, Any] = {"above_scale": True, "monthly_panel": True, "contact": None, "phone": None}
"""What a new enterprise gets for a column its file does not have: every enterprise files both forms."""
_YES = {"是", "1", "y", "yes", "true", "√", "✓", "t"}
_NO = {"否", "0", "n", "no", "false", "×", "✗", "f"}
_LIMITS = {"contact": 64, "phone": 32}


def parse_flag(value: Any) -> bool | None:
    """是/否 as a flag: ``是 1 Y yes true √`` → True, ``否 0 N no false ×`` → False, empty → None; anything else
    raises ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(text)


def _revenue(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = float(unicodedata.normalize("NFKC", str(value)).replace(",", "").strip())
    if not number >= 0 or number == float("inf"):
        raise ValueError(value)
    return number


def scope_columns(
    file: str,
    rownum: int,
    cell: Callable[[str], Any],
    col: Callable[[str], str],
    pos: dict[str, int],
    errors: list[Issue],
) -> dict[str, Any]:
    """The scope and contact attributes of one registry row — only those whose column the file has (or that the
    threshold decides) — appending an error to ``errors`` for a value that is not yes/no, a revenue that is not a
    number, a text too long, or a key enterprise that is not above designated size."""
    out: dict[str, Any] = {}

    def fail(message: Message, code: str) -> None:
        errors.append(
            issue(
                message,
                file=file,
                row=rownum,
                column=col(code),
                value="" if cell(code) is None else str(cell(code))[:40],
                rule="scope",
                severity="error",
            )
        )

    flags: dict[str, bool | None] = {}
    for code in ("above_scale", "monthly_panel"):
        if code in pos:
            try:
                flags[code] = parse_flag(cell(code))
            except ValueError:
                fail(Message("registry_scope.bad_flag", column=col(code), value=str(cell(code))[:40]), code)
    revenues: dict[str, float | None] = {}
    for code in ("main_revenue", "software_revenue"):
        if code in pos:
            try:
                revenues[code] = _revenue(cell(code))
            except (TypeError, ValueError):
                fail(
                    Message("registry_scope.bad_revenue", column=col(code), value=str(cell(code))[:40]), code
                )
    above = flags.get("above_scale")
    if above is None and revenues.get("main_revenue") is not None:
        above = load_scope().above(revenues["main_revenue"] or 0.0, revenues.get("software_revenue"))
    if above is not None or "above_scale" in pos:
        out["above_scale"] = True if above is None else above
    panel = flags.get("monthly_panel")
    if panel is None and "above_scale" in out and "monthly_panel" not in pos:
        panel = out["above_scale"]
    if panel is not None or "monthly_panel" in pos:
        out["monthly_panel"] = out.get("above_scale", True) if panel is None else panel
    if out.get("monthly_panel") and out.get("above_scale") is False:
        fail(
            Message("registry_scope.panel_not_above_scale"),
            "monthly_panel" if "monthly_panel" in pos else "above_scale",
        )
    for code, limit in _LIMITS.items():
        if code in pos:
            value = cell(code)
            text = (
                ""
                if value is None
                else str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()
            )
            if len(text) > limit:
                fail(Message("registry_scope.text_too_long", column=col(code), limit=limit), code)
            out[code] = text or None
    return out
