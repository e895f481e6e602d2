"""The catalogue's own reader of locale files (sitmon.domain.messages.read_locale) reads every file exactly as
PyYAML does, and takes all of them, so ``sitmon --help`` starts without PyYAML (tests/cli/test_startup.py)."""

from importlib import resources

import pytest
import yaml

from sitmon.domain.messages import read_locale

FILES = sorted(
    (e for e in resources.files("sitmon.domain").joinpath("locale").iterdir() if e.name.endswith(".yaml")),
    key=lambda e: e.name,
)


@pytest.mark.parametrize("entry", FILES, ids=lambda e: e.name)
def test_every_locale_file_is_read_as_pyyaml_reads_it(entry):
    source = entry.read_text(encoding="utf-8")
    assert read_locale(source) == yaml.safe_load(source)


def test_the_plain_subset():
    source = (
        '# a comment\nok:\n  zh: "好 # not a comment"  # a comment\n  en: "fine \\"quoted\\"\\n"\n'
        'group:\n  one: {zh: "一", en: "one"}\n  "1000亿元以上": {zh: "甲", en: "a"}\n'
    )
    assert read_locale(source) == yaml.safe_load(source)


@pytest.mark.parametrize(
    "source",
    [
        "key:\n  zh: plain text\n",  # a plain scalar
        "key: |\n  block\n",  # a block scalar
        'key:\n  zh: "a\n    b"\n',  # a quoted string over two lines
        'yes:\n  zh: "是"\n',  # a key YAML 1.1 reads as a boolean
        'key:\n  zh: "\\x41"\n',  # an escape JSON does not have
        'empty:\nnext:\n  zh: "x"\n',  # a heading without entries (null)
        'a:\n  zh: "x"\n   en: "y"\n',  # indentation that matches no mapping
        'a:\n  zh: "x"\n  zh: "y"\n',  # a repeated key
    ],
)
def test_anything_else_is_left_to_pyyaml(source):
    assert read_locale(source) is None
