"""`volatility`'s weekend notes speak of the series it forecast, not of a coin it left out
(h_crypto1): on Sunday 2025-10-12 TRUMP was "not estimated" (too short a history), yet the
notes said its next change spans three days "(the next-day forecast reads all business days
alike)" and that "the next-day forecast is of that last row's close" beside its +15.0% weekend,
of a forecast never made; `risk` of the same evening leaves a left-out coin out of both."""

from __future__ import annotations

import pytest

from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


@pytest.fixture(scope="module")
def coins(shared_data, tmp_path_factory):
    """A store of Binance's BTCUSDT and TRUMPUSDT closes, imported by the project's import."""
    folder = tmp_path_factory.mktemp("coins") / "crypto"
    folder.mkdir()
    for name in ("BTCUSDT.csv", "TRUMPUSDT.csv"):
        (folder / name).symlink_to(shared_data / "crypto" / name)
    ws = Workspace(open_source(folder.parent))
    yield ws
    ws.close()


def test_a_coin_without_a_forecast_gets_no_forecast_notes(coins):
    rep = risk.volatility(coins, model="ewma", end="2025-10-12")
    assert list(rep.result.failures) == ["trump_pct"]          # too short: not estimated
    assert "btc_pct" in rep.table().index
    spans = [n for n in rep.notes if "spans" in n]
    assert [n.split(":")[0] for n in spans] == ["btc_pct"]     # TRUMP's line said "forecast"
    assert "(the next-day forecast reads all business days alike)" in spans[0]
    (closes,) = [n for n in rep.notes if n.startswith(risk.CLOSES_AFTER)]
    # bitcoin's weekend after the 2025-10-10 crash: 114,958.80 / 112,774.50 - 1 = +1.9%
    assert "btc +1.9% from 2025-10-10 to 2025-10-12" in closes
    assert "trump" not in closes                               # it read "trump +15.0% ..."
    # the refusal itself still says why TRUMP has no forecast
    assert "a volatility model needs at least 200" in rep.result.failures["trump_pct"]
