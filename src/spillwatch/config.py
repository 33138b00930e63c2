"""Settings: every ``SPILLWATCH_*`` environment variable, its default and what it does.

One :class:`Settings` object (pydantic-settings) reads them all; :func:`settings` returns the
current values (read afresh from the environment on each call, so a test or a shell that changes
a variable sees the change). ``README.md`` lists them from :func:`settings_table`, and a test
checks that the two agree.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import BeforeValidator, Field, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from spillwatch.exceptions import ConfigError

APP_NAME = "spillwatch"


def _comma_list(value: object) -> object:
    """A comma-separated string (as an environment variable holds it) as a tuple of items."""
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    return value


def _hosts(value: object) -> object:
    value = _comma_list(value)
    if isinstance(value, (tuple, list)):
        for host in value:
            if not re.fullmatch(r"\*|(\*\.)?[A-Za-z0-9_.-]+|\[?[0-9A-Fa-f:.]+\]?", str(host)):
                raise ValueError(f"trusted host {host!r} is not a host name, an IP address, "
                                 "'*.domain' or '*'")
    return value


def _networks(value: object) -> object:
    value = _comma_list(value)
    if isinstance(value, (tuple, list)):
        for net in value:
            if net == "*":
                continue
            try:
                ipaddress.ip_network(str(net).strip("[]"), strict=False)
            except ValueError:
                raise ValueError(f"trusted proxy {net!r} is not an IP address or network "
                                 "(e.g. 10.0.0.1, 10.0.0.0/8, ::1) or '*'") from None
    return value


_RATE = r"^(off|\d{1,9}(\.\d{1,6})?:\d{1,9})$"

#: Hosts, proxies: comma-separated in the environment (``a,b,c``).
HostList = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_hosts)]
NetworkList = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_networks)]


class Settings(BaseSettings):
    """Every setting spillwatch reads from the environment (prefix ``SPILLWATCH_``)."""

    # an empty variable is unset (``SPILLWATCH_RULES=`` made `backtest` refuse ". is not a
    # file" where the packaged rules were meant)
    # frozen: one instance is shared by every call of :func:`settings` with the same variables
    model_config = SettingsConfigDict(env_prefix="SPILLWATCH_", extra="ignore",
                                      validate_default=True, env_ignore_empty=True, frozen=True)

    db: Path | None = Field(default=None, description=(
        "Path of the DuckDB store (default: spillwatch.duckdb in the user data folder)."))
    store_wait_s: float = Field(default=10.0, gt=0, le=3600, allow_inf_nan=False, description=(
        "Longest wait, in seconds, for another process's connection to the store to close."))
    shared_data: Path | None = Field(default=None, description=(
        "Folder of the shared real data set (tests and benchmarks also look for "
        "../shared/data)."))
    rules: Path | None = Field(default=None, description=(
        "Alert rule file (TOML); default: the packaged rules."))
    token: str | None = Field(default=None, description=(
        "Bearer token for the API's write endpoints, at least 16 characters (generated and "
        "printed when unset)."))
    token_file: Path | None = Field(default=None, description=(
        "File in which `spillwatch serve` keeps a generated token."))
    trusted_hosts: HostList = Field(default=("localhost", "127.0.0.1", "::1"), description=(
        "Host names `spillwatch serve` answers to (comma-separated; `*.example.org` and `*` "
        "allowed); any other Host header gets 400. The `--host` address is added."))
    trusted_proxies: NetworkList = Field(default=(), description=(
        "Addresses or networks of reverse proxies whose forwarding header names the client "
        "(comma-separated; none by default, so the header is ignored and the peer address "
        "is the client)."))
    forwarded_header: Literal["x-forwarded-for", "forwarded"] = Field(
        default="x-forwarded-for", description=(
            "Which header a trusted proxy sets: `x-forwarded-for` or `forwarded` (RFC 7239)."))
    rate_read: str = Field(default="50:200", pattern=_RATE, description=(
        "API reads per client without the token: `PER_SECOND:BURST` (token bucket), or `off`."))
    rate_write: str = Field(default="2:20", pattern=_RATE, description=(
        "API writes per client without the token (those not refused 401 first), "
        "`PER_SECOND:BURST` or `off`."))
    rate_token_read: str = Field(default="100:400", pattern=_RATE, description=(
        "API reads per client with the token (a budget of its own), `PER_SECOND:BURST` or "
        "`off`."))
    rate_token_write: str = Field(default="5:50", pattern=_RATE, description=(
        "API writes per client with the token (a budget of its own), `PER_SECOND:BURST` or "
        "`off`."))
    max_body_bytes: int = Field(default=65536, ge=1024, le=16 * 1024 * 1024, description=(
        "Largest request body the server accepts, in bytes (413 above it)."))
    header_timeout_s: float = Field(default=10.0, gt=0, le=600, allow_inf_nan=False, description=(
        "Seconds a client has to send a request's line and headers, from its first byte "
        "(or from connecting); then 408 and the connection is closed."))
    body_timeout_s: float = Field(default=30.0, gt=0, le=3600, allow_inf_nan=False, description=(
        "Seconds a client has to send a request's body once its headers are in; then 408 and "
        "the connection is closed."))
    keep_alive_s: int = Field(default=5, ge=1, le=600, description=(
        "Seconds an idle kept-alive connection stays open."))
    chromium: Path | None = Field(default=None, description=(
        "Chromium executable for `spillwatch report --pdf` (default: chromium on PATH)."))
    http_cache: Path | None = Field(default=None, description=(
        "Folder for cached provider responses (off when unset)."))
    http_retries: int | None = Field(default=None, ge=0, description=(
        "Retries per provider request (default: the provider client's)."))
    http_deadline: float | None = Field(default=None, gt=0, allow_inf_nan=False, description=(
        "Deadline of one request attempt (headers and body), in seconds; a request is "
        "tried `SPILLWATCH_HTTP_RETRIES` more times. A monitor's SIGTERM stops the wait "
        "within a quarter second."))
    http_connect_timeout: float | None = Field(default=None, gt=0, allow_inf_nan=False,
                                               description=(
        "Seconds to wait for a provider's connection (default: the provider client's, 10)."))
    http_read_timeout: float | None = Field(default=None, gt=0, allow_inf_nan=False,
                                            description=(
        "Seconds to wait for each read of a provider's answer (default: the client's, 30)."))
    http_backoff: float | None = Field(default=None, ge=0, allow_inf_nan=False, description=(
        "Base of the backoff between retries, in seconds: retry k waits a random draw up to "
        "backoff x 2^k, at most the backoff max (default: the client's, 1)."))
    http_backoff_max: float | None = Field(default=None, ge=0, allow_inf_nan=False,
                                           description=(
        "Longest wait between retries, in seconds (default: the client's, 30)."))
    http_retry_after_max: float | None = Field(default=None, ge=0, allow_inf_nan=False,
                                               description=(
        "Longest Retry-After a provider may ask for, in seconds; a longer one ends the fetch "
        "of that provider (default: the client's, 120)."))
    fred_url: str | None = Field(default=None, description="FRED CSV endpoint override.")
    fred_api_url: str | None = Field(default=None, description="FRED JSON API override.")
    fred_api_key: str | None = Field(default=None, description=(
        "Optional FRED API key (the CSV endpoint needs none)."))
    treasury_url: str | None = Field(default=None, description=(
        "Treasury par-curve endpoint override."))
    tic_url: str | None = Field(default=None, description="TIC table endpoint override.")
    binance_url: str | None = Field(default=None, description="Binance API override.")
    coingecko_url: str | None = Field(default=None, description="CoinGecko API override.")
    fiscaldata_url: str | None = Field(default=None, description=(
        "Treasury Fiscal Data API override (auction results)."))
    mof_url: str | None = Field(default=None, description=(
        "Japan MOF site override (weekly flows, JGB yields, interventions)."))
    disable_numba: bool = Field(default=False, description=(
        "Run the plain-numpy paths instead of the numba-compiled kernels."))


def settings() -> Settings:
    """The current settings (read from the environment now).

    Validated once for each set of ``SPILLWATCH_*`` values the environment holds (a store, a
    fetch, a server's request each ask: pydantic's validation of every field cost about 1 ms
    a call); a changed variable is read at the next call.

    Raises
    ------
    ConfigError
        A ``SPILLWATCH_*`` variable holds a bad value (the message names the variable).
    """
    return _settings_of(tuple(sorted((k, v) for k, v in os.environ.items()
                                     if k.upper().startswith("SPILLWATCH_"))))


@functools.lru_cache(maxsize=16)
def _settings_of(_env: tuple[tuple[str, str], ...]) -> Settings:
    """The settings of one set of ``SPILLWATCH_*`` variables (``_env``, the environment's now).

    A bad value is not remembered: it is raised at every call.
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"SPILLWATCH_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
                             for e in exc.errors())
        raise ConfigError(f"bad setting: {problems}") from None


def settings_table() -> list[tuple[str, str, str]]:
    """``(variable, default, description)`` of every setting, for the README."""
    rows = []
    for name, field in Settings.model_fields.items():
        if field.default is None:
            default = ""
        elif isinstance(field.default, tuple):
            default = ",".join(field.default)
        else:
            default = str(field.default)
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
