"""Derived indicators of plans: named expressions in analyse, referenced by code from the catalog, so that a new
derived indicator and a target on it are YAML; each one checked against pandas on the published test releases."""

from __future__ import annotations

import shutil

import pytest

from sitmon.analyse.derived import EXPRESSIONS, derived_value, inputs, problems
from sitmon.catalog import CatalogError, load_catalog
from sitmon.catalog.derived import DerivedIndicator, load_derived, load_derived_from
from sitmon.catalog.loader import data_path
from sitmon.catalog.plans import load_plans, load_plans_from
from sitmon.disseminate.disclosure import Disclosure
from sitmon.disseminate.plans import plan_status
from sitmon.store.warehouse import Warehouse


def test_every_shipped_derived_indicator_fits_its_expression_and_every_microdata_target_names_one():
    cat, derived = load_catalog(), load_derived()
    assert {d.expression for d in derived.values()} <= set(EXPRESSIONS)
    assert [p for d in derived.values() for p in problems(d, cat)] == []
    targets = [t for p in load_plans().values() for t in p.targets if t.measure == "microdata"]
    assert targets and {t.indicator for t in targets} <= set(derived)
    assert inputs(derived["top100_rd_intensity"]) == {"revenue_total", "rd_expense"}


def test_problems_name_what_does_not_fit():
    cat = load_catalog()
    d = DerivedIndicator(
        code="x",
        name_zh="x",
        name_en="x",
        unit="count",
        expression="enterprises_at_least",
        params={"indicator": "no_such", "threshold": 1, "unit": "furlongs", "extra": 1},
    )
    found = problems(d, cat)
    assert (
        any("takes" in p for p in found)
        and any("no_such" in p for p in found)
        and any("furlongs" in p for p in found)
    )
    assert problems(d.model_copy(update={"expression": "median_please"}), cat)[0].startswith(
        "x: unknown expression"
    )


def _catalog_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(data_path(""), folder)
    return folder


@pytest.mark.slow
def test_a_new_derived_indicator_and_its_target_are_yaml(tmp_path, published):
    folder = _catalog_copy(tmp_path)
    with (folder / "derived.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "  - code: enterprises_revenue_over_500e8\n    name_zh: 年收入超过500亿元的企业数\n"
            "    name_en: Enterprises above 500 (100m CNY)\n    unit: count\n    expression: enterprises_at_least\n"
            "    params: {indicator: revenue_total, threshold: 500, unit: 100m_cny}\n"
        )
    derived = load_derived_from(folder)
    d = derived["enterprises_revenue_over_500e8"]
    t = Warehouse(published.settings).table("monthly", ["2024-12"])
    dec = published.expected[published.expected.period == "2024-12"]
    assert (
        int(derived_value(t, d, 2024, load_catalog()).execute())
        == int((dec.revenue_total >= 500e4).sum())
        > 0
    )
    plan = (folder / "plans" / "12th_fyp.yaml").read_text(encoding="utf-8")
    (folder / "plans" / "12th_fyp.yaml").write_text(
        plan.replace(
            "indicator: enterprises_revenue_over_1000e8", "indicator: enterprises_revenue_over_500e8"
        ),
        encoding="utf-8",
    )
    assert any(
        t.indicator == "enterprises_revenue_over_500e8"
        for t in load_plans_from(folder / "plans", derived)["12th_fyp"].targets
    )
    with pytest.raises(CatalogError) as err:
        load_plans_from(folder / "plans", load_derived())
    assert err.value.file == "12th_fyp.yaml" and "derived indicator" in err.value.reason


def test_a_derived_code_may_not_shadow_a_reported_indicator(tmp_path):
    folder = _catalog_copy(tmp_path)
    text = (folder / "derived.yaml").read_text(encoding="utf-8")
    (folder / "derived.yaml").write_text(
        text.replace("code: top100_rd_intensity", "code: revenue_total"), encoding="utf-8"
    )
    with pytest.raises(CatalogError, match="reported indicator"):
        load_derived_from(folder)


@pytest.mark.slow
def test_microdata_targets_on_the_latest_full_year_release(published):
    st = {s.target_id: s for s in plan_status(published.settings, "12th_fyp")}
    dec = published.expected[published.expected.period == "2024-12"]
    over100 = st["12th-08"]
    assert over100.latest_year == 2024 and over100.latest_value == (dec.revenue_total >= 100e4).sum()
    assert "monthly release 2024-12" in over100.basis and "SYNTHETIC" in over100.basis
    assert over100.status == "not_measurable" and "outside the plan period" in over100.reason_en
    assert "合成数据" in over100.reason_zh
    cities = st["12th-11"]
    by_city = dec.dropna(subset=["city"]).groupby("city").revenue_total.sum()
    # only the cities the release publishes (issue 12: a city suppressed in the stored pattern is not counted)
    pattern = Disclosure(Warehouse(published.settings)).pattern("monthly", "2024-12", "revenue_total")
    hidden = {k[0] for k in pattern.table_flags(("city",))}
    assert cities.latest_value == ((by_city >= 1000e4) & ~by_city.index.isin(hidden)).sum()
    rd = st["12th-07"]  # needs the annual form (R&D expenditure): no annual release in the test warehouse
    assert rd.latest_value is None and rd.reason_en == "no published release yet (needs micro-data)"
