"""Help of the command line lives in ``locale/cli_help.yaml`` keyed by command path: every command, option and
argument has its entry, and every entry names a command, option or argument that exists."""

from __future__ import annotations

import typer.main

from sitmon.cli import app
from sitmon.cli.localise import commands_of, help_key
from sitmon.domain.messages import catalogue, has

SHARED = ("cli_help.screen.", "cli_help.type.", "cli_help.error.", "cli_help.option.")


def _tree() -> list[tuple[tuple[str, ...], object]]:
    return list(commands_of(typer.main.get_command(app)))


def test_every_command_option_and_argument_has_help():
    missing = []
    for path, cmd in _tree():
        if not has(help_key(path)):
            missing.append(help_key(path))
        for param in cmd.params:  # type: ignore[attr-defined]
            if getattr(param, "hidden", False):
                continue
            if not has(help_key(path, param.name)):
                missing.append(help_key(path, param.name))
            if param.param_type_name == "argument" and not has(f"{help_key(path)}.{param.name}_name"):
                missing.append(f"{help_key(path)}.{param.name}_name")
    assert missing == []


def test_every_help_entry_names_something_that_exists():
    names = set()
    shared_used = set()
    for path, cmd in _tree():
        names.add(help_key(path))
        for param in cmd.params:  # type: ignore[attr-defined]
            key = help_key(path, param.name)
            (shared_used if key.startswith("cli_help.option.") else names).add(key)
            names.add(f"{help_key(path)}.{param.name}_name")
    keys = [k for k in catalogue() if k.startswith("cli_help.")]
    assert [k for k in keys if not k.startswith(SHARED) and k not in names] == []
    assert [k for k in keys if k.startswith("cli_help.option.") and k not in shared_used] == []


def test_the_commands_of_docs_messages_run_in_their_language(tmp_path):
    """Every ``sitmon`` line of docs/messages.md runs, in English with ``--lang en`` and in Chinese without."""
    import re
    import shlex
    from pathlib import Path

    from typer.testing import CliRunner

    doc = (Path(__file__).resolve().parents[2] / "docs" / "messages.md").read_text(encoding="utf-8")
    lines = [
        line.strip()
        for block in re.findall(r"```bash\n(.*?)```", doc, re.S)
        for line in block.splitlines()
        if line.strip().startswith("sitmon ")
    ]
    assert len(lines) >= 4
    for line in lines:
        args = shlex.split(line)[1:]
        res = CliRunner().invoke(app, ["--home", str(tmp_path / "home"), *args], env={"SITMON_LANG": None})
        assert res.exit_code == 0, (line, res.output)
        chinese = bool(re.search(r"[\u4e00-\u9fff]", res.output))
        assert chinese != ("--lang" in args and "en" in args), (line, res.output)


def test_markup_in_a_file_name_or_a_value_is_printed_as_it_is(tmp_path):
    """A received file's name or cell that looks like Rich markup ("[/]" would end a style that was never opened)
    is shown literally, in either language, and never breaks the command."""
    from typer.testing import CliRunner

    bad = tmp_path / "[bold]x.csv"
    bad.write_text("uscc,period,revenue_total\n[/],2024-12,[/red]\n", encoding="utf-8")
    for lang in ("zh", "en"):
        res = CliRunner().invoke(
            app,
            ["--home", str(tmp_path / "home"), "--lang", lang, "reports", "import", str(bad), "--dry-run"],
        )
        assert res.exit_code == 1, res.output
        assert "[bold]x.csv" in res.output and "“[/]”" in res.output
