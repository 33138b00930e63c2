"""The scorecard names the rules never evaluated on the days replayed (h_data3).

On a store without custody, MOF, auction or coin files the rules on them cover no episode:
their rows read "0/0" and "n/a" in every column of `backtest`, its ``--json``, /api/backtest and
the report, without a word of why. A note (printed by the CLI, in ``--json``'s notes, the API
and the report's backtest section) now says which rules and why.
"""

from __future__ import annotations

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest import backtest
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

# the index's rates, yen and equity blocks and nothing else: no broad dollar, custody, MOF,
# auctions or coins
FILES = ("fred/DGS2.csv", "fred/DGS10.csv", "fred/DGS30.csv", "fred/DEXJPUS.csv",
         "fred/VIXCLS.csv", "fred/SP500.csv")


def test_the_rules_never_evaluated_are_named(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2023-01-01", last="2025-06-30")
    with Workspace(open_source(db, read_only=True)) as ws:
        res = backtest(ws)
    covered = {s["signal"]: s["covered"] for s in res.to_dict()["scores"]}
    never = ("yields_up_dollar_down", "spillover_rates_dollar_to_crypto_high", "btc_daily_drop",
             "crypto_shock", "custody_weekly_drop", "custody_4w_drop",
             "japan_weekly_bond_sales", "weak_long_auction", "weak_auction_other_tenor",
             "japan_intervention", "foreign_selling_top_decile")
    assert [k for k, v in covered.items() if k.startswith("rule:") and v == 0] == \
        [f"rule:{n}" for n in never]
    assert [n for n in res.notes if "never evaluated" in n] == [
        f"rules {', '.join(never)}: never evaluated on the 650 days replayed (none of their "
        "facts has a value on any of them: an input not in the data, or none published by "
        "2025-06-30), so scored on no episode"]
    # the rules on the 10-year are evaluated, covered and not named
    assert covered["rule:treasury_selloff"] == 4
