"""The structure of a GB/T 2260 administrative-division code (行政区划代码): six digits, two for the province,
two for the prefecture-level city, two for the county or district.

Only the structure lives here; which provinces and cities exist (and which province is a municipality) is
catalog data (``regions.yaml``).
"""

from __future__ import annotations

import re

_CODE = re.compile(r"[0-9]{6}")


class RegionCodeError(ValueError):
    """A text that is not a six-digit GB/T 2260 code."""


def parse_region_code(text: object) -> str:
    """The code as six digits (surrounding blanks dropped); :class:`RegionCodeError` for anything else."""
    code = str(text).strip()
    if not _CODE.fullmatch(code):
        raise RegionCodeError(f"not a 6-digit GB/T 2260 code: {code[:20]!r}")
    return code


def province_of(code: str) -> str:
    """The code of the province a code lies in: ``330106`` → ``330000``."""
    return code[:2] + "0000"


def is_province(code: str) -> bool:
    """True for a province-level code (``xx0000``)."""
    return code.endswith("0000")


def city_of(code: str, municipality: bool) -> str | None:
    """The prefecture-level city a code lies in (``330106`` → ``330100``; a county ``xxxxNN`` resolves to its city
    ``xxxx00``), or None for a province-level code and for every code of a municipality (北京, 天津, 上海, 重庆:
    its urban-district group ``xx0100`` and every county in it are the municipality itself)."""
    if is_province(code) or municipality:
        return None
    return code[:4] + "00"
