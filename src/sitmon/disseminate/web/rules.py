"""The intake's validation rules as the filing page checks them while the filer types: the same
``rules.yaml`` of the catalog (one source of truth), each expression handed to the page as a syntax tree that
``static/js/rules.js`` evaluates with the same arithmetic, and the built-in checks the page can do without the
store (required, number, integer, non-negative). What needs the store or the whole file (registered enterprise,
duplicates, the Hidiroglou–Berthelot outlier test) is checked by the intake when the report is sent.
"""

from __future__ import annotations

import ast
from typing import Any

from ...catalog import load_catalog
from ...catalog.rules import load_rules

#: Built-in checks the page does itself (the others run in the intake only).
PAGE_BUILTINS = ("required", "number", "integer", "nonnegative")
_OPS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}


def expression_tree(text: str) -> dict[str, Any]:
    """The syntax tree of a rule expression as JSON-ready nodes (``num``, ``name``, ``bin``, ``neg``, ``not``,
    ``and``, ``or``, ``cmp``, ``call``). The catalog has already checked it against the rule language, so only
    those nodes occur; anything else raises ``ValueError``."""
    return _node(ast.parse(text, mode="eval").body)


def _node(n: ast.AST) -> dict[str, Any]:
    if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool):
        return {"num": float(n.value)}
    if isinstance(n, ast.Name):
        return {"name": n.id}
    if isinstance(n, ast.BinOp) and type(n.op) in _OPS:
        return {"bin": _OPS[type(n.op)], "l": _node(n.left), "r": _node(n.right)}
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
        return {"neg": _node(n.operand)}
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
        return {"not": _node(n.operand)}
    if isinstance(n, ast.BoolOp):
        return {"and" if isinstance(n.op, ast.And) else "or": [_node(v) for v in n.values]}
    if isinstance(n, ast.Compare) and all(type(o) in _OPS for o in n.ops):
        return {
            "cmp": [_OPS[type(o)] for o in n.ops],
            "args": [_node(n.left), *(_node(c) for c in n.comparators)],
        }
    if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("abs", "min", "max"):
        return {"call": n.func.id, "args": [_node(a) for a in n.args]}
    raise ValueError(f"not in the rule language: {ast.dump(n)[:60]}")


def names_of(tree: dict[str, Any]) -> set[str]:
    """The names a tree reads."""
    if "name" in tree:
        return {tree["name"]}
    out: set[str] = set()
    for v in tree.values():
        for child in v if isinstance(v, list) else [v]:
            if isinstance(child, dict):
                out |= names_of(child)
    return out


def page_rules(form: str) -> dict[str, Any]:
    """What the filing page of ``form`` checks: its fields (code, names, unit, required, integer,
    non-negative, parent) and its rules (id, severity, field, kind, tree for expressions, messages zh + en
    with the catalog's placeholders)."""
    cat = load_catalog()
    f = cat.forms[form]
    fields = []
    for code in f.indicators:
        ind = cat.indicators[code]
        unit = cat.units[ind.unit]
        fields.append(
            {
                "code": code,
                "name_zh": ind.name_zh,
                "name_en": ind.name_en,
                "unit": ind.unit,
                "unit_zh": unit.name_zh,
                "unit_en": unit.name_en,
                "required": code in f.required,
                "integer": ind.integer,
                "nonnegative": ind.nonnegative,
                "parent": ind.parent,
            }
        )
    rules = []
    for r in load_rules().for_form(form):
        entry: dict[str, Any] = {
            "id": r.id,
            "severity": r.severity,
            "kind": r.kind,
            "field": r.field,
            "message_zh": r.message_zh,
            "message_en": r.message_en,
            "params": r.params,
        }
        if r.kind == "expression" and r.check:
            entry["tree"] = expression_tree(r.check)
            entry["names"] = sorted(names_of(entry["tree"]))
        elif r.kind not in PAGE_BUILTINS:
            continue
        rules.append(entry)
    return {"form": form, "fields": fields, "rules": rules}
