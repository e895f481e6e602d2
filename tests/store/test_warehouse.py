"""The release warehouse: latest release of each period, a named release, both engines."""

from __future__ import annotations

import json

import pytest

from sitmon.config import Settings
from sitmon.process.publish import publish
from sitmon.process.review import accept_period
from sitmon.store.warehouse import Warehouse, connect, release_dir

from ..process.test_publish import world  # noqa: F401  (fixture: 5 enterprises, Jan + Feb 2024)


@pytest.fixture
def published(world):  # noqa: F811
    db, _file = world
    for p in ("2024-01", "2024-02"):
        accept_period(db, p)
    publish(db, "2024-01")
    publish(db, "2024-02")
    publish(db, "2024-02")  # release 2 of February
    return db


@pytest.mark.slow
def test_table_reads_latest_release_of_each_period_and_a_named_one(published):
    wh = Warehouse(published.settings)
    df = wh.table("monthly").execute()
    assert sorted(df.groupby("period").size().to_dict().items()) == [("2024-01", 5), ("2024-02", 4)]
    feb2 = json.loads((release_dir(published.settings, "monthly", "2024-02", 2) / "release.json").read_text())
    assert feb2["number"] == 2 and feb2["respondents"] == 3 and feb2["imputed"] == 1
    named = wh.table("monthly", periods=["2024-02"], release=1).execute()
    assert len(named) == 4 and set(named.period) == {"2024-02"}
    with pytest.raises(LookupError):
        wh.table("monthly", periods=["2024-02"], release=3)


@pytest.mark.spark
def test_spark_backend_reads_the_same_release(published, tmp_path):
    duck = Warehouse(published.settings).table("monthly").execute()
    spark_settings = Settings(
        home=published.settings.home,
        database_url=published.settings.database_url,
        engine="spark",
        spark_master="local[2]",
    )  # the suite's one session
    backend = connect(spark_settings)
    assert backend.name == "pyspark"
    sp = Warehouse(spark_settings, backend).table("monthly").execute()
    key = ["period", "enterprise_key"]
    a = duck.sort_values(key).reset_index(drop=True)
    b = sp.sort_values(key).reset_index(drop=True)
    assert list(b.enterprise_key) == list(a.enterprise_key)
    assert b.revenue_total.sum() == pytest.approx(a.revenue_total.sum())
    assert int(b.imputed.sum()) == int(a.imputed.sum()) == 1


def test_an_annual_period_stays_a_string_and_the_release_folder_is_not_a_column(tmp_path):
    import pandas as pd

    from sitmon.store.warehouse import write_release

    settings = Settings(home=tmp_path / "home")
    frame = pd.DataFrame(
        {"enterprise_key": [1, 2], "period": ["2024", "2024"], "revenue_total": [10.0, 20.0]}
    )
    write_release(settings, "annual", "2024", 1, frame, {"form": "annual", "period": "2024", "number": 1})
    t = Warehouse(settings).table("annual")
    assert t.schema()["period"].is_string() and "release" not in t.columns
    assert t.filter(t.period == "2024").revenue_total.sum().execute() == 30.0
