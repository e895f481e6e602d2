"""Plan status passes disclosure control: micro-data counts of 1 or 2 enterprises are withheld, and the count of
cities above 1000亿元 counts only the cities the release publishes (on the shared published fixture)."""

from sitmon.analyse.concentration import annual_revenue, cities_above
from sitmon.disseminate.disclosure import Disclosure
from sitmon.disseminate.plans import _microdata_value
from sitmon.store.warehouse import Warehouse


def test_enterprise_counts_follow_the_threshold_rule(published):
    s = published.settings
    wh = Warehouse(s)
    t = wh.table("monthly", ["2024-12"])
    a = annual_revenue(t, 2024)
    for indicator, threshold in (("enterprises_revenue_over_100e8", 100), ("enterprises_revenue_over_1000e8", 1000)):
        count = int(a.filter(a.value_100m >= threshold).count().execute())
        year, value, _, synthetic, why = _microdata_value(s, indicator)
        assert (year, synthetic) == (2024, True)
        if 0 < count < 3:
            assert value is None and why.key == "disclosure.count_withheld"
        else:
            assert value == count and why is None


def test_the_city_count_leaves_out_suppressed_cities(published):
    s = published.settings
    wh = Warehouse(s)
    hidden = {k[0] for k in Disclosure(wh).pattern("monthly", "2024-12", "revenue_total").table_flags(("city",))}
    year, value, _, _, why = _microdata_value(s, "cities_revenue_over_1000e8")
    cities = cities_above(wh.table("monthly", ["2024-12"]), 2024, 1000).execute()
    assert why is None and value == float((~cities.city.isin(hidden)).sum())
