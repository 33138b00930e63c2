"""``SelloffScenario.only`` reads a country as a Seller does (case and spaces aside).

``Seller("JAPAN", ...)`` and ``selloff("JAPAN:100e9")`` are Japan's sales, but
``preset("japan-10pct").only("JAPAN")`` said "'JAPAN' is not a seller of 'japan-10pct'".
"""

import pytest

import spillwatch as sw
from spillwatch.exceptions import ScenarioError


@pytest.mark.parametrize("country", ["JAPAN", " Japan "])
def test_only_reads_the_country_as_a_seller_does(country):
    both = sw.scenario.preset("japan-china-coordinated")
    alone = both.only(country)
    assert alone == both.only("japan")
    assert [s.country for s in alone.sellers] == ["japan"]
    assert alone.sellers[0].amount_usd == both.sellers[0].amount_usd == pytest.approx(113e9)
    assert alone.name == "japan-china-coordinated (japan alone)"
    with pytest.raises(ScenarioError, match="'uk' is not a seller of 'japan-china-coordinated'"):
        both.only(" UK")
