"""``_kept.fingerprint`` names its values in full: two inputs a fit reads apart never share a key.

pandas' row hashes (``hash_pandas_object``) leave out a series' name, a frame's column names,
the width of an integer and the type of the index: 1 and 2 as ``int32`` hash as they do as
``int64``, the same figures under another column as under the first. Each of those is what a
kept stress index or demand gauge is read by (a panel with a column renamed is another panel),
so each is part of the key beside the rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spillwatch._kept import fingerprint

DAYS = pd.date_range("2024-01-01", periods=3)


def _series(**kw: object) -> pd.Series:
    return pd.Series([1.5, 2.5, -0.25], index=kw.pop("index", DAYS), **kw)  # type: ignore[arg-type]


def test_equal_values_built_again_are_one_key():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4, 5, 6]}, index=DAYS)
    frame.attrs["units"] = {"a": "pct"}
    again = frame.copy()
    again.attrs["units"] = {"a": "pct"}
    assert fingerprint(frame, {"x": _series(name="s"), "y": None}, 3) == fingerprint(
        again, {"y": None, "x": _series(name="s")}, 3)
    assert len(fingerprint(frame)) == 20


def test_what_pandas_row_hashes_leave_out_still_tells_two_values_apart():
    pairs = {
        "a series' name": (_series(name="ust10y_bp"), _series(name="btc_pct")),
        "a frame's column names": (pd.DataFrame({"rates": [1.0, 2.0]}),
                                   pd.DataFrame({"dollar": [1.0, 2.0]})),
        "an integer's width": (pd.Series([1, 2], dtype="int32"),
                               pd.Series([1, 2], dtype="int64")),
        "a frame's dtypes": (pd.DataFrame({"n": np.array([1, 2], dtype="int32")}),
                             pd.DataFrame({"n": np.array([1, 2], dtype="int64")})),
        "the index's type (dates or their nanoseconds)": (
            _series(), _series(index=pd.Index(DAYS.asi8))),
        "a mapping's keys": ({"custody": 1.0}, {"mof_weekly": 1.0}),
        "where one value ends and the next begins": ((1, 23), (12, 3)),
    }
    for what, (one, other) in pairs.items():
        args_one = one if isinstance(one, tuple) else (one,)
        args_other = other if isinstance(other, tuple) else (other,)
        assert fingerprint(*args_one) != fingerprint(*args_other), what
