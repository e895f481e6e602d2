"""Every measure of a cell follows its level's pattern; a measure that combines periods or totals is suppressed
wherever one of its inputs is, so no published figure reopens a suppressed level."""

import pytest

from sitmon.analyse.disclosure import measure_flags, protect_parts

CUR = {("a",): None, ("b",): "threshold", ("c",): None, ("d",): "secondary"}
PREV = {("a",): "dominance", ("b",): "threshold", ("c",): None}  # d did not exist last month


def test_levels_keep_their_own_flags():
    assert measure_flags("ytd", CUR, previous=PREV) == CUR
    assert measure_flags("level", CUR) == CUR


def test_single_month_is_suppressed_where_either_month_is():
    # a published now but suppressed last month: YTD_t − month_t would give last month's suppressed YTD
    assert measure_flags("month", CUR, previous=PREV) == {
        ("a",): "secondary",
        ("b",): "threshold",
        ("c",): None,
        ("d",): "secondary",
    }
    assert measure_flags("month", CUR, previous=None) == CUR  # January: the month is the YTD


@pytest.mark.parametrize("name", ["yoy", "yoy_comparable", "contribution"])
def test_growth_is_suppressed_where_last_years_level_is(name):
    got = measure_flags(name, CUR, last_year={("a",): None, ("c",): "dominance"})
    assert got[("c",)] == "secondary" and got[("a",)] is None and got[("b",)] == "threshold"


def test_comparable_growth_needs_its_panel_published_too():
    got = measure_flags("yoy_comparable", CUR, last_year={}, panel={("a",): "threshold", ("c",): None})
    assert got[("a",)] == "threshold" and got[("c",)] is None


def test_share_and_contribution_need_the_national_total():
    assert set(measure_flags("share", CUR, current_total="threshold").values()) == {"secondary", "threshold"}
    assert measure_flags("share", CUR, current_total=None) == CUR
    got = measure_flags("contribution", CUR, last_year={}, last_year_total="dominance")
    assert got[("a",)] == got[("c",)] == "secondary"
    assert measure_flags("yoy", CUR, last_year={}, last_year_total="dominance")[("a",)] is None


def test_parts_of_a_total_hide_each_other():
    values = {"products": 100.0, "security": 5.0, "embedded": 50.0, "services": 30.0}
    flags = {"products": None, "security": "threshold", "embedded": None, "services": None}
    got = protect_parts(values, flags, 15)
    # security alone = total − the others; services (30) is the smallest partner that leaves both ±15 %
    assert got == {"products": None, "security": "threshold", "embedded": None, "services": "secondary"}
    assert protect_parts(values, {k: None for k in values}, 15) == {k: None for k in values}
    big = protect_parts({"a": 100.0, "b": 2.0, "c": 3.0}, {"a": "dominance", "b": None, "c": None}, 15)
    assert big == {"a": "dominance", "b": "secondary", "c": "secondary"}  # 2 + 3 < 15: all it can do
