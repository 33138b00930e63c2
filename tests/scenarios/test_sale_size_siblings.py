"""The sale label's siblings (h_verify14): the coverage line and a book's gross, the holdings
refusal and the observed line's ratio print the figures a trader gave, not a rounding of them.

``japan:1.5bn,china:2.25bn`` read "the whole sale ($3.8bn" beside the label's $1.5bn and $2.25bn
and the observed line's "$3.75 bn"; a $3.75bn book read "portfolio ($3.8bn gross)"; $40m over
Japan's $1,130bn read "would sell $1,130.0bn but holds only $1,130.0bn"; custody's $98bn against
a $2,735bn sale read "about 0.0x the size of" it.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios._format import usd
from spillwatch.scenarios.selloff import Seller, SelloffScenario


def test_usd_keeps_the_second_decimal_when_one_moves_it_past_1pct():
    assert [usd(x) for x in (3.75e9, 1.25e9, 2.25e9, 5e9, 118.6e9, 10.25e9, 1.004e9)] == [
        "$3.75bn", "$1.25bn", "$2.25bn", "$5.0bn", "$118.6bn", "$10.2bn", "$1.0bn"]
    assert usd(1.13e12) == "$1.13tn" and usd(625e6) == "$625,000,000"


def test_the_whole_sale_and_the_book_print_what_was_given(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text("asset,notional_usd\nust10y,1250000000\nspx,2500000000\n")
    res = CliRunner().invoke(app, ["scenario", "--demo", "--seller", "japan:1.5bn,china:2.25bn",
                                   "--paths", "200", "--no-alone", "--portfolio", str(book)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert "japan $1.5bn / 4w, china $2.25bn / 4w" in out
    assert "the whole sale ($3.75bn, ends day" in out and "($3.8bn" not in out
    assert "($3.75 bn)" in out                      # the observed line, as before
    assert "portfolio ($3.75bn gross)" in out


def test_the_holdings_refusal_tells_the_two_figures_apart():
    # on the fallback holdings (Japan $1,130bn) the check waits for the market: called here
    with pytest.raises(ScenarioError) as err:
        SelloffScenario((Seller("japan", 1130.04e9, 4),)).check_holdings()
    assert "would sell $1,130.04bn but holds only $1,130.00bn" in str(err.value)
    with pytest.raises(ScenarioError) as err:       # apart at one decimal: as before
        SelloffScenario((Seller("japan", 1150e9, 4),)).check_holdings()
    assert "would sell $1,150.0bn but holds only $1,130.0bn" in str(err.value)


def test_a_small_ratio_is_not_zero():
    from spillwatch.analytics.demand.facts import _times

    assert [_times(x) for x in (98 / 2735, 4 / 103.66, 0.78, 30.75, 0.1)] == [
        "0.036", "0.039", "0.8", "30.8", "0.1"]


def test_a_short_horizon_says_the_share_it_sells():
    # 1 day of a 52-week $300bn sale sells $1.15bn, 0.38% of it: it read "only $1.2bn of
    # $300.0bn (0%) is sold within it"
    res = CliRunner().invoke(app, ["scenario", "--demo", "--seller", "japan:300bn:52w",
                                   "--horizon", "1", "--paths", "200", "--no-alone"])
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert "only $1.15bn of $300.0bn (0.4%) is sold within it" in out


def test_the_risk_note_names_the_level_asked():
    # TRUMP's short history note read "its 2.3 worst days expected at 100%" under --level 0.995
    # (the table's 99.5%)
    res = CliRunner().invoke(app, ["risk", "--demo", "--level", "0.995", "--no-backtest"])
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert "worst days expected at 99.5%," in out and "expected at 100%" not in out


def test_a_bare_amount_under_a_dollar_is_not_said_to_be_zero():
    from spillwatch.scenarios.selloff import parse_seller

    with pytest.raises(ScenarioError, match=r"the amount '0\.5' of japan is \$0\.50: amounts"):
        parse_seller("japan:0.5")
    with pytest.raises(ScenarioError, match=r"is \$1,500: amounts"):      # whole: as before
        parse_seller("japan:1500")


def test_the_holdings_refusal_of_a_past_evening_nests_no_parentheses():
    """``scenario --seller japan:5000bn:4w --as-of 2012-06-29`` read "holds only $1,087.9bn (TIC,
    month of 2012-04 (the stored table's figures, revised since their release))" (h_scen1)."""
    from spillwatch.scenarios.inputs import REVISED

    source = "TIC, month of 2012-04" + REVISED
    with pytest.raises(ScenarioError) as err:
        SelloffScenario((Seller("japan", 5000e9, 4),), {"japan": 1087.9e9}, "custom", source)
    assert str(err.value).endswith(
        "would sell $5,000.0bn but holds only $1,087.9bn, per TIC, month of 2012-04 (the stored "
        "table's figures, revised since their release); lower the amount")
