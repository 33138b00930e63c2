"""A yield of the user's in "%" or "Percent" gets the spike check a yield in "pct" gets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.store import Store


@pytest.mark.parametrize("unit", ["pct", "%", "Percent", "PCT"])
def test_a_tenfold_typo_in_a_percent_yield_is_quarantined(tmp_path, rng, unit):
    """The asset reads unit "%" and "Percent" as a yield (its VaR on its rises in bp), but the
    import's spike check asked for unit == "pct": a 10-year in "%" with 3.89 typed 38.9 was
    stored, and its 99% ES read 718 bp where the same file in "pct" read 19.8 bp."""
    dates = pd.bdate_range("2019-01-02", "2023-06-30")
    level = 2.0 + np.cumsum(rng.normal(0.0, 0.06, len(dates)))
    level = np.clip(level, 0.5, None)
    bad = len(dates) // 2
    level[bad] *= 10.0
    csv = tmp_path / "y.csv"
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"),
                  "y": [f"{v:.3f}" for v in level]}).to_csv(csv, index=False)
    mapping = tmp_path / "m.toml"
    mapping.write_text(f'[columns.y]\nseries_id = "csv:Y10"\nunit = "{unit}"\n')
    db = tmp_path / "y.duckdb"
    res = CliRunner().invoke(app, ["import", str(csv), "--db", str(db), "--mapping",
                                   str(mapping)])
    assert res.exit_code == 0, res.output
    with Store(db, read_only=True) as store:
        held = store.quarantine("csv:Y10")
    assert len(held) == 1
    assert held["raw_date"].iloc[0] == f"{dates[bad]:%Y-%m-%d}"
    assert held["reason"].iloc[0].startswith("spike in the file")
