"""One router per resource; :data:`ROUTERS` is the order they are mounted in."""

from . import (
    aggregates,
    audit,
    auth,
    bulletins,
    meta,
    microdata,
    periods,
    plans,
    reports,
    review,
    series,
    tokens,
    users,
)

ROUTERS = [
    meta.router,
    auth.router,
    tokens.router,
    users.router,
    reports.router,
    review.router,
    periods.router,
    aggregates.router,
    bulletins.router,
    microdata.router,
    plans.router,
    series.router,
    audit.router,
]

__all__ = ["ROUTERS"]
