"""``jsonable`` checks plain leaves first (489be72): a float that is NaN or infinite is still
``None`` (h_mut11: returning the fast path's float unchecked left the suite green, and
``--json`` would have written ``NaN``, which is no JSON)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from spillwatch._results import jsonable


def test_plain_leaves_and_their_non_finite_floats():
    value = {"nan": float("nan"), "inf": [float("inf"), -float("inf"), 1.5], "n": 3,
             "b": True, "s": "x", "none": None, 4: np.float64("nan"),
             "ts": pd.Timestamp("2026-10-28"), "frame": pd.DataFrame({"a": [float("nan"), 2.0]})}
    got = jsonable(value)
    assert got == {"nan": None, "inf": [None, None, 1.5], "n": 3, "b": True, "s": "x",
                   "none": None, "4": None, "ts": "2026-10-28",
                   "frame": {"index": [0, 1], "columns": ["a"], "data": [[None], [2.0]]}}
    assert type(got["n"]) is int and type(got["b"]) is bool
    json.dumps(got, allow_nan=False)
