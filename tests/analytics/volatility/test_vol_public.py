"""Public volatility/VaR API that had no test: VolatilityResult.bic_table,
SeriesVolatility.cumulative_var, service.risk.volatility_summary, ValueAtRisk.for_length and
ValueAtRisk.backtest_series (on the directory's ``garch_series`` fixture)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from arch import arch_model

from spillwatch.analytics.volatility.garch import volatility
from spillwatch.analytics.volatility.risk import ValueAtRisk


def _two(garch_series):
    x = garch_series.rename("x_pct")
    y = (garch_series.iloc[::-1].to_numpy() * 3.0)
    return pd.DataFrame({"x_pct": x.to_numpy(), "y_bp": y}, index=garch_series.index)


def test_bic_table_holds_every_candidate_s_bic_and_the_choice_is_its_row_minimum(garch_series):
    """bic_table had no test: one row per fitted series, one column per candidate, each the
    BIC of arch's own fit on the scaled series; the table's model is the row's minimum."""
    frame = _two(garch_series)
    res = volatility(frame, model="auto")
    bt = res.bic_table()
    assert list(bt.index) == ["x_pct", "y_bp"] and bt.index.name == "series"
    assert set(bt.columns) == {"garch", "gjr-garch", "egarch"}
    for k in bt.index:
        f = res[k]
        ref = arch_model(frame[k] * f.scale, dist="t", rescale=False).fit(disp="off")
        assert bt.loc[k, "garch"] == pytest.approx(ref.bic, abs=1e-6)
        assert res.table().loc[k, "model"] == bt.loc[k].idxmin()
        assert res.table().loc[k, "bic"] == bt.loc[k].min()


def test_bic_table_leaves_out_a_series_that_was_not_estimated_and_is_empty_for_ewma(
        garch_series):
    frame = _two(garch_series)
    frame["short_pct"] = np.r_[np.full(len(frame) - 150, np.nan), frame["x_pct"].iloc[-150:]]
    res = volatility(frame, model="garch")
    assert list(res.bic_table().index) == ["x_pct", "y_bp"]
    assert list(res.bic_table().columns) == ["garch"]
    assert "short_pct" in res.failures
    ew = volatility(frame[["x_pct"]]).bic_table()
    assert list(ew.index) == ["x_pct"] and ew.shape[1] == 0


def test_cumulative_var_of_a_mean_forecast_is_the_running_sum(garch_series):
    res = volatility(garch_series, model="garch", horizon=7)
    f = res["x_pct"]
    np.testing.assert_allclose(f.cumulative_var, np.cumsum(f.forecast_var), rtol=1e-12)
    assert res.table().loc["x_pct", "vol_cum_7d"] == pytest.approx(
        np.sqrt(f.cumulative_var[-1]), rel=1e-12)
    # the cumulative variance of a persistent GARCH is the sum, not sqrt-of-time
    assert f.cumulative_var[-1] != pytest.approx(7 * f.forecast_var[0], rel=1e-6)


def test_volatility_summary_is_the_table_s_numbers(garch_series):
    from spillwatch.service.risk import volatility_summary

    res = volatility(_two(garch_series), model="auto", horizon=5)
    s, t = volatility_summary(res), res.table()
    assert set(s) == {"x_pct", "y_bp"}
    for k, row in s.items():
        assert row["model"] == t.loc[k, "model"]
        assert row["as_of"] == pd.Timestamp(t.loc[k, "last_date"]).date().isoformat()
        for col in ("vol_1d", "vol_5d", "vol_cum_5d"):
            assert row[col] == t.loc[k, col]


def test_for_length_cuts_the_windows_to_a_short_series():
    spec = ValueAtRisk()
    assert (spec.for_length(240).fit_window, spec.for_length(240).window) == (240, 240)
    assert (spec.for_length(700).fit_window, spec.for_length(700).window) == (700, 500)
    assert spec.for_length(5000) == spec


def test_backtest_series_is_the_backtest_paths_entry(garch_series):
    spec = ValueAtRisk(methods=("historical", "fhs"), window=250, fit_window=500,
                       refit_every=250, min_test=250)
    s = garch_series.iloc[:800]
    one = spec.backtest_series(s, "fhs")
    both = spec.backtest_paths(s, ("historical", "fhs"))
    pd.testing.assert_frame_equal(one, both["fhs"])
    assert len(one) == 300 and one.index[0] == s.index[500]
    # a violation is a loss beyond the VaR, on the day's own change
    np.testing.assert_array_equal(one["hit"].to_numpy(),
                                  one["ret"].to_numpy() < -one["var"].to_numpy())


def test_the_table_gives_the_realised_volatility_beside_the_forecast(garch_series):
    """A trader read "BTC next day 2.98 %/day" with nothing to hold it against (its last 20
    changes had an sd of 1.93): the table, the text and the service summary give the sample sd
    of the last 20 changes, on the series' own last date."""
    from spillwatch.service.risk import volatility_summary

    x = garch_series.copy()
    res = volatility(x, model="garch")
    want = float(np.std(x.dropna().to_numpy()[-20:], ddof=1))
    name = str(x.name)
    assert res.table().loc[name, "realised_20d"] == pytest.approx(want, rel=1e-12)
    assert f"(realised over the last 20 changes {want:.3g})" in str(res)
    assert volatility_summary(res)[name]["realised_20d"] == pytest.approx(want, rel=1e-12)
