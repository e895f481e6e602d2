"""The message catalogue (消息目录): every sentence a person reads, keyed, in Chinese and English.

Messages live in ``sitmon/domain/locale/<area>.yaml``, one file per area of the system; the file name is
the first part of the key, so ``locale/period.yaml``'s entry ``malformed`` is ``period.malformed``::

    malformed:
      zh: "统计期 {value} 格式不对，应为 YYYY-MM（月报）或 YYYY（年报）"
      en: "period {value} is malformed: use YYYY-MM (monthly) or YYYY (annual)"

Code never writes a sentence inline: it raises or returns a :class:`Message` (key + parameters) and the
interface renders it in the reader's language (``SITMON_LANG``, ``--lang``, ``Accept-Language``, the page's
switch). :func:`check_catalogue` is what the test suite runs: both languages for every key, and the same
placeholders in both.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)(?:[:!][^}]*)?\}")


class Message:
    """A catalogue key with its parameters, rendered later in the reader's language."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang`` (``zh`` or ``en``; anything else reads as ``en``)."""
        return text(self.key, lang, **self.params)

    def both(self) -> str:
        """``中文 / English``: for logs and places that cannot know the reader's language."""
        return f"{self.render('zh')} / {self.render('en')}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.params!r})"

    def __str__(self) -> str:
        return self.both()


def lang_of(value: str | None) -> Lang:
    """``zh`` or ``en`` from a setting or an ``Accept-Language`` value (``zh-CN,zh;q=0.9`` → ``zh``)."""
    if not value:
        return DEFAULT_LANG
    first = value.split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "zh"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message: key → {"zh": text, "en": text}, read once from the package's ``locale`` folder."""
    import yaml  # here, not at the top: a command that prints no message starts without it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: dict[str, dict[str, str]] = {}
    folder = resources.files("sitmon.domain").joinpath("locale")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        area = entry.name.removesuffix(".yaml")
        doc = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader) or {}
        for name, texts in doc.items():
            out[f"{area}.{name}"] = {str(k): str(v) for k, v in (texts or {}).items()}
    return out


def text(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in. An unknown key renders as the key itself (the
    test suite proves every key used exists), so a missing entry never becomes an error page."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    template = entry.get("en" if lang == "en" else "zh") or entry.get("zh") or key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def placeholders(template: str) -> set[str]:
    """The names of the ``{name}`` fields of a template."""
    return set(_PLACEHOLDER.findall(template))


def check_catalogue() -> list[str]:
    """Problems of the catalogue, one line each: a key missing a language, an empty text, or a placeholder
    that one language has and the other has not. Empty when the catalogue is sound."""
    problems = []
    for key, entry in sorted(catalogue().items()):
        for lang in LANGS:
            if not entry.get(lang, "").strip():
                problems.append(f"{key}: no {lang} text")
        extra = set(entry) - set(LANGS)
        if extra:
            problems.append(f"{key}: unknown languages {sorted(extra)}")
        if all(entry.get(lang) for lang in LANGS) and placeholders(entry["zh"]) != placeholders(entry["en"]):
            problems.append(f"{key}: placeholders differ: zh {sorted(placeholders(entry['zh']))} "
                            f"en {sorted(placeholders(entry['en']))}")
    return problems
