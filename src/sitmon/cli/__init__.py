"""The ``sitmon`` command (Typer + Rich): a thin layer over collect / process / analyse.

Each sibling module defines ``register(app)`` and adds its commands or sub-command groups; they
are discovered here so that command groups live in small modules of their own. Heavy libraries
(Ibis, PySpark, statsmodels, FastAPI) are imported inside the commands, so ``sitmon --help`` is fast.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from typer.exceptions import TyperException

from .. import __version__
from .common import State, err_console
from .localise import LocalisedGroup


class _Group(LocalisedGroup):
    """The root command: help and usage errors in the user's language (:class:`~.localise.LocalisedGroup`); a
    storage failure or a busy lock in any command is a plain message and exit code 1, not a traceback (a
    read-only data directory, a full disk, another import or publish running)."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise  # help pages, exit codes and usage errors are not storage failures (and need no settings)
        except Exception as exc:
            from ..store.failures import storage_failure

            st = ctx.obj if isinstance(ctx.obj, State) else None
            message = storage_failure(exc, st.settings if st else None)
            if message is None:
                raise
            err_console.print(
                f"[red]{escape(message.render(st.lang if st else 'zh'))}[/red]", highlight=False, markup=True
            )
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,  # help and usage errors in the user's language (locale/cli_help.yaml), storage failures
    name="sitmon",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.callback()
def _root(
    ctx: typer.Context,
    home: Annotated[Path | None, typer.Option("--home", envvar="SITMON_HOME")] = None,
    database_url: Annotated[str | None, typer.Option("--database-url", envvar="SITMON_DATABASE_URL")] = None,
    lang: Annotated[str | None, typer.Option("--lang", envvar="SITMON_LANG")] = None,
) -> None:
    """Software and IT services industry statistics: direct reporting and operations monitoring."""
    ctx.obj = State.from_options(home=home, database_url=database_url, lang=lang)


@app.command("version")
def _version() -> None:
    """Print the version."""
    typer.echo(__version__)


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in {"common"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    """Entry point of the ``sitmon`` console script."""
    app()


__all__ = ["app", "main"]
