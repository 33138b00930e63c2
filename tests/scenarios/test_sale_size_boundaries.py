"""The sale figures' boundaries (h_mut10's mutation round of the sale label and its siblings).

Each case pins a boundary that a one-character change of the code moved without a failing test:
the label's 1% (not 2%), a figure's nearest whole (not its floor), $1bn itself in billions, the
holdings refusal's third decimal and its last resort, a horizon that sells 0% or exactly 1%, and
the short-history note's level at 99.95%.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from spillwatch._results import sale_size
from spillwatch.cli import app
from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios._format import coverage_line, usd
from spillwatch.scenarios.run import horizon_info
from spillwatch.scenarios.selloff import Seller, SelloffScenario, parse_seller


def test_the_label_rounds_within_1pct_not_2pct_and_to_the_nearest_whole():
    # $20.3bn to $20bn moves it 1.5%: three significant figures; $5.99bn to $6bn 0.17%: whole
    assert [sale_size(x) for x in (20.3e9, 5.99e9)] == ["$20.3bn", "$6bn"]
    assert parse_seller("japan:20.3bn").label() == "japan $20.3bn / 4w"


def test_one_billion_is_printed_in_billions():
    assert usd(1e9) == "$1.0bn" and usd(999_999_999) == "$999,999,999"


@pytest.mark.parametrize(("amount", "said"), [
    (1130.004e9, "would sell $1,130.004bn but holds only $1,130.000bn"),   # 4m over: 3 decimals
    (1130e9 + 5, "would sell $1,130.000000005bn but holds only $1,130.000000000bn"),  # $5 over
    (1130e9 + 0.6, "would sell $1,130.000000001bn but holds only $1,130.000000000bn"),
])
def test_the_holdings_refusal_has_the_decimals_that_part_the_figures(amount, said):
    with pytest.raises(ScenarioError) as err:
        SelloffScenario((Seller("japan", amount, 4),)).check_holdings()
    assert said in str(err.value)


def test_a_sale_over_the_holdings_by_cents_sells_the_holdings():
    # refused, it read "would sell $1,130.000000000bn but holds only $1,130.000000000bn"
    SelloffScenario((Seller("japan", 1130e9 + 0.4, 4),)).check_holdings()
    SelloffScenario((Seller("japan", 565e9, 4), Seller("japan", 565e9 + 0.3, 8))
                    ).check_holdings()


@pytest.mark.parametrize(("seller", "horizon", "said"), [
    ("japan:100bn:4w@2w", 5, "only $0 of $100.0bn (0%) is sold within it"),      # starts later
    ("japan:100bn:20w", 1, "only $1.0bn of $100.0bn (1%) is sold within it"),    # exactly 1%
])
def test_a_horizon_s_share_at_0_and_1pct_is_a_whole_percent(seller, horizon, said):
    # the scenario's own horizon figures (as the CLI's line: "--horizon 5" on this sale)
    info = horizon_info(SelloffScenario((parse_seller(seller),)), horizon)
    assert said in coverage_line(SimpleNamespace(horizon_info=info))


def test_the_short_history_note_prints_the_level_as_the_table():
    # 99.95% read "100%" at three significant figures (TRUMP's short history in the demo)
    res = CliRunner().invoke(app, ["risk", "--demo", "--no-backtest", "--level", "0.9995"])
    assert res.exit_code == 0, res.output
    assert "worst days expected at 99.95%," in " ".join(res.stdout.split())


def test_holdings_of_a_fraction_of_a_dollar_are_compared_to_the_nearest_dollar():
    # h_mut12: holdings from TIC shares are floats; a sale of the same whole dollar as the
    # holdings (1,130bn and $1 against 1,130bn and 60 cents) sells them, not "over" them
    SelloffScenario((Seller("japan", 1130e9 + 1, 4),),
                    holdings_usd={"japan": 1130e9 + 0.6}).check_holdings()
    with pytest.raises(ScenarioError, match="japan would sell"):
        SelloffScenario((Seller("japan", 1130e9 + 2, 4),),
                        holdings_usd={"japan": 1130e9 + 0.6}).check_holdings()
