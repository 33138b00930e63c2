"""The scenario table's numbers: yields in bp to 0.1, prices in % to 0.01, signed."""

from __future__ import annotations

import math


def test_bp_to_a_tenth_and_percent_to_a_hundredth():
    """A yield's change prints to 0.1 bp and a price's to 0.01 %, both signed (module
    docstring: "bp to 0.1, % to 0.01"): +45.34 bp is "+45.3", not "+45"; -1.234 % is
    "-1.23"; no reading is blank."""
    from spillwatch.scenarios._format import num

    assert num(45.34, "bp") == "+45.3"
    assert num(-0.26, "bp") == "-0.3"
    assert num(-1.234, "%") == "-1.23"
    assert num(0.0, "%") == "+0.00"
    assert num(math.nan, "bp") == ""


def test_each_percentile_column_reads_its_own_quantile():
    """The table's columns are the 50th, 5th, 95th, 1st and 99th percentiles of the change at
    the horizon, each from its own quantile: on a scenario whose quantiles are 1, 5, 50, 95
    and 99 bp, the "95%" column reads +95.0 (not the 99th's +99.0), "1%" +1.0 and so on."""
    from types import SimpleNamespace

    import pandas as pd

    from spillwatch.scenarios._format import scenario_table

    qs = {"q0.01": 1.0, "q0.05": 5.0, "q0.5": 50.0, "q0.95": 95.0, "q0.99": 99.0}
    market = SimpleNamespace(
        assets=["ust10y"], unit=lambda i: "bp",
        response_per_10bp=lambda levels: pd.DataFrame(
            {"q0.16": [8.0], "q0.5": [10.0], "q0.84": [12.0]}, index=["ust10y"]))
    res = SimpleNamespace(market=market, quantiles=lambda key, levels: qs,
                          worst_close=lambda key: 120.0,
                          model_share={"ust10y": 0.62}, model_share_se={"ust10y": 0.01})
    row = scenario_table(res).iloc[0]
    assert [row["median"], row["5%"], row["95%"], row["1%"], row["99%"]] == \
        ["+50.0", "+5.0", "+95.0", "+1.0", "+99.0"]
    assert row["worst 5%"] == "+120.0"
    assert row["per +10bp 10y"] == "+10.0 [+8.0, +12.0]"
    assert row["models"] == "62%"


def test_a_model_share_without_a_standard_error_is_not_shown():
    """A model share is shown only when its standard error is known and at most 0.05: an
    unknown (NaN) standard error reads "n/a", as a noisy one does, not the share."""
    from spillwatch.scenarios._format import share_text

    assert share_text(0.62, 0.01) == "62%"
    assert share_text(0.62, 0.05) == "62%"
    assert share_text(0.62, 0.051) == "n/a"
    assert share_text(0.62, math.nan) == "n/a"
    assert share_text(math.nan, 0.01) == "n/a"


def test_the_window_read_is_the_shortest_that_covers_the_horizon():
    """A figure recorded per window is read from the shortest window at least as long as the
    horizon: a 20-day horizon reads the 20-day window (not the 60-day one), a 21-day horizon
    the 60-day one, a 100-day horizon the longest."""
    from types import SimpleNamespace

    from spillwatch.scenarios._format import _window

    by_window = {"5": 0, "20": 0, "60": 0}
    assert _window(SimpleNamespace(horizon=20), by_window) == 20
    assert _window(SimpleNamespace(horizon=21), by_window) == 60
    assert _window(SimpleNamespace(horizon=100), by_window) == 60


def test_dollar_amounts_in_bn_and_tn():
    """Sale sizes print in $bn from $1bn and $tn from $1tn (``$118.6bn``, ``$1.13tn``): a
    $5bn sale is "$5.0bn", not "$5,000,000,000"; below $1bn, whole dollars."""
    from spillwatch.scenarios._format import usd

    assert usd(5e9) == "$5.0bn"
    assert usd(1e9) == "$1.0bn"
    assert usd(118.6e9) == "$118.6bn"
    assert usd(1.13e12) == "$1.13tn"
    assert usd(999_999_999.0) == "$999,999,999"
