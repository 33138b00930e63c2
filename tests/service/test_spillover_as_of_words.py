"""A spillover refused for too few days names the option given: --as-of is not --end (h_ep5)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


@pytest.mark.realdata
@pytest.mark.parametrize(("option", "said", "days"), [
    ("--as-of", "as published by --as-of 2025-03-03", 27),
    ("--end", "up to --end 2025-03-03", 28),
])
def test_the_refusal_names_the_option_given(real_db, option, said, days):
    res = CliRunner().invoke(app, ["spillover", "--db", str(real_db), "--assets",
                                   "ust10y,usd_broad,trump", option, "2025-03-03"])
    assert res.exit_code == 2, res.output
    text = " ".join(res.stderr.split())
    assert f"have a change {said}; there are {days} (trump_pct starts on 2025-01-22)" in text
