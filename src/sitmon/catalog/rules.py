"""Validation rules as data (``data/rules.yaml``): built-in checks and safe expressions."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .catalog import Catalog, load_catalog, load_catalog_from
from .expressions import Expression, ExpressionError, parse_expression
from .loader import CatalogError, build, read_yaml

BUILTIN_KINDS = (
    "uscc",
    "registered",
    "period",
    "required",
    "number",
    "finite",
    "plausible",
    "integer",
    "nonnegative",
    "duplicate",
    "hb_outlier",
)
CONTEXT_NAMES = ("month", "months", "year", "usd_cny")


class Rule(BaseModel):
    """One validation rule: a built-in ``kind`` or an ``expression`` whose ``check`` must hold.

    An expression rule's message may name every name its check reads (``{revenue_total}``: the row's value) and
    the named expressions of ``show`` (``{difference}``), so a message can give the figures that broke the rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    severity: Literal["error", "warning"]
    kind: Literal[
        "expression",
        "uscc",
        "registered",
        "period",
        "required",
        "number",
        "finite",
        "plausible",
        "integer",
        "nonnegative",
        "duplicate",
        "hb_outlier",
    ] = "expression"
    check: str | None = None
    field: str | None = None
    forms: tuple[str, ...] = ("monthly", "annual")
    params: dict[str, Any] = Field(default_factory=dict)
    show: dict[str, str] = Field(default_factory=dict)
    message_zh: str
    message_en: str

    @model_validator(mode="after")
    def _expression_has_check(self) -> Rule:
        if self.kind == "expression" and not self.check:
            raise ValueError("an expression rule needs `check`")
        if self.kind != "expression" and self.check:
            raise ValueError(f"a `{self.kind}` rule takes no `check`")
        return self


class RuleSet:
    """The rules in force, with each expression parsed and checked against the catalog's names."""

    def __init__(self, rules: tuple[Rule, ...], catalog: Catalog, file: str = "rules.yaml") -> None:
        self.rules = rules
        self.expressions: dict[str, Expression] = {}
        self.shows: dict[str, dict[str, Expression]] = {}
        names = allowed_names(catalog)
        for rule in rules:
            if rule.field and rule.field not in catalog.indicators:
                raise CatalogError(file, f"rules[{rule.id}].field", f"unknown indicator {rule.field!r}")
            for form in rule.forms:
                if form not in catalog.forms:
                    raise CatalogError(file, f"rules[{rule.id}].forms", f"unknown form {form!r}")
            if rule.check:
                try:
                    self.expressions[rule.id] = parse_expression(rule.check, names)
                except ExpressionError as exc:
                    raise CatalogError(file, f"rules[{rule.id}].check", str(exc)) from exc
            for key, text in rule.show.items():
                try:
                    self.shows.setdefault(rule.id, {})[key] = parse_expression(text, names)
                except ExpressionError as exc:
                    raise CatalogError(file, f"rules[{rule.id}].show.{key}", str(exc)) from exc

    def for_form(self, form: str) -> list[Rule]:
        """Rules that apply to ``form``, in file order."""
        return [r for r in self.rules if form in r.forms]

    def get(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``."""
        return next(r for r in self.rules if r.id == rule_id)


def allowed_names(catalog: Catalog) -> set[str]:
    """Names an expression may read: indicator codes, ``prev_``/``last_year_`` + code, and context names."""
    codes = set(catalog.indicators)
    return codes | {f"prev_{c}" for c in codes} | {f"last_year_{c}" for c in codes} | set(CONTEXT_NAMES)


def load_rules_from(base: Path | None = None) -> RuleSet:
    """The rule set in folder ``base`` (default: the shipped catalog), checked against its catalog."""
    doc = read_yaml("rules.yaml", base)
    rules = build(Rule, doc.get("rules"), "rules.yaml", "rules", id_field="id")
    catalog = load_catalog() if base is None else load_catalog_from(base)
    return RuleSet(rules, catalog)


@cache
def load_rules() -> RuleSet:
    """The shipped rule set (read once per process)."""
    return load_rules_from(None)
