"""The pages in a real browser: Debian's Chromium driven by Playwright for Python against ``sitmon serve`` on
127.0.0.1 and a free port (no ``playwright install``: scripts/setup.sh dev installs ``chromium`` and
``fonts-noto-cjk`` from Debian). Screenshots go to test-artifacts/screenshots/ (git-ignored); with
``SITMON_DOC_IMAGES=1`` the overview and the map are also written to docs/img/ for the documentation."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from sitmon.catalog.rules import load_rules
from sitmon.disseminate.web.rules import page_rules

from ..api.conftest import FAST, PASSWORD
from .conftest import PERIOD, Site, build_site

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[3]
SHOTS = ROOT / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(warmed, tmp_path_factory) -> Iterator[tuple[str, Site]]:
    """``sitmon serve`` on a copy of the published population (anonymous reading on), until the module ends."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is not installed (scripts/setup.sh dev)")
        pytest.skip("Debian chromium is not installed (scripts/setup.sh dev)")
    folder = tmp_path_factory.mktemp("browser")
    site = build_site(warmed.settings.home, folder / "home")
    site.db.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "SITMON_HOME": str(site.settings.home),
        "SITMON_PUBLIC_READ": "true",
        **{f"SITMON_{k.upper()}": str(v) for k, v in FAST.items()},
    }
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "sitmon"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # bounded wait until it answers, or fail with its log
            if proc.poll() is not None:
                break
            try:
                if httpx.get(base + "/api/v1/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert proc.poll() is None, (folder / "server.log").read_text()
        yield base, site
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser(served) -> Iterator[Any]:
    """Debian's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _page(browser: Any, base: str) -> Any:
    context = browser.new_context(
        base_url=base, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    return page


def _shot(page: Any, name: str, doc: str | None = None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    if doc and os.environ.get("SITMON_DOC_IMAGES") == "1":
        (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, ROOT / "docs" / "img" / doc)


def _login(page: Any, user: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(PASSWORD)
    page.keyboard.press("Enter")  # keyboard only
    page.wait_for_load_state()
    assert page.locator("#who").inner_text().startswith(user)


@pytest.mark.parametrize(
    ("user", "lands"), [("filer", "/filing"), ("reviewer", "/review"), ("analyst", "/"), ("admin", "/admin")]
)
def test_each_role_logs_in_and_lands_on_its_page(served, browser, user, lands):
    base, _ = served
    page = _page(browser, base)
    _login(page, user)
    assert page.url == base + lands and page.errors == []
    _shot(page, f"login-{user}")
    page.context.close()


def test_the_map_colours_every_mainland_province_and_marks_suppressed_ones(served, browser):
    base, _ = served
    page = _page(browser, base)
    page.goto("/map")
    page.wait_for_selector("body[data-map-ready]", state="attached")
    fills = page.evaluate("window.sitmonMap.fills()")
    mainland = {
        c: f for c, f in fills.items() if f["status"] in ("value", "suppressed", "none")
    }  # not the inset
    assert len(mainland) == 31 and {c for c, f in fills.items() if f["status"] == "not_reporting"} == {
        "710000",
        "810000",
        "820000",
    }
    for code, f in mainland.items():  # painted: not the background, and the colour of its status
        assert f["painted"] is not None and f["painted"][3] == 255 and f["painted"][:3] != [255, 255, 255], (
            code
        )
    valued = [f for f in mainland.values() if f["status"] == "value"]
    assert valued and all(
        f["painted"][:3] == [int(x) for x in re.findall(r"\d+", f["area"])]
        for f in valued
        if f["area"].startswith("rgb")
    )
    suppressed = [c for c, f in mainland.items() if f["status"] == "suppressed"]
    assert suppressed and all(mainland[c]["decal"] for c in suppressed)
    row = page.locator(f'#map-table tr[data-code="{suppressed[0]}"] td').inner_text()
    assert row.startswith("×") and row != "0"
    assert page.errors == []
    _shot(page, "map", "map.png")
    page.locator(f'#map-table tr[data-code="{suppressed[0]}"] a').click()  # keyboard-reachable link
    assert "/province/" + suppressed[0] in page.url
    page.context.close()


def test_the_language_switch_is_remembered(served, browser):
    base, _ = served
    page = _page(browser, base)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.locator("#lang-switch").click()
    assert (
        page.locator("html").get_attribute("lang") == "en"
        and "at a glance" in page.locator("h1").inner_text()
    )
    page.goto("/plans")
    assert page.locator("h1").inner_text() == "Five-year plan targets"
    page.context.close()


def _xlsx_rows(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    head = rows[0]
    return [(r[head.index("province")], r[head.index("value")], r[head.index("flag")]) for r in rows[1:]]


def test_the_explorer_downloads_the_api_table_as_xlsx(served, browser):
    base, _ = served
    page = _page(browser, base)
    page.goto(f"/explorer?indicator=revenue_total&periods={PERIOD}&by=province&measure=level&unit=100m_cny")
    with page.expect_download() as info:
        page.locator("#download-xlsx").click()
    got = _xlsx_rows(Path(info.value.path()).read_bytes())
    api = page.request.get(page.locator("code.api-url").first.inner_text()).json()
    want = [(r["province"], r["value"], r["flag"]) for r in api["rows"]]
    assert [(c, f) for c, _, f in got] == [(c, f) for c, _, f in want]
    assert [v for _, v, _ in got] == [
        pytest.approx(v, rel=1e-15) if v is not None else None for _, v, _ in want
    ]
    page.context.close()


def test_a_filer_cannot_open_another_enterprises_page(served, browser):
    base, site = served
    page = _page(browser, base)
    _login(page, "filer")
    res = page.goto(f"/enterprises/{site.other_uscc}")
    assert (
        res.status == 404 and page.locator("#enterprise-name").count() == 0 and page.locator("#error-message")
    )
    res = page.goto(f"/filing/reports/{site.other_report_id}")
    assert res.status == 404
    page.context.close()


def test_the_rules_give_the_same_answer_in_the_browser_as_in_the_intake(served, browser):
    """Every expression rule of the catalog, evaluated by rules.js in the page and by the intake's evaluator on
    the same random values (including zeros, negatives and equal values)."""
    base, _ = served
    page = _page(browser, base)
    _login(page, "filer")
    rules = load_rules()
    rng = random.Random(5)
    for form in ("monthly", "annual"):
        spec = page_rules(form)
        for rule in spec["rules"]:
            if rule["kind"] != "expression":
                continue
            envs = [
                {n: rng.choice([0.0, 1.0, -3.0, 1000.0, rng.uniform(-1e4, 1e5)]) for n in rule["names"]}
                for _ in range(200)
            ]
            js = page.evaluate(
                "([tree, envs]) => envs.map(e => !!window.sitmonRules.evaluate(tree, e))",
                [rule["tree"], envs],
            )
            expr = rules.expressions[rule["id"]]
            py = [
                bool(np.asarray(expr.evaluate({k: np.array([v]) for k, v in e.items()})).reshape(-1)[0])
                for e in envs
            ]
            assert js == py, rule["id"]
    page.context.close()


def _overview_revenue(page: Any) -> float:
    page.goto("/")
    return float(page.locator("#card-revenue_total .big").get_attribute("data-value"))


def test_file_return_refile_accept_publish_and_the_overview_follows(served, browser):
    base, site = served
    anon = _page(browser, base)
    before = _overview_revenue(anon)
    _shot(anon, "overview", "overview.png")

    filer = _page(browser, base)
    _login(filer, "filer")
    filer.goto(f"/filing?form=monthly&period={PERIOD}")
    original = {
        c: float(filer.locator(f"#v-{c}").input_value())
        for c in ("revenue_total", "revenue_it_services", "revenue_software_products")
    }
    # an error, flagged next to the field as the filer types (the parts then miss the total by 5 %, beyond the
    # rule's tolerance of 1万元 or 0.1 %)
    wrong = original["revenue_software_products"] + max(1000.0, 0.05 * original["revenue_total"])
    filer.locator("#v-revenue_software_products").fill(str(wrong))
    flagged = filer.locator('#msg-revenue_total .client[data-rule="sector_sum"]')
    try:
        flagged.wait_for()
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "filing-debug.html").write_text(filer.content(), encoding="utf-8")
        raise AssertionError(
            f"no sector_sum message; page errors {filer.errors}; status "
            f"{filer.locator('#form-status').inner_text()!r}"
        ) from None
    assert (
        "四项收入之和" in flagged.inner_text()
        and filer.locator("#v-revenue_total").get_attribute("aria-invalid") == "true"
    )
    filer.locator("#submit-report").click()  # refused in the page: still here, focus on the field
    assert "/filing" in filer.url and filer.locator("#form-status").inner_text().startswith("还有")
    # the intake refuses it as well when the page's check is bypassed (a form posted without the script)
    with filer.expect_navigation():
        filer.evaluate("document.getElementById('report-form').submit()")
    assert "四项收入之和" in filer.locator("#msg-revenue_total .server").inner_text()
    _shot(filer, "filing-error")
    # fixed: +3000 万元 of IT services, sent
    filer.locator("#v-revenue_software_products").fill(str(original["revenue_software_products"]))
    filer.locator("#v-revenue_it_services").fill(str(original["revenue_it_services"] + 3000))
    filer.locator("#v-revenue_total").fill(str(original["revenue_total"] + 3000))
    filer.locator('#msg-revenue_total .client[data-rule="sector_sum"]').wait_for(state="detached")
    filer.locator("#submit-report").click()
    assert filer.locator("#filed-notice").inner_text().startswith("已报送")

    reviewer = _page(browser, base)
    _login(reviewer, "reviewer")
    reviewer.goto(f"/review?period={PERIOD}")
    reviewer.locator(f'#queue tr[data-uscc="{site.filer_uscc}"] a').click()
    assert reviewer.locator("#compare").is_visible()
    reviewer.locator("#reason").fill("信息技术服务收入比上月增加较多，请核实")
    reviewer.locator("#return").click()
    assert reviewer.locator("#review-notice").inner_text().startswith("已退回")

    filer.goto("/filing")
    assert "信息技术服务收入比上月增加较多，请核实" in filer.locator("#returned").inner_text()
    filer.locator("#returned a").first.click()
    assert "信息技术服务收入比上月增加较多" in filer.locator("#current-returned").inner_text()
    filer.locator("#v-revenue_it_services").fill(str(original["revenue_it_services"] + 5000))
    filer.locator("#v-revenue_total").fill(str(original["revenue_total"] + 5000))
    filer.locator("#v-note").fill("新签合同，已核实")
    filer.locator("#submit-report").click()
    assert filer.locator("#filed-notice").inner_text().startswith("已报送")

    reviewer.goto(f"/review?period={PERIOD}")
    reviewer.locator(f'#queue tr[data-uscc="{site.filer_uscc}"] a').click()
    assert "新签合同，已核实" in reviewer.locator("#report-note").inner_text()
    reviewer.locator("#accept").click()
    assert reviewer.locator("#review-notice").inner_text().startswith("已审核通过")

    analyst = _page(browser, base)
    _login(analyst, "analyst")
    analyst.goto(f"/review?period={PERIOD}")
    analyst.locator("#publish").click()
    assert analyst.locator("#review-notice").inner_text().startswith("已发布数据版本 2")

    after = _overview_revenue(anon)
    query = f"/api/v1/aggregates?indicator=revenue_total&period={PERIOD}&unit=100m_cny"
    now, superseded = anon.request.get(query).json(), anon.request.get(query + "&release=1")
    assert now["releases"][PERIOD] == 2
    assert after == pytest.approx(now["rows"][0]["value"], rel=1e-12)  # the overview shows the new release
    # the public reads the latest release only (a later release may suppress what an earlier one showed)
    assert superseded.status == 422 and superseded.json()["error"]["code"] == "query_error"
    # the filer's +5000 万元 (0.5 亿元), plus what it moves in the imputed non-respondents of its group
    assert after - before >= 0.5 - 1e-9
    for p in (anon, filer, reviewer, analyst):
        assert p.errors == []
        p.context.close()
