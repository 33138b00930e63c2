"""A move after a still stretch has no z-score: the evening says so (h_ep10).

The yuan was held at 8.2765 from March 2005; on 2005-07-22 the peg ended and H.10 printed
8.1111 (fred/DEXCHUS.csv), its largest move: 100 ln(8.1111 / 8.2765) = -2.02%. A z-score
scales a move by the volatility of the 60 changes before it, all exactly zero here, so
``usdcny_z1`` and ``usdcny_z5`` were NaN and `spillwatch stress --as-of 2005-07-25 --db <real
store>` (the H.10 week out that Monday) showed no USD/CNY row and said nothing of the move.
The store here holds the real files of 2004-01 to 2005-07 (the 10-year, the S&P 500, VIX, the
yen and the yuan), imported with the project's own import.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from spillwatch.alerts.backtest.vintage import VintageSource
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import stress as stress_section
from spillwatch.service import stress as stress_service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("fred/DGS10.csv", "fred/DEXCHUS.csv", "fred/DEXJPUS.csv", "fred/VIXCLS.csv",
         "equity/sp500_yahoo.csv")


def _evening(src, day):
    ws = Workspace(VintageSource.of(src, day))
    today = dt.date.fromisoformat(day)
    res = stress_service.stress(ws, end=day, today=today)
    return res, stress_service.summary(ws, res, end=day, today=today)


def test_the_yuan_s_move_off_its_peg_is_said_not_dropped(shared_data, tmp_path):
    folder = tmp_path / "data"
    for name in FILES:
        lines = (shared_data / name).read_text().splitlines()
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("\n".join(
            [lines[0]] + [x for x in lines[1:] if "2004-01-01" <= x[:10] <= "2005-07-29"]) + "\n")
    yuan = dict(x.split(",") for x in (folder / "fred/DEXCHUS.csv").read_text().splitlines()[1:])
    assert (yuan["2005-07-21"], yuan["2005-07-22"]) == ("8.2765", "8.1111")
    move = 100 * math.log(8.1111 / 8.2765)
    with open_source(folder, db=tmp_path / "cut.duckdb") as src:
        res, out = _evening(src, "2005-07-25")
        rows = res.signals_table()
        # that evening's reading (of 07-22: FRED's 10-year, H.15, is out the next day), with
        # the yuan's week out and its z rows empty
        assert out["date"] == "2005-07-22"
        assert math.isnan(rows.loc["usdcny_z1", "value"])
        assert math.isnan(rows.loc["usdcny_z5", "value"])
        said = [n for n in out["notes"] if n.startswith("no z-score")]
        assert said == [f"no z-score for a move after a still stretch: usdcny moved {move:+.2f}% "
                        "(log change) on 2005-07-22 after 60 changes of exactly zero: a z-score "
                        "scales a move by the volatility before it, here zero, so its z rows are "
                        "left out of the table and the index reads no stress from them"]
        # the report's stress section says it too, as `stress` and /api/stress
        day = dt.date(2005, 7, 25)
        with replay_day(day, published=True):
            sec = stress_section.build(ReportContext(Workspace(VintageSource.of(src, day))))
        assert f"usdcny moved {move:+.2f}% (log change) on 2005-07-22 after 60 changes" in sec.html
        # the Friday before, the week's H.10 was not out: the yuan still stood, nothing to say
        _, before = _evening(src, "2005-07-22")
        assert not [n for n in before["notes"] if n.startswith("no z-score")]
