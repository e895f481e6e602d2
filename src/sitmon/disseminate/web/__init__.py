"""The web pages of sitmon, served by the same FastAPI app as the API (``/`` beside ``/api/v1``).

Server-rendered Jinja templates (autoescaped) with a little JavaScript; every figure comes from the same
functions the API calls (``published_table`` under disclosure control, the filing, review and account
functions), so a page can show nothing the API would not. :func:`install` adds the pages, the static assets
(third-party ones installed from npm into ``static/vendor/``), the HTML error pages and the security headers
to an app built by :func:`sitmon.disseminate.api.create_app`.
"""

from __future__ import annotations

from .app import install

__all__ = ["install"]
