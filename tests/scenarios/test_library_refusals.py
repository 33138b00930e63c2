"""What the scenario library refuses, in its words (h_cov2: no test executed these branches).

Each refusal names the argument, what it got and what to give. A quant building a sale, a book
or an identification in a notebook reaches them before any fit; the CLI reaches the book files'.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from typer.testing import CliRunner

import spillwatch as sw
from spillwatch.cli import app
from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios import Seller, SelloffScenario
from spillwatch.scenarios.identification import Bound, Shock, SignRestrictedSVAR
from spillwatch.scenarios.portfolio import Portfolio, PortfolioResult
from spillwatch.scenarios.selloff import closest_preset, parse_seller

SHOCK = Shock("sell", {"ust10y": 1, "usd_broad": -1})


@pytest.mark.parametrize(("make", "says"), [
    (lambda: Seller("mars", 1e9), "unknown country 'mars'; choose one of: japan, china, uk"),
    (lambda: Seller("japan", 1e9, share=1.5),
     r"japan: share must be in \(0, 1\] \(0.1 is 10% of its holdings\); got 1.5"),
    (lambda: Seller("japan", 1e9, share=0.0), r"share must be in \(0, 1\]"),
    (lambda: Seller("japan", 1e9, start_weeks=-1), "japan: start_weeks must be >= 0; got -1"),
    (lambda: Seller("japan", 1e9, start_weeks=math.nan), "start_weeks must be >= 0; got nan"),
    (lambda: SelloffScenario(("japan:1e9",)),  # type: ignore[arg-type]
     r"sellers must be Seller objects \(see parse_seller\)"),
    (lambda: sw.scenario.preset("japan-10pct").only("china"),
     "'china' is not a seller of 'japan-10pct'"),
    (lambda: sw.scenario.selloff(None),  # type: ignore[arg-type]
     "seller must be a country, a seller string such as 'japan:100e9:4w', a Seller or a list "
     "of them; got None"),
    (lambda: sw.scenario.selloff([3]),  # type: ignore[list-item]
     r"each seller is a country, a seller string or a Seller; got \[3\]"),
    (lambda: sw.scenario.selloff("japan"),
     "give amount_usd for 'japan', or write it as 'japan:100e9:4w'"),
    (lambda: sw.scenario.selloff([]), "a scenario needs at least one seller, e.g. japan:100e9"),
    # holdings that name Japan alone: China's 10% has nothing to be a share of
    (lambda: parse_seller("china:10%:4w", {"japan": 1.0e12}),
     "china: a percentage needs its holdings; none known"),
    (lambda: closest_preset(math.inf, 4),
     "change_usd_bn must be a finite number of \\$bn; got inf"),
])
def test_a_sale_the_library_refuses(make, says):
    with pytest.raises(ScenarioError, match=says):
        make()


def test_a_seller_object_is_taken_as_it_is():
    sc = sw.scenario.selloff([Seller("japan", 5e9, weeks=2.0)])
    assert sc.sellers == (Seller("japan", 5e9, weeks=2.0),)
    assert sc.label() == "custom: japan $5bn / 2w"
    # an empty holdings mapping is none given: China's 10% is of the fallback's $760bn
    assert parse_seller("china:10%:4w", {}).amount_usd == pytest.approx(76e9)


@pytest.mark.parametrize(("make", "says"), [
    (lambda: Shock("", {"ust10y": 1}), "a shock needs a name; got ''"),
    (lambda: Shock("sell", {}), "shock 'sell' restricts no variable; give e.g. "),
    (lambda: SignRestrictedSVAR(shocks=()), "shocks must be a non-empty sequence of Shock"),
    (lambda: SignRestrictedSVAR(shocks=(SHOCK, SHOCK), target="sell"),
     r"shock names must be unique; got \['sell', 'sell'\]"),
    (lambda: SignRestrictedSVAR(shocks=(SHOCK,), target="sell", bound=1.0),  # type: ignore[arg-type]
     r"bound must be a Bound, e.g. Bound\(min_10y_bp=1.0\); got 1.0"),
    (lambda: SignRestrictedSVAR(shocks=(SHOCK,), target="sell", lags=0),
     "lags must be an int >= 1 or 'bic'; got 0"),
    (lambda: SignRestrictedSVAR(shocks=(SHOCK,), target="sell", draws=0),
     "draws must be an int >= 1; got 0"),
])
def test_an_identification_the_library_refuses(make, says):
    with pytest.raises(ScenarioError, match=says):
        make()


def test_an_identification_of_known_parts_is_kept():
    spec = SignRestrictedSVAR(shocks=[SHOCK], target="sell", bound=Bound(min_10y_bp=2.0))
    assert spec.shock_names == ("sell",) and isinstance(spec.shocks, tuple)


@pytest.mark.parametrize(("obj", "says"), [
    ({"btc": math.nan}, "the position in 'btc' is not finite: nan"),
    (5, "a portfolio is a dict, a Portfolio or a TOML/CSV path; got int"),
])
def test_a_book_the_library_refuses(obj, says):
    with pytest.raises(ScenarioError, match=says):
        Portfolio.coerce(obj)


def test_a_book_file_the_scenario_refuses_before_any_fit(tmp_path, monkeypatch):
    """A missing file, another suffix and a [positions] that is no table: exit 2, named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.txt").write_text("btc,1\n")
    (tmp_path / "five.toml").write_text("positions = 5\n")
    runner = CliRunner()
    for name, says in (("nosuch.toml", "error: no portfolio file at nosuch.toml"),
                       ("book.txt", "error: portfolio files are .toml or .csv; got book.txt"),
                       ("five.toml", "error: five.toml: [positions] must be a table of asset = "
                                     "number")):
        res = runner.invoke(app, ["scenario", "japan-10pct", "--demo", "--portfolio", name,
                                  "--paths", "1000"])
        assert res.exit_code == 2, res.output
        assert says in res.stderr


@pytest.mark.parametrize("alpha", [1.0, 0.5, "0.99"])
def test_a_book_s_var_level_outside_one_half_to_one_is_refused(alpha):
    x = np.random.default_rng(7).standard_normal(1_000) * 1_000.0
    pr = PortfolioResult(Portfolio({"btc": 1e6}, kind="notional"), "levels", x.size, samples=x)
    assert pr.var(0.99) == pytest.approx(-np.quantile(x, 0.01), rel=1e-12)
    with pytest.raises(ScenarioError, match=r"alpha must be a float in \(0.5, 1\), e.g. 0.99; "
                                            f"got {alpha!r}"):
        pr.var(alpha)
