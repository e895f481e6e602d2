"""Settings of one sitmon deployment, read once from the environment (prefix ``SITMON_``).

Build a :class:`Settings` at the edge (CLI, server start, test fixture) and pass it down;
nothing in the package reads the environment at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the data lives and which engines run; every field maps to ``SITMON_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SITMON_", env_file=None, extra="ignore")

    home: Path = Field(default=Path("./sitmon-data"), description="data directory (数据目录)")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL of the operational DB; default: SQLite in the data directory"
    )
    engine: Literal["duckdb", "spark"] = Field(default="duckdb", description="analysis engine")
    spark_master: str = Field(default="local[*]", description="Spark master URL when engine=spark")
    lang: Literal["zh", "en"] = Field(default="zh", description="language of CLI messages")
    public_read: bool = Field(
        default=False, description="open published aggregates, plan status and series to anonymous readers"
    )
    secret_key: str | None = Field(default=None, description="key that signs sessions; generated into the data directory if unset")

    @property
    def resolved_database_url(self) -> str:
        """The operational DB URL: ``database_url`` or a SQLite file ``<home>/sitmon.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'sitmon.db').resolve()}"

    @property
    def archive_dir(self) -> Path:
        """Folder where every received file is archived under its sha256."""
        return self.home / "archive"

    @property
    def warehouse_dir(self) -> Path:
        """Folder of the published releases (Parquet)."""
        return self.home / "warehouse"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (used by the CLI options and tests)."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
