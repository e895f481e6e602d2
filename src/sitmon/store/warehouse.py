"""The warehouse of published releases: immutable Parquet file sets read through Ibis on DuckDB
(default) or PySpark (``SITMON_ENGINE=spark``).

Layout: ``<home>/warehouse/<form>/period=<P>/release=<N>/data.parquet`` plus ``release.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import Settings

_RELEASE_DIR = re.compile(r"^release=(\d+)$")


@dataclass(frozen=True)
class ReleaseFiles:
    """Where one release's data lives and what its manifest says."""

    form: str
    period: str
    number: int
    path: Path
    manifest: dict[str, Any]


def release_dir(settings: Settings, form: str, period: str, number: int) -> Path:
    """Folder of release ``number`` of ``form`` and ``period``."""
    return settings.warehouse_dir / form / f"period={period}" / f"release={number}"


def write_release(
    settings: Settings,
    form: str,
    period: str,
    number: int,
    data: pd.DataFrame,
    manifest: dict[str, Any],
    derive: Sequence[Callable[[Any], None]] = (),
    derived: Callable[[Path], object] | None = None,
) -> tuple[Path, str]:
    """Write ``data`` as release ``number`` and make it visible at once (refusing to overwrite one), flushed to
    the disk; returns (folder, sha256 of the data file). What is computed from the release is written into the
    staging folder first, in order: the ``derive`` steps on the staged release (its disclosure patterns, then its
    materialised aggregates), then ``derived(folder)``; a release whose derived parts fail is never visible. For
    releases without a DB record (tests, benchmarks): publishing goes through
    :mod:`sitmon.process.release_commit`, which records the release before it is visible."""
    from .staging import stage_release

    staged = stage_release(settings, form, period, number, data, manifest)
    try:
        for step in derive:
            step(staged)
        if derived is not None:
            derived(staged.folder)
    except BaseException:
        staged.discard()
        raise
    return staged.make_visible(), staged.checksum


def release_files(
    settings: Settings, form: str, periods: list[str] | None = None, release: int | None = None
) -> list[ReleaseFiles]:
    """The latest release of each period of ``form`` (or release number ``release``), oldest period first."""
    base = settings.warehouse_dir / form
    if not base.exists():
        return []
    out = []
    for pdir in sorted(base.glob("period=*")):
        period = pdir.name.split("=", 1)[1]
        if periods is not None and period not in periods:
            continue
        numbers = sorted(int(m.group(1)) for d in pdir.iterdir() if (m := _RELEASE_DIR.match(d.name)))
        if not numbers:
            continue
        n = release if release is not None else numbers[-1]
        if n not in numbers:
            continue
        folder = pdir / f"release={n}"
        manifest = json.loads((folder / "release.json").read_text(encoding="utf-8"))
        out.append(ReleaseFiles(form, period, n, folder / "data.parquet", manifest))
    return out


def release_fingerprint(settings: Settings, form: str) -> tuple[int, int] | None:
    """What changes whenever a release of ``form`` is written: the modification time (ns) and inode of the
    form's folder, which :func:`write_release` moves forward after every release (a new period folder moves it
    too). One ``stat``, so it can be checked on every request; None while nothing is published."""
    try:
        st = os.stat(settings.warehouse_dir / form)
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_ino


_SPARK: dict[str, Any] = {}
_PREPARED: dict[Any, dict[str, str]] = {}  # run_over's compiled SQL, by key and the views' columns


def spark_session(master: str) -> Any:
    """A local/cluster SparkSession set up for this machine (loopback only, no UI, temp warehouse dir)."""
    if master in _SPARK:
        return _SPARK[master]
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .appName("sitmon")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="sitmon-spark-"))
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    _SPARK[master] = spark
    return spark


def connect(settings: Settings) -> Any:
    """An Ibis backend for the analysis engine in ``settings``: DuckDB in process, or PySpark."""
    import ibis

    if settings.engine == "spark":
        return ibis.pyspark.connect(spark_session(settings.spark_master))
    return ibis.duckdb.connect()


class Warehouse:
    """Read access to published releases as Ibis tables on one backend."""

    def __init__(self, settings: Settings, backend: Any = None) -> None:
        self.settings = settings
        self._backend = backend
        self._compiled: dict[Any, dict[str, str]] = {}

    @property
    def backend(self) -> Any:
        """The Ibis backend, connected when first needed (reading a materialised aggregate needs none)."""
        if self._backend is None:
            self._backend = connect(self.settings)
        return self._backend

    def run_over(
        self, key: Any, sources: dict[str, list[Path]], build: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, pd.DataFrame]:
        """Execute the named Ibis expressions ``build(tables)`` returns over ``tables``: one table per name of
        ``sources``, read from those Parquet files (e.g. a release still in its staging folder); pandas frames.

        On DuckDB the tables are views of fixed names and the compiled SQL is kept under ``key`` (and the views'
        columns) for the life of the process, so a later call — the next release published — only points the
        views at its files, as a prepared statement would. Other engines build and execute each time."""
        if self.backend.name != "duckdb":
            tables = {}
            for name, paths in sources.items():
                view = f"sitmon_{name}_" + hashlib.sha256("|".join(map(str, paths)).encode()).hexdigest()[:16]
                self.backend._session.read.parquet(*map(str, paths)).createOrReplaceTempView(view)
                tables[name] = self.backend.table(view)
            return {k: v.execute() for k, v in build(tables).items()}
        con = self.backend.con
        columns = []
        for name, paths in sources.items():
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW sitmon_{name} AS SELECT * FROM read_parquet({[str(p) for p in paths]!r})"
            )
            columns.append(
                tuple(d[0] for d in con.execute(f"SELECT * FROM sitmon_{name} LIMIT 0").description)
            )
        full_key = (key, tuple(sources), tuple(columns))
        if full_key not in _PREPARED:
            exprs = build({name: self.backend.table(f"sitmon_{name}") for name in sources})
            _PREPARED[full_key] = {k: str(self.backend.compile(v)) for k, v in exprs.items()}
        return {k: con.execute(sql).df() for k, sql in _PREPARED[full_key].items()}

    def run(
        self, key: Any, build: Callable[[], dict[str, Any]], form: str = "monthly"
    ) -> dict[str, pd.DataFrame]:
        """Execute the named Ibis expressions that ``build()`` returns, as pandas frames.

        On DuckDB the compiled SQL is kept under ``key`` (together with the release files read, so a new
        release gives a new plan): a warm call skips building and compiling the expressions, as a
        prepared statement would. Other engines execute the expressions each time.
        """
        if self.backend.name != "duckdb":
            return {k: v.execute() for k, v in build().items()}
        files = tuple(str(f.path) for f in release_files(self.settings, form))
        full_key = (key, files)
        if full_key not in self._compiled:
            self._compiled[full_key] = {k: str(self.backend.compile(v)) for k, v in build().items()}
        return {k: self.backend.con.execute(sql).df() for k, sql in self._compiled[full_key].items()}

    def files(
        self, form: str, periods: list[str] | None = None, release: int | None = None
    ) -> list[ReleaseFiles]:
        """The release files :meth:`table` would read."""
        return release_files(self.settings, form, periods, release)

    def table(
        self,
        form: str,
        periods: list[str] | None = None,
        release: int | None = None,
        pin: dict[str, int] | None = None,
    ) -> Any:
        """The latest release of each period (or release ``release``) as one Ibis table; ``pin`` names the
        release to read for particular periods (the others: latest).

        Raises LookupError when no release matches.
        """
        files = self.files(form, periods, release)
        for period, number in (pin or {}).items():
            chosen = release_files(self.settings, form, [period], number)
            if not chosen:
                raise LookupError(f"no release {number} of {form} {period}")
            files = [f for f in files if f.period != period] + chosen
        if not files:
            raise LookupError(f"no published release of {form} for {periods or 'any period'}")
        paths = [str(f.path) for f in files]
        if self.backend.name == "pyspark":  # ibis' pyspark reader takes one path: give Spark them all
            name = "sitmon_" + hashlib.sha256("|".join(paths).encode()).hexdigest()[:16]
            self.backend._session.read.parquet(*paths).createOrReplaceTempView(name)
            return self.backend.table(name)
        # Hive partitioning lets DuckDB skip the files of other periods (2.5x faster bulletin tables than
        # reading every file's statistics); without autocast, `period=2024` stays the string the file holds.
        t = self.backend.read_parquet(paths, hive_partitioning=True, hive_types_autocast=False)
        return t.drop("release") if "release" in t.columns else t
