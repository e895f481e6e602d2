from datetime import date

import pytest

from sitmon.domain import Period, PeriodError, form_of, parse_periods, period_range


def test_parse_and_print_round_trip():
    assert str(Period.parse("2024-03")) == "2024-03"
    assert str(Period.parse(" 2024 ")) == "2024"
    assert Period.parse("2024-03") == Period(2024, 3)


@pytest.mark.parametrize(
    "bad",
    [
        "March",
        "2024/13",
        "2024-13",
        "0000-01",
        "2024-00",
        "24-01",
        "2024-1",
        "",
        None,
        "2024-01-01",
        "９９９９",
    ],
)
def test_parse_refuses_with_the_value_named(bad):
    with pytest.raises(PeriodError) as exc:
        Period.parse(bad)
    assert exc.value.message.key.startswith("period.")
    if bad:
        assert str(bad).strip()[:10] in exc.value.message.render("en")


def test_form_previous_last_year_bounds():
    jan, mar, year = Period.parse("2024-01"), Period.parse("2024-03"), Period.parse("2024")
    assert (jan.form, year.form, form_of("2024")) == ("monthly", "annual", "annual")
    assert str(jan.previous) == "2023-12" and jan.previous_in_year is None
    assert str(mar.previous_in_year) == "2024-02" and str(year.previous) == "2023"
    assert str(mar.same_period_last_year) == "2023-03" and str(year.same_period_last_year) == "2023"
    assert Period.parse("2024-02").bounds == (date(2024, 2, 1), date(2024, 2, 29))
    assert year.bounds == (date(2024, 1, 1), date(2024, 12, 31))
    assert mar.month_number == 3 and year.month_number == 12
    assert [str(p) for p in mar.months_to_date()] == ["2024-01", "2024-02", "2024-03"]
    assert str(Period.parse("2024-12").next) == "2025-01"


def test_ranges_and_lists():
    got = parse_periods("2023-11:2024-02, 2024-06")
    assert [str(p) for p in got] == ["2023-11", "2023-12", "2024-01", "2024-02", "2024-06"]
    assert [str(p) for p in parse_periods(["2024-01", "2024-01,2024-02"])] == ["2024-01", "2024-02"]
    assert len(period_range(Period(2020), Period(2024))) == 5
    with pytest.raises(PeriodError):
        parse_periods("2024:2024-03")
    with pytest.raises(PeriodError):
        parse_periods("2024-05:2024-01")
    with pytest.raises(PeriodError):
        parse_periods("1990-01:2100-12")
    with pytest.raises(PeriodError):
        parse_periods(" , ")
