"""Named expressions for derived indicators (派生指标): the figures plans track that are computed from a
published release — the R&D intensity of the largest enterprises, how many enterprises or cities pass a size.

A derived indicator of the catalog (``derived.yaml``) names one of :data:`EXPRESSIONS` and its parameters;
:func:`derived_value` builds the Ibis scalar on a release table (pure: nothing is executed here).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from ..catalog import Catalog
from ..catalog.derived import DerivedIndicator
from ..domain.units import conversion_factor
from .concentration import full_year

Expression = Callable[..., ir.Scalar]


@dataclass(frozen=True)
class NamedExpression:
    """An expression for derived indicators: ``fn(t, year, catalog, **params)`` → Ibis scalar, and which of its
    parameters name an indicator of the release (what the release read must carry)."""

    fn: Expression
    indicator_params: tuple[str, ...]


EXPRESSIONS: dict[str, NamedExpression] = {}


def expression(name: str, *indicator_params: str) -> Callable[[Expression], Expression]:
    """Register ``fn`` as the named expression ``name``; ``indicator_params`` are its parameters that name
    indicators."""

    def deco(fn: Expression) -> Expression:
        EXPRESSIONS[name] = NamedExpression(fn, indicator_params)
        return fn

    return deco


def _in_unit(t: ir.Table, indicator: str, unit: str, catalog: Catalog) -> ir.NumericColumn:
    """The column ``indicator`` converted from its form unit to ``unit``."""
    factor = conversion_factor(catalog.units[catalog.indicators[indicator].unit], catalog.units[unit])
    return t[indicator] * factor


@expression("top_n_ratio", "rank_by", "numerator", "denominator")
def top_n_ratio(
    t: ir.Table, year: int, catalog: Catalog, *, n: int, rank_by: str, numerator: str, denominator: str
) -> ir.Scalar:
    """Percent: Σ numerator / Σ denominator × 100 over the ``n`` enterprises with the largest full-year
    ``rank_by`` of ``year`` (e.g. the R&D intensity of the top 100 by software business revenue)."""
    top = full_year(t, year).order_by(ibis.desc(rank_by)).limit(int(n))
    return top[numerator].sum() / top[denominator].sum() * 100


@expression("enterprises_at_least", "indicator")
def enterprises_at_least(
    t: ir.Table, year: int, catalog: Catalog, *, indicator: str, threshold: float, unit: str
) -> ir.Scalar:
    """Count: enterprises whose full-year ``indicator`` of ``year``, in ``unit``, is at least ``threshold``."""
    a = full_year(t, year)
    return a.filter(_in_unit(a, indicator, unit, catalog) >= float(threshold)).count()


@expression("cities_at_least", "indicator")
def cities_at_least(
    t: ir.Table, year: int, catalog: Catalog, *, indicator: str, threshold: float, unit: str
) -> ir.Scalar:
    """Count: cities whose enterprises' full-year ``indicator`` of ``year`` sums, in ``unit``, to at least
    ``threshold`` (enterprises in no city — those of a municipality — are not counted)."""
    a = full_year(t, year)
    a = a.filter(a.city.notnull()).mutate(x__=_in_unit(a, indicator, unit, catalog))
    g = a.group_by("city").aggregate(total=a.x__.sum())
    return g.filter(g.total >= float(threshold)).count()


def inputs(d: DerivedIndicator) -> set[str]:
    """The indicators of the release that ``d`` reads."""
    return {str(d.params[p]) for p in EXPRESSIONS[d.expression].indicator_params if p in d.params}


def problems(d: DerivedIndicator, catalog: Catalog) -> list[str]:
    """Why ``d`` cannot be computed (unknown expression, parameters that do not fit it, an indicator or unit
    the catalog lacks), one line each; empty when it can."""
    named = EXPRESSIONS.get(d.expression)
    if named is None:
        return [f"{d.code}: unknown expression {d.expression!r}; one of {sorted(EXPRESSIONS)}"]
    out = []
    sig = inspect.signature(named.fn)
    wanted = {p for p, v in sig.parameters.items() if v.kind is inspect.Parameter.KEYWORD_ONLY}
    if set(d.params) != wanted:
        out.append(f"{d.code}: {d.expression} takes {sorted(wanted)}, given {sorted(d.params)}")
    out += [f"{d.code}: unknown indicator {i!r}" for i in sorted(inputs(d)) if i not in catalog.indicators]
    unit = d.params.get("unit")
    if unit is not None and unit not in catalog.units:
        out.append(f"{d.code}: unknown unit {unit!r}")
    return out


def derived_value(t: ir.Table, d: DerivedIndicator, year: int, catalog: Catalog) -> ir.Scalar:
    """The Ibis scalar of derived indicator ``d`` for ``year`` on the release table ``t`` (in ``d.unit``)."""
    params: dict[str, Any] = dict(d.params)
    return EXPRESSIONS[d.expression].fn(t, year, catalog, **params)
