"""China's SAFE reserves given in USD billions (``safe:cn_fx_reserves_usd_bn``) are read in
SAFE's own unit, 100 million USD, as the docstring of ``DemandInputs.from_frames`` promises.

No test gave the billions id (the ``* 10`` in ``from_frames`` never ran). The figures are
SAFE's for March to May 2026 (../shared/data/holdings/china_fx_reserves_safe.csv: 33,421.23,
34,105.47 and 34,422.38 hundred million), written in billions.
"""
import pandas as pd
import pytest

from spillwatch.analytics.demand.inputs import DemandInputs

MONTHS = pd.to_datetime(["2026-03-31", "2026-04-30", "2026-05-31"])
USD100M = [33421.23, 34105.47, 34422.38]


def test_billions_are_read_as_hundred_millions():
    bn = DemandInputs.from_frames({"safe:cn_fx_reserves_usd_bn": pd.Series(
        [3342.123, 3410.547, 3442.238], index=MONTHS)})
    own = DemandInputs.from_frames({"safe:cn_fx_reserves_usd100m": pd.Series(
        USD100M, index=MONTHS)})
    assert bn.china_reserves.to_numpy() == pytest.approx(USD100M, rel=1e-12)
    pd.testing.assert_series_equal(bn.china_reserves, own.china_reserves, rtol=1e-12,
                                   check_names=False)
    assert bn.series_ids["china_reserves"] == "safe:cn_fx_reserves_usd_bn"
    assert bn.present == ("china_reserves",)
