"""One settings object holds every SPILLWATCH_* variable, and the README lists them all."""

from __future__ import annotations

import re
from pathlib import Path

from spillwatch.config import Settings, resolve_db_path, settings, settings_table

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
