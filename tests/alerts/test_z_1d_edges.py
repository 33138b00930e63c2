"""Edges of the standardised move (``standardized_moves``, ``<key>.z_1d``) no test pinned.

h_mut6's mutants of f9716b7 that every test let through: the ``init_obs`` and ``lam`` a caller
passes ignored, ``min_prior == init_obs`` refused, ``init_obs = 0`` accepted (the start variance
then reads the day itself), a 2-D input flattened into one series, the message of a series whose
60 earlier changes were all zero, the stale/gap reason's wording, and the fact's unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch import universe
from spillwatch.alerts.facts import _daily_facts
from spillwatch.alerts.rules import parse_rules
from spillwatch.analytics.volatility.ewma import standardized_moves
from spillwatch.exceptions import ConfigError


def _by_hand(x: np.ndarray, lam: float, init_obs: int, min_prior: int) -> np.ndarray:
    """RiskMetrics (1996, eq. 5.3), one day at a time (no NaN in ``x``)."""
    out = np.full(len(x), np.nan)
    var = float(np.mean(x[:init_obs] ** 2))
    for i, r in enumerate(x):
        if i >= min_prior:
            out[i] = r / np.sqrt(var)
        var = lam * var + (1 - lam) * r * r
    return out


def test_the_decay_and_start_window_a_caller_passes_are_used(rng):
    """lam = 0.90, a 20-change start and values from the 21st change on (min_prior equal to
    init_obs, the least the docstring allows: the start variance is still all in the past)."""
    x = rng.standard_normal(120) * np.linspace(1.0, 3.0, 120)
    z = standardized_moves(x, lam=0.90, init_obs=20, min_prior=20)
    np.testing.assert_allclose(z, _by_hand(x, 0.90, 20, 20), rtol=1e-12, equal_nan=True)
    assert np.isnan(z[:20]).all() and np.isfinite(z[20:]).all()
    # and they matter: the defaults read another number on the same day
    assert abs(z[20] - _by_hand(x, 0.94, 30, 20)[20]) > 1e-3


def test_a_start_window_of_no_changes_is_refused(rng):
    """init_obs = 0 (the filter would start from the first change's own square, so a value
    from day 0 on would read the day itself: z = ±1) is refused as min_prior < init_obs is."""
    with pytest.raises(ConfigError, match="min_prior must be a whole number at least init_obs"):
        standardized_moves(rng.standard_normal(50), init_obs=0, min_prior=0)


def test_a_panel_of_several_series_is_refused(rng):
    with pytest.raises(ValueError, match=r"changes must be one series \(1-D\); got shape "
                                         r"\(100, 2\)"):
        standardized_moves(rng.standard_normal((100, 2)))


def _coin(levels: list[float], *, change_days: int | None = None):
    """btc's panel columns from closes (log % changes, the first NaN); ``change_days``: the
    changes end that many rows in (the later levels follow a gap the panel leaves unmeasured)."""
    idx = pd.date_range("2025-01-01", periods=len(levels), freq="D")
    lv = pd.Series(levels, idx, dtype=float)
    ch = 100.0 * np.log(lv).diff()
    if change_days is not None:
        ch.iloc[change_days:] = np.nan
    return ch, lv


def _z(ch: pd.Series, lv: pd.Series):
    facts = {f.name: f for f in _daily_facts(universe.ASSETS["btc"], ch, None, lv)}
    return facts["btc.z_1d"], facts["btc.chg_1d_pct"]


def test_sixty_unmoved_changes_before_the_last_say_they_were_all_zero():
    """61 changes, the first 60 of them zero: enough history (60 before the last), but no
    volatility to read the last against. The message said "btc has 60 changes before its
    last, needs 60" under a mutant of the count test; it is the all-zero reason."""
    ch, lv = _coin([100.0] * 61 + [101.0])
    assert int(ch.notna().sum()) == 61
    z, chg = _z(ch, lv)
    assert chg.value == pytest.approx(1.0)
    assert z.value is None
    assert z.reason == "btc's changes before its last were all zero"


def test_one_short_of_that_says_how_many_it_has():
    ch, lv = _coin([100.0] * 60 + [101.0])
    z, _ = _z(ch, lv)
    assert z.value is None
    assert z.reason == "btc has 59 changes before its last, needs 60 to read it against " \
                       "their volatility"


def test_a_last_level_after_a_gap_has_no_standardised_move_and_says_so_in_its_words(rng):
    """The last close follows a gap the panel leaves unmeasured: no 1-day change, and the
    z fact's reason is the change's, naming the standardised move."""
    closes = list(100.0 * np.exp(np.cumsum(rng.standard_normal(80)) / 100.0))
    ch, lv = _coin(closes, change_days=79)
    z, chg = _z(ch, lv)
    assert chg.value is None and z.value is None
    assert chg.reason == ("btc's last value (2025-03-21) follows a gap in its data after "
                          "2025-03-20: the move across it is not a 1-day change")
    assert z.reason == ("btc's last value (2025-03-21) follows a gap in its data after "
                        "2025-03-20: the move across it is not a standardised 1-day change")
    assert z.as_of == chg.as_of and z.unit == "sd"


def test_a_standardised_move_is_not_compared_with_a_percent_change():
    """Its kind's unit is "sd": a ref to a % change is refused as one in bp is."""
    rule = ('[[rule]]\nname = "r"\nfact = "btc.z_1d"\nop = "<"\n'
            'ref = "{ref}"\n')
    parse_rules(rule.format(ref="eth.z_1d"))                     # sd against sd
    with pytest.raises(ConfigError, match=r"cannot compare btc.z_1d \(in sd\) with "
                                          r"btc.chg_1d_pct \(in pct\)"):
        parse_rules(rule.format(ref="btc.chg_1d_pct"))
