"""Primary suppression: the threshold rule, the dominance rule, and the statistics they read."""

import ibis
import numpy as np
import pandas as pd

from sitmon.analyse.disclosure import contributor_stats, dominance_rule, primary_flags, threshold_rule

from .disclosure_tables import RULES, linked, many


def test_threshold_rule_fewer_than_three_enterprises():
    assert threshold_rule(np.array([0, 1, 2, 3, 40]), RULES).tolist() == [True, True, True, False, False]


def test_dominance_rule_two_largest_more_than_85_percent():
    top = np.array([[50.0, 40.0], [50.0, 35.0], [60.0, 20.0], [0.0, 0.0]])
    total = np.array([100.0, 100.0, 100.0, 0.0])
    # 90 % dominated; exactly 85 % is not "more than"; 80 % published; an all-zero cell has no dominant unit
    assert dominance_rule(top, total, RULES).tolist() == [True, False, False, False]


def test_primary_flags_on_every_linked_table():
    lt = linked(
        [
            {"region": "A", "province": "a1", "x": [5, 4]},  # 2 enterprises: threshold
            {"region": "A", "province": "a2", "x": [900, 60, 20, 20]},  # 96 %: dominance
            {"region": "A", "province": "a3", "x": many(60, 6)},
            {"region": "B", "province": "b1", "x": many(500, 5)},
        ],
        [(), ("region",), ("province",)],
    )
    flags = dict(
        zip(
            [(t, lt.key(i)) for i, t in enumerate(lt.cells.table)],
            primary_flags(lt.cells, RULES),
            strict=True,
        )
    )
    assert flags[("province", ("a1",))] == "threshold"
    assert flags[("province", ("a2",))] == "dominance"
    assert flags[("province", ("a3",))] is None
    assert flags[("region", ("A",))] == "dominance"  # 900 + 60 of 1,069: the region is dominated too
    assert flags[("region", ("B",))] is None and flags[("national", ())] is None


def test_contributor_stats_rank_by_absolute_value_and_count_missing_as_zero():
    df = pd.DataFrame(
        {
            "enterprise_key": [1, 2, 3, 4, 5],
            "g": ["a", "a", "a", "a", "b"],
            "profit": [10.0, -50.0, 30.0, None, 7.0],
        }
    )
    got = contributor_stats(ibis.memtable(df), ["g"], "profit", 2).execute().set_index("g")
    assert got.loc["a", "n"] == 4 and got.loc["b", "n"] == 1
    assert got.loc["a", "sum"] == -10.0 and got.loc["a", "abs"] == 90.0
    assert (got.loc["a", "top1"], got.loc["a", "top2"]) == (50.0, 30.0)
    assert (got.loc["b", "top1"], got.loc["b", "top2"]) == (7.0, 0.0)
