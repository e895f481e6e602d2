"""The synthetic population: calibration, hard-rule consistency, heavy tail, entry/exit, files."""

import csv
import json

import numpy as np
import pytest

from sitmon.catalog import load_catalog
from sitmon.collect.synthetic import simulate, write
from sitmon.collect.synthetic.calibration import published_series
from sitmon.domain.uscc import is_valid_uscc


@pytest.fixture(scope="module")
def pop():
    return simulate(3000, 2022, 2024, seed=5, missing_rate=0.03)


def test_each_year_within_one_percent_of_the_published_revenue(pop):
    series = published_series()
    m = pop.monthly
    for year in (2022, 2023, 2024):
        dec = m[m.period == f"{year}-12"]
        # complete population in December = filers + the missing filers' values: use the annual rows
        total = pop.annual[pop.annual.period == str(year)].revenue_total.sum() / 1e4
        assert abs(total / series[(year, "revenue_total")][0] - 1) < 0.01
        assert len(dec) < len(pop.annual[pop.annual.period == str(year)])  # some December filers are missing


def test_rows_satisfy_the_hard_rules(pop):
    m = pop.monthly
    parts = m[
        ["revenue_software_products", "revenue_it_services", "revenue_info_security", "revenue_embedded"]
    ].sum(axis=1)
    assert (np.abs(parts - m.revenue_total) <= np.maximum(1, 0.001 * m.revenue_total)).all()
    assert (m.revenue_industrial_software <= m.revenue_software_products).all()
    assert (m.revenue_cloud_services <= m.revenue_it_services).all()
    assert (m.revenue_bigdata_services <= m.revenue_it_services).all()
    money = [c for c in load_catalog().forms["monthly"].indicators if c != "profit_total"]
    assert (m[money] >= 0).all().all()
    assert (m.employees == m.employees.round()).all()
    assert not m.duplicated(["uscc", "period"]).any()
    s = m.sort_values(["uscc", "period"])
    same = (s.uscc == s.uscc.shift()) & (s.year == s.year.shift())
    assert (
        s.revenue_total[same].to_numpy() >= s.revenue_total.shift()[same].to_numpy()
    ).all()  # YTD monotone
    assert all(is_valid_uscc(u) for u in pop.enterprises.uscc)


def test_december_peak_heavy_tail_entry_and_exit(pop):
    m = pop.monthly[pop.monthly.year == 2024].sort_values("month")
    national = m.groupby("month").revenue_total.sum()
    single = national.diff().fillna(national)
    assert single.idxmax() == 12
    e = pop.enterprises
    assert (
        e.closed.notna().sum() > 0
        and (e.founded.dropna() > __import__("datetime").date(2022, 1, 1)).sum() > 0
    )
    assert e.name.str.contains("synthetic").all()


def test_missing_rate_and_determinism():
    a = simulate(500, 2024, 2024, seed=11, missing_rate=0.1)
    b = simulate(500, 2024, 2024, seed=11, missing_rate=0.1)
    assert a.monthly.equals(b.monthly)
    expected = 12 * 500
    assert 0.85 * expected < len(a.monthly) < 0.95 * expected


def test_written_files_have_exact_headers_and_injected_errors_listed(tmp_path):
    pop = simulate(300, 2024, 2024, seed=2)
    manifest = write(pop, tmp_path, error_rate=0.01)
    cat = load_catalog()
    with (tmp_path / "reports" / "synthetic-monthly-2024-05.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["uscc", "period", *cat.forms["monthly"].indicators, "note"]
    with (tmp_path / "reports" / "synthetic-annual-2024.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh))[-2] == "rd_expense"
    saved = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert saved["synthetic"] is True and saved["injected_errors"] == manifest["injected_errors"]
    assert 10 < len(manifest["injected_errors"]) < 80
    assert "SYNTHETIC" in (tmp_path / "SYNTHETIC.txt").read_text(encoding="utf-8")


def test_sizes_are_heavy_tailed_at_national_scale():
    annual = simulate(40000, 2024, 2024, seed=1).annual.revenue_total / 1e4  # 亿元
    assert 10 <= (annual > 100).sum() <= 200  # a few dozen above 100亿元
    assert (annual > 1000).sum() <= 5
    assert ((annual > 0.3) & (annual < 3)).sum() > 5000  # thousands around 1亿元
    assert 0.5 < annual.median() < 2
