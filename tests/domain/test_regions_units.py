"""GB/T 2260 code structure and unit conversion, the shared vocabulary's pure parts."""

from __future__ import annotations

import pytest

from sitmon.catalog import load_catalog
from sitmon.domain.regions import RegionCodeError, city_of, is_province, parse_region_code, province_of
from sitmon.domain.units import UnitMismatch, conversion_factor, convert


def test_province_and_city_of_a_code():
    assert province_of("330106") == "330000" and is_province("330000") and not is_province("330100")
    assert city_of("330106", municipality=False) == "330100"  # a district of Hangzhou is Hangzhou
    assert city_of("330100", municipality=False) == "330100"
    assert city_of("330000", municipality=False) is None  # the province itself lies in no city
    assert city_of("110105", municipality=True) is None  # Beijing: every district is the municipality


@pytest.mark.parametrize("bad", ["", "33010", "3301066", "33O106", None])
def test_a_code_is_six_digits(bad):
    with pytest.raises(RegionCodeError):
        parse_region_code(bad)
    assert parse_region_code(" 330106 ") == "330106"


def test_the_catalog_resolves_with_the_same_rules():
    cat = load_catalog()
    assert cat.resolve_region("440305").city == "440300"
    assert cat.resolve_region("500101").city is None  # Chongqing
    with pytest.raises(KeyError):
        cat.resolve_region("990100")


def test_conversion_within_a_currency_only():
    u = load_catalog().units
    assert conversion_factor(u["10k_cny"], u["100m_cny"]) == pytest.approx(1e-4)
    assert convert(137276.0, u["100m_cny"], u["1t_cny"]) == pytest.approx(13.7276)
    assert convert(5.0, u["10k_persons"], u["person"]) == pytest.approx(50000)
    with pytest.raises(UnitMismatch) as err:
        conversion_factor(u["10k_cny"], u["10k_usd"])
    assert "10k_cny" in str(err.value) and "10k_usd" in err.value.message.render("zh")
