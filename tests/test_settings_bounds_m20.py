"""The bounds and words of the settings that no other test pinned (h_mut20's mutation round).

Real inputs: the ``SPILLWATCH_*`` environment variables the settings are read from, and
folders laid out like the project and its shared data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spillwatch.config import default_db_path, find_shared_data, settings
from spillwatch.exceptions import ConfigError


@pytest.mark.parametrize(("var", "value"), [
    ("STORE_WAIT_S", "0"), ("STORE_WAIT_S", "3601"), ("STORE_WAIT_S", "inf"),
    ("MAX_BODY_BYTES", "1023"), ("KEEP_ALIVE_S", "0"), ("HEADER_TIMEOUT_S", "601"),
    ("HTTP_DEADLINE", "0"), ("FORWARDED_HEADER", "x-real-ip"),
])
def test_a_value_past_a_bound_is_refused_naming_the_variable(monkeypatch, var, value):
    monkeypatch.setenv(f"SPILLWATCH_{var}", value)
    with pytest.raises(ConfigError, match=f"^bad setting: SPILLWATCH_{var}: "):
        settings()


@pytest.mark.parametrize(("var", "value", "attr", "want"), [
    ("STORE_WAIT_S", "3600", "store_wait_s", 3600.0),
    ("MAX_BODY_BYTES", "1024", "max_body_bytes", 1024),
    ("KEEP_ALIVE_S", "1", "keep_alive_s", 1),
    ("HEADER_TIMEOUT_S", "600", "header_timeout_s", 600.0),
    ("HTTP_RETRIES", "0", "http_retries", 0),              # no retry at all
    ("TRUSTED_HOSTS", "*", "trusted_hosts", ("*",)),
    ("TRUSTED_PROXIES", "[::1],10.0.0.0/8", "trusted_proxies", ("[::1]", "10.0.0.0/8")),
])
def test_a_value_at_a_bound_is_taken(monkeypatch, var, value, attr, want):
    monkeypatch.setenv(f"SPILLWATCH_{var}", value)
    assert getattr(settings(), attr) == want


def test_every_bad_setting_is_named_in_one_message(monkeypatch):
    monkeypatch.setenv("SPILLWATCH_KEEP_ALIVE_S", "0")
    monkeypatch.setenv("SPILLWATCH_RATE_READ", "fast")
    with pytest.raises(ConfigError) as err:
        settings()
    assert str(err.value).startswith("bad setting: SPILLWATCH_RATE_READ: ")
    assert "; SPILLWATCH_KEEP_ALIVE_S: " in str(err.value)


def test_a_db_in_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SPILLWATCH_DB", "~/alerts/s.duckdb")
    assert default_db_path() == tmp_path / "alerts" / "s.duckdb"


def _data(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("data\n")
    return folder


def test_the_shared_data_is_found_beside_the_project_from_where_it_is_asked(monkeypatch,
                                                                           tmp_path):
    monkeypatch.delenv("SPILLWATCH_SHARED_DATA", raising=False)
    beside = _data(tmp_path / "shared" / "data")        # ../shared/data of the project
    _data(tmp_path / "proj" / "shared" / "data")        # a folder inside it is not that
    assert find_shared_data(tmp_path / "proj") == beside
