"""The weekend note's "VaR of the spanning changes alone" of a coin with too few of them says
it is their worst (h_crypto1): `risk --assets btc,trump` on Friday 2026-01-02 read "the
historical 99% VaR of those 53 spanning changes alone is 27.57" for TRUMP, where ⌈53 x 1%⌉ = 1
makes it the single worst Monday (or day after a holiday) of its life, no 99% quantile."""

from __future__ import annotations

import pandas as pd
import pytest

from _cut_store import cut_files
from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def panel(shared_data, tmp_path_factory):
    """The risk panel of the 10-year, the S&P 500, BTCUSDT and TRUMPUSDT to 2026-01-02."""
    ws = Workspace(open_source(cut_files(shared_data, tmp_path_factory.mktemp("coins"), (
        "fred/DGS10.csv", "fred/SP500.csv", "crypto/BTCUSDT.csv", "crypto/TRUMPUSDT.csv"))))
    try:
        yield risk.risk_panel(ws, assets=("btc", "trump"), end="2026-01-02")
    finally:
        ws.close()


def _spanning(panel: pd.DataFrame, column: str, window: int = 500) -> pd.Series:
    """The column's last ``window`` changes that follow a gap of two days or more."""
    gap = pd.Series(panel.index, index=panel.index).diff().dt.days
    x = panel[column].dropna().iloc[-window:]
    return x[gap.reindex(x.index) >= 2]


def test_too_few_spanning_changes_give_their_worst_not_a_var(panel):
    spans = _spanning(panel, "trump_pct")
    assert len(spans) == 53
    (note,) = risk.weekend_notes(panel, ["trump_pct"], window=500, level=0.99)
    assert note.endswith(f"; of those 53 spanning changes alone (too few for a 99% VaR of "
                         f"them), the worst is {-spans.min():.2f}, against a 99% VaR of 20.53 "
                         "over all")
    assert f"{-spans.min():.2f}" == "27.57"
    # bitcoin's 113 hold two at 1%: its note still gives their VaR, the second worst
    (btc,) = risk.weekend_notes(panel, ["btc_pct"], window=500, level=0.99)
    spans = _spanning(panel, "btc_pct")
    assert len(spans) > 100
    assert btc.endswith(f"; the historical 99% VaR of those {len(spans)} spanning changes "
                        f"alone is {-spans.nsmallest(2).iloc[-1]:.2f} against 7.59 over all")
