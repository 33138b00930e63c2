"""The scenario's explanation of its yield impact: what the cited papers say and do not."""

from __future__ import annotations

import pytest

from spillwatch.scenarios import fit_market
from spillwatch.scenarios.impact import ImpactModel
from spillwatch.scenarios.selloff import preset


@pytest.fixture(scope="module")
def market(panel):
    return fit_market(panel)


def _explain(market, band):
    res = preset("japan-10pct").simulate(market, paths=200, seed=1, impact=ImpactModel(band=band))
    return " ".join(str(res.explain()).split())


def test_upper_band_is_not_attributed_to_warnock_and_warnock(market):
    """``--band upper`` was explained as "the upper band after Warnock & Warnock (2009)", whose
    abstract finds the effect of foreign *official* flows "markedly smaller" than that of all
    foreign flows (their 150 bp is a year without any foreign inflow): the band (55-60 bp, the top
    of Beltran et al.'s range) is this module's choice, and the explanation now says so."""
    flat = _explain(market, "upper")
    assert "upper band after Warnock" not in flat
    assert "this module's choice" in flat
    assert "smaller" in flat and "Warnock & Warnock" in flat


def test_central_band_states_its_units_and_the_literature_spread(market):
    """The 40-60 bp per $100bn was given as "the literature's" band with a 5-95% interval of a few
    bp, without saying it is one paper's estimate in dollars of the market before 2008 (foreign
    holdings $2.2tn in June 2007, TIC), not rescaled, nor that published
    estimates for official sales run from about 2 bp (IMF WP/17/174) to over 100 bp (Ahmed &
    Rebucci 2022) per $100bn."""
    flat = _explain(market, "central")
    assert "Beltran" in flat and "40–60 bp" in flat
    assert "before 2008" in flat and "not rescaled" in flat
    assert "Ahmed & Rebucci" in flat and "IMF WP/17/174" in flat
    res = preset("japan-10pct").simulate(market, paths=200, seed=1)
    assert max(len(line) for line in str(res.explain()).splitlines()) <= 100
