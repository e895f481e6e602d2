"""The rule engine: applies the catalog's validation rules to a batch of parsed report rows.

Built-in kinds check identity and cell syntax; expression rules are evaluated over whole columns
(see :mod:`sitmon.catalog.expressions`). The result is a list of :class:`Issue`, hard errors and
soft warnings, each naming the file, the spreadsheet row, the column, the value and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..catalog import Catalog, Form
from ..catalog.rules import Rule, RuleSet
from ..domain import Label, Message
from .outliers import hidiroglou_berthelot


@dataclass(frozen=True)
class Issue:
    """One rule hit: where (file, spreadsheet row, column as named in the file), what and why (``msg``, said in
    the reader's language)."""

    file: str
    row: int
    column: str
    value: str
    rule: str
    severity: str  # error | warning
    msg: Message
    field: str | None = None

    def message(self, lang: str) -> str:
        """The message in ``lang`` (zh | en)."""
        return self.msg.render(lang)

    @property
    def message_zh(self) -> str:
        """The message in Chinese."""
        return self.msg.render("zh")

    @property
    def message_en(self) -> str:
        """The message in English."""
        return self.msg.render("en")

    def to_dict(self) -> dict[str, Any]:
        """The issue as a JSON-ready mapping, the message in both languages (``message_zh``, ``message_en``)."""
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "rule": self.rule,
            "severity": self.severity,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "field": self.field,
        }


@dataclass
class Batch:
    """Rows of one file for one form, parsed into columns, with the context the rules need.

    ``raw[code]`` holds the cells as received; ``values[code]`` the parsed numbers (NaN when empty or
    not a number); ``context`` the arrays prev_<code>, last_year_<code>, month, months, year, usd_cny;
    ``peers[period]`` the stored reports of that period by enterprises not in this file (``sector``, ``<code>``
    and its ``prev_`` / ``last_year_`` values), against which a growth outlier is judged.
    """

    source: str
    form: Form
    row_numbers: list[int]
    columns: dict[str, str]
    uscc: list[str]
    period: list[str]
    raw: dict[str, list[Any]]
    values: dict[str, np.ndarray]
    invalid: dict[str, np.ndarray]
    uscc_ok: np.ndarray
    registered: np.ndarray
    period_ok: np.ndarray
    sector: np.ndarray
    context: dict[str, np.ndarray] = field(default_factory=dict)
    nonfinite: dict[str, np.ndarray] = field(default_factory=dict)
    period_reason: list[Message | None] = field(default_factory=list)
    uscc_raw: list[Any] = field(default_factory=list)
    peers: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.row_numbers)


Hits = Iterator[tuple[int, str | None, dict[str, Any]]]  # (row index, field code, extra message params)
_BUILTINS: dict[str, Callable[[Batch, Rule, Catalog], Hits]] = {}


def builtin(
    kind: str,
) -> Callable[[Callable[[Batch, Rule, Catalog], Hits]], Callable[[Batch, Rule, Catalog], Hits]]:
    """Register the function that checks built-in rule ``kind``."""

    def deco(fn: Callable[[Batch, Rule, Catalog], Hits]) -> Callable[[Batch, Rule, Catalog], Hits]:
        _BUILTINS[kind] = fn
        return fn

    return deco


_EXCEL_NUMBER = re.compile(r"^\d+(\.\d+)?E\+?\d+$")


def uscc_reason(given: str, raw: Any = None) -> Message:
    """Why a code is not a valid USCC, said plainly: empty; turned into a number by Excel (``9.13302E+17``, or
    a number cell of a workbook); else malformed or a wrong check character."""
    if not given:
        return Message("intake_files.uscc_empty")
    numeric = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    if numeric or _EXCEL_NUMBER.match(given):
        return Message("intake_files.uscc_excel", value=given)
    return Message("intake_files.uscc_malformed", value=given)


@builtin("uscc")
def _uscc(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    for i in np.flatnonzero(~b.uscc_ok):
        reason = uscc_reason(b.uscc[i], b.uscc_raw[i] if i < len(b.uscc_raw) else None)
        yield int(i), "uscc", {"reason": reason}  # a keyed message, said in the reader's language


@builtin("registered")
def _registered(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    for i in np.flatnonzero(b.uscc_ok & ~b.registered):
        yield int(i), "uscc", {}


@builtin("period")
def _period(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    for i in np.flatnonzero(~b.period_ok):
        reason = b.period_reason[i] if i < len(b.period_reason) else None
        reason = reason or Message("intake_guard.period_shape")
        yield int(i), "period", {"reason": reason}  # said in the reader's language with the rule's message


@builtin("required")
def _required(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    for code in b.form.required:
        raw = b.raw.get(code)
        for i in range(len(b)):
            if raw is None or _blank(raw[i]):
                yield i, code, {}


@builtin("number")
def _number(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    for code, bad in b.invalid.items():
        for i in np.flatnonzero(bad):
            yield int(i), code, {}


@builtin("finite")
def _finite(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    for code, bad in b.nonfinite.items():
        for i in np.flatnonzero(bad):
            yield int(i), code, {}


@builtin("plausible")
def _plausible(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    """Values outside the indicator's hard limits (catalog ``min``/``max``): impossible, not merely unusual."""
    for code, v in b.values.items():
        ind = cat.indicators[code]
        lo, hi = ind.lower_limit, ind.max
        # below zero is the nonnegative rule's to report
        low = (v < lo) if (not ind.nonnegative or ind.min is not None) else np.zeros(len(v), dtype=bool)
        for i in np.flatnonzero(low | (v > hi)):
            yield int(i), code, {"lo": f"{lo:g}", "hi": f"{hi:g}"}


@builtin("integer")
def _integer(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    for code, v in b.values.items():
        if cat.indicators[code].integer:
            for i in np.flatnonzero(~np.isnan(v) & ((v < 0) | (np.floor(v) != v))):
                yield int(i), code, {}


@builtin("nonnegative")
def _nonnegative(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    for code, v in b.values.items():
        ind = cat.indicators[code]
        if ind.nonnegative and not ind.integer:
            for i in np.flatnonzero(v < 0):
                yield int(i), code, {}


@builtin("duplicate")
def _duplicate(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    first: dict[tuple[str, str], int] = {}
    for i, key in enumerate(zip(b.uscc, b.period, strict=True)):
        if key in first:
            yield i, "uscc", {"first_row": b.row_numbers[first[key]]}
        else:
            first[key] = i


def hb_reference(rule: Rule) -> str:
    """The context prefix a growth-outlier rule compares with: ``last_year_`` (default) or ``prev_``."""
    return f"{rule.params.get('reference', 'last_year')}_"


@builtin("hb_outlier")
def _hb_outlier(b: Batch, rule: Rule, cat: Catalog) -> Hits:
    """Growth outliers judged among every enterprise of the same sector and period — this file's rows and the
    stored reports of the others (``b.peers``) — so a report filed alone is judged as in a batch."""
    code = rule.field or "revenue_total"
    ref_name = hb_reference(rule) + code
    cur, ref = b.values[code], b.context.get(ref_name)
    if ref is None:
        return
    p = rule.params
    periods = np.array(b.period, dtype=object)
    usable = b.registered & b.period_ok & np.isfinite(ref) & np.isfinite(cur)
    for period in sorted(set(periods[usable])):
        peer = b.peers.get(period, {})
        for sector in np.unique(b.sector[usable & (periods == period)]):
            idx = np.flatnonzero(usable & (periods == period) & (b.sector == sector))
            pc, pr = np.empty(0), np.empty(0)
            if peer.get(code) is not None and peer.get(ref_name) is not None:
                pm = (peer["sector"] == sector) & np.isfinite(peer[code]) & np.isfinite(peer[ref_name])
                pc, pr = peer[code][pm], peer[ref_name][pm]
            if len(idx) + len(pc) < int(p.get("min_group", 20)):
                continue
            mask = hidiroglou_berthelot(
                np.concatenate([cur[idx], pc]),
                np.concatenate([ref[idx], pr]),
                U=float(p.get("U", 0.5)),
                A=float(p.get("A", 0.05)),
                C=float(p.get("C", 7)),
            )[: len(idx)]
            for i in idx[mask]:
                yield int(i), code, {}


def _expression_hits(b: Batch, rule: Rule, rules: RuleSet) -> Hits:
    expr = rules.expressions[rule.id]
    env: dict[str, np.ndarray] = {**b.values, **b.context}
    missing = [n for n in expr.names if n not in env]
    if missing:  # a name that this form does not carry: the rule does not apply to it
        return
    applicable = b.registered & b.period_ok
    for name in expr.names:
        applicable = applicable & ~np.isnan(np.asarray(env[name], dtype=float))
    ok = np.broadcast_to(np.asarray(expr.evaluate(env), dtype=bool), (len(b),))
    hits = np.flatnonzero(applicable & ~ok)
    if not len(hits):
        return
    shown = {name: np.broadcast_to(np.asarray(env[name], dtype=float), (len(b),)) for name in expr.names}
    for key, show in rules.shows.get(rule.id, {}).items():
        shown[key] = np.broadcast_to(np.asarray(show.evaluate(env), dtype=float), (len(b),))
    for i in hits:
        yield int(i), rule.field, {k: figure(v[i]) for k, v in shown.items()}


def figure(value: float) -> str:
    """A number as a message shows it: thousands separated, at most two decimals, no trailing zeros."""
    if not np.isfinite(value):
        return str(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def apply_rules(batch: Batch, rules: RuleSet, catalog: Catalog) -> list[Issue]:
    """Every issue the rules find in ``batch``, in rule order then row order."""
    issues: list[Issue] = []
    for rule in rules.for_form(batch.form.code):
        hits = (
            _expression_hits(batch, rule, rules)
            if rule.kind == "expression"
            else _BUILTINS[rule.kind](batch, rule, catalog)
        )
        for i, code, extra in hits:
            issues.append(_issue(batch, rule, catalog, i, code, extra))
    return issues


def _issue(b: Batch, rule: Rule, cat: Catalog, i: int, code: str | None, extra: dict[str, Any]) -> Issue:
    if code == "uscc":
        column, value = b.columns.get("uscc", "uscc"), b.uscc[i]
    elif code == "period":
        column, value = b.columns.get("period", "period"), b.period[i]
    elif code is not None:
        column = b.columns.get(code, code)
        raw = b.raw.get(code)
        value = "" if raw is None or raw[i] is None else str(raw[i])
    else:
        column, value = "", ""
    ind = cat.indicators.get(code or "")
    field_name = Label(ind.name_zh, ind.name_en) if ind else Label(column, column)
    msg = rule_message(
        rule,
        column=column,
        value=value,
        field=field_name,
        field_zh=field_name.zh,
        field_en=field_name.en,
        **rule.params,
        **extra,
    )
    return Issue(
        file=b.source,
        row=b.row_numbers[i],
        column=column,
        value=value,
        rule=rule.id,
        severity=rule.severity,
        msg=msg,
        field=code,
    )


def rule_message(rule: Rule, **params: Any) -> Message:
    """The message of a hit of ``rule``: its two texts are data of the rule (``rules.yaml``), so a new rule is a
    YAML change; ``params`` fill ``{column}``, ``{value}``, ``{field}`` (the indicator's name in the reader's
    language) and the rule's own parameters."""
    return Message.from_texts(f"rules.{rule.id}", {"zh": rule.message_zh, "en": rule.message_en}, **params)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())
