"""The public surface: facade, spec composition, result verbs, validation messages."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest
from conn_reference import simulate_var

import spillwatch as sw
from spillwatch.analytics.connectedness import (
    VAR,
    CholeskyFEVD,
    Connectedness,
    ConnectednessResult,
    GeneralizedFEVD,
    RollingConnectednessResult,
)
from spillwatch.exceptions import ConfigError, DataError

COLS = ["ust10y_bp", "usd_broad_pct", "btc_pct"]


@pytest.fixture
def frame(rng):
    y = simulate_var(rng, 300, 3, 1)
    return pd.DataFrame(y, index=pd.bdate_range("2022-01-03", periods=300, name="date"),
                        columns=COLS)


def test_facade_exports():
    for name in ("connectedness", "Connectedness", "TVPVAR", "GeneralizedFEVD", "VAR",
                 "CholeskyFEVD", "FrequencyFEVD"):
        assert name in sw.__all__
        assert getattr(sw, name) is not None


def test_function_is_sugar_for_the_spec(frame):
    a = sw.connectedness(frame, lags=2, horizon=8)
    b = Connectedness(model=VAR(lags=2), decomposition=GeneralizedFEVD(horizon=8)).fit(frame)
    np.testing.assert_array_equal(a.theta, b.theta)
    assert a.spec == b.spec
    r1 = a.rolling(window=120)
    r2 = b.spec.fit_rolling(frame, window=120)
    np.testing.assert_array_equal(r1.theta, r2.theta)
    assert isinstance(a, ConnectednessResult)
    assert isinstance(r1, RollingConnectednessResult)


def test_spec_is_frozen_picklable_and_fit_is_pure(frame):
    spec = Connectedness(decomposition=CholeskyFEVD(horizon=5))
    before = frame.copy()
    spec.fit(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert pickle.loads(pickle.dumps(spec)) == spec
    with pytest.raises(AttributeError):
        spec.on_singular = "nan"  # type: ignore[misc]


def test_table_layout(frame):
    res = sw.connectedness(frame, lags=1)
    t = res.table()
    assert list(t.columns) == [*COLS, "FROM"]
    assert list(t.index) == [*COLS, "TO", "Inc.Own", "NET", "NPT"]
    assert t.loc["TO", "FROM"] == pytest.approx(res.tci)
    assert t.loc["Inc.Own", "FROM"] == pytest.approx(res.tci * 3 / 2)
    np.testing.assert_allclose(t.loc["NET", COLS], res.net)
    np.testing.assert_allclose(t.loc[COLS, "FROM"], res.from_)
    np.testing.assert_allclose(t.loc["TO", COLS], res.to)
    # NPT counts the positive entries of each column of the NPDC
    np.testing.assert_allclose(t.loc["NPT", COLS], (res.npdc > 0).sum(axis=0))
    pci = res.pci
    np.testing.assert_allclose(pci, pci.T)
    i, j = COLS[0], COLS[2]
    th = res.fevd
    expect = 200 * (th.loc[i, j] + th.loc[j, i]) / (th.loc[i, i] + th.loc[j, j] + th.loc[i, j]
                                                    + th.loc[j, i])
    assert pci.loc[i, j] == pytest.approx(expect)


def test_npdc_sign_convention(frame):
    res = sw.connectedness(frame, lags=1)
    th = res.fevd
    a, b = COLS[0], COLS[1]
    # positive = the row receives on net from the column
    assert res.npdc.loc[a, b] == pytest.approx(th.loc[a, b] - th.loc[b, a])


def test_to_frame_to_dict_summary(frame):
    res = sw.connectedness(frame, lags=1)
    long = res.to_frame()
    assert list(long.columns) == ["from", "to", "value"]
    row = long[(long["from"] == COLS[2]) & (long["to"] == COLS[0])]
    assert row["value"].item() == pytest.approx(res.fevd.loc[COLS[0], COLS[2]])
    d = res.to_dict()
    json.dumps(d)
    assert d["tci"] == pytest.approx(res.tci)
    assert "TCI" in str(res)
    roll = res.rolling(window=150)
    json.dumps(roll.to_dict())
    rl = roll.to_frame()
    assert list(rl.columns) == ["date", "from", "to", "value"]
    assert len(rl) == len(roll.tci) * 9
    assert "window 150" in str(roll)
    assert roll.net.shape == (151, 3)
    assert roll.npdc.shape == (151, 6)
    assert roll.table(at="2100-01-01").equals(roll.table())
    with pytest.raises(ConfigError, match="no window ends"):
        roll.table(at="2000-01-01")
    assert "<h4>" in res._repr_html_()


def test_plots(frame):
    import plotly.graph_objects as go

    res = sw.connectedness(frame, lags=1)
    roll = res.rolling(window=150)
    for fig in (res.plot(), res.plot("network"), roll.plot(), roll.plot("net"),
                roll.plot("blocks"), roll.plot("table"), roll.plot("network"),
                res.blocks().plot()):
        assert isinstance(fig, go.Figure)
        assert len(fig.data) >= 1
    with pytest.raises(ConfigError, match="unknown plot kind"):
        res.plot("pie")


def test_nan_rows_join_the_next_complete_row_as_on_the_command_line(frame):
    # the library dropped a row with a NaN (a holiday: the other series' moves of that day were
    # lost) where `spillwatch spillover` adds it to the next row: the README's Python route gave
    # another TCI than the command (46.2485 against 46.1537 on the shared data)
    from spillwatch.analytics.connectedness import merge_incomplete_rows

    holed = frame.copy()
    holed.iloc[[5, 50, 51], 2] = np.nan
    res = sw.connectedness(holed, lags=1)
    merged = merge_incomplete_rows(holed)
    assert len(merged) == len(holed) - 3 and not merged.isna().any().any()
    np.testing.assert_array_equal(res.theta, sw.connectedness(merged, lags=1).theta)
    assert res.data.attrs["dropped_rows"] == 3
    row = holed.index[6]                     # carries row 5's changes of the other columns
    np.testing.assert_allclose(res.data.loc[row].to_numpy(), holed.iloc[5:7].sum().to_numpy())
    dropped = sw.connectedness(holed, lags=1, incomplete="drop")
    np.testing.assert_array_equal(dropped.theta,
                                  sw.connectedness(holed.dropna(), lags=1).theta)
    assert not np.allclose(dropped.theta, res.theta)
    roll = sw.connectedness(holed, lags=1, window=100)
    np.testing.assert_array_equal(roll.tci.to_numpy(),
                                  sw.connectedness(merged, lags=1, window=100).tci.to_numpy())


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"model": "tvpvar"}, ConfigError, "unknown model 'tvpvar'; choose one of: 'var'"),
    ({"decomposition": "spectral"}, ConfigError, "choose one of: 'generalized'"),
    ({"lags": 0}, ConfigError, "lags must be an int >= 1, got 0"),
    ({"horizon": 0}, ConfigError, "horizon must be"),
    ({"on_singular": "skip"}, ConfigError, "on_singular"),
    ({"incomplete": "skip"}, ConfigError, "incomplete must be one of"),
    ({"window": 2}, ConfigError, "window must be"),
    ({"window": 400}, DataError, "need at least 400 complete rows"),
    ({"window": 8, "lags": 2}, DataError, "needs at least"),
])
def test_validation_messages(frame, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        sw.connectedness(frame, **kwargs)


def test_bad_inputs(frame):
    with pytest.raises(DataError, match="DataFrame"):
        sw.connectedness(frame.to_numpy())
    with pytest.raises(DataError, match="at least two columns"):
        sw.connectedness(frame[["btc_pct"]])
    bad = frame.copy()
    bad.iloc[3, 1] = np.inf
    with pytest.raises(DataError, match="infinite"):
        sw.connectedness(bad)
    few = frame.copy()
    few.iloc[5:, 2] = np.nan
    with pytest.raises(DataError, match=r"at least 8 complete rows, got 5.*'btc_pct' has 5,"):
        sw.connectedness(few, lags=1)
    with pytest.raises(ConfigError, match="VAR or TVPVAR"):
        Connectedness(model="var")  # type: ignore[arg-type]


def test_a_series_loaded_twice_is_named_not_every_window_failed():
    """ETH equal to BTC (or BTC x 100): `spillover` said "every window failed; see
    result.failures", naming no series and pointing at a Python attribute."""
    import spillwatch as sw
    from spillwatch.exceptions import SingularWindowError

    panel = sw.load("demo", assets=["ust10y", "usd_broad", "btc", "eth"])
    twin = panel.assign(eth_pct=100.0 * panel["btc_pct"])
    with pytest.raises(SingularWindowError, match=r"btc_pct and eth_pct move as one \(correlation "
                                        r"\+1\.000000: a series loaded twice"):
        sw.connectedness(twin, lags=2, horizon=10)
    flat = panel.assign(usd_broad_pct=0.0)
    with pytest.raises(SingularWindowError, match=r"usd_broad_pct never moves"):
        sw.connectedness(flat, lags=2, horizon=10).rolling(window=200)
