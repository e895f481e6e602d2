"""The README and ``docs/`` stay true: the README is a short front page, every relative link (and its anchor)
resolves, every ``sitmon`` command of a doc's ``bash`` blocks runs in order in one fresh data directory per doc,
every ``curl`` of ``docs/api.md`` answers as shown, and ``docs/formats.md`` names everything of the catalog.

Docs whose commands have a test of their own are left to it: ``plans.md`` and ``synthetic.md``
(``test_docs_commands.py``), ``tables.md`` (``test_docs_tables.py``), ``hardening.md`` (its two commands are the
ones ``tests/process/test_fault_injection.py`` kills half-way), ``monthly-round.md``
(``test_docs_monthly_round.py``), ``disclosure.md`` (its syntax lines are run by ``tests/cli/test_disclosure_cli.py``),
``bulletins.md`` and ``sdmx.md`` (run on published releases by ``tests/cli/test_bulletin_cli.py``)."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from typer.testing import CliRunner

from sitmon.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
OWN_TEST = {
    "plans.md",
    "synthetic.md",
    "tables.md",
    "hardening.md",
    "monthly-round.md",
    "disclosure.md",
    "bulletins.md",
    "sdmx.md",
}
#: Commands that serve until stopped: checked to exist (``--help``), not run.
SERVING = {"serve"}
#: The example password of the docs, typed (twice) where a command asks for one.
PASSWORD = "correct horse battery"

FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.S | re.M)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
TITLE = re.compile(r'title="([^"]+)"')


@dataclass
class Session:
    """A doc's commands run in one data directory: what they printed, and the values a reader would keep."""

    home: Path
    outputs: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


def fences(page: Path) -> list[tuple[str, str]]:
    """The fenced blocks of ``page`` in order, as (info string, body)."""
    return FENCE.findall(page.read_text(encoding="utf-8"))


def steps(page: Path) -> list[tuple[str, object]]:
    """What a reader does, in order: ``("file", (name, text))`` for a block titled with a file name, and
    ``("sitmon", args)`` for each ``sitmon`` line of a ``bash`` block (comments dropped; a comment saying
    ``exit 1`` makes the line's expected exit code 1, see :func:`expected_exit`)."""
    out: list[tuple[str, object]] = []
    for info, body in fences(page):
        title = TITLE.search(info)
        if title:
            out.append(("file", (title.group(1), body)))
        elif info.strip() == "bash":
            for line in body.splitlines():
                args = shlex.split(line, comments=True)
                if args[:1] == ["sitmon"]:
                    out.append(("sitmon", [*args[1:], *(["#exit 1"] if expected_exit(line) else [])]))
    return out


def expected_exit(line: str) -> int:
    """The exit code a doc line promises: 1 when its comment says ``exit 1`` (a refusal shown on purpose)."""
    return 1 if re.search(r"#.*\bexit 1\b", line) else 0


def _command(args: list[str]) -> str:
    """The sub-command of ``args`` (global options skipped)."""
    rest = list(args)
    while rest and rest[0].startswith("--"):
        rest = rest[2:]
    return rest[0] if rest else ""


def run_steps(page: Path, tmp_path: Path) -> Session:
    """Run the steps of ``page`` in ``tmp_path`` (the working directory) with a fresh home; asserts each exits 0."""
    session = Session(home=tmp_path / "home")
    for kind, step in steps(page):
        if kind == "file":
            name, text = step  # type: ignore[misc]
            (tmp_path / name).write_text(text, encoding="utf-8")
            continue
        args: list[str] = step  # type: ignore[assignment]
        expect = 1 if args[-1:] == ["#exit 1"] else 0
        args = args[:-1] if expect else args
        if _command(args) in SERVING:
            args = [_command(args), "--help"]
        res = CliRunner().invoke(app, ["--home", str(session.home), *args], input=f"{PASSWORD}\n{PASSWORD}\n")
        assert res.exit_code == expect, (page.name, args, res.output[-2000:])
        if "--out" in args and args[-1] != "--help":
            assert (tmp_path / args[args.index("--out") + 1]).stat().st_size > 0, args
        session.outputs.append(res.output)
        token = re.search(r"\bsitmon_[A-Za-z0-9_-]{20,}", res.output)
        if _command(args) == "tokens" and token:
            session.env.setdefault("TOKEN", token.group(0))
    return session


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


# ---------------------------------------------------------------------------------------------- the front page


def test_the_readme_is_a_short_front_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 12_000
    for must in (
        "scripts/demo.sh",
        "scripts/test.sh",
        "docs/README.md",
        "导入",
        "审核",
        "催报",
        "发布",
        "出表",
    ):
        assert must in text, must
    assert (ROOT / "scripts" / "demo.sh").is_file() and (ROOT / "scripts" / "test.sh").is_file()


def test_the_readme_table_is_the_checked_excerpt_of_the_tables_doc():
    """The README's wide table is copied from docs/tables.md, whose excerpt tests/test_docs_tables.py checks
    against the demo: every row of it is a row of that doc."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tables = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8").splitlines()
    rows = [
        line
        for line in readme.splitlines()
        if line.startswith("| ") and ("地区 |" in line or "全国 |" in line)
    ]
    assert len(rows) == 6 and all(line in tables for line in rows)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name if p != README else "README")
def test_every_relative_link_resolves(page):
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    targets = [t for t in LINK.findall(text) if not re.match(r"^[a-z]+:", t)]
    for target in targets:
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        assert dest.exists(), (page.name, target)
        if anchor and dest.suffix == ".md":
            assert anchor in _anchors(dest), (page.name, target, sorted(_anchors(dest)))


def test_the_docs_index_links_every_doc():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        if page.name != "README.md":
            assert f"({page.name}" in index, page.name


# ---------------------------------------------------------------------------------------------- the commands


def _runnable() -> list[Path]:
    return [
        page
        for page in PAGES
        if page.name not in OWN_TEST and any(kind == "sitmon" for kind, _ in steps(page))
    ]


@pytest.mark.slow  # each doc's commands take seconds (a demo, argon2id password hashing); the slowest about a minute
@pytest.mark.parametrize("page", _runnable(), ids=lambda p: p.name)
def test_the_commands_of_a_doc_run_in_order(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITMON_DEMO_SERVE", "0")
    session = run_steps(page, tmp_path)
    assert session.outputs


def test_the_guides_show_commands():
    for name in ("guide-filer.md", "guide-reviewer.md", "guide-analyst.md", "guide-admin.md", "api.md"):
        assert sum(kind == "sitmon" for kind, _ in steps(DOCS / name)) >= 3, name


# ---------------------------------------------------------------------------------------------- the API session


@dataclass
class Curl:
    """One ``curl`` of a doc: the request and the answer the doc shows."""

    method: str
    url: str
    headers: dict[str, str]
    data: str | None
    jar: bool
    shown: str


def curls(page: Path) -> list[Curl]:
    """The ``$ curl`` lines of the ``console`` blocks of ``page`` (continuations joined), with the output shown."""
    out = []
    for info, body in fences(page):
        if info.strip() != "console":
            continue
        for chunk in re.split(r"^(?=\$ )", body, flags=re.M):
            if not chunk.startswith("$ curl"):
                continue
            command, shown, lines = [], [], chunk.splitlines()
            while lines:
                line = lines.pop(0)
                command.append(line.rstrip("\\").strip())
                if not line.endswith("\\"):
                    break
            shown = [line for line in lines if line.strip()]
            out.append(_parse(" ".join(command)[2:], "\n".join(shown)))
    return out


def _parse(command: str, shown: str) -> Curl:
    args = shlex.split(command)[1:]
    method, url, headers, data, jar = "GET", "", {}, None, False
    while args:
        arg = args.pop(0)
        if arg == "-H":
            key, _, value = args.pop(0).partition(":")
            headers[key.strip()] = value.strip()
        elif arg == "-d":
            data, method = args.pop(0), "POST" if method == "GET" else method
        elif arg == "-X":
            method = args.pop(0)
        elif arg in ("-b", "-c"):
            args.pop(0)
            jar = True
        elif arg.startswith("http"):
            url = arg
        else:
            assert arg == "-s", arg
    return Curl(method, url, headers, data, jar, shown)


#: Fields that differ at every run (times, keys, hashes) and are not compared.
VOLATILE = {"csrf_token", "expires_at", "created_at", "filed_at", "at", "sha256", "upload_id"}
PAIR = re.compile(r'"(\w+)":("[^"…]*"|-?\d+(?:\.\d+)?|true|false|null)(?=[,}\]])')


@pytest.mark.slow
def test_the_api_session_answers_as_shown(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from sitmon.config import Settings
    from sitmon.disseminate.api import create_app

    page = DOCS / "api.md"
    monkeypatch.chdir(tmp_path)
    session = run_steps(page, tmp_path)
    env = {"REVIEWER_TOKEN": session.env["TOKEN"]}
    requests = curls(page)
    assert len(requests) >= 6 and PASSWORD in page.read_text(encoding="utf-8")
    api = create_app(Settings(home=session.home))
    with TestClient(api) as jar, TestClient(api) as bare:
        for curl in requests:
            expand = lambda s: re.sub(r"\$(\w+)", lambda m: env[m.group(1)], s)  # noqa: E731
            parts = urlsplit(curl.url)
            client = jar if curl.jar else bare
            res = client.request(
                curl.method,
                parts.path + (f"?{parts.query}" if parts.query else ""),
                headers={k: expand(v) for k, v in curl.headers.items()},
                content=expand(curl.data).encode("utf-8") if curl.data else None,
            )
            error = re.search(r'"error":\{"code":"(\w+)"', curl.shown)
            if error:
                assert res.status_code >= 400 and res.json()["error"]["code"] == error.group(1), (
                    curl.url,
                    res.text,
                )
            else:
                assert res.status_code < 300, (curl.method, curl.url, res.status_code, res.text[:500])
            if not curl.shown:
                continue
            body = res.json()
            if isinstance(body, dict) and "csrf_token" in body:
                env["CSRF"] = body["csrf_token"]
            answer = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            for key, value in PAIR.findall(curl.shown):
                if key not in VOLATILE:
                    assert f'"{key}":{value}' in answer, (curl.url, key, value, answer[:800])


# ---------------------------------------------------------------------------------------------- formats


def test_the_formats_page_names_the_catalog():
    data = ROOT / "src" / "sitmon" / "catalog" / "data"
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    indicators = yaml.safe_load((data / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]
    rules = yaml.safe_load((data / "rules.yaml").read_text(encoding="utf-8"))["rules"]
    for ind in indicators:
        assert f"| `{ind['code']}` | {ind['name_zh']} |" in text, ind["code"]
    for rule in rules:
        assert f"`{rule['id']}`" in text, rule["id"]
    forms = yaml.safe_load((data / "forms.yaml").read_text(encoding="utf-8"))["forms"]
    annual_only = set(next(f for f in forms if f["code"] == "annual")["required"]) - set(
        next(f for f in forms if f["code"] == "monthly")["indicators"]
    )
    for code in annual_only:
        assert re.search(rf"\| `{code}` \|[^\n]*\| — \| 必填 \|", text), code


def test_the_deployment_page_names_every_setting():
    from sitmon.config import Settings

    text = (DOCS / "deployment.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"| `SITMON_{name.upper()}` |" in text, name
