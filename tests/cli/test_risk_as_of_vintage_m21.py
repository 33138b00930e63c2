"""`risk --as-of D` reads the data published by the evening of D (h_mut21: dropping the vintage
from `risk` left every test green; `volatility`'s was tested, `risk`'s only for a positive VaR).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


@pytest.mark.realdata
@pytest.mark.slow
def test_risk_as_of_does_not_see_the_dollar_published_days_later(real_db):
    # the H.10 broad dollar of 2025-04-07..09 was published on 2025-04-14: on the evening of
    # 04-09 its last value was of 04-04, as `volatility --as-of` already reads it
    res = CliRunner().invoke(app, ["risk", "--db", str(real_db), "--assets", "usd_broad,btc",
                                   "--no-backtest", "--as-of", "2025-04-09", "--json"])
    assert res.exit_code == 0, res.output
    t = json.loads(res.stdout)["var_es"]["table"]
    rows = [dict(zip(t["columns"], r, strict=True)) for r in t["data"]]
    as_of = {r["series"]: r["as_of"] for r in rows}
    assert as_of == {"usd_broad_pct": "2025-04-04", "btc_pct": "2025-04-09"}
    # from the documented default start, 2015-01-01 (the dollar's history runs from 2006)
    nobs = {r["series"]: r["nobs"] for r in rows}
    assert 2_500 < nobs["usd_broad_pct"] <= len(pd.bdate_range("2015-01-01", "2025-04-04"))
