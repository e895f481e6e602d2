from typer.testing import CliRunner

from sitmon.cli import app
from sitmon.store.db import Database


def test_init_creates_the_store_and_is_idempotent(settings):
    runner = CliRunner()
    args = [
        "--home",
        str(settings.home),
        "--database-url",
        settings.resolved_database_url,
        "--lang",
        "en",
        "init",
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "schema revision 0" in " ".join(first.output.split())
    db = Database(settings)
    rev = db.current_revision()
    assert rev is not None
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert db.current_revision() == rev
    db.dispose()


def test_help_lists_commands_in_both_languages():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "init" in result.output and "统计直报" in result.output
