"""Plan evaluation arithmetic against hand computations on the shipped real figures."""

import pytest

from sitmon.analyse.plans import Point, classify, evaluate
from sitmon.catalog.plans import load_plans
from sitmon.disseminate.plans import backtest, plan_status


@pytest.fixture
def plans():
    return load_plans()


def _status(settings, plan, as_of=None):
    return {s.target_id: s for s in plan_status(settings, plan, as_of)}


def test_13th_plan_verdicts_on_the_real_figures(sqlite_settings):
    st = _status(sqlite_settings, "13th_fyp")
    rev, growth = st["13th-01"], st["13th-02"]
    # hand: base 2015 42800, 2020 81616 -> CAGR (81616/42800)^(1/5) - 1 = 13.78 %
    assert rev.status == "achieved" and rev.latest_value == 81616 and rev.base_value == 42800
    assert rev.attainment_pct == pytest.approx(81616 / 80000 * 100)
    assert growth.realised_cagr_pct == pytest.approx(13.777, abs=0.01)
    assert growth.status == "achieved" and growth.attainment_pct == pytest.approx(13.777 / 13 * 100, abs=0.1)
    assert st["13th-04"].status == "not_measurable"
    assert st["13th-06"].status == "not_measurable" and "2020" in st["13th-06"].reason_en


def test_12th_plan_and_the_target_year_decides(sqlite_settings):
    st = _status(sqlite_settings, "12th_fyp")
    assert st["12th-01"].status == "achieved"  # 2015: 42,800 >= 40,000
    # 2010 13,600 -> 2015 42,800: CAGR 25.77 % >= 24.5 %
    assert (
        st["12th-03"].realised_cagr_pct == pytest.approx(25.77, abs=0.01)
        and st["12th-03"].status == "achieved"
    )
    assert st["12th-04"].status == "not_measurable"  # no 2015 exports figure; later years do not decide
    assert st["12th-04"].latest_year == 2011


def test_as_of_hides_later_data_and_required_growth(sqlite_settings):
    st = _status(sqlite_settings, "12th_fyp", as_of=2013)["12th-01"]
    # 2013: 31,000 (the ministry's speech) is used, 30,600 has no official source (resolution.yaml)
    assert st.latest_year == 2013 and st.latest_value == 31000
    # required from 2013 to reach 40,000 in 2015: (40000/31000)^(1/2) - 1 = 13.59 %
    assert st.required_cagr_pct == pytest.approx(13.59, abs=0.01)
    # realised 2010->2013: (31000/13600)^(1/3) - 1 = 31.61 %; required 2010->2015: (40000/13600)^(1/5) - 1 = 24.08 %
    assert st.realised_cagr_pct == pytest.approx(31.61, abs=0.01)
    assert st.progress_ratio == pytest.approx(31.61 / 24.08, abs=0.01)
    # in 2013 the record held 6 earlier errors (< 8): a projection without intervals, the progress ratio decides
    assert st.status == "on_track" and st.outlook is None
    assert st.projection is not None and st.projection.year == 2015 and st.projection.origin == 2013
    assert st.projection.lo80 is None and st.projection.errors == 6


def test_14th_plan_is_called_from_the_calibrated_projection(sqlite_settings):
    st = _status(sqlite_settings, "14th_fyp")["14th-01"]
    assert st.latest_year == 2024
    assert st.required_cagr_pct == pytest.approx((140000 / 137276 - 1) * 100)
    p, o = st.projection, st.outlook
    assert p.lo95 < p.lo80 < p.value < p.hi80 < p.hi95 and "damped trend" in p.model and p.origin == 2024
    # the call follows the 80 % interval: on track when the target is at or below its lower bound
    target = 140000
    assert o.call == ("on_track" if target <= p.lo80 else "off_track" if target >= p.hi80 else "at_risk")
    assert st.status == o.call and o.horizon == 1 and 0 < o.hits <= o.cases
    assert 0.5 < o.probability < 1 and "1 year(s) ahead" in st.reason_en and str(o.cases) in st.reason_en
    growth = _status(sqlite_settings, "14th_fyp")["14th-02"]  # 12 %/yr from 81,616 in 2020: 143,835 in 2025
    assert growth.outlook.target_level == pytest.approx(81616 * 1.12**5)
    assert growth.outlook.probability < o.probability


def test_cutoffs_and_the_verdict_rule(plans):
    assert [classify(r) for r in (1.2, 0.95, 0.94, 0.6, 0.59, -0.1)] == [
        "on_track",
        "on_track",
        "at_risk",
        "at_risk",
        "off_track",
        "off_track",
    ]
    plan = plans["13th_fyp"]
    target = plan.targets[0]  # 80,000 by 2020
    pts = {2015: Point(42800, "s"), 2020: Point(79000, "s"), 2021: Point(95000, "s")}
    assert (
        evaluate(plan, target, pts, as_of=2024).status == "not_achieved"
    )  # 2021 does not change the verdict
    slow = {2015: Point(42800, "s"), 2017: Point(46000, "s")}
    st = evaluate(plan, target, slow, as_of=2017)
    assert st.status == "off_track" and st.progress_ratio < 0.6


def test_backtest_rows(sqlite_settings):
    rows = backtest(sqlite_settings, "13th_fyp")
    rev = [r for r in rows if r.target_id == "13th-01"]
    assert [r.as_of for r in rev] == [2015, 2016, 2017, 2018, 2019]
    assert all(r.final_status == "achieved" and r.outcome_value == 81616 for r in rev)
    assert all(r.projection is not None for r in rev)
    # a decisive call (on or off track) is scored; at risk calls neither verdict
    assert all((r.called is None) == (r.status not in ("on_track", "off_track")) for r in rev)
    assert sum(r.inside80 is True for r in rev) >= 3
