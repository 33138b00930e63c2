"""One coin too short for CoVaR leaves the others' CoVaR standing (h_crypto1).

On TRUMP's first evenings in the VaR table (2025-11-04 to 11-06: 200 to 202 days of changes,
the VaR's minimum 200) its CoVaR had 197 to 199 days on the 10-year's days (out the next
business day), fewer than the quantile regression's 200, and the refusal took BTC's and ETH's
CoVaR given a Treasury sell-off with it: `risk --as-of 2025-11-05` printed "CoVaR not computed:
'trump_pct' has 198 observations" and no CoVaR at all, on every surface (the CLI, `--json`'s
null `covar`, `/api/risk`, the report)."""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_files
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]   # about 3 s


@pytest.fixture(scope="module")
def ws(shared_data, tmp_path_factory):
    """The 10-year, the S&P 500 (a business day's close out the same evening, as on the real
    store) and Binance's BTCUSDT and TRUMPUSDT closes, by the project's import."""
    w = Workspace(open_source(cut_files(shared_data, tmp_path_factory.mktemp("btc_trump"), (
        "fred/DGS10.csv", "fred/SP500.csv", "crypto/BTCUSDT.csv", "crypto/TRUMPUSDT.csv"))))
    yield w
    w.close()


def test_a_short_coin_does_not_take_bitcoin_s_covar_with_it(ws):
    evening = dt.date(2025, 11, 5)
    rep = risk.tail_risk(vintage_workspace(ws, evening), methods=("historical",),
                         backtest=False, end=evening.isoformat())
    assert "trump_pct/historical" in rep.to_dict()["summary"]["var"]    # in the VaR table
    # with this command's way out: its history begins in 2025, so an earlier start cannot
    # help (the library's "Load a longer history (an earlier start) or shorten the window")
    assert ("CoVaR not computed: 'trump_pct' has 198 observations from 2025-01-22 to "
            "2025-11-04; CoVaR quantile regression needs at least 200. Its history begins "
            "there: a later --end or --as-of gives it more.") in rep.notes
    covar = rep.to_dict()["summary"].get("delta_covar") or {}
    assert sorted(covar) == ["btc_pct@0.95", "btc_pct@0.99"]           # it was None
    # bitcoin's own fit, as `risk --assets btc` gives it that evening
    alone = risk.tail_risk(vintage_workspace(ws, evening), assets=("btc",),
                           methods=("historical",), backtest=False, end=evening.isoformat())
    assert covar == alone.to_dict()["summary"]["delta_covar"]


def test_a_book_s_covar_refusal_gives_this_command_s_way_out(ws, tmp_path):
    """A book of bitcoin and TRUMP begins with TRUMP (2025-01-22): its CoVaR refusal on
    2025-11-05 (198 days on the 10-year's) said the library's "Load a longer history (an
    earlier start) or shorten the window", as the coin's did before (h_verify28)."""
    book = tmp_path / "book.toml"
    book.write_text("btc = 0.5\ntrump = 0.5\n")
    evening = dt.date(2025, 11, 5)
    rep = risk.tail_risk(vintage_workspace(ws, evening), portfolio=str(book),
                         methods=("historical",), backtest=False, end=evening.isoformat())
    assert [n for n in rep.notes if n.startswith("CoVaR not computed")] == [
        "CoVaR not computed: 'book_pct_of_gross' has 198 observations from 2025-01-22 to "
        "2025-11-04; CoVaR quantile regression needs at least 200. Its history begins there: "
        "a later --end or --as-of gives it more."]


def test_every_coin_long_enough_keeps_its_covar_whatever_the_order(shared_data, tmp_path):
    """With TRUMP first and two coins long enough, both keep their CoVaR (h_mut24: keeping the
    last fit alone, or stopping at the first refusal, survived the test above, whose one short
    coin came last and left one fit)."""
    w = Workspace(open_source(cut_files(shared_data, tmp_path, (
        "fred/DGS10.csv", "fred/SP500.csv", "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv",
        "crypto/TRUMPUSDT.csv"))))
    try:
        evening = dt.date(2025, 11, 5)
        then = vintage_workspace(w, evening)
        rep = risk.tail_risk(then, assets=("trump", "btc", "eth"), methods=("historical",),
                             backtest=False, end=evening.isoformat())
        assert any(n.startswith("CoVaR not computed: 'trump_pct' has 198 observations")
                   for n in rep.notes)
        covar = rep.to_dict()["summary"].get("delta_covar") or {}
        assert sorted(covar) == ["btc_pct@0.95", "btc_pct@0.99", "eth_pct@0.95",
                                 "eth_pct@0.99"]
        # each as the coin alone gives it that evening
        for coin in ("btc", "eth"):
            alone = risk.tail_risk(vintage_workspace(w, evening), assets=(coin,),
                                   methods=("historical",), backtest=False,
                                   end=evening.isoformat()).to_dict()["summary"]["delta_covar"]
            assert {k: v for k, v in covar.items() if k.startswith(coin)} == alone
    finally:
        w.close()
