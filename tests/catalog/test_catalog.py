import pytest

from sitmon.catalog import CatalogError, load_catalog, load_catalog_from
from sitmon.catalog.loader import data_path


def test_shipped_catalog_loads_with_all_regions():
    cat = load_catalog()
    assert len(cat.provinces) == 34
    assert len(cat.reporting_provinces) == 31
    macro_counts = {m: sum(p.macro == m for p in cat.reporting_provinces) for m in cat.macro_regions}
    assert macro_counts == {"east": 10, "central": 6, "west": 12, "northeast": 3}
    sub = [c.code for c in cat.cities.values() if c.sub_provincial]
    assert len(sub) == 15
    assert sorted(c.name_zh for c in cat.cities.values() if c.separately_planned) == sorted(
        ["大连市", "宁波市", "厦门市", "青岛市", "深圳市"]
    )


def test_monthly_form_carries_the_codes_in_order():
    form = load_catalog().forms["monthly"]
    assert form.indicators[:3] == (
        "revenue_total",
        "revenue_software_products",
        "revenue_industrial_software",
    )
    assert form.indicators[-1] == "employees"
    assert "rd_expense" in load_catalog().forms["annual"].indicators


@pytest.mark.parametrize(
    ("code", "province", "city", "macro"),
    [
        ("440305", "440000", "440300", "east"),  # county -> city -> province
        ("440300", "440000", "440300", "east"),
        ("110105", "110000", None, "east"),  # municipality district = the municipality
        ("510100", "510000", "510100", "west"),
        ("230000", "230000", None, "northeast"),
    ],
)
def test_resolve_region(code, province, city, macro):
    path = load_catalog().resolve_region(code)
    assert (path.province, path.city, path.macro) == (province, city, macro)


@pytest.mark.parametrize("code", ["990000", "12345", "abcdef"])
def test_resolve_region_rejects_unknown(code):
    with pytest.raises(KeyError):
        load_catalog().resolve_region(code)


def test_broken_catalog_names_file_key_and_reason(tmp_path):
    src = data_path("indicators.yaml").parent
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / "indicators.yaml").read_text(encoding="utf-8")
    (tmp_path / "indicators.yaml").write_text(
        text.replace("unit: person", "unit: persons_typo"), encoding="utf-8"
    )
    with pytest.raises(CatalogError) as err:
        load_catalog_from(tmp_path)
    assert err.value.file == "indicators.yaml"
    assert "employees" in err.value.key
    assert "persons_typo" in err.value.reason
