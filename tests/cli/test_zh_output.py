"""In Chinese, the command line speaks Chinese: the output of the main commands and every command's help hold
no English word but codes, units and proper names (:mod:`tests.cli.english`), on a small synthetic population
taken through the demo; in English, help holds no Chinese."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from sitmon.catalog import load_catalog
from sitmon.cli import app, common
from sitmon.cli.localise import commands_of

from .english import english_words

pytestmark = pytest.mark.slow  # a demo of 20 enterprises over two years, then every main command on it


def _run(home: Path, *args: str, lang: str = "zh"):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        app, ["--home", str(home), "--lang", lang, *args], env={"SITMON_NEW_PASSWORD": None}
    )


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    """Tables as on a wide terminal, so a command line in a sentence is not cut by wrapping."""
    monkeypatch.setattr(common.console, "width", 250)
    monkeypatch.setattr(common.err_console, "width", 250)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A data directory after ``sitmon demo`` on 20 synthetic enterprises, 2023–2024, and what it printed."""
    home = tmp_path_factory.mktemp("zh") / "home"
    common.console.width = 250
    res = _run(home, "demo", "--enterprises", "20", "--start", "2023", "--end", "2024")
    assert res.exit_code == 0, res.output
    return home, res.output


def _uscc(home: Path) -> str:
    res = _run(home, "reports", "list", "--period", "2024-12", "--format", "json")
    return str(json.loads(res.stdout)[0]["uscc"])


def _clean(res, code: int = 0, **allow: set[str]) -> str:  # type: ignore[no-untyped-def]
    assert res.exit_code == code, res.output
    words = english_words(res.output, allow=allow.get("allow", set()))
    assert words == [], f"untranslated: {words}\n{res.output}"
    return str(res.output)


def test_demo_speaks_chinese(demo):
    _, out = demo
    assert "全部演示数据均为合成数据" in out and "比上年同期增长" in out
    assert english_words(out) == [], english_words(out)


def test_setup_generate_and_registry(demo, tmp_path):
    home, _ = demo
    assert "数据库版本" in _clean(_run(home, "init"))
    out = _clean(
        _run(
            home,
            "generate",
            "--out",
            str(tmp_path / "gen"),
            "--enterprises",
            "20",
            "--start",
            "2024",
            "--end",
            "2024",
            "--error-rate",
            "0.2",
        )
    )
    assert "合成数据校准" in out and "注入错误行" in out
    assert "未变" in _clean(_run(home, "enterprises", "import", str(home / "demo-input" / "enterprises.csv")))
    bad = tmp_path / "bad_registry.csv"
    with bad.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(
            [
                ["uscc", "name", "region_code", "sector", "founded"],
                ["91330100MA00000000", "", "999999", "games", "yesterday"],
            ]
        )
    out = _clean(
        _run(home, "enterprises", "import", str(bad)), 1, allow=set(load_catalog().sectors)
    )  # to type
    assert "校验位不正确" in out and "行政区划代码" in out and "已拒绝" in out
    out = _clean(_run(home, "enterprises", "list"), allow={"synthetic"})  # the synthetic names say so
    assert "企业名录" in out and "东部地区" in out
    uscc = _uscc(home)
    assert "记录时间" in _clean(_run(home, "enterprises", "history", uscc), allow={"synthetic"})


def test_reports_import_list_history_and_review(demo, tmp_path):
    home, _ = demo
    uscc = _uscc(home)
    again = _clean(
        _run(home, "reports", "import", str(next((home / "demo-input" / "reports").glob("*.csv"))))
    )
    assert "未变（同一文件已导入）" in again
    bad = tmp_path / "bad_reports.csv"
    with bad.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(
            [
                ["uscc", "period", "revenue_total", "revenue_software_products", "employees"],
                [uscc, "2024-12", "abc", "-5", "1.5"],
                [uscc, "2025-13", "1", "1", "1"],
            ]
        )
    out = _clean(_run(home, "reports", "import", str(bad)), 1)
    assert "错误" in out and "第 2 行" in out and "不是数字" in out
    listing = _clean(_run(home, "reports", "list", "--period", "2024-12"))
    assert "审核通过" in listing and "accepted" not in listing
    history = _clean(_run(home, "reports", "history", uscc, "2024-12"))
    assert "软件业务收入" in history and "第 1 版" in history
    assert "审核通过 0 份报表" in _clean(_run(home, "reports", "accept", "--period", "2024-12"))


def test_publish_releases_and_queries(demo):
    home, _ = demo
    out = _clean(_run(home, "publish", "--period", "2024-12"))
    assert "月报 2024-12 第 2 版" in out and "合成数据" in out
    assert "月报" in _clean(_run(home, "releases", "list"))
    yoy = _clean(
        _run(
            home,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-12",
            "--by",
            "region",
            "--measure",
            "yoy",
        )
    )
    assert "比上年同期增长" in yoy
    assert re.search(r"\d+\.\d\b(?!\d)", yoy), "growth rates to one decimal"
    public = _clean(
        _run(
            home,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-12",
            "--by",
            "province,sector",
            "--public",
        )
    )
    assert "已应用统计披露控制" in public and "×" in public
    assert _clean(_run(home, "query", "--indicator", "revenue_total", "--period", "2024-12"))


def test_tables_wide_files_and_review_lists(demo, tmp_path):
    home, _ = demo
    _run(home, "publish", "--period", "2024-12")
    wide = _clean(
        _run(
            home,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-11:2024-12",
            "--by",
            "province",
            "--measure",
            "ytd,yoy",
            "--layout",
            "wide",
        )
    )
    assert "合计" in wide and "比上年同期增长" in wide
    wide_public = _clean(
        _run(
            home,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-12",
            "--by",
            "region",
            "--layout",
            "wide",
            "--public",
        ),
        allow={"east", "central", "west", "northeast"},
    )
    assert "地区" in wide_public and "优势规则" in wide_public  # region codes in the code column, as typed
    several = _clean(
        _run(
            home,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-11,2024-12",
            "--measure",
            "ytd,yoy",
        )
    )
    assert "本年累计" in several and "度量" in several
    for name in ("wide.xlsx", "wide.csv"):
        written = _clean(
            _run(
                home,
                "query",
                "--indicator",
                "revenue_total",
                "--period",
                "2024-12",
                "--by",
                "province",
                "--layout",
                "wide",
                "--out",
                str(tmp_path / name),
            )
        )
        assert "已写入" in written
    assert "版式 tall 不存在" in _clean(
        _run(home, "query", "--indicator", "revenue_total", "--period", "2024-12", "--layout", "tall"),
        2,
        allow={"tall", "long", "wide"},
    )  # codes to type
    _clean(_run(home, "plans", "status", "--out", str(tmp_path / "plans.xlsx")))
    _clean(_run(home, "series", "show", "revenue_total", "--out", str(tmp_path / "series.csv")))
    _clean(_run(home, "reports", "list", "--period", "2024-12", "--out", str(tmp_path / "reports.csv")))
    assert "待审核" in _clean(_run(home, "review", "queue"))
    assert "迟报" in _clean(_run(home, "review", "late", "--period", "2024-12"))


def test_plans_series_and_disclosure(demo):
    home, _ = demo
    status = _clean(_run(home, "plans", "status"))
    assert "已实现" in status and "进度" in status
    _clean(_run(home, "plans", "list"))
    _clean(_run(home, "series", "list"))
    assert "采用" in _clean(_run(home, "series", "show", "revenue_total"))
    audit = _run(home, "disclosure", "audit", "--period", "2024-12")
    assert "反推检验" in _clean(audit, audit.exit_code)
    assert "抑制模式" in _clean(_run(home, "disclosure", "pattern", "--period", "2024-12"))


def test_the_monthly_round(demo, tmp_path):
    """The commands of the monthly round (docs/monthly-round.md) speak Chinese: review lists and one report against
    last month and last year, the publish preview, the release calendar and the revision notice."""
    home, _ = demo
    uscc = _uscc(home)
    assert "待审核报表" in _clean(_run(home, "review", "queue", "--period", "2024-12"))
    show = _clean(_run(home, "review", "show", uscc, "--period", "2024-12"), allow={"synthetic"})
    assert "上月" in show and "上年同期" in show and "审核通过" in show
    assert "迟报" in _clean(_run(home, "review", "late", "--period", "2024-12"))
    assert "报送率" in _clean(_run(home, "review", "rates", "--period", "2024-11", "--period", "2024-12"))
    by_sector = _clean(
        _run(home, "review", "rates", "--period", "2024-12", "--by-sector", "--region", "east")
    )
    assert "行业" in by_sector
    assert "已写入" in _clean(
        _run(home, "review", "late", "--period", "2024-12", "--out", str(tmp_path / "late.xlsx"))
    )
    dry = _clean(_run(home, "publish", "--period", "2024-12", "--dry-run"))
    assert "试运行" in dry and "月报 2024-12" in dry and "报送率" in dry
    published = _clean(_run(home, "publish", "--period", "2024-12"))
    assert "已发布" in published
    assert "发布日程 月报 2024" in _clean(_run(home, "releases", "calendar", "--year", "2024"))
    assert "修订说明" in _clean(_run(home, "releases", "revisions", "--period", "2024-12"))
    audit = _run(home, "disclosure", "audit", "--period", "2024-12", "--reviewers")
    assert "审核员" in _clean(audit, audit.exit_code) and "公众" in audit.output


def test_users_and_tokens(demo):
    home, _ = demo
    user = {"li"}  # the user name is data
    added = _clean(
        _run(
            home,
            "users",
            "add",
            "li",
            "--role",
            "reviewer",
            "--scope",
            "330000",
            "--password",
            "correct horse battery",
        ),
        allow=user,
    )
    assert "审核员" in added
    assert "审核员" in _clean(_run(home, "users", "list"), allow=user)
    assert "已停用" in _clean(_run(home, "users", "disable", "li"), allow=user)
    assert "已启用" in _clean(_run(home, "users", "enable", "li"), allow=user)
    assert "已重置" in _clean(
        _run(home, "users", "reset-password", "li", "--password", "another long one"), allow=user
    )
    created = _run(home, "tokens", "create", "li")
    assert created.exit_code == 0 and "只显示这一次" in created.output
    assert english_words(created.output, allow=user | {"api"}) == []
    assert "令牌前缀" in _clean(_run(home, "tokens", "list"), allow=user | {"api"})
    assert "已撤销" in _clean(_run(home, "tokens", "revoke", "1"), allow=user | {"api"})
    refused = _run(home, "users", "add", "wang", "--role", "boss", "--password", "correct horse battery")
    assert "未知角色" in _clean(
        refused, 2, allow={"boss", "filer", "reviewer", "analyst", "admin"}
    )  # codes to type


def test_every_help_in_chinese_and_in_english(tmp_path, monkeypatch):
    monkeypatch.setattr(
        typer.rich_utils, "MAX_WIDTH", 200
    )  # help as on a wide terminal: no word cut by wrapping
    paths = [path for path, _ in commands_of(typer.main.get_command(app))]
    assert len(paths) > 30
    for path in paths:
        zh = _run(tmp_path, *path, "--help")
        assert zh.exit_code == 0, (path, zh.output)
        assert english_words(zh.output, typed=True) == [], (
            path,
            english_words(zh.output, typed=True),
            zh.output,
        )
        assert "用法" in zh.output
        en = _run(tmp_path, *path, "--help", lang="en")
        assert not re.search(r"[\u4e00-\u9fff]", en.output), (path, en.output)


def test_usage_errors_in_chinese(tmp_path):
    missing = _run(tmp_path, "query", "--indicator", "revenue_total")
    assert missing.exit_code == 2 and "缺少选项" in missing.output
    bad = _run(tmp_path, "reports", "list", "--period", "2024-13")
    assert bad.exit_code == 2 and "月份应在 01—12 之间" in bad.output and "Invalid" not in bad.output
    unknown = _run(tmp_path, "reports", "list", "--nope")
    assert unknown.exit_code == 2 and "没有选项" in unknown.output
