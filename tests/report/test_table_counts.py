"""The report's tables print a count column as whole numbers only when every value is whole."""

from __future__ import annotations

import numpy as np
import pandas as pd


def test_a_count_column_with_a_fraction_keeps_its_decimals():
    """A count-named float column ("median lead (bdays)", "days") prints as whole numbers only
    when all its values are whole: a median lead of 4.5 days beside 3.0 is "4.50", not "4"
    (int() cut it), while 3.0 and 7.0 print "3" and "7"."""
    from spillwatch.report.format import table_html

    half = pd.DataFrame({"median lead (bdays)": [4.5, 3.0]}, index=["a", "b"])
    html_half = table_html(half)
    assert "<td>4.50</td>" in html_half and "<td>3.00</td>" in html_half
    whole = pd.DataFrame({"days": [3.0, 7.0, np.nan]}, index=["a", "b", "c"])
    html_whole = table_html(whole)
    assert "<td>3</td>" in html_whole and "<td>7</td>" in html_whole
    assert "<td></td>" in html_whole


def test_the_scorecard_lead_is_signed_and_dated():
    """A lead in the scorecard's table is signed, with the first alert's date: "+4 (2025-04-03)"
    four business days before the peak, "-2 (...)" two after (late); an uncovered episode is
    "n/a", one whose window is still open "not scored yet", a covered one without an alert
    "missed"."""
    from spillwatch.report.sections.backtest import _lead

    assert _lead(True, 4.0, "2025-04-03") == "+4 (2025-04-03)"
    assert _lead(True, 0.0, "2025-04-09") == "+0 (2025-04-09)"
    assert _lead(True, -2.0, "2025-04-11") == "-2 (2025-04-11)"
    assert _lead(True, np.nan, None) == "missed"
    assert _lead(False, np.nan, None).startswith("n/a")
    assert _lead(False, np.nan, None, True).startswith("not scored yet")


def test_the_stress_signals_table_rounds_percentiles_down():
    """The report's signal table prints each percentile rounded down, as its light reads it
    (amber from 80, red from 95): 79.96 is "79" beside a green light, not "80"; 94.65 is "94"."""
    from spillwatch.report.sections.stress import _signals_html

    table = pd.DataFrame({"signal": ["10y 5d z", "VIX"], "value": [1.2, 25.0],
                          "percentile": [79.96, 94.65], "light": ["green", "amber"],
                          "state": ["available", "available"],
                          "last_observed": [pd.Timestamp("2025-04-08")] * 2})
    out = _signals_html(table)
    assert "<td>79</td>" in out and "<td>94</td>" in out
    assert "<td>80</td>" not in out and "<td>95</td>" not in out
