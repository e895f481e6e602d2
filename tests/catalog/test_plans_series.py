import shutil

import pytest

from sitmon.catalog import CatalogError
from sitmon.catalog.loader import data_path
from sitmon.catalog.plans import load_plans, load_plans_from
from sitmon.catalog.series import load_series


def test_every_target_of_the_shared_data_is_in_a_plan():
    import csv

    plans = load_plans()
    rows = list(csv.DictReader(data_path("series/plan_targets.csv").open(encoding="utf-8")))
    got = {(p.code, t.indicator, t.kind, t.value) for p in plans.values() for t in p.targets}
    assert {(r["plan"], r["indicator"], r["kind"], float(r["value"])) for r in rows} == got
    assert plans["12th_fyp"].base_year == 2010 and plans["14th_fyp"].target_year == 2025
    assert plans["11th_fyp"].context_only


def test_duplicates_are_resolved_visibly_and_gaps_stay_gaps():
    s = load_series()
    assert s.of("revenue_total")[2016].value == 48232
    both = [o for o in s.all_of("revenue_total") if o.year == 2016]
    assert len(both) == 2 and sum(o.used for o in both) == 1 and all(o.why_en for o in both)
    assert 2009 not in s.of("revenue_total") and 2014 not in s.of("revenue_total")


def test_a_new_plan_is_a_yaml_file_and_a_broken_one_names_the_problem(tmp_path):
    folder = tmp_path / "plans"
    shutil.copytree(data_path("plans"), folder)
    text = (folder / "14th_fyp.yaml").read_text(encoding="utf-8").replace("14th_fyp", "15th_fyp")
    (folder / "15th_fyp.yaml").write_text(
        text.replace("base_year: 2020", "base_year: 2025").replace("target_year: 2025", "target_year: 2030"),
        encoding="utf-8",
    )
    assert load_plans_from(folder)["15th_fyp"].target_year == 2030
    (folder / "15th_fyp.yaml").write_text(
        text.replace("kind: level_at_least", "kind: bigger_please", 1), encoding="utf-8"
    )
    with pytest.raises(CatalogError) as err:
        load_plans_from(folder)
    assert err.value.file == "15th_fyp.yaml" and "kind" in err.value.key
