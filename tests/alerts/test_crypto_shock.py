"""A coin's fall read against its own volatility: ``<key>.z_1d`` and the ``crypto_shock`` rule.

No default rule watched TRUMP (the article's token), and BTC's fixed −8% is four of a calm
month's daily standard deviations and one of a wild week's; the standardised move is the
day's change over the RiskMetrics forecast of the evening before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.alerts.rules import parse_rules
from spillwatch.analytics.volatility.ewma import standardized_moves
from spillwatch.cli import app
from spillwatch.exceptions import ConfigError


def _by_hand(x: np.ndarray, lam: float = 0.94, init_obs: int = 30, min_prior: int = 60
             ) -> np.ndarray:
    """RiskMetrics (1996, eq. 5.3) written out over the observed changes, one day at a time."""
    out = np.full(len(x), np.nan)
    obs = [i for i in range(len(x)) if not np.isnan(x[i])]
    var = float(np.mean([x[i] ** 2 for i in obs[:init_obs]]))
    for k, i in enumerate(obs):
        if k >= min_prior:
            out[i] = x[i] / np.sqrt(var)
        var = lam * var + (1 - lam) * x[i] ** 2
    return out


def test_a_standardised_move_is_the_change_over_the_evening_before_s_forecast(rng):
    x = rng.standard_t(4, 400) * np.r_[np.ones(200), 3 * np.ones(200)]
    x[[5, 90, 250, 251]] = np.nan                       # changes the panel left unmeasured
    z = standardized_moves(x)
    np.testing.assert_allclose(z, _by_hand(x), rtol=1e-12, equal_nan=True)
    assert np.isnan(z[[5, 90, 250, 251]]).all()
    # the first 60 observed changes (61 with the NaN at 5 inside them) have no value
    assert np.isnan(z[:61]).all() and not np.isnan(z[61])


def test_cutting_the_history_leaves_every_earlier_value(rng):
    """No look-ahead: the start variance is the first 30 changes, all before any valued day."""
    x = rng.standard_normal(300) * np.linspace(1, 4, 300)
    x[[40, 120]] = np.nan
    full = standardized_moves(x)
    for cut in (61, 62, 100, 121, 122, 299):
        np.testing.assert_array_equal(standardized_moves(x[:cut]), full[:cut])


def test_a_series_that_never_moved_has_no_standardised_move():
    z = standardized_moves(np.r_[np.zeros(80), 1.0])
    assert np.isnan(z).all()


@pytest.mark.parametrize("bad", [10, 60.0])
def test_a_min_prior_under_the_start_window_is_refused(bad):
    with pytest.raises(ConfigError, match="min_prior must be a whole number at least init_obs"):
        standardized_moves(np.ones(100), min_prior=bad)


RULE = ('[[rule]]\nname = "shock"\nfact = "{fact}"\nop = "<="\nvalue = -4\n'
        'match = {{ block = "{block}" }}\n')


def test_a_block_match_names_the_blocks_and_only_z_facts_carry_it():
    rule = parse_rules(RULE.format(fact="*.z_1d", block="crypto")).rule("shock")
    assert dict(rule.match) == {"block": "crypto"}
    with pytest.raises(ConfigError) as exc:
        parse_rules(RULE.format(fact="*.z_1d", block="coins"), path="r.toml")
    assert exc.value.message.startswith("r.toml:6: rule 'shock': match block = 'coins' "
                                        "matches no series; block is one of ")
    assert "crypto" in exc.value.message and "rates" in exc.value.message
    with pytest.raises(ConfigError) as exc:
        parse_rules(RULE.format(fact="*.chg_1d_pct", block="crypto"), path="r.toml")
    assert "match key 'block': the series of '*.chg_1d_pct' carry the labels asset" in \
        exc.value.message


def _raw_z(shared_data, coin: str, day: str) -> tuple[float, float]:
    """The day's standardised log move and simple % change, from the Binance file alone."""
    raw = pd.read_csv(shared_data / "crypto" / f"{coin}USDT.csv", parse_dates=["date"])
    close = raw.set_index("date")[f"{coin}USDT"].astype(float)
    r = 100.0 * np.log(close).diff().dropna()
    z = pd.Series(_by_hand(r.to_numpy()), r.index)
    return float(z.loc[day]), float(100.0 * (close.loc[day] / close.shift(1).loc[day] - 1))


def _crypto_shock(real_db, evening: str) -> dict:
    """The packaged ``crypto_shock`` rule on the facts of ``evening`` (as published by then, as
    `alerts test --as-of` reads them; the rule needs only the asset facts)."""
    import datetime as dt

    from spillwatch.alerts.facts import compute_facts
    from spillwatch.alerts.rules import default_rules_text, parse_rules
    from spillwatch.data.source import open_source
    from spillwatch.service.workspace import Workspace

    rule = parse_rules(default_rules_text()).rule("crypto_shock")
    with Workspace(open_source(real_db, read_only=True)) as ws:
        fs = compute_facts(ws, as_of=dt.date.fromisoformat(evening), stress=False,
                           spillover=False, demand=False)
    return {e.key: e for e in rule.evaluate(fs)}


@pytest.mark.realdata
@pytest.mark.parametrize(("evening", "fired"), [
    # COVID's crash (BTC −39.5%) and the crypto liquidations of 10 October 2025, when TRUMP
    # fell 28.5% and BTC 7.3%: short of the BTC rule's −8%, four of its standard deviations
    ("2020-03-12", {"btc", "eth"}),
    ("2025-10-10", {"btc", "eth", "trump"}),
])
def test_the_default_crypto_shock_rule_fires_on_the_raw_files_move(real_db, shared_data,
                                                                     evening, fired):
    got = _crypto_shock(real_db, evening)
    assert {k for k, e in got.items() if e.active} == fired
    for k in fired:
        z, pct = _raw_z(shared_data, k.upper(), evening)
        assert got[k].value == pytest.approx(z, abs=1e-9)
        assert f"{k} {pct:+.1f}% in one day to {evening}: a log change of {z:+.1f} " \
               "standard deviations" in got[k].summary


@pytest.mark.realdata
def test_a_coin_too_young_for_its_volatility_says_how_many_days_it_has(real_db):
    res = CliRunner().invoke(app, ["alerts", "facts", "trump.z_1d", "--db", str(real_db),
                                   "--as-of", "2025-02-15", "--json"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    # listed 2025-01-19: 27 daily changes by 02-15, the last read against the 26 before it
    assert "trump has 26 changes before its last, needs 60 to read it against their " \
           "volatility" in text


@pytest.mark.realdata
def test_a_stale_coin_s_standardised_move_is_stale_with_its_change(real_db):
    """On 2026-12-05 the coins are past their limit (last close 2026-01-02): ``z_1d`` is
    unavailable as stale, with ``chg_1d``'s reason, so a rule on it says "stale input" rather
    than "not met"."""
    import datetime as dt

    from spillwatch.alerts.facts import compute_facts
    from spillwatch.data.source import open_source
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        fs = compute_facts(ws, today=dt.date(2026, 12, 5), stress=False, spillover=False,
                           demand=False)
    z, chg = fs.get("btc.z_1d"), fs.get("btc.chg_1d_pct")
    assert z.value is None and z.stale is True and chg.stale is True
    assert z.reason == chg.reason
    assert z.reason.startswith("stale input: btc last reported 2026-01-02")
    assert z.labels == {"asset": "btc", "block": "crypto"}
