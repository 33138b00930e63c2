"""One settings object holds every SPILLWATCH_* variable, and the README lists them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from spillwatch.config import Settings, resolve_db_path, settings, settings_table
from spillwatch.exceptions import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_readme_lists_every_setting():
    text = (ROOT / "README.md").read_text("utf-8")
    listed = set(re.findall(r"^\| `(SPILLWATCH_[A-Z_]+)` \|", text, flags=re.M))
    assert listed == {v for v, _, _ in settings_table()}


def test_readme_rows_say_what_the_settings_say():
    """Default and description, word for word (the deadline's said "per attempt" in the
    README and "of one provider fetch" in the settings, which the README is made from)."""
    text = (ROOT / "README.md").read_text("utf-8")
    rows = {m[0]: (m[1].strip(), m[2].strip()) for m in re.findall(
        r"^\| `(SPILLWATCH_[A-Z_]+)` \|([^|]*)\|(.*)\|\s*$", text, flags=re.M)}
    for var, default, description in settings_table():
        assert rows[var] == (default, description), var


def test_every_variable_the_code_reads_is_a_setting():
    names = {f"SPILLWATCH_{n.upper()}" for n in Settings.model_fields}
    used = set()
    for path in (ROOT / "src").rglob("*.py"):
        used |= set(re.findall(r"\b(SPILLWATCH_[A-Z][A-Z_]*[A-Z])\b", path.read_text("utf-8")))
    # provider URL patterns are documented by name ("SPILLWATCH_<NAME>_URL")
    assert used - names <= {"SPILLWATCH_NAME_URL"}, sorted(used - names)


def test_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SPILLWATCH_DB", str(tmp_path / "x.duckdb"))
    monkeypatch.setenv("SPILLWATCH_STORE_WAIT_S", "3.5")
    assert settings().store_wait_s == 3.5
    assert resolve_db_path(None) == tmp_path / "x.duckdb"
    assert resolve_db_path(tmp_path / "y.duckdb") == tmp_path / "y.duckdb"


def test_a_variable_set_to_nothing_is_unset(monkeypatch):
    # SPILLWATCH_RULES= made `backtest` refuse ". is not a file" (h_meta2)
    from spillwatch.alerts.rules import read_rule_file

    monkeypatch.setenv("SPILLWATCH_RULES", "")
    monkeypatch.setenv("SPILLWATCH_STORE_WAIT_S", "")
    assert settings().rules is None and settings().store_wait_s == 10.0
    assert read_rule_file(None)[1] == "<default rules>"


def test_every_setting_is_read_through_the_settings_object():
    """Twelve fields were declared and documented but read by no code through the object (the
    providers read ``os.environ`` themselves), and five ``SPILLWATCH_HTTP_*`` variables read
    that way were in no list at all. Each field is read as an attribute of the settings, but
    those read by name: the client's ``http_<field>`` (:data:`~spillwatch.data._http.
    ENV_FIELDS`, next test), the providers' ``<name>_url`` (``base_url``, next test) and
    ``disable_numba`` (read by the kernels at each call, where building the object would cost
    more than the call)."""
    from spillwatch.data._http import ENV_FIELDS

    text = "\n".join(p.read_text("utf-8") for p in (ROOT / "src").rglob("*.py"))
    by_name = {*(f"http_{n}" for n in ENV_FIELDS), "disable_numba",
               *(n for n in Settings.model_fields if n.endswith("_url"))}
    unread = [n for n in Settings.model_fields
              if n not in by_name and not re.search(rf"\.{n}\b", text)]
    assert unread == [], unread
    assert by_name <= set(Settings.model_fields)


def test_the_http_settings_reach_the_provider_client(monkeypatch):
    import pytest

    from spillwatch.data._http import ENV_FIELDS, HttpConfig
    from spillwatch.data.providers._base import base_url
    from spillwatch.exceptions import ConfigError

    for i, name in enumerate(ENV_FIELDS):
        monkeypatch.setenv(f"SPILLWATCH_HTTP_{name.upper()}", str(i + 2))
    got = HttpConfig.from_env()
    assert [getattr(got, n) for n in ENV_FIELDS] == [i + 2 for i in range(len(ENV_FIELDS))]
    assert HttpConfig.from_env(retries=0).retries == 0          # an argument wins
    monkeypatch.setenv("SPILLWATCH_HTTP_CONNECT_TIMEOUT", "0")
    with pytest.raises(ConfigError, match="SPILLWATCH_HTTP_CONNECT_TIMEOUT"):
        HttpConfig.from_env()
    monkeypatch.delenv("SPILLWATCH_HTTP_CONNECT_TIMEOUT")
    monkeypatch.setenv("SPILLWATCH_FRED_URL", "http://127.0.0.1:9/fred/")
    assert base_url("SPILLWATCH_FRED_URL", "https://x") == "http://127.0.0.1:9/fred"
    monkeypatch.setenv("SPILLWATCH_MYFEED_URL", "http://127.0.0.1:9/mine")  # one's own provider
    assert base_url("SPILLWATCH_MYFEED_URL", "https://x") == "http://127.0.0.1:9/mine"
    assert base_url("SPILLWATCH_MYFEED_URL", "https://x", "https://y/") == "https://y"


def test_settings_are_validated_once_per_set_of_variables(monkeypatch):
    """One validated instance for one set of SPILLWATCH_* values (each store, fetch and request
    asks); a changed, removed or bad variable is read at the next call, a bad one each time."""
    monkeypatch.setenv("SPILLWATCH_STORE_WAIT_S", "3")
    first = settings()
    assert settings() is first and first.store_wait_s == 3.0
    monkeypatch.setenv("SPILLWATCH_STORE_WAIT_S", "4.5")
    assert settings().store_wait_s == 4.5
    monkeypatch.setenv("SPILLWATCH_STORE_WAIT_S", "soon")
    for _ in range(2):
        with pytest.raises(ConfigError, match="SPILLWATCH_STORE_WAIT_S"):
            settings()
    monkeypatch.delenv("SPILLWATCH_STORE_WAIT_S")
    assert settings().store_wait_s == 10.0
    with pytest.raises(ValidationError):          # shared, so not to be changed in place
        settings().store_wait_s = 1.0             # type: ignore[misc]


def test_a_variable_spelt_in_lower_case_is_read_at_the_next_call(monkeypatch):
    """pydantic reads ``SPILLWATCH_*`` variables whatever their case (``spillwatch_store_wait_s``
    too), so the set of variables a validated instance is kept by is spelt so as well."""
    monkeypatch.delenv("SPILLWATCH_STORE_WAIT_S", raising=False)
    assert settings().store_wait_s == 10.0
    monkeypatch.setenv("spillwatch_store_wait_s", "7")
    assert settings().store_wait_s == 7.0
    monkeypatch.delenv("spillwatch_store_wait_s")
    assert settings().store_wait_s == 10.0
