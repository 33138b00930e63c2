"""Settings: every ``SPILLWATCH_*`` environment variable, its default and what it does.

One :class:`Settings` object (pydantic-settings) reads them all; :func:`settings` returns the
current values (read afresh from the environment on each call, so a test or a shell that changes
a variable sees the change). ``README.md`` lists them from :func:`settings_table`, and a test
checks that the two agree.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "spillwatch"
DB_ENV = "SPILLWATCH_DB"
SHARED_DATA_ENV = "SPILLWATCH_SHARED_DATA"


class Settings(BaseSettings):
    """Every setting spillwatch reads from the environment (prefix ``SPILLWATCH_``)."""

    model_config = SettingsConfigDict(env_prefix="SPILLWATCH_", extra="ignore",
                                      validate_default=True)

    db: Path | None = Field(default=None, description=(
        "Path of the DuckDB store (default: spillwatch.duckdb in the user data folder)."))
    store_wait_s: float = Field(default=10.0, gt=0, description=(
        "Longest wait, in seconds, for another process's connection to the store to close."))
    shared_data: Path | None = Field(default=None, description=(
        "Folder of the shared real data set (tests and benchmarks also look for "
        "../shared/data)."))
    rules: Path | None = Field(default=None, description=(
        "Alert rule file (TOML); default: the packaged rules."))
    token: str | None = Field(default=None, description=(
        "Bearer token for the API's write endpoints (generated and printed when unset)."))
    token_file: Path | None = Field(default=None, description=(
        "File in which `spillwatch serve` keeps a generated token."))
    chromium: Path | None = Field(default=None, description=(
        "Chromium executable for `spillwatch report --pdf` (default: chromium on PATH)."))
    http_cache: Path | None = Field(default=None, description=(
        "Folder for cached provider responses (off when unset)."))
    http_retries: int | None = Field(default=None, ge=0, description=(
        "Retries per provider request (default: the provider client's)."))
    http_deadline: float | None = Field(default=None, gt=0, description=(
        "Overall deadline of one provider fetch, in seconds."))
    fred_url: str | None = Field(default=None, description="FRED CSV endpoint override.")
    fred_api_url: str | None = Field(default=None, description="FRED JSON API override.")
    fred_api_key: str | None = Field(default=None, description=(
        "Optional FRED API key (the CSV endpoint needs none)."))
    treasury_url: str | None = Field(default=None, description=(
        "Treasury par-curve endpoint override."))
    tic_url: str | None = Field(default=None, description="TIC table endpoint override.")
    binance_url: str | None = Field(default=None, description="Binance API override.")
    coingecko_url: str | None = Field(default=None, description="CoinGecko API override.")


def settings() -> Settings:
    """The current settings (read from the environment now)."""
    return Settings()


def settings_table() -> list[tuple[str, str, str]]:
    """``(variable, default, description)`` of every setting, for the README."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = "" if field.default is None else str(field.default)
        rows.append((f"SPILLWATCH_{name.upper()}", default, field.description or ""))
    return rows


def default_db_path() -> Path:
    """Return the store path: ``$SPILLWATCH_DB`` or the user's data directory."""
    env = settings().db
    if env is not None:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME)) / "spillwatch.duckdb"


def resolve_db_path(db: object = None) -> Path:
    """The one rule for where the store is: ``--db`` if given, else :func:`default_db_path`."""
    if db is not None and str(db) != "":
        return Path(str(db)).expanduser()
    return default_db_path()


def find_shared_data(start: Path | None = None) -> Path | None:
    """Locate the shared real-data folder, or return ``None`` when it is absent.

    Looks at ``$SPILLWATCH_SHARED_DATA`` first, then for ``../shared/data`` next to the project root
    and the current directory and their parents.
    """
    env = settings().shared_data
    if env is not None:
        p = Path(env).expanduser()
        return p if (p / "README.md").exists() else None
    roots = [start or Path.cwd(), Path(__file__).resolve().parents[2]]
    for root in roots:
        for parent in [root, *root.parents]:
            cand = parent.parent / "shared" / "data"
            if (cand / "README.md").exists():
                return cand
    return None
