"""The HTTP API (FastAPI): :func:`create_app` builds it for one deployment's settings."""

from .app import PREFIX, create_app

__all__ = ["PREFIX", "create_app"]
