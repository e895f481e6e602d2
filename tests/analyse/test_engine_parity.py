"""The same Ibis expressions on DuckDB and on Spark (local mode) give the same bulletin tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sitmon.analyse.bulletin import bulletin_tables
from sitmon.config import Settings
from sitmon.store.warehouse import Warehouse, connect

pytestmark = pytest.mark.spark


@pytest.fixture(scope="session")
def spark_backend(published):
    return connect(Settings(home=published.settings.home, engine="spark", spark_master="local[2]"))


def _norm(df: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in df.columns if df[c].dtype == object]
    return df.sort_values(keys).reset_index(drop=True) if keys else df.reset_index(drop=True)


def test_bulletin_tables_are_equal_on_both_engines(published, spark_backend):
    duck = bulletin_tables(Warehouse(published.settings).table("monthly"), "2024-06")
    spark = bulletin_tables(Warehouse(published.settings, spark_backend).table("monthly"), "2024-06")
    assert duck.keys() == spark.keys() and len(duck) == 6
    for name in duck:
        a, b = _norm(duck[name].execute()), _norm(spark[name].execute())
        assert list(a.columns) == list(b.columns), name
        assert len(a) == len(b) > 0, name
        for c in a.columns:
            if a[c].dtype == object:
                assert a[c].tolist() == b[c].tolist(), (name, c)
            else:
                assert np.allclose(a[c].astype(float), b[c].astype(float), rtol=1e-9, equal_nan=True), (name, c)


def test_the_cube_is_the_same_on_both_engines(published, spark_backend, tmp_path):
    import shutil

    from pyarrow import feather

    from sitmon.process.materialise import materialise
    from sitmon.store.cubes import ATOMS_FILE, PANEL_FILE
    from sitmon.store.warehouse import release_files

    (f,) = release_files(published.settings, "monthly", ["2024-06"])
    metas = {}
    for name, backend in (("duckdb", None), ("spark", spark_backend)):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(f.path, folder / "data.parquet")
        metas[name] = materialise(published.settings, "monthly", "2024-06", folder, backend)
    assert metas["duckdb"]["top"] == metas["spark"]["top"] and metas["spark"]["last_year_release"] == 1
    for file in (ATOMS_FILE, PANEL_FILE):
        a, b = (_norm(feather.read_table(tmp_path / n / file).to_pandas()) for n in ("duckdb", "spark"))
        assert list(a.columns) == list(b.columns) and len(a) == len(b) > 0, file
        for c in a.columns:
            if a[c].dtype == object:
                assert a[c].tolist() == b[c].tolist(), (file, c)
            else:
                assert np.allclose(a[c].astype(float), b[c].astype(float), rtol=1e-9, equal_nan=True), (file, c)
