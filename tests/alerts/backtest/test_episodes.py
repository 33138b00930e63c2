"""Episodes are data: the packaged file, and clear errors with file:line for a bad one."""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.alerts.backtest import KINDS, load_episodes, parse_episodes
from spillwatch.exceptions import ConfigError

GOOD = """
[[episode]]
name = "one"
title = "first"
trigger = 2020-02-24
peak = 2020-03-16
kind = "dollar"

[[episode]]
name = "two"
trigger = "2025-04-02"
peak = "2025-04-08"
kind = "sell_america"
"""


def test_packaged_episodes_cover_every_kind_since_1990():
    eps = load_episodes()
    frame = eps.frame()
    assert len(eps) >= 30
    assert set(frame["kind"]) == set(KINDS)
    assert frame["trigger"].min() < pd.Timestamp("1991-01-01")
    assert frame["trigger"].max() > pd.Timestamp("2025-01-01")
    assert (frame["peak"] >= frame["trigger"]).all()
    assert frame["name"].is_unique
    # every episode cites the public source of its dates in the comment above it
    from spillwatch.alerts.backtest.episodes import default_episodes_text
    text = default_episodes_text().splitlines()
    for e in eps:
        above = text[e.line - 2]
        assert above.startswith("# Peak:"), (e.name, above)


def test_user_file_and_string_dates(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text(GOOD)
    eps = load_episodes(p)
    assert [e.name for e in eps] == ["one", "two"]
    assert eps.episodes[1].peak == pd.Timestamp("2025-04-08")
    assert eps.path == str(p)


@pytest.mark.parametrize(("text", "line", "needle"), [
    (GOOD.replace('kind = "dollar"', 'kind = "fx"'), 7, "kind must be one of"),
    (GOOD.replace('title = "first"', 'titel = "first"'), 4, "unknown field 'titel'"),
    (GOOD.replace("peak = 2020-03-16", "peak = 2020-01-16"), 2, "is before trigger"),
    (GOOD.replace('name = "two"', 'name = "one"'), 10, "duplicate episode name 'one'"),
    (GOOD.replace('trigger = "2025-04-02"', 'trigger = "April 2025"'), 11,
     "trigger must be a date"),
    (GOOD.replace('kind = "sell_america"\n', ""), 9, "missing field 'kind'"),
    (GOOD.replace("[[episode]]\nname = \"two\"", "[[episode]\nname = \"two\""), 9,
     "not valid TOML"),
    ("[options]\nx = 1\n", 1, "unknown top-level field 'options'"),
    ("", 1, "no [[episode]] table"),
])
def test_bad_file_names_file_and_line(tmp_path, text, line, needle):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_episodes(p)
    assert err.value.message.startswith(f"{p}:{line}: "), err.value.message
    assert needle in err.value.message


def test_missing_file():
    with pytest.raises(ConfigError, match="no episode file at"):
        load_episodes("/nonexistent/episodes.toml")


def test_parse_sorts_by_trigger():
    eps = parse_episodes(GOOD.replace("2020-02-24", "2026-01-01").replace("2020-03-16",
                                                                          "2026-01-02"))
    assert [e.name for e in eps] == ["two", "one"]
