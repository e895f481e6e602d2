"""The command line in the user's language: help of every command and option, and the words of the help
and usage-error screens that come from Typer and its Click (Usage, Options, [default: ...], Missing option...).

The help texts live in ``locale/cli_help.yaml``, keyed by command path: ``reports`` is the group's help,
``reports.list`` the command's, ``reports.list.status`` its ``--status`` option's (the parameter's Python
name); an option that several commands share (``--format``, ``--period``) is ``option.<name>`` unless the
command has its own entry. The docstrings of the command functions are for developers.

The language is known before Click parses anything: ``--lang`` on the command line, else ``SITMON_LANG``,
else Chinese — so ``sitmon --lang en reports list --help`` is in English and ``sitmon reports list --help``
in Chinese.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from typer import rich_utils
from typer._click import Command, Context, HelpFormatter, Parameter  # Typer's own Click (pinned typer)
from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption, UsageError
from typer.core import TyperArgument, TyperGroup

from ..domain import text
from ..domain.messages import has, lang_of

#: Typer's module-level words of the help and error screens → their key under ``cli_help.screen``.
_SCREEN = {
    "ARGUMENTS_PANEL_TITLE": "arguments",
    "OPTIONS_PANEL_TITLE": "options",
    "COMMANDS_PANEL_TITLE": "commands",
    "ERRORS_PANEL_TITLE": "error",
    "DEFAULT_STRING": "default",
    "ENVVAR_STRING": "envvar",
    "REQUIRED_LONG_STRING": "required",
    "DEPRECATED_STRING": "deprecated",
    "ABORTED_TEXT": "aborted",
    "RICH_HELP": "try_help",
}


def language_of(args: Sequence[str], commands: Sequence[str]) -> str:
    """``zh`` or ``en``: the root ``--lang`` among ``args`` (before the first command), else ``SITMON_LANG``."""
    for i, arg in enumerate(args):
        if arg in commands:
            break
        if arg == "--lang" and i + 1 < len(args):
            return lang_of(args[i + 1])
        if arg.startswith("--lang="):
            return lang_of(arg.partition("=")[2])
    return lang_of(os.environ.get("SITMON_LANG"))


def commands_of(root: Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """(path, command) of ``root`` and every command below it; the root's path is ``()``."""
    yield path, root
    if isinstance(root, TyperGroup):
        for name, sub in root.commands.items():
            yield from commands_of(sub, (*path, name))


def help_key(path: tuple[str, ...], param: str | None = None) -> str:
    """The catalogue key of the help of the command at ``path`` (or of its parameter ``param``): ``sitmon`` for
    the root; an option without its own entry falls back to the shared ``option.<param>``."""
    key = "cli_help." + (".".join(path) or "sitmon")
    if param is None:
        return key
    own = f"{key}.{param}"
    return own if has(own) or not has(f"cli_help.option.{param}") else f"cli_help.option.{param}"


def localise(root: Command, lang: str) -> None:
    """Put the help of ``root`` and of every command below it, and the help screens' own words, in ``lang``."""
    for name, key in _SCREEN.items():
        setattr(rich_utils, name, text(f"cli_help.screen.{key}", lang))
    for path, cmd in commands_of(root):
        _localise_command(path, cmd, lang)


def _localise_command(path: tuple[str, ...], cmd: Command, lang: str) -> None:
    key = help_key(path)
    if has(key):
        cmd.help = text(key, lang)
        cmd.short_help = None
    cmd.options_metavar = text("cli_help.screen.options_metavar", lang)
    if isinstance(cmd, TyperGroup):
        cmd.subcommand_metavar = text("cli_help.screen.command_metavar", lang)
    cmd.context_class = _context_class(lang)
    help_option = cmd.get_help_option(cmd.context_class(cmd))
    if help_option is not None:
        help_option.help = text("cli_help.screen.help", lang)
        help_option.metavar = ""
    for param in cmd.params:
        if param.name is None:
            continue
        pkey = help_key(path, param.name)
        if has(pkey):
            param.help = text(pkey, lang)  # type: ignore[attr-defined]
        _metavar(param, path, lang)


def _metavar(param: Parameter, path: tuple[str, ...], lang: str) -> None:
    """An argument is shown by its name in ``lang`` (``cli_help.<path>.<name>_name``) and no type; an option by
    the kind of value it takes (text, integer, number, path), or its choices."""
    original = getattr(param, "_sitmon_metavar", param.metavar)
    param._sitmon_metavar = original  # type: ignore[attr-defined]  # explicit metavars survive a second call
    if original is not None:
        return
    if isinstance(param, TyperArgument):
        name_key = f"{help_key(path)}.{param.name}_name"
        if has(name_key):
            param.metavar = text(name_key, lang)
            param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]  # the name says it
        return
    desc: Any = getattr(param, "type_descriptor", None)
    if desc is None or desc.is_choice or getattr(param, "is_flag", False):
        if getattr(param, "is_flag", False):
            param.metavar = ""
        return
    annotation = desc.annotation
    kind = (
        "path"
        if desc.is_path
        else "integer"
        if annotation is int
        else "number"
        if annotation is float
        else "text"
    )
    param.metavar = text(f"cli_help.type.{kind}", lang)


@cache
def _context_class(lang: str) -> type[Context]:
    """A Click context whose help formatter starts the usage line with ``Usage:`` in ``lang``."""
    usage = text("cli_help.screen.usage", lang) + " "

    class Formatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, usage if prefix is None else prefix)

    return type(f"Context_{lang}", (Context,), {"formatter_class": Formatter})


def localised_error(exc: UsageError, lang: str) -> UsageError:
    """``exc`` with its message in ``lang`` when it is one of the usage errors people meet most (a missing or
    invalid value, an unknown option); otherwise ``exc`` itself. The exit code stays 2."""
    if lang == "en" or not isinstance(exc, (BadParameter, NoSuchOption)):
        return exc
    if isinstance(exc, NoSuchOption):
        message = text("cli_help.error.no_such_option", lang, name=exc.option_name)
        if exc.possibilities:
            message += text("cli_help.error.did_you_mean", lang, options=", ".join(sorted(exc.possibilities)))
    else:
        hint = exc.param.get_error_hint() if exc.param is not None else str(exc.param_hint or "")
        if isinstance(exc, MissingParameter):
            kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
            key = "missing_argument" if kind == "argument" else "missing_option"
            message = text(f"cli_help.error.{key}", lang, name=hint)
        else:
            message = text("cli_help.error.invalid_value", lang, name=hint, message=exc.message)
    out = UsageError(message, exc.ctx)
    out.exit_code = exc.exit_code
    return out


class LocalisedGroup(TyperGroup):
    """The root ``sitmon`` group: localises the whole command tree before Click parses the command line, and
    says usage errors in the user's language."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        """The root context, after putting every command's help in the user's language."""
        lang = language_of(args, list(self.commands))
        self._sitmon_lang = lang
        localise(self, lang)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError as exc:
            raise localised_error(exc, lang) from exc

    def invoke(self, ctx: Context) -> Any:
        """Run the command; a usage error of a sub-command is said in the user's language."""
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise localised_error(exc, getattr(self, "_sitmon_lang", "zh")) from exc
