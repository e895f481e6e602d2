"""A safe expression language for validation rules, evaluated over whole columns at once.

An expression is parsed once with :mod:`ast`; only arithmetic (``+ - * /``), comparisons, ``and`` /
``or`` / ``not``, numbers, declared names and the functions ``abs``, ``min``, ``max`` are allowed.
It is never passed to ``eval``: the checked tree is interpreted over numpy arrays, one array per name,
so a rule costs a few vector operations whatever the number of rows.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
Node = Callable[[Mapping[str, Array]], Array]

_BINOPS: dict[type, Callable[[Array, Array], Array]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_CMPOPS: dict[type, Callable[[Array, Array], Array]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FUNCS: dict[str, Callable[..., Array]] = {
    "abs": lambda a: np.abs(a),
    "min": lambda *a: np.minimum.reduce(np.broadcast_arrays(*a)),
    "max": lambda *a: np.maximum.reduce(np.broadcast_arrays(*a)),
}


class ExpressionError(ValueError):
    """The expression uses something the rule language does not allow, or has bad syntax."""


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, the names it reads, and the compiled evaluator."""

    text: str
    names: frozenset[str]
    _fn: Node

    def evaluate(self, env: Mapping[str, Array]) -> Array:
        """The expression's value for every row (numpy array; booleans for a check)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._fn(env)


def parse_expression(text: str, allowed_names: Iterable[str]) -> Expression:
    """Parse and check ``text``; raises :class:`ExpressionError` naming the offending part."""
    allowed = frozenset(allowed_names)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error at column {exc.offset}: {exc.msg}") from exc
    names: set[str] = set()
    fn = _compile(tree.body, allowed, names)
    return Expression(text=text, names=frozenset(names), _fn=fn)


def _compile(node: ast.AST, allowed: frozenset[str], names: set[str]) -> Node:
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    ):
        value = float(node.value)
        return lambda env: np.asarray(value)
    if isinstance(node, ast.Name):
        if node.id not in allowed:
            raise ExpressionError(f"unknown name {node.id!r}")
        names.add(node.id)
        key = node.id
        return lambda env: env[key]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        op = _BINOPS[type(node.op)]
        left, right = _compile(node.left, allowed, names), _compile(node.right, allowed, names)
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _compile(node.operand, allowed, names)
        return lambda env: -inner(env)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _compile(node.operand, allowed, names)
        return lambda env: np.logical_not(inner(env))
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, allowed, names) for v in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        return lambda env: combine.reduce([np.asarray(p(env), dtype=bool) for p in parts])
    if isinstance(node, ast.Compare) and all(type(o) in _CMPOPS for o in node.ops):
        operands = [_compile(node.left, allowed, names)] + [
            _compile(c, allowed, names) for c in node.comparators
        ]
        ops = [_CMPOPS[type(o)] for o in node.ops]

        def compare(env: Mapping[str, Array]) -> Array:
            values = [f(env) for f in operands]
            result = ops[0](values[0], values[1])
            for i in range(1, len(ops)):
                result = np.logical_and(result, ops[i](values[i], values[i + 1]))
            return result

        return compare
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCS
        and not node.keywords
    ):
        if not node.args:
            raise ExpressionError(f"{node.func.id}() needs arguments")
        func = _FUNCS[node.func.id]
        args = [_compile(a, allowed, names) for a in node.args]
        return lambda env: func(*[a(env) for a in args])
    raise ExpressionError(f"not allowed in a rule: {ast.dump(node)[:60]}")
