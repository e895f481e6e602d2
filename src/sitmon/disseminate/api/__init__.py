"""The HTTP API (FastAPI): :func:`create_app` builds it for one deployment's settings."""

from .app import PREFIX, create_app

__all__ = ["PREFIX", "app_from_environment", "create_app"]


def app_from_environment():  # type: ignore[no-untyped-def]
    """The app of the settings in the environment (``SITMON_*``): the factory of ``sitmon serve --workers N``."""
    from ...config import load_settings

    return create_app(load_settings())
