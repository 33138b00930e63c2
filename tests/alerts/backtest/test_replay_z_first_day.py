"""The replay's ``trump.z_1d`` on the day before its first value and on that day, as the live
facts read them (tests/alerts/test_z_fact_first_day.py), and once TRUMP is past its staleness
limit. h_mut6's mutants of the replay passed the fast replay test (the lagged market): a value
one change earlier (59 before, not 60), which the real-data sampled days never sit on either,
and a stale coin's move served as fresh, which only the 45-second real-data replay caught."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pandas as pd
import pytest

from spillwatch.alerts.backtest import backtest
from spillwatch.alerts.facts import compute_facts
from spillwatch.alerts.rules import parse_rules
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def trump_replay(shared_data, tmp_path_factory):
    """A store of TRUMP's closes and the 10-year (the replay's calendar needs it), from the
    shared files by the project's own import; the 10-year cut to 2024-10..2026-01 to keep it
    small. Yields the workspace and the replay of 2025-03-17..2026-01-16."""
    root = tmp_path_factory.mktemp("trump")
    data = root / "data"
    (data / "crypto").mkdir(parents=True)
    (data / "fred").mkdir()
    shutil.copy(shared_data / "README.md", data / "README.md")
    shutil.copy(shared_data / "crypto" / "TRUMPUSDT.csv", data / "crypto" / "TRUMPUSDT.csv")
    dgs = pd.read_csv(shared_data / "fred" / "DGS10.csv")
    dgs[(dgs["date"] >= "2024-10-01") & (dgs["date"] <= "2026-01-31")].to_csv(
        data / "fred" / "DGS10.csv", index=False)
    rules = parse_rules('[[rule]]\nname = "z"\nfact = "trump.z_1d"\nop = "<="\nvalue = -4\n')
    with Workspace(open_source(data, db=root / "s.duckdb")) as ws:
        yield ws, backtest(ws, rules=rules, start="2025-03-17", end="2026-01-16").replay


def _z(rp, day: str):
    got = rp.facts.at("trump.z_1d", rp.dates.get_loc(pd.Timestamp(day)))
    return None if got is None or np.isnan(got) else got


def test_the_replay_s_first_standardised_move_is_on_the_sixty_first_change(trump_replay,
                                                                          shared_data):
    raw = pd.read_csv(shared_data / "crypto" / "TRUMPUSDT.csv", parse_dates=["date"])
    r = 100.0 * np.log(raw.set_index("date")["TRUMPUSDT"].astype(float)).diff().dropna()
    assert str(r.index[60].date()) == "2025-03-21"
    v = r.to_numpy()
    var = float(np.mean(v[:30] ** 2))
    for x in v[:60]:
        var = 0.94 * var + 0.06 * x * x
    _, rp = trump_replay

    def z(day: str):
        return _z(rp, day)

    assert z("2025-03-20") is None                       # 59 changes before it
    assert z("2025-03-21") == pytest.approx(v[60] / np.sqrt(var), abs=1e-9)
    var = 0.94 * var + 0.06 * v[60] ** 2
    assert z("2025-03-24") == pytest.approx(v[63] / np.sqrt(
        0.94 * (0.94 * var + 0.06 * v[61] ** 2) + 0.06 * v[62] ** 2), abs=1e-9)


def test_the_replay_s_standardised_move_goes_stale_with_the_coin(trump_replay):
    """TRUMP's last close is 2026-01-02 and a coin is stale after 3 days: the evening of 01-05
    still reads 01-02's move, 01-06 none, as the monitor's own facts of those evenings do."""
    ws, rp = trump_replay
    live = {}
    for day in ("2026-01-05", "2026-01-06"):
        fs = compute_facts(ws, as_of=dt.date.fromisoformat(day), stress=False,
                           spillover=False, demand=False)
        live[day] = fs.get("trump.z_1d")
    assert live["2026-01-05"].value is not None and live["2026-01-05"].as_of == dt.date(2026, 1, 2)
    assert _z(rp, "2026-01-05") == pytest.approx(live["2026-01-05"].value, abs=1e-9)
    assert live["2026-01-06"].value is None and live["2026-01-06"].stale is True
    assert _z(rp, "2026-01-06") is None and _z(rp, "2026-01-16") is None
