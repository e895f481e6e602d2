"""The attacks of issue 12 on hand-built tables: each succeeds against a pattern made without the attacker's
knowledge and fails against the pattern made with it (the audit with that knowledge proves it)."""

import numpy as np
import pytest

from sitmon.analyse.disclosure import (
    AttackerLP,
    Knowledge,
    SolverError,
    audit_all,
    audit_cells,
    build_linked,
    protect,
    province_scopes,
)

from .disclosure_tables import RULES, linked, many, stats
from .test_disclosure_secondary import _generated

HIERARCHY = [(), ("region",), ("province",)]


def _region():
    # region A: a1 (2 enterprises: threshold) and a2, a3, a4; region B elsewhere
    return linked(
        [
            {"region": "A", "province": "a1", "x": [6, 4]},
            {"region": "A", "province": "a2", "x": many(40, 5)},
            {"region": "A", "province": "a3", "x": many(60, 5)},
            {"region": "A", "province": "a4", "x": many(300, 10)},
            {"region": "B", "province": "b1", "x": many(500, 10)},
            {"region": "B", "province": "b2", "x": many(400, 10)},
        ],
        HIERARCHY,
    )


def _idx(lt, table, key):
    return lt.index(table, key)


def test_a_reviewer_who_knows_its_province_recovers_a_pair_and_not_the_pattern_made_for_it():
    lt = _region()
    public_only = protect(lt, RULES, True)
    a1 = _idx(lt, "province", ("a1",))
    partners = [lt.key(i) for i in np.flatnonzero(public_only.suppressed) if i != a1]
    assert partners == [("a2",)]  # the cheapest partner: a1 + a2 = A − a3 − a4
    k = Knowledge.none(lt)
    k.scopes = province_scopes(lt)
    attack = [r for r in audit_all(lt, public_only.flags, True, 15, k) if r.attacker == "a2" and r.cell == a1]
    assert attack and not attack[0].protected and attack[0].lo == pytest.approx(10) == attack[0].hi  # exact
    pattern = protect(lt, RULES, True, knowledge=k)
    assert pattern.failsafe is None and pattern.suppressed.sum() > public_only.suppressed.sum()
    rows = audit_all(lt, pattern.flags, True, 15, k)
    assert rows and all(r.protected for r in rows)
    assert {r.attacker for r in rows} >= {"public", "a2", "a3"}


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_hierarchies_hold_against_every_reviewer(seed):
    lt = _generated(seed)
    k = Knowledge.none(lt)
    k.scopes = province_scopes(lt)
    plain = protect(lt, RULES, True)
    pattern = protect(lt, RULES, True, knowledge=k)
    assert pattern.failsafe is None
    assert any(
        not r.protected for r in audit_all(lt, plain.flags, True, 15, k)
    )  # reviewers break the plain one
    assert all(r.protected for r in audit_all(lt, pattern.flags, True, 15, k))


def test_last_years_value_and_growth_as_bounds():
    lt = _region()
    a2 = _idx(lt, "province", ("a2",))
    a1 = _idx(lt, "province", ("a1",))
    plain = protect(lt, RULES, True)
    assert plain.suppressed[a2]
    # last year a2 was published as 38 and region A grew by 5 %: the attacker holds a2 within 38 × (1.05 ± 0.02)
    k = Knowledge.none(lt)
    v = lt.values()
    lower, upper = np.full(lt.n_cells, -np.inf), np.full(lt.n_cells, np.inf)
    lower[a2], upper[a2] = 38 * 1.03, 38 * 1.07
    k.bound(lower, upper, v)
    (attack,) = audit_cells(lt, plain.suppressed, True, 15, cells=[a1], flags=plain.flags, knowledge=k)
    assert not attack.protected and attack.hi - attack.lo < 0.3 * v[a1]  # a1 = 50 − a2: pinned by the bounds
    pattern = protect(lt, RULES, True, knowledge=k)
    res = audit_cells(lt, pattern.suppressed, True, 15, flags=pattern.flags, knowledge=k)
    assert all(r.protected for r in res)
    assert not pattern.suppressed[a2] and pattern.cost() > plain.cost()  # a3 (60) hides a1 instead of a2 (40)


def test_an_earlier_release_makes_its_unchanged_cells_known():
    lt = _region()
    a2 = _idx(lt, "province", ("a2",))
    k = Knowledge.none(lt)
    k.known[a2] = True  # published, unchanged, in the release this one supersedes
    pattern = protect(lt, RULES, True, knowledge=k)
    assert not pattern.suppressed[a2]  # hiding a known cell would give no room
    res = audit_cells(lt, pattern.suppressed, True, 15, flags=pattern.flags, knowledge=k)
    assert res and all(r.protected for r in res)
    plain = protect(lt, RULES, True)
    assert not all(
        r.protected for r in audit_cells(lt, plain.suppressed, True, 15, flags=plain.flags, knowledge=k)
    )


def test_a_zero_cell_of_enterprises_is_sensitive_and_gets_room():
    lt = linked(
        [
            {"region": "A", "province": "a1", "x": [0.0, 0.0, 0.0, 0.0]},  # four enterprises, all zero
            {"region": "A", "province": "a2", "x": many(40, 5)},
            {"region": "A", "province": "a3", "x": many(60, 5)},
            {"region": "B", "province": "b1", "x": many(500, 10)},
        ],
        HIERARCHY,
    )
    a1 = _idx(lt, "province", ("a1",))
    pattern = protect(lt, RULES, True)
    assert pattern.flags[a1] == "zero"
    (res,) = [r for r in audit_cells(lt, pattern.suppressed, True, 15, flags=pattern.flags) if r.cell == a1]
    assert res.protected and res.hi > 0 and res.need_above > 0
    assert protect(lt, RULES, False).flags[a1] is None  # a signed indicator's zero is no group disclosure


def test_overflowing_values_fail_safe_instead_of_raising():
    atoms = stats(
        [
            {"region": "A", "province": "a1", "city": None, "sector": "all", "x": [1e308, 1e308, 1e308]},
            {"region": "A", "province": "a2", "city": None, "sector": "all", "x": [6, 4]},
        ],
        ("region", "province", "city", "sector"),
    )
    import pandas as pd

    lt = build_linked(
        atoms, pd.DataFrame(columns=["size_tier", "n", "sum", "abs", "top1", "top2"]), HIERARCHY, "x", 2
    )
    pattern = protect(lt, RULES, True)
    assert pattern.failsafe and pattern.suppressed.all()
    with pytest.raises(SolverError):
        AttackerLP(lt, pattern.suppressed, True, np.zeros(lt.n_cells), np.zeros(lt.n_cells))


def test_what_was_known_before_caps_the_protection_instead_of_failing():
    lt = _region()
    a1, a2, a3 = (_idx(lt, "province", (p,)) for p in ("a1", "a2", "a3"))
    v = lt.values()
    k = Knowledge.none(lt)
    lower, upper = np.full(lt.n_cells, -np.inf), np.full(lt.n_cells, np.inf)
    lower[_idx(lt, "region", ("A",))] = v[_idx(lt, "region", ("A",))] - 1.0  # last month: A is at least 409
    for p in (a2, a3, _idx(lt, "province", ("a4",))):
        lower[p], upper[p] = v[p] - 0.1, v[p] + 0.1  # tight bounds from last year
    k.bound(lower, upper, v)
    pattern = protect(lt, RULES, True, knowledge=k)
    assert (
        pattern.failsafe is None
    )  # no pattern can widen a1 beyond [9.x, 10.x]: the need is capped, not failed
    (res,) = [
        r
        for r in audit_cells(lt, pattern.suppressed, True, 15, flags=pattern.flags, knowledge=k)
        if r.cell == a1
    ]
    assert res.protected and 0 < res.need_below < 0.15 * v[a1]
