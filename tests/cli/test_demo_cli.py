"""``sitmon demo`` on a small population: the published table shows the nation, the regions in the official
order and the four sector revenue items, and the calibration against the published figures."""

import pytest
from typer.testing import CliRunner

from sitmon.cli import app


@pytest.mark.slow
def test_demo_shows_regions_and_sector_revenue_as_published(tmp_path):
    res = CliRunner().invoke(
        app, ["--home", str(tmp_path / "home"), "--lang", "en", "demo", "--enterprises", "1000"]
    )
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    table = out[out.index("4/4") : out.index("calibration: synthetic population")]
    order = [
        table.index(name)
        for name in (
            "national",
            "Eastern region",
            "Central region",
            "Western region",
            "Northeastern region",
            "Software products",
            "IT services",
            "Information security",
            "Embedded system software",
        )
    ]
    assert order == sorted(order)
    calib = out[out.index("calibration: synthetic population") :]
    assert "comparable growth" in calib and "10.10 │ 10.10" in calib and "top-5 provinces" in calib
    assert "SYNTHETIC" in out
