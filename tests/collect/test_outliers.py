import numpy as np

from sitmon.collect.outliers import hidiroglou_berthelot


def test_flags_the_unit_with_an_extreme_ratio_only():
    rng = np.random.default_rng(1)
    prev = rng.lognormal(5, 1, 200)
    cur = prev * rng.normal(1.1, 0.03, 200)
    cur[7] = prev[7] * 6  # a six-fold jump
    cur[8] = prev[8] * 1.14  # an ordinary one
    flags = hidiroglou_berthelot(cur, prev, C=7)
    assert flags[7] and not flags[8]
    assert flags.sum() <= 10  # at most 5 % of units


def test_units_without_positive_pair_are_never_flagged():
    cur = np.array([0.0, 10, 11, 12, np.nan])
    prev = np.array([5.0, 10, 10, 10, 10])
    assert not hidiroglou_berthelot(cur, prev)[[0, 4]].any()
