"""A past evening's spillover refusal read without an ``--end`` names the evening.

The report of 2018-01-05 (``report --as-of``, and the dashboard's ``?as_of=``) read "spillover
needs 200 days on which all of … have a change; there are 0 (btc_pct starts on 2018-01-03)"
where ``spillover --as-of 2018-01-05`` says "as published by --as-of 2018-01-05": "there are 0"
read of the whole store (h_par1, h_verify19).
"""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.cli import app as cli
from spillwatch.exceptions import DataError
from spillwatch.service.spillover import spillover
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata
runner = CliRunner()


@pytest.fixture(scope="module")
def rates_dollar_crypto(shared_data, tmp_path_factory):
    """The 2- and 10-year, the broad dollar, the yen and Binance's BTC and ETH."""
    db = tmp_path_factory.mktemp("spill") / "store.duckdb"
    for f in ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DTWEXBGS.csv", "fred/DEXJPUS.csv",
              "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv"):
        res = runner.invoke(cli, ["import", str(shared_data / f), "--db", str(db)])
        assert res.exit_code == 0, res.output
    return db


def test_the_vintage_s_refusal_names_its_evening(rates_dollar_crypto):
    with Workspace(rates_dollar_crypto, read_only=True) as ws:
        evening = vintage_workspace(ws, dt.date(2018, 1, 5))
        with pytest.raises(DataError) as err:
            spillover(evening)
    said = str(err.value)
    assert " as published by 2018-01-05; there are 0 (btc_pct starts on 2018-01-03)" in said
    # the CLI's own option stays named where it gave the evening
    res = runner.invoke(cli, ["spillover", "--as-of", "2018-01-05",
                              "--db", str(rates_dollar_crypto)])
    assert res.exit_code == 2
    assert "as published by --as-of 2018-01-05; there are 0" in " ".join(res.output.split())
    # a cut of the whole store (--end) is no evening: the dollar's week to 01-05, published
    # on 01-08, is in it
    with Workspace(rates_dollar_crypto, read_only=True) as ws, pytest.raises(DataError) as err:
        spillover(ws, end="2018-01-05")
    assert "up to --end 2018-01-05; there are 3" in str(err.value)
    assert "as published" not in str(err.value)
