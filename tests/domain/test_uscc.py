import pytest

from sitmon.domain.uscc import check_character, is_valid_uscc, make_uscc, uscc_problem

# Codes printed on real business licences (public registry entries).
REAL = ["91110000802100433B", "91440300708461136T", "914403001922038216"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert is_valid_uscc(code)


def test_wrong_check_character_is_reported():
    code = REAL[0]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert uscc_problem(wrong) == "check"


@pytest.mark.parametrize(
    ("code", "problem"), [("9111000080210043", "length"), ("91110000802100433I", "characters")]
)
def test_malformed(code, problem):
    assert uscc_problem(code) == problem


def test_made_codes_are_valid_and_distinct():
    codes = {make_uscc("440300", i) for i in range(2000)}
    assert len(codes) == 2000
    assert all(is_valid_uscc(c) and c[2:8] == "440300" for c in codes)


def test_check_character_modulus_wraps_to_zero():
    # find a body whose weighted sum is a multiple of 31 -> check char must be "0"
    for i in range(10000):
        body = make_uscc("110000", i)[:17]
        if check_character(body) == "0":
            break
    else:
        pytest.fail("no body with check character 0 in 10000 tries")
