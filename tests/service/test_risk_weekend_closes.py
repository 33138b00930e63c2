"""Risk on a weekend evening says that crypto has closed since the panel's last business day
(h_ep6): the VaR is of Friday's close to Monday's, and the weekend's closes were left unsaid."""

from __future__ import annotations

import pytest

from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def btc_only(shared_data):
    """A store of Binance's BTCUSDT closes alone, imported by the project's own import."""
    ws = Workspace(open_source(shared_data / "crypto" / "BTCUSDT.csv"))
    yield ws
    ws.close()


def test_the_weekends_closes_are_named_beside_fridays_var(btc_only):
    """Sunday 2022-05-08, the LUNA weekend: the VaR read "as of 2022-05-06" (Friday, BTC
    36,013.77) with a note that the next change spans three days, and no word that two of them
    had closed, at 35,472.39 and 34,038.40 (-5.5%); `stress` said it, `risk` did not."""
    rep = risk.tail_risk(btc_only, assets=("btc",), methods=("historical",), backtest=False,
                         end="2022-05-08")
    assert "as of 2022-05-06" in str(rep)                    # Friday's VaR, as before
    (note,) = [n for n in rep.notes if n.startswith("closes since the last business day")]
    assert "btc -5.5% to 2022-05-08" in note                 # 34,038.40 / 36,013.77 - 1
    assert note in " ".join(str(rep).split())      # the printed report says it too
    # on a business day the last row is the day's own close: nothing to say
    rep = risk.tail_risk(btc_only, assets=("btc",), methods=("historical",), backtest=False,
                         end="2022-05-09")
    assert not [n for n in rep.notes if n.startswith("closes since the last business day")]
