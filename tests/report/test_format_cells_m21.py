"""The report's cells and notes as a reader sees them (h_mut21's mutants of ``report.format``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch.report.format import cell, glossary_html, note, table_html


def test_a_test_that_passed_reads_yes_and_one_that_failed_no():
    # the risk section's backtest table: "passed" is a bool column
    frame = pd.DataFrame({"passed": [True, np.bool_(False)]}, index=["btc_pct", "eth_pct"])
    page = table_html(frame)
    assert "<td>btc_pct</td><td>yes</td>" in page
    assert "<td>eth_pct</td><td>no</td>" in page
    assert cell(True) == "yes" and cell(False) == "no"


def test_counts_dates_and_gaps_print_as_a_reader_reads_them():
    assert cell(2889) == "2,889"                       # a count, not 2,889.00
    assert cell(np.int64(16647)) == "16,647"
    assert cell(float("nan")) == "" and cell(float("inf")) == ""
    assert cell(pd.Timestamp("2025-04-09 00:00")) == "2025-04-09"
    assert cell(None) == ""
    assert cell("<b>") == "&lt;b&gt;"


def test_a_horizon_in_days_held_as_floats_prints_whole():
    frame = pd.DataFrame({"horizon (days)": [45.0, 60.0], "sold ($bn)": [61.94, 100.0]},
                         index=["japan-10pct", "japan-intervention"])
    page = table_html(frame, "{:,.1f}")
    assert "<td>45</td><td>61.9</td>" in page
    assert "<td>60</td><td>100.0</td>" in page


def test_a_window_column_of_floats_prints_whole_days():
    frame = pd.DataFrame({"var": [7.591], "window": [500.0]}, index=["btc_pct"])
    assert "<td>7.59</td><td>500</td>" in table_html(frame)


def test_a_horizon_or_days_column_named_by_its_first_word_prints_whole():
    frame = pd.DataFrame({"horizon": [20.0], "days spanning": [223.0], "es": [9.5]},
                         index=["btc_pct"])
    assert "<td>btc_pct</td><td>20</td><td>223</td><td>9.50</td>" in table_html(frame)


def test_a_column_of_counts_with_a_fraction_keeps_its_decimals():
    frame = pd.DataFrame({"days": [250.0, 12.5]}, index=["a", "b"])
    page = table_html(frame)
    assert "<td>250.00</td>" in page and "<td>12.50</td>" in page


def test_a_note_is_escaped():
    assert note("p < 0.05 & |t| > 1.96") == "<p><i>p &lt; 0.05 &amp; |t| &gt; 1.96</i></p>"


def test_the_terms_list_takes_whole_words_only():
    # "ES" inside "ESTIMATES", "bp" inside "bps_" are not the abbreviations
    assert glossary_html("ESTIMATES of xbp_ moves") == ""
    assert "<dt>ES</dt>" in glossary_html("VaR and ES at 99%")
