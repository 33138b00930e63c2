"""``volatility`` on the yuan fits its moves on the days China's onshore market traded.

The H.10 yuan repeats its last rate through China's holidays (held quotes of a shut market,
:func:`spillwatch.timing.held_quotes`; the stress signals and ``usdcny.z_1d`` leave them out).
Fitted as zero moves they decayed a GARCH's variance through each closure: the conditional
volatility of Golden Week's reopening (2020-10-09, -1.43%) read 0.213 %/day where the traded
days give 0.256 (arch on the raw file, below).
"""

from __future__ import annotations

import holidays
import numpy as np
import pandas as pd
import pytest
from arch import arch_model

from _cut_store import cut_files
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """A store of the yuan and the 10-year to 2020-10-09 by the project's own import."""
    root = tmp_path_factory.mktemp("yuan_vol")
    data = cut_files(shared_data, root, ("fred/DEXCHUS.csv", "fred/DGS10.csv"),
                     first="2014-06-01", last="2020-10-09")
    with Workspace(open_source(data, db=root / "s.duckdb")) as w:
        yield w


def _arch_vol(shared_data, *, keep_held: bool) -> float:
    """GARCH(1,1) with t shocks by arch (Sheppard) on fred/DEXCHUS's log-% changes of
    2015-01-01..2020-10-09, the prints on a State Council holiday equal to the one before
    left out unless ``keep_held``: the conditional volatility of 2020-10-09."""
    raw = pd.read_csv(shared_data / "fred" / "DEXCHUS.csv", parse_dates=["date"])
    lv = raw.set_index("date")["DEXCHUS"].astype(float).dropna()
    r = (100.0 * np.log(lv).diff()).loc["2015-01-01":"2020-10-09"].dropna()
    cn = holidays.country_holidays("CN", years=range(2014, 2021))
    held = np.array([d.date() in cn for d in r.index]) & (r.to_numpy() == 0.0)
    x = r if keep_held else r[~held]
    # arch rescales the yuan's small % changes (x10) for its optimiser, which otherwise may
    # stop with a ConvergenceWarning; the volatility is read back in the file's unit
    fit = arch_model(x, mean="Constant", vol="GARCH", p=1, q=1, dist="t",
                     rescale=True).fit(disp="off")
    return float(fit.conditional_volatility.iloc[-1]) / fit.scale


def test_golden_week_s_reopening_is_read_against_traded_days(ws, shared_data):
    want, old = _arch_vol(shared_data, keep_held=False), _arch_vol(shared_data, keep_held=True)
    assert want == pytest.approx(0.256, abs=2e-3) and old == pytest.approx(0.213, abs=2e-3)
    rep = risk.volatility(ws, assets=("usdcny",), model="garch", end="2020-10-09")
    got = rep.cond_vol["usdcny_pct"].dropna()
    assert got.index[-1] == pd.Timestamp("2020-10-09")
    # the two optimisers stop apart in the third digit; the held zeros move it by 17%
    assert float(got.iloc[-1]) == pytest.approx(want, rel=1e-2)


def test_a_forecast_from_held_prints_says_so(ws):
    """On 2020-10-08 the yuan's last move is 10-05's (10-06..10-08 repeat its rate): the
    forecast is dated so and the note says why."""
    rep = risk.volatility(ws, assets=("usdcny",), model="garch", end="2020-10-08")
    assert risk.volatility_summary(rep.result)["usdcny_pct"]["as_of"] == "2020-10-05"
    assert ("usdcny's prints of 2020-10-06 to 2020-10-08 repeat its rate through its home "
            "market's holidays (held quotes, no move): the forecast reads its moves to "
            "2020-10-05") in rep.notes


def test_prints_all_held_name_no_day_of_a_move():
    """Every print a held quote (a yuan file of Golden Week's repeats alone): the note says
    there is no move to read, not "reads its moves to None"."""
    idx = pd.DatetimeIndex(["2020-10-05", "2020-10-06", "2020-10-07"])
    panel = pd.DataFrame({"usdcny_pct": [0.0, 0.0, 0.0]}, index=idx)
    assert risk.held_tail_notes(panel, what="the forecast") == [
        "usdcny's prints of 2020-10-05 to 2020-10-07 all repeat its rate through its home "
        "market's holidays (held quotes, no move): the forecast has no move of it"]
    # one traded day before them: read to it
    panel = pd.DataFrame({"usdcny_pct": [0.1, 0.0, 0.0]}, index=idx)
    assert risk.held_tail_notes(panel, what="the forecast") == [
        "usdcny's prints of 2020-10-06 to 2020-10-07 repeat its rate through its home "
        "market's holidays (held quotes, no move): the forecast reads its moves to 2020-10-05"]
