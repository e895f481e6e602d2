"""Fast checks of what the pages are made of: every message key a template or page module uses exists in both
languages, the rules handed to the page are the intake's rules (same trees, same answers), and no page loads
anything from another site."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np

from sitmon.catalog.rules import load_rules
from sitmon.disseminate.web.rules import expression_tree, names_of, page_rules
from sitmon.domain.messages import catalogue

WEB = Path(__file__).resolve().parents[3] / "src" / "sitmon" / "disseminate" / "web"
#: Keys built from a prefix and a code in templates and routes: every code that can occur.
FAMILIES = {
    "measure_": ["level", "ytd", "month", "yoy", "yoy_comparable", "share", "contribution"],
    "dim_": ["region", "province", "city", "sector", "size_tier"],
    "form_": ["monthly", "annual"],
    "form_hint_": ["monthly", "annual"],
    "filed_": ["stored", "unchanged"],
    "done_": ["accepted", "returned", "published"],
    "decision_": ["accept", "return"],
    "unit_": ["100m_cny", "100m_usd", "10k_persons", "pct", "person", "10k_cny", "10k_usd"],
    "map_": ["suppressed", "none", "not_reporting", "no_data"],
    "plan_": ["actual", "goal", "band80", "band95", "projection"],
}


def _used_keys() -> set[str]:
    found: set[str] = set()
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.py")]:
        found |= set(re.findall(r"\bweb\.[a-z0-9_]+", path.read_text(encoding="utf-8")))
    return found


def test_the_pages_say_codes_as_everywhere_else():
    """Statuses, reasons, roles, import results and severities are the catalogue's terms (terms.yaml), one home for
    the command line and the pages."""
    cat = catalogue()
    for kind, codes in {
        "flag": ["threshold", "dominance", "secondary"],
        "role": ["filer", "reviewer", "analyst", "admin"],
        "status": ["submitted", "accepted", "returned"],
        "plan_status": ["on_track", "at_risk", "off_track", "achieved", "not_achieved", "not_measurable"],
        "import": ["stored", "unchanged", "rejected", "dry_run"],
        "severity": ["error", "warning"],
    }.items():
        assert all(f"terms.{kind}.{c}" in cat for c in codes), kind
    used = _used_keys()
    assert not [k for k in used if re.match(r"web\.(flag|status|role|upload_status|severity)_", k)]


def test_every_message_the_pages_use_exists_in_both_languages():
    cat = catalogue()
    used = _used_keys()
    prefixes = {f"web.{p}" for p in FAMILIES}
    missing = sorted(k for k in used if k not in cat and k not in prefixes and not k.startswith("web.rules"))
    missing += sorted(
        f"web.{p}{c}" for p, codes in FAMILIES.items() for c in codes if f"web.{p}{c}" not in cat
    )
    assert missing == []
    assert all(cat[k]["zh"] and cat[k]["en"] for k in cat if k.startswith("web."))


def _py_eval(node: dict, env: dict[str, float]) -> float | bool:
    """An independent interpreter of the page's trees (Python semantics of the rule language)."""
    if "num" in node:
        return node["num"]
    if "name" in node:
        return env[node["name"]]
    if "bin" in node:
        a, b = float(_py_eval(node["l"], env)), float(_py_eval(node["r"], env))
        if node["bin"] == "/":
            return np.float64(a) / np.float64(b) if b == 0 else a / b
        return {"+": a + b, "-": a - b, "*": a * b}[node["bin"]]
    if "neg" in node:
        return -_py_eval(node["neg"], env)
    if "not" in node:
        return not _py_eval(node["not"], env)
    if "and" in node:
        return all(bool(_py_eval(n, env)) for n in node["and"])
    if "or" in node:
        return any(bool(_py_eval(n, env)) for n in node["or"])
    if "cmp" in node:
        vals = [_py_eval(n, env) for n in node["args"]]
        ops = {
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
            "==": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
        }
        return all(ops[o](vals[i], vals[i + 1]) for i, o in enumerate(node["cmp"]))
    fn = {"abs": abs, "min": min, "max": max}[node["call"]]
    return fn(*[float(_py_eval(n, env)) for n in node["args"]])


def test_the_page_gets_the_intakes_rules_as_faithful_trees():
    rules = load_rules()
    rng = random.Random(11)
    with np.errstate(divide="ignore", invalid="ignore"):
        for rule in rules.rules:
            if rule.kind != "expression":
                continue
            tree = expression_tree(rule.check or "")
            expr = rules.expressions[rule.id]
            assert names_of(tree) == set(expr.names), rule.id
            for _ in range(300):
                env = {n: rng.choice([0.0, 2.0, -1.0, rng.uniform(-1e3, 1e6)]) for n in expr.names}
                want = bool(
                    np.asarray(expr.evaluate({k: np.array([v]) for k, v in env.items()})).reshape(-1)[0]
                )
                assert bool(_py_eval(tree, env)) == want, (rule.id, env)


def test_page_rules_carry_the_forms_fields_and_only_checks_the_page_can_do():
    monthly, annual = page_rules("monthly"), page_rules("annual")
    assert [f["code"] for f in monthly["fields"]][:2] == ["revenue_total", "revenue_software_products"]
    assert "rd_expense" in [f["code"] for f in annual["fields"]] and "rd_expense" not in [
        f["code"] for f in monthly["fields"]
    ]
    ids = {r["id"] for r in monthly["rules"]}
    assert {"sector_sum", "ytd_not_decreasing", "required", "number", "integer"} <= ids
    assert not ids & {"registered", "duplicate", "growth_outlier", "uscc"}  # these need the store or the file
    assert "ytd_not_decreasing" not in {r["id"] for r in annual["rules"]}


def test_no_page_loads_anything_from_another_site():
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.js")]:
        if "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), path
        assert "<script>" not in text.replace("<script>alert", ""), (
            path
        )  # no inline script (CSP script-src 'self')
