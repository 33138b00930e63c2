"""``sw.read_csv``: a CSV as a wide frame of its clean values (h_cov2: no data test ran it).

Only the DY and ACG reference files went through it (clean, in order); what its docstring
promises for a file as people keep them was unchecked: the file's column names kept, the dates
in order, a quarantined point absent (NaN) and its row in ``attrs["quarantine"]``.
"""

from __future__ import annotations

import math

import pandas as pd

import spillwatch as sw


def test_a_wide_csv_keeps_names_orders_dates_and_sets_bad_points_aside(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("date,Fund A,Rate\n2024-01-04,101.5,4.1\n2024-01-02,100,4.0\n"
                    "2024-01-03,abc,4.05\nnotadate,102,4.2\n2024-01-05,,4.3\n")
    w = sw.read_csv(path)
    assert list(w.columns) == ["Fund A", "Rate"] and w.index.name == "date"
    assert list(w.index) == list(pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04",
                                                 "2024-01-05"]))
    assert w["Rate"].tolist() == [4.0, 4.05, 4.1, 4.3]
    fund = w["Fund A"].tolist()
    assert fund[0] == 100.0 and fund[2] == 101.5 and math.isnan(fund[1]) and math.isnan(fund[3])
    q = w.attrs["quarantine"]
    got = sorted(zip(q["series_id"], q["raw_value"].astype(str), q["reason"], strict=True))
    assert got == [
        ("csv:Fund A", "102", "unparseable date 'notadate' (see --date-format)"),
        ("csv:Fund A", "abc", "non-numeric value 'abc'"),
        ("csv:Rate", "4.2", "unparseable date 'notadate' (see --date-format)"),
    ]
