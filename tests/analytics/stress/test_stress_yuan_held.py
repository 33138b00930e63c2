"""The H.10 yuan through China's holidays: a rate held while the onshore market is shut is no move.

FRED's DEXCHUS repeats its last rate through Spring Festival and Golden Week (2020-10-06..08
6.7896, then 6.6933 on 10-09: the whole week's move on the reopening day). Those repeats were
read as zero changes: the yuan's 5-day z-score read 0.00 on 2020-10-07 (five "calm" days of a
shut market) and they counted among the 5 and 60 observations of its scaled moves.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from spillwatch.analytics.stress.inputs import InputPanel
from spillwatch.analytics.stress.signals import compute_signals, scaled_change
from spillwatch.timing import china_holidays

README = Path(__file__).resolve().parents[3] / "README.md"

#: Golden Week 2020 (State Council: 1-8 October) and its weekdays' prints in the test panel.
_HELD = ("2020-10-02", "2020-10-05", "2020-10-06", "2020-10-07", "2020-10-08")


def _changes() -> pd.DataFrame:
    """Yuan and yen log changes (%) on US business days to 2020-10-16, the yuan held (0.0) on
    Golden Week's weekdays but its first (a small move, as H.10 prints it) and a 0.0 on a
    traded day (2020-09-15, a real unchanged fix)."""
    idx = pd.bdate_range("2020-05-01", "2020-10-16", name="date")
    rng = np.random.default_rng(11)
    cny = pd.Series(rng.normal(0.0, 0.2, len(idx)), index=idx)
    cny[list(_HELD)] = 0.0
    cny["2020-10-01"] = 0.003
    cny["2020-09-15"] = 0.0
    cny["2020-10-09"] = -1.43
    return pd.DataFrame({"usdcny_pct": cny, "usdjpy_pct": cny.copy()})


def test_china_calendar_is_the_interbank_markets():
    """Golden Week 2020 with its substitute days off and the 2020 Spring Festival extension to
    2 February are closures; 2024-02-09 (the Shanghai exchange's eve closure, when DEXCHUS
    moved 7.1965 to 7.1929) is not."""
    shut = set(china_holidays(2020, 2024).astype(str))
    assert {"2020-10-01", "2020-10-07", "2020-10-08", "2020-01-31"} <= shut
    assert "2020-10-09" not in shut
    assert "2024-02-09" not in shut


def test_held_yuan_prints_are_not_moves():
    """The moves leave out the held repeats only: the first holiday print (it moved) and an
    unchanged print on a traded day stay; the yen keeps every print (Tokyo's calendar is not
    China's, and a New York rate moves on either)."""
    panel = InputPanel(_changes(), assets=("usdcny", "usdjpy"))
    moves = panel.moves("usdcny")
    left = panel.changes("usdcny").index.difference(moves.index)
    assert list(left.strftime("%Y-%m-%d")) == list(_HELD)
    assert pd.Timestamp("2020-10-01") in moves.index
    assert pd.Timestamp("2020-09-15") in moves.index
    assert panel.moves("usdjpy").equals(panel.changes("usdjpy"))


def test_yuan_z5_reads_traded_days_only():
    """The 5-day z-score of the reopening day sums its five traded changes over the 60 traded
    changes before them (recomputed here with numpy); through the closure the last traded
    day's z-score is carried, not a 0.00 read from the held rate."""
    ch = _changes()
    sig = compute_signals(ch)
    traded = ch["usdcny_pct"].drop(pd.DatetimeIndex(list(_HELD)))
    x = traded.to_numpy()
    at = int(np.flatnonzero(traded.index == pd.Timestamp("2020-10-09"))[0])
    want = x[at - 4:at + 1].sum() / (np.sqrt(5) * np.std(x[at - 64:at - 4], ddof=1))
    assert np.isclose(sig.loc["2020-10-09", "usdcny_z5"], want, rtol=1e-12)
    first = int(np.flatnonzero(traded.index == pd.Timestamp("2020-10-01"))[0])
    on_first = x[first - 4:first + 1].sum() / (np.sqrt(5)
                                               * np.std(x[first - 64:first - 4], ddof=1))
    for day in _HELD:
        assert np.isclose(sig.loc[day, "usdcny_z5"], on_first, rtol=1e-12)
    # the yen's own zeros on those days are its moves: its 5-day sum on 10-08 is 10-01's alone
    assert sig.loc["2020-10-08", "usdjpy_z5"] != sig.loc["2020-10-01", "usdjpy_z5"]


def test_peg_break_is_not_scaled_by_round_off(shared_data):
    """The yuan's traded moves from fred/DEXCHUS end 2005's peg (8.2765 from March) with a
    window of zeros whose rolling standard deviation pandas reads as about 2.4e-10: the 2.02%
    revaluation of 2005-07-22 has no volatility to be scaled by (NaN), not a z-score of about
    -3.8e9."""
    s = pd.read_csv(shared_data / "fred" / "DEXCHUS.csv", index_col="date",
                    parse_dates=True)["DEXCHUS"]
    s = pd.to_numeric(s, errors="coerce").dropna()
    r = (100.0 * np.log(s).diff()).dropna()
    shut = np.isin(r.index.to_numpy().astype("datetime64[D]"), china_holidays(2000, 2025))
    moves = r[~(shut & (r.to_numpy() == 0.0))]
    z = scaled_change(moves, horizon=5, window=60)
    assert np.isnan(z["2005-07-22"])
    assert np.isnan(z["2005-07-28"])
    assert 0.0 < abs(z["2005-07-29"]) < 1.0     # a scale again once a moved day enters it


def test_readme_counts_the_holiday_prints_the_index_reads(shared_data):
    """README's stress row: the index leaves out only the yuan's prints held on a day China's
    market is shut; the holiday prints that moved (fred/DEXCHUS, 2000-2025) are read as moves,
    and README gives their count (it said the yuan "is read on the days China's market
    traded", which those prints are not)."""
    s = pd.read_csv(shared_data / "fred" / "DEXCHUS.csv", index_col="date",
                    parse_dates=True)["DEXCHUS"]
    s = pd.to_numeric(s, errors="coerce").dropna()
    r = (100.0 * np.log(s).diff()).dropna()
    panel = InputPanel(pd.DataFrame({"usdcny_pct": r}), assets=("usdcny",))
    moves = panel.moves("usdcny")
    shut = pd.DatetimeIndex(china_holidays(2000, 2025))
    on_holiday = r[r.index.isin(shut)]
    left = panel.changes("usdcny").index.difference(moves.index)
    assert left.equals(on_holiday.index[on_holiday.to_numpy() == 0.0])
    moved = int(moves.index.isin(shut).sum())
    assert moved == int((on_holiday != 0.0).sum()) > 0
    text = " ".join(README.read_text("utf-8").split())
    said = re.search(r"a holiday print that moved, (\d+) of the (\d+) of 2000–2025, is read as "
                     r"it moved", text)
    assert said, "README no longer states the figures this test checks"
    assert tuple(map(int, said.groups())) == (moved, len(on_holiday))
