"""Official citations (官方出处) of the published national figures.

``data/series/official_citations.csv`` names, per year, the ministry's own publication (title, department,
date, confidence) that the figures of that year come from. Wherever a real figure is shown, that publication
is cited first and the reprint is given as where it was read (``read in``). A revised figure cites what the
revision was and where the figure was first published; a value no official publication carries (a reprint
that contradicts the ministry) says so. :func:`cite` is the one function every output calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..domain.messages import Label, text
from .loader import read_csv_rows
from .series import Observation

CONFIDENCE = ("high", "medium", "low")
MINISTRY = "工业和信息化部"


@dataclass(frozen=True)
class OfficialPublication:
    """The ministry's publication of one year's figures: ``title`` may be empty (a speech, a meeting report);
    ``published`` is the date as far as it could be established (``2021-01-27``, ``on or before 2012-02-16``,
    ``early 2020``); ``confidence`` is high / medium / low; ``note`` holds the vintage questions found."""

    year: int
    title: str
    publisher: str
    published: str
    confidence: str
    note: str

    def render(self, lang: str = "zh") -> str:
        """``工业和信息化部《title》（date；可信度中）`` in ``lang``."""
        conf = text(f"citation.confidence_{self.confidence}", lang)
        key = "citation.official" if self.title else "citation.official_untitled"
        return text(
            key,
            lang,
            publisher=self.publisher,
            title=self.title,
            published=date_text(self.published, lang),
            confidence=conf,
        )


@dataclass(frozen=True)
class Citation:
    """Where a figure comes from: the ministry's publication (``official``, None when none is known or the value
    is not the ministry's), for a revised figure what the revision was (``revision``) and the publication it
    revises (``first_published_in``), and where it was read (``read_in``, a reprint) with the original wording.
    ``source_is_official``: the figure was read in the ministry's own document itself (a plan's text)."""

    official: OfficialPublication | None
    read_in: str
    quote: str
    revision: tuple[str, str] | None = None
    first_published_in: OfficialPublication | None = None
    reprint_only: bool = False
    source_is_official: bool = False

    def official_text(self, lang: str = "zh") -> str:
        """The official part in ``lang``: the ministry's publication, or what the revision was and where the
        figure was first published, or why there is no official source."""
        if self.official is not None:
            return self.official.render(lang)
        if self.revision is not None:
            first = (
                self.first_published_in.render(lang)
                if self.first_published_in
                else text("citation.none", lang)
            )
            return text("citation.revised", lang, revision=Label(*self.revision), first=first)
        if self.reprint_only:
            return text("citation.reprint_only", lang)
        if self.source_is_official:
            return text("citation.official_document", lang, source=self.read_in)
        return text("citation.none", lang)

    def render(self, lang: str = "zh") -> str:
        """The citation as one line in ``lang``: the official publication first, then where it was read."""
        if (
            self.source_is_official
            and self.official is None
            and self.revision is None
            and not self.reprint_only
        ):
            return self.official_text(lang)
        return text("citation.line", lang, official=self.official_text(lang), read_in=self.read_in)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping: ``official`` (title, publisher, published, confidence, note) or None, ``revision``
        {zh, en} or None, ``first_published_in``, ``read_in``, ``quote``, ``reprint_only``."""

        def pub(p: OfficialPublication | None) -> dict[str, Any] | None:
            return (
                None
                if p is None
                else {
                    "year": p.year,
                    "title": p.title,
                    "publisher": p.publisher,
                    "published": p.published,
                    "confidence": p.confidence,
                    "note": p.note,
                }
            )

        return {
            "official": pub(self.official),
            "revision": None if self.revision is None else {"zh": self.revision[0], "en": self.revision[1]},
            "first_published_in": pub(self.first_published_in),
            "read_in": self.read_in,
            "quote": self.quote,
            "reprint_only": self.reprint_only,
            "source_is_official": self.source_is_official,
        }


_ON_OR_BEFORE = re.compile(r"^on or before (\S+)$")
_BEFORE = re.compile(r"^before (\S+)$")
_EARLY = re.compile(r"^early (\d{4})$")


def date_text(published: str, lang: str = "zh") -> str:
    """The publication date as the CSV gives it, in ``lang`` (``on or before 2012-02-16`` → ``不晚于2012-02-16``)."""
    for pattern, key in (
        (_ON_OR_BEFORE, "citation.on_or_before"),
        (_BEFORE, "citation.before"),
        (_EARLY, "citation.early"),
    ):
        m = pattern.match(published.strip())
        if m:
            return text(key, lang, date=m.group(1))
    return published or text("citation.undated", lang)


@cache
def load_citations() -> dict[int, OfficialPublication]:
    """year → the ministry's publication of that year's figures (``official_citations.csv``)."""
    out: dict[int, OfficialPublication] = {}
    for r in read_csv_rows("series/official_citations.csv"):
        conf = r["confidence"].strip()
        out[int(r["year"])] = OfficialPublication(
            int(r["year"]),
            r["official_title"].strip(),
            r["publisher"].strip(),
            r["published"].strip(),
            conf if conf in CONFIDENCE else "low",
            r["note"].strip(),
        )
    return out


def cite(obs: Observation) -> Citation:
    """The citation of a published figure: the year's official publication for a figure it carries (the only
    value, the first publication of a revised figure, or the value chosen over a contradicting reprint); for a
    revised figure the revision and its first publication; for a reprint-only value no official source."""
    pub = load_citations().get(obs.year)
    if obs.vintage == "revised":
        return Citation(
            None, obs.source, obs.quote, revision=(obs.why_zh, obs.why_en), first_published_in=pub
        )
    if obs.reprint_only:
        return Citation(None, obs.source, obs.quote, reprint_only=True)
    if pub is None and _names_the_ministry(obs.source):
        return Citation(None, obs.source, obs.quote, source_is_official=True)
    return Citation(pub, obs.source, obs.quote)


def _names_the_ministry(source: str) -> bool:
    """A source that is the ministry's own document (a plan text), not a web page that reprints it."""
    return not source.startswith(("http://", "https://")) and MINISTRY in source and "secondary" not in source
