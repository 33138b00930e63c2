"""The VaR bars name each series' unit and the level in percent (h_mut21's mutants of
``plotting.risk.var_figure``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.analytics.volatility.risk import var_es


def test_the_var_bars_say_bp_for_a_yield_percent_for_a_price_and_the_level():
    rng = np.random.default_rng(7)
    days = pd.bdate_range("2022-01-03", periods=600)
    data = pd.DataFrame({"ust10y_bp": rng.standard_t(5, 600) * 6.0,
                         "btc_pct": rng.standard_t(4, 600) * 3.0}, index=days)
    fig = var_es(data, level=0.99, methods=("historical",)).plot()
    assert fig.layout.title.text.startswith("VaR and ES 99%, next business day")
    bars = {tr.name: list(tr.x) for tr in fig.data}
    assert bars["VaR (historical)"] == ["ust10y_bp (bp)", "btc_pct (%)"]
    assert bars["ES (historical)"] == ["ust10y_bp (bp)", "btc_pct (%)"]


def test_the_p_and_l_chart_marks_the_var_as_a_loss_left_of_zero():
    from spillwatch.plotting.scenario import pnl_chart

    hist = np.full(800, 10)
    fig = pnl_chart(hist, -200_000.0, 200_000.0, var99=52_841.6, title="full-dump")
    line = fig.layout.shapes[0]
    assert line.x0 == line.x1 == -52_841.6
    assert fig.layout.annotations[0].text == "99% VaR 52,842 USD"
    bars = fig.data[0]
    # an even histogram is drawn whole (the central 99.9% of its paths): from the first bin's
    # middle, $500 bins merged 8 by 8
    assert bars.x[0] == -200_000.0 + 250.0 and bars.x[1] == bars.x[0] + 8 * 500.0
    assert len(bars.x) == 100
