"""The published national series as every output shows it: one function, :func:`series_view`, gives a
series year by year in a chosen vintage with the official citation of each figure — the CLI, the API and
(later) pages and bulletins call it, so a figure is never shown without its source.

Published figures are public by definition: a view is marked ``public`` and carries the public label, never
a confidentiality notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog.citations import Citation, cite
from ..catalog.series import VINTAGES, Series, Vintage, load_series
from ..domain import KeyedError
from ..domain.messages import Label, Message, text


class SeriesError(KeyedError):
    """The series cannot be shown (unknown indicator, unknown vintage): ``message`` says why."""


@dataclass(frozen=True)
class SeriesRow:
    """One year of a series: a gap (``value`` None) or one published figure. ``in_force`` says whether the
    figure is the value of the vintage shown; ``kind`` is ``first`` / ``revised`` for a figure published twice;
    growth in percent, published (comparable basis) and from the two levels of the same vintage."""

    year: int
    value: float | None
    unit: str
    in_force: bool
    kind: str = ""
    yoy_published: float | None = None
    yoy_from_levels: float | None = None
    why_zh: str = ""
    why_en: str = ""
    citation: Citation | None = None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready mapping with the citation rendered in ``lang`` (``official``, ``read_in``) and as data."""
        c = self.citation
        return {
            "year": self.year,
            "value": self.value,
            "unit": self.unit,
            "in_force": self.in_force,
            "kind": self.kind or None,
            "yoy_published": self.yoy_published,
            "yoy_from_levels": self.yoy_from_levels,
            "why": Label(self.why_zh, self.why_en).render(lang) or None,
            "citation": c.render(lang) if c else None,
            "read_in": c.read_in if c else None,
            "quote": c.quote if c else None,
            "source": c.to_dict() if c else None,
        }


@dataclass(frozen=True)
class SeriesView:
    """A series in one vintage: rows by year (gaps included), the years whose vintages differ, and the
    public label (published figures are public)."""

    indicator: str
    vintage: Vintage
    unit: str
    rows: list[SeriesRow]
    revised_years: list[int] = field(default_factory=list)
    public: bool = True

    def label(self, lang: str = "zh") -> str:
        """The public-data label in ``lang``."""
        return text("citation.public_label", lang)

    def vintage_note(self, lang: str = "zh") -> str:
        """Which vintage is shown, which years were revised, and how to ask for the other, in ``lang``."""
        name = text(f"citation.vintage_{self.vintage}", lang)
        if not self.revised_years:
            return text("citation.vintage_none", lang, vintage=name)
        other = "first" if self.vintage == "latest" else "latest"
        return text(
            "citation.vintage_shown",
            lang,
            vintage=name,
            n=len(self.revised_years),
            years=", ".join(map(str, self.revised_years)),
            other=other,
        )


def parse_vintage(value: str | None) -> Vintage:
    """``latest`` (default) or ``first``; anything else is a :class:`SeriesError`."""
    v = (value or "latest").strip().lower()
    if v not in VINTAGES:
        raise SeriesError(Message("citation.bad_vintage", value=str(value)[:40]))
    return v  # type: ignore[return-value]


def series_view(indicator: str, vintage: str | None = "latest", series: Series | None = None) -> SeriesView:
    """``indicator`` year by year from its first to its last published year in ``vintage``: each figure with
    its official citation, a gap as a row without value; every published value is listed (the one not in force
    marked so). Growth from levels only for levels (not for percentages)."""
    vint = parse_vintage(vintage)
    s = series or load_series()
    obs = s.all_of(indicator)
    if not obs:
        raise SeriesError(Message("citation.unknown_indicator", indicator=indicator[:64]))
    level = {v: s.of(indicator, vintage=v) for v in VINTAGES}
    growth = {v: s.of(f"{indicator}_yoy", vintage=v) for v in VINTAGES}
    levels = obs[0].unit != "pct"
    rows: list[SeriesRow] = []
    for y in range(obs[0].year, obs[-1].year + 1):
        here = sorted((o for o in obs if o.year == y), key=lambda o: not o.in_force(vint))
        if not here:
            rows.append(SeriesRow(y, None, obs[0].unit, False))
            continue
        for o in here:
            used = o.in_force(vint)
            # a figure is compared within its own vintage: a first publication with the first vintage
            own: Vintage = "first" if o.vintage == "first" else "latest" if o.vintage == "revised" else vint
            g = growth[own].get(y) if used or o.vintage else None
            if g is not None and o.vintage == "revised" and g.vintage != "revised":
                g = None  # the published growth belongs to the first publication, not to this revision
            prev = level[own].get(y - 1)
            ratio = (
                (o.value / prev.value - 1) * 100
                if (used or o.vintage) and levels and prev and prev.value > 0
                else None
            )
            rows.append(
                SeriesRow(
                    y,
                    o.value,
                    o.unit,
                    used,
                    o.vintage,
                    None if g is None else g.value,
                    None if ratio is None else round(ratio, 1),
                    o.why_zh,
                    o.why_en,
                    cite(o),
                )
            )
    return SeriesView(indicator, vint, obs[0].unit, rows, s.revised(indicator))
