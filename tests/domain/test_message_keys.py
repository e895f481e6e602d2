"""Every key the code uses is in the catalogue, and every key of the catalogue is used.

The keys are found in the source's syntax tree: the first argument of ``Message(...)``, ``text(...)`` and
``<anything>.text(...)`` when it is a literal (an f-string counts for every key it can start), any string literal
that is a key, the kinds of ``term(kind, ...)`` / ``st.term(kind, ...)`` and of ``terms={column: kind}``, the
refusal codes (their default message is ``errors.<code>``), and the keys the web templates name. Families used by name at run time are listed in :data:`DYNAMIC` with the test
that covers them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import sitmon
from sitmon.analyse.measures import MEASURES
from sitmon.disseminate.api.errors import CODES
from sitmon.domain.errors import Refusal
from sitmon.domain.messages import catalogue, check_texts

SRC = Path(sitmon.__file__).parent

#: Key families looked up by a name known only at run time, and what proves each key of them is used.
DYNAMIC = {
    "cli_help.": "help by command path: tests/cli/test_cli_help.py matches the keys to the command tree",
    "columns.": "table headers by column code: test_every_column_header_names_a_column_of_the_cli",
    "query.definition.": "one definition per measure: test_every_measure_has_a_definition",
}


def _calls() -> list[tuple[Path, ast.Call]]:
    out = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out += [(path, node) for node in ast.walk(tree) if isinstance(node, ast.Call)]
    return out


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


_KEY = re.compile(r"^[a-z][a-z0-9_]*\.\S*$")  # area.key: tells a key from another library's text() (SQL)


def _keys(node: ast.expr) -> list[tuple[str, bool]] | None:
    """(key, exact) of a literal key (both of ``"a" if c else "b"``), or (its literal start, False) of an
    f-string; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, True)] if _KEY.match(node.value) else []
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return [(str(node.values[0].value), False)]
    if isinstance(node, ast.IfExp):
        body, orelse = _keys(node.body), _keys(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def used_keys() -> tuple[set[str], set[str], list[str]]:
    """(exact keys, key prefixes, problems) the source uses."""
    exact, prefixes, problems = set(), set(), []
    for path, call in _calls():
        name = _name(call)
        if name in ("Message", "text") and call.args:
            for key, is_exact in (
                _keys(call.args[0]) or []
            ):  # None: a key passed on, the caller's literal counts
                (exact if is_exact else prefixes).add(key)
        if name == "term" and call.args and isinstance(call.args[0], ast.Constant):
            prefixes.add(f"terms.{call.args[0].value}.")
        for kw in call.keywords:
            if kw.arg == "terms" and isinstance(kw.value, ast.Dict):
                prefixes |= {f"terms.{v.value}." for v in kw.value.values if isinstance(v, ast.Constant)}
        if (
            name == "Message"
            and call.args
            and _keys(call.args[0]) is None
            and not isinstance(call.args[0], (ast.Name, ast.Attribute))
        ):
            problems.append(
                f"{path.relative_to(SRC)}:{call.lineno}: a key that is neither literal nor a name"
            )
    codes = {c.code for c in _subclasses(Refusal)} | set(CODES)
    exact |= {f"errors.{c}" for c in codes}
    exact |= _named_keys()
    template_exact, template_prefixes = _template_keys()
    return exact | template_exact, prefixes | template_prefixes | _fstring_prefixes(), problems


def _template_keys() -> tuple[set[str], set[str]]:
    """Keys the web pages' templates name: ``t('web.title')`` and the families ``t('web.form_' ~ code)``."""
    exact, prefixes = set(), set()
    for path in SRC.rglob("*.html"):
        src = path.read_text(encoding="utf-8")
        exact |= {
            k
            for k in re.findall(r"""['"]([a-z][a-z0-9_]*\.[a-z0-9_.]*[a-z0-9])['"]""", src)
            if not k.endswith((".html", ".js", ".css"))
        }
        prefixes |= set(re.findall(r"""['"]([a-z][a-z0-9_]*\.[a-z0-9_.]*_)['"]\s*[~+]""", src))
    return exact, prefixes


def _named_keys() -> set[str]:
    """Keys written as literals elsewhere than in the call (``key = "a.b" if c else "a.c"``, a table of keys)."""
    keys = set(catalogue())
    out = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys:
                out.add(node.value)
    return out


def _fstring_prefixes() -> set[str]:
    """The literal starts of f-strings that look like keys (``f"web.unit_{unit}"`` → ``web.unit_``), whatever
    function they are passed to; a bare area (``f"errors.{code}"``) is left to the refusal codes."""
    out = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                start = str(node.values[0].value)
                if re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z0-9_.]*[a-z0-9_.]", start) and not start.endswith("."):
                    out.add(start)
    return out


def _subclasses(cls: type) -> set[type]:
    import sitmon.security  # noqa: F401  (its refusals)

    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _subclasses(sub)
    return out | {cls}


def test_every_key_used_is_in_the_catalogue():
    exact, prefixes, problems = used_keys()
    keys = set(catalogue())
    assert problems == []
    assert sorted(exact - keys) == []
    # an f-string's literal start (and a term kind) must begin at least one key
    assert sorted(p for p in prefixes if p not in DYNAMIC and not any(k.startswith(p) for k in keys)) == []


def test_no_key_of_the_catalogue_is_unused():
    exact, prefixes, _ = used_keys()
    unused = [k for k in catalogue() if k not in exact and not k.startswith(tuple(prefixes | set(DYNAMIC)))]
    assert unused == []


def test_every_measure_has_a_definition():
    assert {
        k.removeprefix("query.definition.") for k in catalogue() if k.startswith("query.definition.")
    } == set(MEASURES)


def test_every_column_header_names_a_column_of_the_cli():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (SRC / "cli").glob("*.py"))
    unused = [
        k for k in catalogue() if k.startswith("columns.") and f'"{k.removeprefix("columns.")}"' not in source
    ]
    assert unused == []


@pytest.mark.parametrize(
    "texts",
    [
        {"zh": "{a}", "en": "{a} {b}"},
        {"zh": "x"},
        {"zh": "x", "en": "y", "fr": "z"},
    ],
)
def test_check_texts_names_each_problem(texts):
    assert check_texts("k", texts)
