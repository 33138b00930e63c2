"""The default ``crypto_shock`` rule's edge: a coin's fall of three and a half, not four, of its
standard deviations does not fire it.

The rule's tests fired it on 2020-03-12 and 2025-10-10, where every coin read under −4 (BTC
−15.2 and −4.56): a threshold loosened to −3 (or a ``<=`` turned into ``<`` of −3.5) fired
them as well. On 2021-05-12 BTC fell 3.52 of its RiskMetrics standard deviations (ether 1.54):
no alert.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alerts.test_crypto_shock import _crypto_shock


def _raw_z(shared_data, coin: str, day: str) -> float:
    """The day's log change over the EWMA (λ 0.94, start the mean square of the first 30
    changes, 60 changes before) forecast of the evening before, from the Binance file alone."""
    raw = pd.read_csv(shared_data / "crypto" / f"{coin}USDT.csv", parse_dates=["date"])
    r = 100.0 * np.log(raw.set_index("date")[f"{coin}USDT"].astype(float)).diff().dropna()
    v = r.to_numpy()
    var, z = float(np.mean(v[:30] ** 2)), np.full(len(v), np.nan)
    for i, x in enumerate(v):
        if i >= 60:
            z[i] = x / np.sqrt(var)
        var = 0.94 * var + 0.06 * x * x
    return float(pd.Series(z, r.index).loc[day])


@pytest.mark.realdata
def test_a_fall_short_of_four_standard_deviations_does_not_fire(real_db, shared_data):
    day = "2021-05-12"
    z = _raw_z(shared_data, "BTC", day)
    assert -4.0 < z < -3.0                    # -3.52: a big day, short of the rule's four
    rows = _crypto_shock(real_db, day)
    assert rows["btc"].value == pytest.approx(z, abs=1e-9)
    assert rows["btc"].active is False
    assert {a for a, r in rows.items() if r.active} == set()
    # the rule watches coins alone (its match): no rate, dollar or equity row
    assert set(rows) <= {"btc", "eth", "trump"}
