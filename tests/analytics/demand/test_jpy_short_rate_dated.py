"""The demand table's JPY short-rate row says what it is of: OECD's month or TONA's day (h_ep12)."""

from __future__ import annotations

import pandas as pd
import pytest

from spillwatch.analytics.demand import DemandInputs, demand

pytestmark = pytest.mark.realdata


def _col(path, column=None, start="2024-01-01", end="2024-08-31") -> pd.Series:
    f = pd.read_csv(path, parse_dates=["date"], index_col="date")
    s = f[column] if column else f.iloc[:, 0]
    return s[start:end]


def _result(shared_data, **more):
    fred = shared_data / "fred"
    return demand(DemandInputs(
        ust10y=_col(fred / "DGS10.csv"), dgs3mo=_col(fred / "DGS3MO.csv"),
        jgb10y=_col(shared_data / "japan" / "jgb_yields_mof.csv", "jgb_10y"), **more))


def test_the_oecd_rate_names_its_month(shared_data):
    """On the evening of 2024-08-05 (the BoJ had raised its rate on 07-31) the row read "JPY
    short rate (3-month interbank, else TONA) 0.15" with nothing to say it was June's
    average (IR3TIB01JPM156N 0.149 for 2024-06, out about 45 days after the month's first)."""
    oecd = _col(shared_data / "fred" / "IR3TIB01JPM156N.csv", start="2023-06-01")
    row = _result(shared_data, ir3tib=oecd).signals_table("2024-08-05").loc[
        "jpy_short_rate_pct"]
    assert row["value"] == pytest.approx(0.149)
    assert row["signal"] == ("JPY short rate (3-month interbank, else TONA) "
                             "(the OECD's 2024-06 average)")


def test_tona_names_its_day(shared_data):
    """Without the OECD's rate the hedge reads TONA, the BoJ's next business day: its day."""
    tona = _col(shared_data / "japan" / "tona.csv")
    row = _result(shared_data, tona=tona).signals_table("2024-08-05").loc[
        "jpy_short_rate_pct"]
    assert row["value"] == pytest.approx(tona["2024-08-02"])
    assert row["signal"] == "JPY short rate (3-month interbank, else TONA) (TONA of 2024-08-02)"
