"""The checker of the zh output: English words a Chinese reader would meet in what a command prints, once the
things that are English by nature are set aside — command lines (``sitmon reports list --period 2024-12``), file
paths and URLs, USCCs, checksums, codes with digits (``14th_fyp``, ``10k_cny``), and a short allow-list of proper
names, file formats and units (USCC, CSV, XLSX, API, HiGHS ...) and the catalog's codes a user types."""

from __future__ import annotations

import re

from sitmon.catalog import load_catalog
from sitmon.catalog.rules import load_rules
from sitmon.catalog.series import load_series

#: Proper names, abbreviations, file formats and notations that stay as they are in Chinese text.
PROPER = {
    "sitmon",
    "USCC",
    "CSV",
    "XLSX",
    "JSON",
    "API",
    "HTTP",
    "URL",
    "UTC",
    "UTF",
    "BOM",
    "GBK",
    "GB",
    "T",
    "YYYY",
    "MM",
    "DD",
    "HH",
    "HiGHS",
    "Open",
    "SDG",
    "SQLAlchemy",
    "OpenAPI",
    "CNY",
    "USD",
    "N",
    "Hidiroglou",
    "Berthelot",
    "csv",
    "json",
    "xlsx",
    "parquet",
    "html",
    "pdf",
    "sdmx",
    "ml",  # sdmx-ml, a format name
    "text",
    "table",
    "zh",
    "en",
    "manifest",
    "APP",
    "P",  # P≈95 %: the chance a projection reaches its target
    "XLS",
    "Excel",  # the old workbooks enterprises send (issue 14)
    "HTML",
    "PDF",
    "SDMX",
    "ML",  # SDMX-ML
    "CONF_STATUS",  # the SDMX attribute of a withheld cell (issue 16)
}

_STRIP = [
    re.compile(r"\x1b\[[0-9;]*m"),  # colours
    re.compile(r"https?://\S+"),  # URLs
    re.compile(r"sitmon_[-A-Za-z0-9_]+"),  # API tokens and their prefixes
    re.compile(r"\bSITMON_[A-Z_]+\b"),  # settings named by their variable
    re.compile(
        r"sitmon(?:[ \t]+(?:<[^>\s]+>|[-A-Za-z0-9_<>.,:/…|=\[\]{}]+))+"
    ),  # command lines, <placeholders>
    re.compile(r"(?<![A-Za-z0-9])(?:/|\./)[-A-Za-z0-9_./]+"),  # file paths
    re.compile(r"[-A-Za-z0-9_/]+\.(?:csv|xlsx|json|txt|db|yaml|md)\b"),  # file names and relative paths
    re.compile(r"--[a-z][-a-z]*(?:[ =][A-Za-z0-9_,.-]+)?"),  # an option named in a sentence, its value
    re.compile(r"（[a-z_]+）"),  # the code of the rule an error breaks
    re.compile(r"“[^”]*”|\[[^\]\n]*\]"),  # values and columns quoted from a file
    re.compile(r"\b[0-9A-Z]{18}\b"),  # USCCs
    re.compile(r"\b[0-9a-f]{8,}\b"),  # checksums, token prefixes
    re.compile(r"\b[A-Za-z_]*\d[A-Za-z0-9_]*\b"),  # codes with digits: 14th_fyp, 10k_cny, v1
]
_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


def codes(*, typed: bool) -> set[str]:
    """Codes that may stand in Chinese text: indicator codes (of the forms and of the published series) always;
    with ``typed``, also the values a user types (forms, statuses, measures, dimensions, roles, reasons, sector and
    rule codes), which help and refusals may name."""
    cat, rules = load_catalog(), load_rules()
    out = set(cat.indicators) | set(load_series().indicators())
    if typed:
        out |= {
            "monthly",
            "annual",
            "submitted",
            "accepted",
            "returned",
            "region",
            "province",
            "city",
            "sector",
            "size_tier",
            "level",
            "ytd",
            "month",
            "yoy",
            "yoy_comparable",
            "share",
            "contribution",
            "threshold",
            "dominance",
            "secondary",
            "filer",
            "reviewer",
            "analyst",
            "admin",
            "east",
            "central",
            "west",
            "northeast",
            "cli",
            "period",
            "indicator",
            "measure",
            "value",
            "flag",
            "unit",
            "uscc",
            "name",
            "latest",
            "first",
            *cat.sectors,
            *(r.id for r in rules.rules),
            "region_code",
            "founded",
            "closed",
            "id",
            "long",
            "wide",
            "gbk",
            "utf",
            "person",  # layouts, CSV encodings (utf-8) and a unit code of issue 13
            "zero",
            "missing",
        }  # the zero rule's reason (issue 12), a late filer's status (issue 14)
    return out


def command_names() -> set[str]:
    """The names of sitmon's commands and command groups (what a user types after ``sitmon``)."""
    import typer.main

    from sitmon.cli import app
    from sitmon.cli.localise import commands_of

    return {
        part for path, _ in commands_of(typer.main.get_command(app)) for p in path for part in p.split("-")
    }


def english_words(output: str, *, typed: bool = False, allow: set[str] = frozenset()) -> list[str]:
    """The English words of ``output`` that are none of the things a Chinese text may hold (see the module)."""
    text = output
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    ok = PROPER | codes(typed=typed) | set(allow) | (command_names() if typed else set())
    return sorted({w for w in _WORD.findall(text) if w not in ok})
