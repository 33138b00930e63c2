"""`demand`'s first line says "calm" below the gauge's lower band, as every headline does."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.plotting.demand import BANDS

pytestmark = pytest.mark.realdata


@pytest.mark.slow
@pytest.mark.parametrize(("evening", "reads"), [
    # 2018-12-24 read "gauge 0.476 (percentile 20); attribution: China 31%, ..." where `run`
    # said "calm (largest part of the evidence: China)": a lead out of a small sum
    ("2018-12-24", "(percentile 20, calm); attribution: China 31%"),
    ("2020-03-20", "(percentile 99); attribution: foreign official custody 95%"),
    # 79.74 under the band by its whole part: test_demand_whole_percentile.py
])
def test_the_first_line_says_calm_under_the_lower_band(real_db, evening, reads):
    res = CliRunner().invoke(app, ["demand", "--db", str(real_db), "--as-of", evening])
    assert res.exit_code == 0, res.output
    first = " ".join(res.stdout.split())
    assert f"foreign demand for Treasuries as of {evening}: gauge " in first
    assert reads in first


def test_one_lower_band_for_the_verdict_the_rule_and_the_words():
    from spillwatch.analytics.demand import DEFAULT_RULES
    from spillwatch.analytics.demand.verdict import sell_america_check

    assert BANDS == (80.0, 90.0)
    assert sell_america_check.__defaults__ is None        # keyword-only: read them there
    assert sell_america_check.__kwdefaults__["threshold"] == BANDS[0]
    assert ("demand.percentile", ">=", BANDS[1]) in [r[:3] for r in DEFAULT_RULES]
