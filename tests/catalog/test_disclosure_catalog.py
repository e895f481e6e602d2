"""Disclosure parameters as data: the shipped values, the linked tables, and broken files failing at load."""

import shutil

import pytest

from sitmon.catalog import CatalogError, load_catalog
from sitmon.catalog.disclosure import load_disclosure, load_disclosure_from
from sitmon.catalog.loader import data_path


def test_shipped_parameters_are_the_issues():
    rules = load_disclosure()
    assert rules.threshold.min_enterprises == 3
    assert (rules.dominance.n, rules.dominance.k) == (2, 85)
    assert rules.protection_pct == 15
    assert set(rules.tables) == {
        (),
        ("region",),
        ("province",),
        ("sector",),
        ("region", "sector"),
        ("province", "sector"),
        ("city",),
        ("size_tier",),
    }
    assert rules.part_tables == ((),) and rules.carry_forward


def test_tables_are_found_in_any_order_and_parts_only_nationally():
    rules, cat = load_disclosure(), load_catalog()
    total, part = cat.indicators["revenue_total"], cat.indicators["revenue_it_services"]
    assert rules.table_of(total, ["sector", "province"]) == ("province", "sector")
    assert rules.table_of(total, ["city", "sector"]) is None
    assert rules.table_of(part, []) == ()
    assert rules.table_of(part, ["province"]) is None
    assert rules.table_of(cat.indicators["revenue_cloud_services"], ["region"]) is None  # an "of which" item


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ("  k: 85", "  k: 185", "dominance.k", "less than or equal to 100"),
        ("  min_enterprises: 3", "  min_enterprises: zero", "threshold.min_enterprises", "integer"),
        ("  - [size_tier]", "  - [size_tier, region]", "tables", "size_tier is published on its own only"),
        ("  - [city]", "  - [city]\n  - [city]", "tables", "listed twice"),
        ("part_tables:\n  - []", "part_tables:\n  - []\n  - [city, sector]", "-", "not in `tables`"),
        ("protection_pct: 15", "protection_pct: 15\nsurprise: 1", "surprise", "Extra inputs"),
    ],
)
def test_a_broken_file_fails_at_load_naming_file_key_and_reason(tmp_path, old, new, key, reason):
    folder = tmp_path / "data"
    shutil.copytree(data_path("disclosure.yaml").parent, folder)
    text = (folder / "disclosure.yaml").read_text(encoding="utf-8")
    assert old in text
    (folder / "disclosure.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_disclosure_from(folder)
    assert err.value.file == "disclosure.yaml"
    assert err.value.key.startswith(key)
    assert reason in err.value.reason
