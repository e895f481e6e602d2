"""A second release of a period: the bulletin's methods note names the national levels revised since the first
release (from the revision notice recorded with the release) and says it is release 2; release 1, superseded, is
refused as public tables refuse it. Works on a copy of the session's published data (the session's releases stay as they are)."""

from __future__ import annotations

import csv
import shutil

import pytest

from sitmon.collect.intake import import_file
from sitmon.config import Settings
from sitmon.disseminate.bulletins import bulletin_data, bulletin_report
from sitmon.disseminate.sdmx import open_data
from sitmon.disseminate.tables import QueryError
from sitmon.process.publish import publish
from sitmon.process.review import accept_period, accept_reports
from sitmon.store.db import Database

from ..published import TODAY

pytestmark = pytest.mark.slow
PERIOD = "2024-03"
BUMP = 50_000.0  # 万元 = 5 亿元: visible at one decimal in 亿元


def test_second_release_names_its_revisions(published, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published.settings.home, home)
    settings = Settings(home=home)
    gen = published.settings.home.parent / "gen" / "reports" / f"synthetic-monthly-{PERIOD}.csv"
    rows = list(csv.DictReader(gen.open(encoding="utf-8")))
    target = max(rows, key=lambda r: float(r["revenue_total"]))
    for k in ("revenue_total", "revenue_it_services"):
        target[k] = f"{float(target[k]) + BUMP:.2f}"
    path = tmp_path / "revision.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(target))
        w.writeheader()
        w.writerow(target)
    db = Database(settings)
    try:
        assert import_file(db, path, today=TODAY).status == "stored"
        accept_reports(db, [r.id for r in accept_period(db, PERIOD).skipped], "test: checked")
        assert publish(db, PERIOD).number == 2
    finally:
        db.dispose()
    data = bulletin_data(settings, PERIOD)
    assert (data.release, data.previous_release) == (2, 1)
    names = [r.indicator for r in data.revisions]
    assert "revenue_total" in names
    rev = next(r for r in data.revisions if r.indicator == "revenue_total")
    assert rev.after - rev.before == pytest.approx(BUMP / 1e4, abs=0.5)  # (imputed cells move a little too)
    methods = "".join(zh for zh, _ in bulletin_report(data, "zh").sections[-1].paragraphs)
    assert "第2版" in methods and "与第1版相比修订了" in methods and "软件业务收入由" in methods
    with pytest.raises(QueryError, match="superseded"):  # the public reads the latest release only (issue 12)
        bulletin_data(settings, PERIOD, release=1)
    with pytest.raises(QueryError, match="superseded"):
        open_data(settings, PERIOD, release=1)
    assert bulletin_data(settings, PERIOD, release=2).release == 2
