"""Episode files (h_mut17): trigger order, and the line numbers and counts in the errors."""

from __future__ import annotations

import pytest

from spillwatch.alerts.backtest import parse_episodes
from spillwatch.exceptions import ConfigError


def test_episodes_come_in_trigger_order_not_peak_order():
    eps = parse_episodes("""
[[episode]]
name = "short"
trigger = 2020-02-01
peak = 2020-03-01
kind = "rates"

[[episode]]
name = "long"
trigger = 2020-01-01
peak = 2020-06-01
kind = "rates"
""")
    # "long" triggers first (January) though it peaks last (June)
    assert [e.name for e in eps] == ["long", "short"]


def test_a_duplicate_name_points_at_the_first_table_s_line():
    text = """[[episode]]
name = "x"
trigger = 2020-01-01
peak = 2020-01-02
kind = "rates"

[[episode]]
name = "x"
trigger = 2021-01-01
peak = 2021-01-02
kind = "rates"
"""
    with pytest.raises(ConfigError, match=r"^f\.toml:8: duplicate episode name 'x' "
                       r"\(first at line 1\)"):
        parse_episodes(text, path="f.toml")


def test_an_episode_that_is_not_a_table_is_counted_from_one():
    with pytest.raises(ConfigError, match=r"episode #1 must be a table"):
        parse_episodes('episode = [1]\n', path="f.toml")
