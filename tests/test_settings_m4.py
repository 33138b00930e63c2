"""Settings read from the environment: lists with stray commas, an empty --db, a shared-data
folder that is not the data set."""

from __future__ import annotations

from spillwatch.config import default_db_path, find_shared_data, resolve_db_path, settings


def test_comma_lists_drop_empty_items(monkeypatch):
    """``SPILLWATCH_TRUSTED_HOSTS=localhost, example.org,`` (a trailing comma, a space) reads as
    two hosts; an empty item was checked as a host name and the whole setting refused."""
    monkeypatch.setenv("SPILLWATCH_TRUSTED_HOSTS", "localhost, example.org,")
    monkeypatch.setenv("SPILLWATCH_TRUSTED_PROXIES", ",10.0.0.0/8,,")
    got = settings()
    assert got.trusted_hosts == ("localhost", "example.org")
    assert got.trusted_proxies == ("10.0.0.0/8",)


def test_an_empty_db_option_means_the_default_store(monkeypatch, tmp_path):
    """``--db ""`` (an unset shell variable) is the default store, not the current folder."""
    monkeypatch.setenv("SPILLWATCH_DB", str(tmp_path / "s.duckdb"))
    assert resolve_db_path("") == default_db_path() == tmp_path / "s.duckdb"
    assert resolve_db_path(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"


def test_a_shared_data_folder_without_its_readme_is_not_the_data_set(monkeypatch, tmp_path):
    """``$SPILLWATCH_SHARED_DATA`` naming a folder without README.md gives None (the real-data
    tests then skip with their reason instead of failing on missing files)."""
    monkeypatch.setenv("SPILLWATCH_SHARED_DATA", str(tmp_path))
    assert find_shared_data() is None
    (tmp_path / "README.md").write_text("data\n")
    assert find_shared_data() == tmp_path


def test_a_star_trusts_every_proxy(monkeypatch):
    """``SPILLWATCH_TRUSTED_PROXIES=*`` is allowed (every peer is a proxy), not refused as a
    network that does not parse."""
    monkeypatch.setenv("SPILLWATCH_TRUSTED_PROXIES", "*")
    assert settings().trusted_proxies == ("*",)


def test_a_rate_below_one_a_second_is_a_setting(monkeypatch):
    """``PER_SECOND:BURST`` takes a fraction (one write every two seconds: ``0.5:10``)."""
    from spillwatch.api.limits import RateLimit

    monkeypatch.setenv("SPILLWATCH_RATE_WRITE", "0.5:10")
    got = RateLimit.parse(settings().rate_write)
    assert (got.per_second, got.burst) == (0.5, 10)
