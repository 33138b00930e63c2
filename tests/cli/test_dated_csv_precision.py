"""``--out`` CSVs keep the figures' precision and write dates as YYYY-MM-DD."""

from __future__ import annotations

import pandas as pd


def test_dated_csv_keeps_ten_significant_digits(tmp_path):
    """A row written by ``--out`` reads back to 10 significant digits: a 10-year yield of
    4.28753 %, a stress index of 0.0123456789 and a custody level of 2,987,654.3 ($mn) are
    not cut to 4.288, 0.01235 and 2.988e+06."""
    from spillwatch.cli._common import write_dated_csv

    idx = pd.DatetimeIndex(["2025-04-08", "2025-04-09"], name="date")
    frame = pd.DataFrame({"ust10y_pct": [4.28753, 4.34],
                          "stress": [0.0123456789, 0.2],
                          "custody_usd_mn": [2987654.3, 2990000.0]}, index=idx)
    out = tmp_path / "rows.csv"
    write_dated_csv(frame, out, json_out=False)
    back = pd.read_csv(out)
    assert back["date"].tolist() == ["2025-04-08", "2025-04-09"]
    assert back["ust10y_pct"].tolist() == [4.28753, 4.34]
    assert back["stress"].iloc[0] == 0.0123456789
    assert back["custody_usd_mn"].iloc[0] == 2987654.3
