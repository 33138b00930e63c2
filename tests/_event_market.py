"""A synthetic market for event studies: a factor (``spx_pct``) and an asset that loads on it
(``btc_pct`` = 0.3 + 1.5 x factor + noise), on business days from 2024-01-01."""

from __future__ import annotations

import numpy as np
import pandas as pd


def synthetic_market(n: int = 200, seed: int = 5) -> pd.DataFrame:
    """``n`` business days of the factor and the asset, seeded."""
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2024-01-01", periods=n, name="date")
    f = rng.standard_normal(n)
    y = 0.3 + 1.5 * f + 0.5 * rng.standard_normal(n)
    return pd.DataFrame({"spx_pct": f, "btc_pct": y}, index=idx)
