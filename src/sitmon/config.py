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
        default=None,
        description="SQLAlchemy URL of the operational DB; default: SQLite in the data directory",
    )
    engine: Literal["duckdb", "spark"] = Field(default="duckdb", description="analysis engine")
    spark_master: str = Field(default="local[*]", description="Spark master URL when engine=spark")
    lang: Literal["zh", "en"] = Field(
        default="zh",
        description="language of CLI messages, and of API messages when a request has no Accept-Language",
    )
    public_read: bool = Field(
        default=False, description="open published aggregates, plan status and series to anonymous readers"
    )
    secret_key: str | None = Field(
        default=None,
        description="key that signs sessions and CSRF tokens; generated into <home>/secret_key if unset",
    )
    session_minutes: int = Field(
        default=480, ge=1, description="lifetime of a web session after login (minutes)"
    )
    cookie_secure: bool = Field(default=False, description="send the session cookie over HTTPS only")
    login_window_minutes: int = Field(
        default=15, ge=1, description="window over which failed logins are counted"
    )
    login_max_failures: int = Field(
        default=5,
        ge=0,
        description="failed logins of one user from one client within the window before each "
        "further try of that client must wait (1 s, then doubling up to login_max_delay_seconds)",
    )
    login_max_failures_per_ip: int = Field(
        default=20,
        ge=0,
        description="failed logins from one client (any user) within the window before each "
        "further try must wait (doubling up to login_max_delay_seconds)",
    )
    argon2_time_cost: int = Field(
        default=3, ge=1, description="argon2id passes (RFC 9106 low-memory profile)"
    )
    argon2_memory_kib: int = Field(default=65536, ge=8, description="argon2id memory in KiB")
    argon2_parallelism: int = Field(default=4, ge=1, description="argon2id lanes")
    max_upload_mb: float = Field(default=20, gt=0, description="largest report file accepted by the API (MB)")
    max_file_mb: float = Field(default=200, gt=0, description="largest file the intake reads (MB)")
    max_rows: int = Field(default=300_000, ge=1, description="most rows of one received file")
    max_unpacked_mb: float = Field(
        default=512, gt=0, description="largest unpacked size of an XLSX workbook (MB)"
    )
    lock_timeout_seconds: float = Field(
        default=600, ge=0, description="how long an import or publish waits for another one of the same data"
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For is believed; "
        "empty: the header is ignored",
    )
    login_max_delay_seconds: int = Field(
        default=900, ge=1, description="longest wait imposed on one client for one user (the delay doubles)"
    )
    login_user_free_failures: int = Field(
        default=10,
        ge=0,
        description="failed logins of one user from all clients before every client must wait",
    )
    login_user_max_delay_seconds: int = Field(
        default=30,
        ge=1,
        description="longest wait imposed on every client for one user: short, so an attacker "
        "cannot lock the user out",
    )
    publish_min_response_rate: float = Field(
        default=80.0,
        ge=0,
        le=100,
        description="lowest response rate (%) at which sitmon publish and the API "
        "publish a release without --force (a forced publish needs a reason and is audited)",
    )
    password_checks: int = Field(
        default=2,
        ge=1,
        description="password checks (argon2id, 64 MiB each) run at once; more wait their turn",
    )
    map_file: Path | None = Field(
        default=None,
        description="GeoJSON of an officially approved map of China (审图号) to draw instead of the "
        "ECharts 4.9.0 china.json (features named or coded by province)",
    )
    map_approval: str | None = Field(
        default=None, description="the approval number (审图号) of map_file, shown on the map"
    )

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
    def secret_key_file(self) -> Path:
        """File holding the generated secret key when ``secret_key`` is not set."""
        return self.home / "secret_key"

    @property
    def warehouse_dir(self) -> Path:
        """Folder of the published releases (Parquet)."""
        return self.home / "warehouse"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (used by the CLI options and tests)."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
