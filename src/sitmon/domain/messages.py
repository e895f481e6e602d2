"""The message catalogue (消息目录): every sentence a person reads, keyed, in Chinese and English.

Messages live in ``sitmon/domain/locale/<area>.yaml``, one file per area of the system; the file name is
the first part of the key, so ``locale/period.yaml``'s entry ``malformed`` is ``period.malformed``::

    malformed:
      zh: "统计期 {value} 格式不对，应为 YYYY-MM（月报）或 YYYY（年报）"
      en: "period {value} is malformed: use YYYY-MM (monthly) or YYYY (annual)"

A file may group entries under headings; the key joins them with dots (``terms.yaml``'s ``status:`` →
``submitted:`` is ``terms.status.submitted``). An entry is a mapping with ``zh`` and ``en``.

Code never writes a sentence inline: it raises or returns a :class:`Message` (key + parameters) and the
interface renders it in the reader's language (``SITMON_LANG``, ``--lang``, ``Accept-Language``, the page's
switch). A parameter that can render itself (a :class:`Message`, a :class:`Label`) is rendered in the same
language. Codes shown to people (statuses, forms, measures, booleans) are translated by :func:`term`.
:func:`check_catalogue` is what the test suite runs: both languages for every key, and the same placeholders
in both.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, Literal, Protocol

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)(?:[:!][^}]*)?\}")


class Renderable(Protocol):
    """Anything that says itself in a language: a :class:`Message`, a :class:`Label`."""

    def render(self, lang: str = ..., /) -> str:
        """The text in ``lang``."""
        ...


class Message:
    """A catalogue key with its parameters, rendered later in the reader's language.

    :meth:`from_texts` makes a message whose two texts come with it instead of from the catalogue: for the
    sentences that are data of the statistical catalog (a validation rule's message in ``rules.yaml``)."""

    __slots__ = ("key", "params", "texts")

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        self.texts: dict[str, str] | None = None

    @classmethod
    def from_texts(cls, key: str, texts: dict[str, str], **params: Any) -> Message:
        """A message named ``key`` whose templates are ``texts`` (``{"zh": ..., "en": ...}``)."""
        msg = cls(key, **params)
        msg.texts = dict(texts)
        return msg

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang`` (``zh`` or ``en``; anything else reads as ``en``)."""
        if self.texts is not None:
            return _fill(_pick(self.texts, lang) or self.key, lang, self.params)
        return text(self.key, lang, **self.params)

    def both(self) -> str:
        """``中文 / English``: for logs and places that cannot know the reader's language."""
        return f"{self.render('zh')} / {self.render('en')}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params, self.texts) == (
            other.key,
            other.params,
            other.texts,
        )

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.params!r})"

    def __str__(self) -> str:
        return self.both()


class Label:
    """A name that is data in both languages (an indicator's, a region's, from the statistical catalog), so it
    can be a parameter of a message and be said in the reader's language."""

    __slots__ = ("zh", "en")

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The name in ``lang``."""
        return self.en if lang == "en" else self.zh

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Label) and (self.zh, self.en) == (other.zh, other.en)

    def __hash__(self) -> int:
        return hash((self.zh, self.en))

    def __repr__(self) -> str:
        return f"Label({self.zh!r}, {self.en!r})"


def lang_of(value: str | None) -> Lang:
    """``zh`` or ``en`` from a setting or an ``Accept-Language`` value (``zh-CN,zh;q=0.9`` → ``zh``)."""
    if not value:
        return DEFAULT_LANG
    first = value.split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "zh"


def _flatten(prefix: str, doc: Any, out: dict[str, dict[str, str]]) -> None:
    """Entries of ``doc`` under ``prefix``: a mapping with a language key is an entry, any other mapping a
    heading whose keys continue the key."""
    if isinstance(doc, dict) and not set(doc) & set(LANGS):
        for name, sub in doc.items():
            _flatten(f"{prefix}.{name}", sub, out)
    elif isinstance(doc, dict):
        out[prefix] = {str(k): str(v) for k, v in doc.items()}
    else:
        out[prefix] = {}  # not an entry: check_catalogue names it


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message: key → {"zh": text, "en": text}, read once from the package's ``locale`` folder.

    The files are read by :func:`read_locale` (the plain subset of YAML they are written in, so that ``sitmon
    --help``, which says itself through the catalogue, starts without PyYAML); a file it does not take is read by
    PyYAML, with the same result."""
    out: dict[str, dict[str, str]] = {}
    folder = resources.files("sitmon.domain").joinpath("locale")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        area = entry.name.removesuffix(".yaml")
        source = entry.read_text(encoding="utf-8")
        doc = read_locale(source)
        if doc is None:
            import yaml  # only for a file beyond the plain subset

            doc = yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        for name, texts in doc.items():
            _flatten(f"{area}.{name}", texts, out)
    return out


_KEY = r'(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.\-]*)'
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_LOCALE_LINE = re.compile(rf"^( *)({_KEY}):(?: +(.*?))? *$")
_FLOW_KEY = re.compile(rf" *({_KEY}): +")
_JSON_ESCAPES = re.compile(r'\\[^"\\/bfnrtu]')
_TYPED_KEYS = {
    "y",
    "n",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "false",
    "null",
}  # YAML 1.1 would not read these as text


def read_locale(source: str) -> dict[str, Any] | None:
    """A locale file as PyYAML's safe loader reads it, for the plain subset of YAML the files are written in:
    nested block mappings of ``key:`` lines, values as double-quoted strings or one-line flow mappings of them
    (``{zh: "…", en: "…"}``), comments and blank lines. None for anything else (the caller uses PyYAML), so a
    file is never read differently; ``tests/domain/test_catalogue_reader.py`` holds every file to PyYAML."""
    root: dict[str, Any] = {}
    stack: list[tuple[int | None, int, dict[str, Any]]] = [
        (0, -1, root)
    ]  # (children's indent, own indent, map)
    for line in source.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LOCALE_LINE.match(line)
        if m is None:
            return None
        indent, key, rest = len(m.group(1)), _key(m.group(2)), m.group(3) or ""
        while len(stack) > 1 and (top := stack[-1][0]) is not None and indent < top:
            stack.pop()
        children, own, mapping = stack[-1]
        if children is None:  # the first line under a heading sets its indent
            if indent <= own:
                return None  # a heading without entries (YAML: null)
            stack[-1] = (indent, own, mapping)
        elif indent != children:
            return None
        if key is None or key in mapping:
            return None
        if not rest or rest.startswith("#"):
            mapping[key] = {}
            stack.append((None, indent, mapping[key]))
            continue
        value, tail = _value(rest)
        if value is None or (tail.strip() and not (tail[:1] == " " and tail.strip().startswith("#"))):
            return None
        mapping[key] = value
    if stack[-1][0] is None and len(stack) > 1:
        return None  # the file ends with a heading without entries
    return root


def _key(raw: str) -> str | None:
    if raw.startswith('"'):
        return _unquote(raw[1:-1])
    return None if raw.lower() in _TYPED_KEYS else raw


def _unquote(inner: str) -> str | None:
    """A double-quoted YAML string's text, when its escapes are JSON's (else None)."""
    if _JSON_ESCAPES.search(inner):
        return None
    import json

    try:
        return str(json.loads(f'"{inner}"', strict=False))
    except ValueError:
        return None


def _value(rest: str) -> tuple[str | dict[str, str] | None, str]:
    """The value at the start of ``rest`` (a quoted string or a flow mapping of them) and what follows it."""
    if rest.startswith('"'):
        q = _QUOTED.match(rest)
        return (None, "") if q is None else (_unquote(q.group(1)), rest[q.end() :])
    if not rest.startswith("{"):
        return None, ""
    out: dict[str, str] = {}
    pos = 1
    while True:
        k = _FLOW_KEY.match(rest, pos)
        if k is None:
            return None, ""
        q = _QUOTED.match(rest, k.end())
        key = _key(k.group(1))
        if q is None or key is None or key in out:
            return None, ""
        text_ = _unquote(q.group(1))
        if text_ is None:
            return None, ""
        out[key] = text_
        pos = q.end()
        while rest[pos : pos + 1] == " ":
            pos += 1
        if rest[pos : pos + 1] == "}":
            return out, rest[pos + 1 :]
        if rest[pos : pos + 1] != ",":
            return None, ""
        pos += 1


def _pick(entry: dict[str, str], lang: str) -> str | None:
    return entry.get("en" if lang == "en" else "zh") or entry.get("zh")


def _fill(template: str, lang: str, params: dict[str, Any]) -> str:
    said = {k: v.render(lang) if callable(getattr(v, "render", None)) else v for k, v in params.items()}
    try:
        return template.format(**said)
    except (KeyError, IndexError, ValueError):
        return template


def text(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in (a parameter that renders itself is rendered in
    ``lang``). An unknown key renders as the key itself (the test suite proves every key used exists), so a
    missing entry never becomes an error page."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    return _fill(_pick(entry, lang) or key, lang, params)


def has(key: str) -> bool:
    """Whether the catalogue has ``key``."""
    return key in catalogue()


def term(kind: str, code: object, lang: str = DEFAULT_LANG) -> str:
    """How a code of ``kind`` is said to people: ``term("status", "submitted", "zh")`` → 已报送, from
    ``terms.<kind>.<code>`` (booleans as ``true`` / ``false``). A code without an entry is shown as it is (the
    zh output test names any that slips through); None is None's dash, left to the caller."""
    key = f"terms.{kind}.{str(code).lower() if isinstance(code, bool) else code}"
    return text(key, lang) if key in catalogue() else str(code)


def placeholders(template: str) -> set[str]:
    """The names of the ``{name}`` fields of a template."""
    return set(_PLACEHOLDER.findall(template))


def check_texts(key: str, entry: dict[str, str]) -> list[str]:
    """Problems of one entry, one line each: a missing language, an empty text, an unknown language, or a
    placeholder that one language has and the other has not."""
    problems = []
    for lang in LANGS:
        if not entry.get(lang, "").strip():
            problems.append(f"{key}: no {lang} text")
    extra = set(entry) - set(LANGS)
    if extra:
        problems.append(f"{key}: unknown languages {sorted(extra)}")
    if all(entry.get(lang) for lang in LANGS) and placeholders(entry["zh"]) != placeholders(entry["en"]):
        problems.append(
            f"{key}: placeholders differ: zh {sorted(placeholders(entry['zh']))} "
            f"en {sorted(placeholders(entry['en']))}"
        )
    return problems


def check_catalogue() -> list[str]:
    """Problems of the catalogue (:func:`check_texts` of every entry); empty when the catalogue is sound."""
    return [p for key, entry in sorted(catalogue().items()) for p in check_texts(key, entry)]
