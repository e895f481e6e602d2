"""``sitmon series list|show``: the published national figures with their sources."""

from __future__ import annotations

import typer

from .common import FormatOpt, OutputFormat, console, emit, fail, state

series_app = typer.Typer(no_args_is_help=True)


@series_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """List the indicators of the published series."""
    from ..catalog.series import load_series

    st = state(ctx)
    s = load_series()
    rows = []
    for ind in s.indicators():
        years = sorted(s.of(ind))
        rows.append({"indicator": ind, "unit": s.all_of(ind)[0].unit, "years": len(years),
                     "first": years[0], "last": years[-1],
                     "gaps": ", ".join(str(y) for y in range(years[0], years[-1] + 1) if y not in years) or None})
    if fmt is OutputFormat.table:
        rows = [{**r, "name": _name(str(r["indicator"]), st.lang), "unit": _unit(str(r["unit"]), st.lang)}
                for r in rows]
        emit(rows, ["indicator", "name", "unit", "years", "first", "last", "gaps"], fmt, lang=st.lang,
             title=st.text("cli_series.list_title"), headers={"indicator": st.text("cli_series.code")})
        return
    emit(rows, ["indicator", "unit", "years", "first", "last", "gaps"], fmt, lang=st.lang)


def _name(indicator: str, lang: str) -> str | None:
    """The name of an indicator of the series (a catalog or derived indicator), or None."""
    from ..catalog import load_catalog
    from ..catalog.derived import load_derived

    found = load_catalog().indicators.get(indicator) or load_derived().get(indicator)
    return found.name(lang) if found is not None else None


def _unit(code: str, lang: str) -> str:
    from ..catalog import load_catalog

    unit = load_catalog().units.get(code)
    return unit.name(lang) if unit is not None else code


@series_app.command("show")
def show(ctx: typer.Context, indicator: str,
         fmt: FormatOpt = OutputFormat.table) -> None:
    """Values, sources and wording of one indicator, year by year; gaps shown as gaps."""
    from ..catalog.series import load_series

    st = state(ctx)
    s = load_series()
    obs = s.all_of(indicator)
    if not obs:
        raise fail(st.text("cli_series.no_indicator", indicator=indicator), 2)
    used = s.of(indicator)
    growth = s.of(f"{indicator}_yoy")
    rows: list[dict[str, object]] = []
    for y in range(obs[0].year, obs[-1].year + 1):
        here = [o for o in obs if o.year == y]
        if not here:
            rows.append({"year": y, "value": None, "used": "gap"})
            continue
        for o in here:
            prev = used.get(y - 1)
            ratio = (o.value / prev.value - 1) * 100 if prev and o.used and indicator.startswith("revenue") else None
            rows.append({"year": y, "value": o.value, "unit": o.unit, "used": "used" if o.used else "not_used",
                         "yoy_published": growth[y].value if y in growth and o.used else None,
                         "yoy_from_levels": None if ratio is None else round(ratio, 1),
                         "why": o.why.render(st.lang) or None, "source": o.source, "quote": o.quote})
    if fmt is OutputFormat.table:
        emit(rows, ["year", "value", "used", "yoy_published", "yoy_from_levels", "why", "source"], fmt, lang=st.lang,
             title=st.text("cli_series.show_title", indicator=_name(indicator, st.lang) or indicator,
                           unit=_unit(obs[0].unit, st.lang)),
             terms={"used": "series_use"}, decimals={"yoy_published": 1, "yoy_from_levels": 1})
        console.print(st.text("cli_series.comparable_note"), highlight=False)
    else:
        emit(rows, ["year", "value", "unit", "used", "yoy_published", "yoy_from_levels", "why", "source", "quote"], fmt,
             lang=st.lang)


def register(app: typer.Typer) -> None:
    app.add_typer(series_app, name="series")
