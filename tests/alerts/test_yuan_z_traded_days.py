"""``usdcny.z_1d`` reads the yuan's moves on the days China's onshore market traded.

The H.10 yuan repeats its last rate through China's holidays (a held quote of a shut market,
:func:`spillwatch.timing.held_quotes`). The stress signals leave those prints out (103f137);
the alerts' standardised move read them as zero moves, so its EWMA variance decayed through
each closure and the reopening read 14-17% hot (2020-10-09's -1.43%: -6.40 sd where the
volatility of traded days gives -5.65). The live facts and the replay now both skip them.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pandas as pd
import pytest

from _cut_store import cut_files
from spillwatch.alerts.backtest import backtest
from spillwatch.alerts.facts import compute_facts
from spillwatch.alerts.rules import parse_rules
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

_START = "2019-01-01"


def _by_hand(shared_data, day: str, *, keep_held: bool = False) -> float:
    """RiskMetrics (1996, eq. 5.3; lambda 0.94, start from the first 30 squares, 60 before)
    on fred/DEXCHUS's log-% changes from _START, the prints on a State Council holiday equal
    to the one before left out (unless ``keep_held``)."""
    raw = pd.read_csv(shared_data / "fred" / "DEXCHUS.csv", parse_dates=["date"])
    lv = raw[raw["date"] >= _START].set_index("date")["DEXCHUS"].astype(float).dropna()
    r = 100.0 * np.log(lv).diff().dropna()
    cn = holidays.country_holidays("CN", years=range(2018, 2022))
    held = np.array([d.date() in cn for d in r.index]) & (r.to_numpy() == 0.0)
    x = r[~held] if not keep_held else r
    v = x[x.index <= day].to_numpy()
    var = float(np.mean(v[:30] ** 2))
    for c in v[:-1]:
        var = 0.94 * var + 0.06 * c * c
    return float(v[-1] / np.sqrt(var))


@pytest.fixture(scope="module")
def yuan(shared_data, tmp_path_factory):
    """A store of the yuan from 2019 and the 10-year (the replay's calendar), by the
    project's own import; the replay of 2020-09-21..2020-10-23 with a rule on the fact."""
    root = tmp_path_factory.mktemp("yuan")
    data = cut_files(shared_data, root, ("fred/DEXCHUS.csv", "fred/DGS10.csv"), first=_START,
                     last="2020-12-31")
    rules = parse_rules('[[rule]]\nname = "z"\nfact = "usdcny.z_1d"\nop = "<="\nvalue = -6\n')
    with Workspace(open_source(data, db=root / "s.duckdb")) as ws:
        yield ws, backtest(ws, rules=rules, start="2020-09-21", end="2020-10-23")


def test_golden_week_s_reopening_reads_against_traded_days(yuan, shared_data):
    """2020-10-09 (-1.43% after 10-06..10-08 held at 6.7896) reads -5.65 sd, live and in the
    replay, where the held zeros gave -6.40."""
    ws, bt = yuan
    want = _by_hand(shared_data, "2020-10-09")
    assert want == pytest.approx(-5.649, abs=1e-3)
    assert _by_hand(shared_data, "2020-10-09", keep_held=True) == pytest.approx(-6.396, abs=1e-3)
    live = compute_facts(ws, as_of=dt.date(2020, 10, 13), stress=False, spillover=False,
                         demand=False).get("usdcny.z_1d")
    assert live.as_of == dt.date(2020, 10, 9)
    assert live.value == pytest.approx(want, rel=1e-9)
    rp = bt.replay
    got = rp.facts.at("usdcny.z_1d", rp.dates.get_loc(pd.Timestamp("2020-10-13")))
    assert got == pytest.approx(want, rel=1e-9)
    # the next traded day reads the traded days' volatility too
    nxt = compute_facts(ws, as_of=dt.date(2020, 10, 20), stress=False, spillover=False,
                        demand=False).get("usdcny.z_1d")
    assert nxt.as_of == dt.date(2020, 10, 16)
    assert nxt.value == pytest.approx(_by_hand(shared_data, "2020-10-16"), rel=1e-9)


def test_a_held_print_reads_no_move(yuan):
    """2020-01-31's print is 01-24's (6.9161, held through the Spring Festival, extended to
    02-02): the week's last known change, on the evening of 02-04, is 0 and so is its z."""
    ws, _ = yuan
    fs = compute_facts(ws, as_of=dt.date(2020, 2, 4), stress=False, spillover=False,
                       demand=False)
    z, chg = fs.get("usdcny.z_1d"), fs.get("usdcny.chg_1d_pct")
    assert chg.as_of == z.as_of == dt.date(2020, 1, 31)
    assert chg.value == 0.0 and z.value == 0.0
