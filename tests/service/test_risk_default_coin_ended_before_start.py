"""A default coin whose closes all lie before ``--start`` is left out without "no change yet".

b7796d2 passed ``start`` to both of `risk`'s calls of ``no_change_yet``; the default table's
call (a default coin with no observation in the window) was untested (h_mut24: dropping its
``start`` survived). With TRUMP's closes cut at 2025-02-28 (a coin that stopped trading) and
``--start 2025-03-10``, its 41 closes have changes, all before the window: "0 observations in
the window" is the reason, not "its 41 closes ... give no change on the business-day calendar
yet".
"""

from __future__ import annotations

import shutil

import pytest

from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


def test_a_coin_that_stopped_before_the_window_has_no_no_change_yet(shared_data, tmp_path):
    for sub, name in (("fred", "DGS10"), ("fred", "SP500"), ("crypto", "BTCUSDT"),
                      ("crypto", "ETHUSDT")):
        (tmp_path / sub).mkdir(exist_ok=True)
        shutil.copy(shared_data / sub / f"{name}.csv", tmp_path / sub / f"{name}.csv")
    lines = (shared_data / "crypto" / "TRUMPUSDT.csv").read_text().splitlines()
    kept = [lines[0]] + [x for x in lines[1:] if x[:10] <= "2025-02-28"]
    assert len(kept) - 1 == 41                      # 2025-01-19 to 2025-02-28, every day
    (tmp_path / "crypto" / "TRUMPUSDT.csv").write_text("\n".join(kept) + "\n")
    with Workspace(open_source(tmp_path, db=tmp_path / "s.duckdb")) as ws:
        rep = risk.tail_risk(ws, start="2025-03-10", methods=("historical",), backtest=False)
    assert [n for n in rep.notes if "trump" in n] == [
        "trump_pct left out: 0 observations in the window, VaR needs 200"]
    assert "btc_pct/historical" in rep.to_dict()["summary"]["var"]
