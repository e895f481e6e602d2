"""Password hashing and policy, roles and scopes (no DB)."""

from __future__ import annotations

import pytest

from sitmon.config import Settings
from sitmon.domain.uscc import make_uscc
from sitmon.security import Forbidden, InvalidInput, NotAuthenticated, OutsideScope, Principal, Role
from sitmon.security.passwords import hash_password, needs_rehash, verify_password
from sitmon.security.roles import ANONYMOUS, validate_scope

FAST = Settings(argon2_time_cost=1, argon2_memory_kib=64, argon2_parallelism=1)


def test_argon2id_hash_verifies_and_upgrades():
    h = hash_password(FAST, "a long passphrase")
    assert h.startswith("$argon2id$") and "a long passphrase" not in h
    assert verify_password(FAST, h, "a long passphrase")
    assert not verify_password(FAST, h, "a long passphrasE")
    assert not verify_password(FAST, None, "a long passphrase")  # unknown user: a dummy hash is checked
    assert not verify_password(FAST, "not a hash", "a long passphrase")
    stronger = FAST.model_copy(update={"argon2_time_cost": 2})
    assert needs_rehash(stronger, h) and not needs_rehash(FAST, h)


@pytest.mark.parametrize("bad", ["short", "aaaaaaaaaaaaaaa", "x" * 2000])
def test_password_policy(bad):
    with pytest.raises(InvalidInput):
        hash_password(FAST, bad)


def test_scopes_are_validated_per_role():
    uscc = make_uscc("330106", 7)
    assert validate_scope(Role.filer, uscc.lower()) == uscc
    assert validate_scope(Role.reviewer, "330000") == "330000"
    assert validate_scope(Role.analyst, None) is None
    for role, scope in (
        (Role.filer, uscc[:-1] + ("0" if uscc[-1] != "0" else "1")),
        (Role.filer, None),
        (Role.reviewer, "330100"),
        (Role.reviewer, "810000"),
        (Role.analyst, "330000"),
    ):
        with pytest.raises(InvalidInput):
            validate_scope(role, scope)


def test_principal_scope_checks():
    a, b = make_uscc("110108", 1), make_uscc("440305", 2)
    filer = Principal("f", Role.filer, a)
    reviewer = Principal("r", Role.reviewer, "110000")
    analyst = Principal("n", Role.analyst)
    assert filer.covers(a, "110000") and not filer.covers(b, "440000")
    assert reviewer.covers(a, "110000") and not reviewer.covers(b, "440000")
    assert analyst.covers(b, "440000") and not ANONYMOUS.covers(a, "110000")
    assert filer.uscc_filter(None) == a and filer.uscc_filter(a.lower()) == a
    with pytest.raises(OutsideScope):
        filer.uscc_filter(b)
    assert reviewer.province_filter(None) == "110000" and analyst.province_filter("440000") == "440000"
    with pytest.raises(OutsideScope):
        reviewer.province_filter("440000")
    with pytest.raises(Forbidden):
        filer.require(Role.reviewer, Role.analyst)
    with pytest.raises(NotAuthenticated):
        ANONYMOUS.require(Role.filer)
