"""Reproduce Diebold & Yilmaz (2012), Table 2 (four-asset volatility spillovers).

Data: ../shared/data/reference/dy2012.csv (the data set of the R package ConnectednessApproach,
see the data README for provenance). Published values: the package's
docs/2012DieboldYilmaz.html, "Table 2: Volatility Spillover Table, Four Asset Classes",
VAR(4), H = 10, generalized FEVD. Tolerance: every cell must round to the published 2 decimals
(|ours - published| <= 0.005, the rounding of the published table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw

COLS = ["SP500", "R_10Y", "DJUBSCOM", "USDX"]
PUBLISHED_BLOCK = np.array(
    [
        [88.76, 7.29, 0.35, 3.61],
        [10.21, 81.45, 2.73, 5.61],
        [0.47, 3.70, 93.69, 2.14],
        [5.69, 7.03, 1.55, 85.73],
    ]
)
PUBLISHED = {
    "FROM": [11.24, 18.55, 6.31, 14.27],
    "TO": [16.37, 18.01, 4.62, 11.36],
    "Inc.Own": [105.13, 99.46, 98.31, 97.10],
    "NET": [5.13, -0.54, -1.69, -2.90],
    "NPT": [3, 2, 0, 1],
}
TOL = 0.005 + 1e-9


@pytest.fixture(scope="module")
def dy2012(shared_data):
    frame = sw.read_csv(shared_data / "reference" / "dy2012.csv")
    assert list(frame.columns) == COLS
    assert len(frame) == 2771
    return frame


@pytest.fixture(scope="module")
def result(dy2012):
    return sw.connectedness(dy2012, lags=4, horizon=10)


@pytest.mark.realdata
def test_total_spillover_index_is_12_6(result):
    assert round(result.tci, 1) == 12.6  # the paper's "12.6%"
    assert abs(result.tci - 12.59) <= TOL  # the package's 12.59
    assert abs(result.tci_corrected - 16.79) <= TOL
    assert abs(result.table().loc["TO", "FROM"] - 12.59) <= TOL
    assert abs(result.table().loc["Inc.Own", "FROM"] - 16.79) <= TOL


@pytest.mark.realdata
def test_every_cell_to_two_decimals(result):
    table = result.table()
    np.testing.assert_allclose(table.loc[COLS, COLS].to_numpy(), PUBLISHED_BLOCK, atol=TOL, rtol=0)
    np.testing.assert_allclose(table.loc[COLS, "FROM"], PUBLISHED["FROM"], atol=TOL, rtol=0)
    for row in ("TO", "Inc.Own", "NET", "NPT"):
        np.testing.assert_allclose(table.loc[row, COLS].to_numpy(dtype=float), PUBLISHED[row],
                                   atol=TOL, rtol=0, err_msg=row)
    assert abs(result.to.sum() - 50.37) <= 2 * TOL  # published sum of TO


@pytest.mark.realdata
def test_dy2012_net_pairwise_sign(result):
    # SP500 transmits to every other market on net: each receives on net from SP500
    npdc = result.npdc
    assert (npdc.loc[["R_10Y", "DJUBSCOM", "USDX"], "SP500"] > 0).all()
    np.testing.assert_allclose(npdc.to_numpy(), -npdc.to_numpy().T)


@pytest.mark.realdata
def test_dy2012_rolling_200_matches_static_on_each_window(dy2012):
    # the DY (2012) rolling exercise (200-day windows): spot-check windows against full refits
    roll = sw.connectedness(dy2012, lags=4, horizon=10, window=200)
    assert len(roll.tci) == len(dy2012) - 200 + 1
    assert roll.tci.index[0] == dy2012.index[199]
    for pos in (0, 1234, len(roll.tci) - 1):
        one = sw.connectedness(dy2012.iloc[pos : pos + 200], lags=4, horizon=10)
        np.testing.assert_allclose(roll.theta[pos], one.theta, atol=1e-9)
    assert isinstance(roll.tci.index, pd.DatetimeIndex)
