"""The auctions' tail probability starts on the day of the ``burn_in_auctions``-th scored
auction, not a day or an auction later (h_mut28).

``DemandGauge``: "``burn_in_auctions`` ... observations of an indicator (... auction dates)
before its tail probability is defined". A mutant that waited for one scored auction more
survived the suite (the real-data test asks only that the tail is not read *before* the 52nd).
"""
import numpy as np
import pandas as pd
from demand_csv import synthetic_auctions

from spillwatch.analytics.demand import DemandGauge, DemandInputs
from spillwatch.analytics.demand.auctions import auction_table

BURN = 6


def test_the_auction_tail_is_read_from_the_burn_in_th_scored_auction():
    auctions = synthetic_auctions(60, np.random.default_rng(4))
    res = DemandGauge(burn_in_auctions=BURN).fit(DemandInputs(auctions=auctions))
    table = auction_table(auctions)
    scored = pd.DatetimeIndex(table.loc[table["weakness"].notna(), "date"]).sort_values()
    assert len(scored) > BURN
    for name in ("auction_weakness_28d", "auction_indirect_dev_28d_pp"):
        read = res.tails[name].dropna()
        assert read.index[0] == scored[BURN - 1], name
