"""Disclosure control fails safe: an impossible stored value or a failing pattern suppresses the table, never a
500 and never an unprotected figure."""

import math

import pandas as pd
import pytest

from sitmon.config import Settings
from sitmon.disseminate.failsafe import FAIL_SAFE_FLAG, flags_or_all_suppressed
from sitmon.disseminate.tables import published_table
from sitmon.store.warehouse import Warehouse, write_release


def test_non_finite_values_or_a_failing_pattern_suppress_every_cell():
    keys = [("east",), ("west",)]
    assert flags_or_all_suppressed(lambda: {k: None for k in keys}, keys, [1.0, math.inf]) == dict.fromkeys(
        keys, FAIL_SAFE_FLAG
    )

    def boom():
        raise ValueError("the solver gave up")

    assert flags_or_all_suppressed(boom, keys, [1.0, 2.0]) == dict.fromkeys(keys, FAIL_SAFE_FLAG)
    with pytest.raises(LookupError):
        flags_or_all_suppressed(lambda: (_ for _ in ()).throw(LookupError("no release")), keys, [1.0, 2.0])


def test_a_release_holding_an_impossible_value_is_served_suppressed(published, tmp_path):
    """What used to crash the solver for every public table of the period (values stored before the limits)."""
    (dec,) = Warehouse(published.settings).files("monthly", ["2024-12"])
    data = pd.read_parquet(dec.path)
    data.loc[data.index[:2], "revenue_total"] = 1.7e308
    settings = Settings(home=tmp_path / "home")
    write_release(settings, "monthly", "2024-12", 1, data, {"synthetic": True})
    res = published_table(settings, "revenue_total", ["region"], "2024-12", public=True)
    assert res.rows and res.protected
    for row in res.rows:
        assert row["value"] is None or math.isfinite(row["value"])
    assert any(row["flag"] is not None for row in res.rows)
