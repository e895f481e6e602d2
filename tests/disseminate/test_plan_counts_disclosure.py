"""Plan status passes disclosure control: micro-data counts of 1 or 2 enterprises are withheld, the count of
cities above 1000亿元 counts only the cities the release publishes, a dominated top-100 ratio is withheld (on the
shared published fixture)."""

from sitmon.analyse.concentration import cities_above
from sitmon.disseminate.disclosure import Disclosure
from sitmon.disseminate.plans import _derived_value, _disclosure_controlled, plan_status
from sitmon.domain import Message
from sitmon.store.warehouse import Warehouse


def test_enterprise_counts_follow_the_threshold_rule(published):
    s = published.settings
    for code in ("enterprises_revenue_over_100e8", "enterprises_revenue_over_1000e8"):
        found = _derived_value(s, code)
        out, why = _disclosure_controlled(s, code, found)
        if 0 < found[1] < 3:
            assert why.key == "disclosure.count_withheld"
        else:
            assert why is None and out == found
    for count, withheld in ((1.0, True), (2.0, True), (0.0, False), (3.0, False)):
        _, why = _disclosure_controlled(s, "enterprises_revenue_over_1000e8", (2024, count, "release", True))
        assert (why is not None) == withheld
        if withheld:
            assert "fewer than 3" in why.render("en") and "少于 3" in why.render("zh")


def test_the_city_count_leaves_out_suppressed_cities(published):
    s = published.settings
    wh = Warehouse(s)
    hidden = {
        k[0] for k in Disclosure(wh).pattern("monthly", "2024-12", "revenue_total").table_flags(("city",))
    }
    found = _derived_value(s, "cities_revenue_over_1000e8")
    out, why = _disclosure_controlled(s, "cities_revenue_over_1000e8", found)
    cities = cities_above(wh.table("monthly", ["2024-12"]), 2024, 1000).execute()
    assert why is None and out[1] == float((~cities.city.isin(hidden)).sum()) <= found[1]


def test_a_withheld_figure_shows_no_value_in_the_plan_status(published, monkeypatch):
    import sitmon.disseminate.plans as plans

    release = Message("plans.release", form=Message("terms.form.annual"), period="2015", number=1)  # as said
    monkeypatch.setattr(plans, "_derived_value", lambda settings, code: (2015, 2.0, release, True))
    rows = [
        st
        for st in plan_status(published.settings, "12th_fyp")
        if st.indicator == "enterprises_revenue_over_1000e8"
    ]
    assert rows and all(st.latest_value is None and "fewer than 3" in st.reason_en for st in rows)
