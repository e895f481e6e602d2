"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last one is
a check character over the first 17."""

from __future__ import annotations

import re

#: The 31 characters the code may use (no I, O, S, V, Z), in the order of their numeric values.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_character(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a code.

    Defined by GB 32100-2015: ``C18 = 31 - (Σ value(Ci) × Wi mod 31)``, with 31 written as ``0``.
    """
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        raise ValueError(f"not 17 characters of the USCC alphabet: {first17!r}")
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC (``"length"``, ``"characters"``, ``"check"``), or None if it is."""
    if len(code) != 18:
        return "length"
    if not _SHAPE.match(code):
        return "characters"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None


def is_valid_uscc(code: str) -> bool:
    """True when ``code`` is 18 characters of the USCC alphabet with a correct check character."""
    return uscc_problem(code) is None


def make_uscc(region_code: str, serial: int, kind: str = "91") -> str:
    """A well-formed code for a (synthetic) enterprise: registration kind ``91`` (enterprise),
    the 6-digit region, 9 characters derived from ``serial``, and the check character."""
    body = []
    n = serial
    for _ in range(9):
        n, r = divmod(n, 31)
        body.append(ALPHABET[r])
    first17 = kind + region_code + "".join(reversed(body))
    return first17 + check_character(first17)
