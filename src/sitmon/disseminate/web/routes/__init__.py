"""One router per group of pages; :data:`ROUTERS` is the order they are mounted in."""

from . import account, admin, docs, explorer, filing, plans, public, review

ROUTERS = [
    public.router,
    explorer.router,
    plans.router,
    account.router,
    filing.router,
    review.router,
    admin.router,
    docs.router,
]

__all__ = ["ROUTERS"]
