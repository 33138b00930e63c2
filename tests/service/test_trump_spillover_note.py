"""The standard spillover's "crypto" is bitcoin and ether: another coin held is named."""

from __future__ import annotations

import pytest

from spillwatch.data.source import open_source
from spillwatch.service import spillover
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


def test_the_standard_spillover_names_trump_as_left_out(real_db):
    """`spillover` (and the report's and the dashboard's section, "rates and the dollar into
    crypto") measured BTC and ETH only while the data hold TRUMP, which the README and the
    mission put first among crypto; nothing said TRUMP was not in it, nor how to ask for it."""
    w = Workspace(open_source(real_db, read_only=True))
    try:
        rep = spillover.spillover(w)
        assert rep.settings["assets"] == ("ust2y_bp", "ust10y_bp", "usd_broad_pct",
                                          "usdjpy_pct", "btc_pct", "eth_pct")
        note = next(n for n in rep.notes if n.startswith("crypto here is "))
        assert note == ("crypto here is btc, eth: trump (from 2025-01-19) is not in the "
                        "standard set (with it, every window would start where it begins); "
                        "--assets ust2y,ust10y,usd_broad,usdjpy,btc,eth,trump measures it "
                        "over that shorter span")
        # named assets are the user's choice: no such note
        named = spillover.spillover(w, assets=("ust10y", "usd_broad", "btc"))
        assert not any(n.startswith("crypto here is ") for n in named.notes)
        # an evening before TRUMP existed has nothing to name
        early = spillover.spillover(w, end="2024-06-03")
        assert not any(n.startswith("crypto here is ") for n in early.notes)
    finally:
        w.close()
