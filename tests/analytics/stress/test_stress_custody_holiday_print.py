"""A weekly print dated a holiday keeps its own date in the stress monitor's inputs.

The panel places a weekly change on the first panel date on or after its observation date, so
the NY Fed's custody level of Wednesday 2025-01-01 (New Year's Day, no 10-year, dollar or S&P
print) sits on Thursday 2025-01-02. `stress --as-of 2025-01-02` then gave custody's last input
as 2025-01-02, age 0, where the print is dated 2025-01-01 (as `demand` and the health table give
it): the value and its publication were right, the label and the age a day off (also
2024-12-25 and 2019-12-25; h_sweep1, h_small2).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil

import httpx
import pandas as pd
import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.analytics.stress import InputPanel
from spillwatch.api.app import create_app
from spillwatch.api.limits import RateLimit
from spillwatch.data.panel import RawSeries, assemble_panel
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import stress as stress_section
from spillwatch.service import stress as service
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace

#: FRED WMTSECL1 (USD millions), Wednesdays, as in ../shared/data/fred/WMTSECL1.csv.
CUSTODY = {"2024-12-18": 2927541, "2024-12-25": 2903537, "2025-01-01": 2879873,
           "2025-01-08": 2849534}
#: FRED DGS10 (percent), as in ../shared/data/fred/DGS10.csv (no print on the holidays).
DGS10 = {"2024-12-17": 4.40, "2024-12-18": 4.50, "2024-12-19": 4.57, "2024-12-20": 4.52,
         "2024-12-23": 4.59, "2024-12-24": 4.59, "2024-12-26": 4.58, "2024-12-27": 4.62,
         "2024-12-30": 4.55, "2024-12-31": 4.58, "2025-01-02": 4.57, "2025-01-03": 4.60,
         "2025-01-06": 4.62, "2025-01-07": 4.67, "2025-01-08": 4.69}


def _series(values: dict[str, float]) -> pd.Series:
    return pd.Series(values, dtype="float64").set_axis(pd.DatetimeIndex(list(values)))


def _bn(values: dict[str, float]) -> dict[str, float]:
    return {d: v / 1000.0 for d, v in values.items()}


def test_a_holiday_print_keeps_its_own_date_and_age():
    raw = RawSeries({"ust10y": _series(DGS10), "custody": _series(_bn(CUSTODY))},
                    {"ust10y": ["fred:DGS10"], "custody": ["fred:WMTSECL1"]})
    changes = assemble_panel(raw, transform="changes")
    # the change is placed on the next panel day (the design: the holiday is no panel day)
    assert pd.Timestamp("2025-01-01") not in changes.index
    assert changes.loc["2025-01-02", "custody_chg_usd_bn"] == pytest.approx(-23.664)
    panel = InputPanel(changes)
    last = panel.last_observed_frame()["custody"]
    age = pd.Series(panel.age_days("custody"), index=panel.calendar)
    # it read 2025-01-02 and 0 (and 2024-12-26, 0 the week before)
    assert last["2025-01-02"] == pd.Timestamp("2025-01-01") and age["2025-01-02"] == 1
    assert last["2025-01-03"] == pd.Timestamp("2025-01-01") and age["2025-01-03"] == 2
    assert last["2024-12-26"] == pd.Timestamp("2024-12-25") and age["2024-12-26"] == 1
    # a print on a panel day is unchanged
    assert last["2025-01-08"] == pd.Timestamp("2025-01-08") and age["2025-01-08"] == 0


# H.15's yields and Treasury's par curve (out the same evening, so the evening of 2025-01-02
# reads its own day), a dollar rate, the equity block and the custody holdings
FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DGS30.csv", "treasury/par_yield_curve.csv",
         "fred/DEXJPUS.csv", "fred/VIXCLS.csv", "fred/SP500.csv", "fred/WMTSECL1.csv")


@pytest.mark.realdata
@pytest.mark.slow
def test_cli_api_and_report_date_custody_by_its_print(shared_data, tmp_path, live_server_cls):
    db = cut_store(shared_data, tmp_path, FILES, first="2022-01-01", last="2025-01-10")
    day = dt.date(2025, 1, 2)
    with Workspace(open_source(db, read_only=True)) as ws, replay_day(day, published=True):
        then = vintage_workspace(ws, day)
        latest = service.stress(then).latest()
        sec = stress_section.build(ReportContext(then))
    assert latest["as_of"] == latest["date"] == "2025-01-02"
    assert latest["inputs"]["custody"]["last"] == "2025-01-01"      # it read 2025-01-02
    assert latest["inputs"]["custody"]["age_days"] == 1.0           # it read 0
    text = html.unescape(re.sub(r"<[^>]+>", " ", sec.html))
    row = re.search(r"foreign official custody, weekly change \(%\)[^\n]*?(\d{4}-\d\d-\d\d)",
                    text)
    assert row is not None and row.group(1) == "2025-01-01"
    served = tmp_path / "served.duckdb"
    shutil.copyfile(db, served)
    app = create_app(served, token="t" * 24, read_limit=RateLimit(per_second=1e4, burst=10**5),
                     write_limit=RateLimit(per_second=1e4, burst=10**5), warm=False)
    with live_server_cls(app) as server, httpx.Client(base_url=server.url, timeout=120) as c:
        api = c.get("/api/stress", params={"as_of": "2025-01-02"}).json()["latest"]
        signals = c.get("/api/signals", params={"as_of": "2025-01-02"}).json()
    assert api["inputs"]["custody"] == latest["inputs"]["custody"]
    frame = signals["table"]
    rows = dict(zip(frame["index"], frame["data"], strict=True))
    at = frame["columns"].index("last_observed")
    assert rows["custody_chg_pct"][at] == "2025-01-01"
