import shutil
from datetime import date

import pytest

from sitmon.catalog import CatalogError
from sitmon.catalog.loader import data_path
from sitmon.catalog.rules import load_rules, load_rules_from


def _copy_catalog(tmp_path):
    shutil.copytree(data_path("rules.yaml").parent, tmp_path / "data")
    return tmp_path / "data"


def test_shipped_rules_cover_the_issue():
    ids = {r.id for r in load_rules().rules}
    assert {
        "uscc",
        "registered",
        "period",
        "required",
        "number",
        "integer",
        "nonnegative",
        "duplicate",
        "sector_sum",
        "industrial_within_products",
        "ytd_not_decreasing",
        "yoy_change",
        "growth_outlier",
        "revenue_per_employee",
        "exports_within_revenue",
    } <= ids
    assert {r.id for r in load_rules().rules if r.severity == "warning"} == {
        "yoy_change",
        "growth_outlier",
        "growth_outlier_month",
        "revenue_per_employee",
        "exports_within_revenue",
    }


@pytest.mark.parametrize(
    ("bad", "key", "reason"),
    [
        ('check: "revenue_total >= 0"\n    severity: error\n    kind: uscc', "rules[x]", "takes no"),
        ('check: "revenue_totl >= 0"\n    severity: error', "rules[x].check", "unknown name 'revenue_totl'"),
        ('check: "revenue_total >="\n    severity: error', "rules[x].check", "syntax"),
        ('check: "revenue_total >= 0"\n    severity: fatal', "rules[x].severity", "error"),
        (
            'check: "revenue_total >= 0"\n    severity: error\n    show: {gap: "revenue_totl - 1"}',
            "rules[x].show.gap",
            "unknown name 'revenue_totl'",
        ),
    ],
)
def test_a_broken_rule_fails_at_load_with_file_key_and_reason(tmp_path, bad, key, reason):
    folder = _copy_catalog(tmp_path)
    with (folder / "rules.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"  - id: x\n    {bad}\n    message_zh: 错\n    message_en: wrong\n")
    with pytest.raises(CatalogError) as err:
        load_rules_from(folder)
    assert err.value.file == "rules.yaml"
    assert err.value.key.startswith(key)
    assert reason in err.value.reason


def test_a_new_rule_is_a_yaml_change_only(tmp_path, sqlite_db, monkeypatch):
    """Add 'profit may not exceed revenue' in YAML; the intake enforces it without code changes."""
    import sitmon.collect.intake as intake

    from ..collect.conftest import ENTERPRISES, write_csv

    folder = _copy_catalog(tmp_path)
    with (folder / "rules.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "  - id: profit_within_revenue\n    severity: error\n    field: profit_total\n"
            '    check: "profit_total <= revenue_total"\n'
            '    message_zh: "利润总额（{value}）大于软件业务收入"\n    message_en: "profit ({value}) above revenue"\n'
        )
    monkeypatch.setattr(intake, "load_rules", lambda: load_rules_from(folder))
    import csv

    from sitmon.collect.registry import import_enterprises

    reg = tmp_path / "e.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["uscc", "name", "region_code", "sector"], list(ENTERPRISES[0])])
    import_enterprises(sqlite_db, reg)
    from ..collect.conftest import good_values

    row = {"uscc": ENTERPRISES[0][0], "period": "2024-01", **good_values(), "profit_total": 5000}
    res = intake.import_file(sqlite_db, write_csv(tmp_path / "m.csv", [row]), today=date(2026, 1, 1))
    assert [(e.rule, e.column, e.value) for e in res.errors] == [
        ("profit_within_revenue", "profit_total", "5000")
    ]
    assert res.errors[0].message_zh == "利润总额（5000）大于软件业务收入"


def test_every_rule_says_its_message_in_both_languages_with_the_same_placeholders():
    from sitmon.domain.messages import check_texts

    problems = [
        p
        for r in load_rules().rules
        for p in check_texts(f"rules.{r.id}", {"zh": r.message_zh, "en": r.message_en})
    ]
    assert problems == []
