"""Episodes are data: the packaged file, and clear errors with file:line for a bad one."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pandas as pd
import pytest

from spillwatch.alerts.backtest import KINDS, load_episodes, parse_episodes
from spillwatch.alerts.backtest.episodes import default_episodes_text
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
    (GOOD.replace("peak = 2020-03-16", "peak = 2020-01-16"), 6, "is before trigger"),
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


#: The peak rule of the packaged file's comments, e.g. "# Peak: MOVE close high 160.72 on
#: 2022-10-12 (Sep-Oct 2022)." (a window is optional; "record close" is a close high).
PEAK = re.compile(r"# Peak: (VIX|MOVE|BTCUSDT) (?:record close|close (high|low)) ([\d,.]+) on "
                  r"(\d{4}-\d\d-\d\d)(?: \((\w{3})(?:-(\w{3}))? (\d{4})[;)])?")


def _closes(shared_data: Path) -> dict[str, pd.Series]:
    """The three peak series, read from the raw files (not through spillwatch)."""
    vix = pd.read_csv(shared_data / "fred" / "VIXCLS.csv", index_col=0, parse_dates=True)
    move = pd.read_csv(shared_data / "rates_vol" / "move.csv", index_col=0, parse_dates=True)
    btc = pd.read_csv(shared_data / "crypto" / "BTCUSDT.csv", index_col=0, parse_dates=True)
    return {"VIX": pd.to_numeric(vix.iloc[:, 0], errors="coerce").dropna(),
            "MOVE": move["move_index_bbg"].combine_first(move["move_index_gf"]).dropna(),
            "BTCUSDT": btc["BTCUSDT"].dropna()}


@pytest.mark.realdata
def test_every_packaged_peak_follows_its_stated_rule(shared_data):
    """Each peak is the extreme close of its series in the window its comment names.

    Three labels once broke the rule (uk_ldi_2022 on a MOVE of 158.99 while it closed at
    160.72 on 2022-10-12; the two May crypto crashes a few days before bitcoin's lowest close):
    a peak that is not the stated extreme moves every lead time measured to it.
    """
    closes = _closes(shared_data)
    months = {m: i for i, m in enumerate(calendar.month_abbr) if m}
    text = default_episodes_text().splitlines()
    checked = 0
    for e in load_episodes():
        m = PEAK.match(text[e.line - 2])
        assert m, (e.name, text[e.line - 2])
        series, side, value, date = m.group(1), m.group(2) or "high", m.group(3), m.group(4)
        s = closes[series]
        assert e.peak == pd.Timestamp(date), (e.name, "the comment's date is not the peak")
        assert s[e.peak] == pytest.approx(float(value.replace(",", "")), abs=0.5), e.name
        if m.group(5):
            year = int(m.group(7))
            lo = pd.Timestamp(year, months[m.group(5)], 1)
            hi = pd.Timestamp(year, months[m.group(6) or m.group(5)], 1) + pd.offsets.MonthEnd(0)
            window = s.loc[lo:hi]
            best = window.idxmax() if side == "high" else window.idxmin()
            assert best == e.peak, (f"{e.name}: the {series} close {side} of "
                                    f"{lo.date()}..{hi.date()} is {window[best]} on "
                                    f"{best.date()}, not {s[e.peak]} on {e.peak.date()}")
        checked += 1
    assert checked == len(load_episodes())
