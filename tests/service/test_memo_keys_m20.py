"""A workspace's memo tells analyses with different settings apart (h_mut20's mutation round).

A key missing a setting hands the first request's result to the second (a dashboard asking
for the 95% VaR after the 99% one got the 99% figures). Real inputs: a store of bitcoin and
ether closes cut from ../shared/data by the project's own import.
"""

from __future__ import annotations

import pytest

from _cut_store import cut_store
from spillwatch.data.source import open_source
from spillwatch.service.risk import correlation, tail_risk, volatility
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

FILES = ("crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv")


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    db = cut_store(shared_data, tmp_path_factory.mktemp("memo"), FILES, first="2024-01-01",
                   last="2025-06-30")
    with Workspace(open_source(db, read_only=True)) as w:
        yield w


def test_tail_risk_of_another_level_or_method_is_its_own(ws):
    a = tail_risk(ws, assets=("btc",), level=0.99, backtest=False)
    b = tail_risk(ws, assets=("btc",), level=0.95, backtest=False)
    c = tail_risk(ws, assets=("btc",), level=0.99, methods=("historical",), backtest=False)
    assert b is not a and c is not a
    assert a.to_dict() != b.to_dict()
    assert list(c.table().index.get_level_values("method")) == ["historical"]
    assert tail_risk(ws, assets=("btc",), level=0.99, backtest=False) is a


def test_tail_risk_of_another_book_is_its_own(ws):
    even = tail_risk(ws, portfolio={"btc": 0.5, "eth": 0.5}, backtest=False)
    heavy = tail_risk(ws, portfolio={"btc": 1.0, "eth": 0.5}, backtest=False)
    assert heavy is not even and heavy.to_dict() != even.to_dict()
    assert tail_risk(ws, backtest=False, assets=("btc",)) is not even


def test_correlation_of_another_method_or_start_is_its_own(ws):
    dcc = correlation(ws, assets=("btc", "eth"), method="dcc")
    ewma = correlation(ws, assets=("btc", "eth"), method="ewma")
    late = correlation(ws, assets=("btc", "eth"), method="dcc", start="2024-06-01")
    assert ewma is not dcc and late is not dcc
    assert ewma.to_dict() != dcc.to_dict()
    assert late.to_dict() != dcc.to_dict()


def test_volatility_of_another_horizon_or_end_is_its_own(ws):
    ten = volatility(ws, assets=("btc",), horizon=10)
    five = volatility(ws, assets=("btc",), horizon=5)
    early = volatility(ws, assets=("btc",), horizon=10, end="2025-03-31")
    ewma = volatility(ws, assets=("btc",), horizon=10, model="ewma")
    assert five is not ten and early is not ten and ewma is not ten
    assert volatility_summary_of(ewma)["model"] == "ewma"
    assert five.forecast().shape != ten.forecast().shape
    assert volatility_summary_as_of(early) == "2025-03-31"
    assert volatility_summary_as_of(ten) == "2025-06-30"


def volatility_summary_of(vol) -> dict:
    from spillwatch.service.risk import volatility_summary

    return volatility_summary(vol)["btc_pct"]


def volatility_summary_as_of(vol) -> str:
    return volatility_summary_of(vol)["as_of"]


def test_the_releases_of_another_asset_list_are_their_own(ws):
    assert set(ws.releases(["btc"])) == {"btc"}
    assert set(ws.releases(["btc", "eth"])) == {"btc", "eth"}
    assert set(ws.releases(["eth"])) == {"eth"}


def test_the_newest_date_is_the_latest_series_end(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2025-01-01", last="2025-06-30",
                   ends={"crypto/ETHUSDT.csv": "2025-05-30"})
    with Workspace(open_source(db, read_only=True)) as w:
        assert str(w.last_dates()["eth"].date()) == "2025-05-30"
        assert str(w.newest().date()) == "2025-06-30"
