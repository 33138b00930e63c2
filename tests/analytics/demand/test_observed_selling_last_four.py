"""The sentence beside a scenario gives custody's last 4 weeks when they tell another story."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.realdata


def _demand(real_db, end):
    from spillwatch.data.source import open_source
    from spillwatch.service import demand as service
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        return service.demand(ws, end=end)


@pytest.mark.slow
def test_a_rise_over_8_weeks_says_the_fall_of_the_last_4(real_db):
    """On 2022-09-28 custody (WMTSECL1) was up $15.8 bn over the 8 weeks to 09-21
    (2,962,624 on 07-27 to 2,978,433) and down $14.9 bn over the last 4 (2,993,297 on
    08-24): `demand` said "custody rose $16 bn in 8 weeks (fell $15 bn in the last 4)", the
    sentence beside japan-10pct only "custody rose $16 bn in 8 weeks: buying, no selling to
    set against japan-10pct" (the same on 2025-04-09, +$17 bn / -$5 bn)."""
    from spillwatch.analytics.demand.facts import compare_with_scenario, observed_selling

    res = _demand(real_db, "2022-09-28")
    obs = observed_selling(res)
    assert obs["custody_chg8_usd_bn"] == pytest.approx(15.809, abs=1e-3)
    assert obs["custody_chg4_usd_bn"] == pytest.approx(-14.864, abs=1e-3)
    assert "(fell $15 bn in the last 4)" in obs["sentence"]
    text = compare_with_scenario(res, scenario="japan-10pct", amount_usd_bn=123.07)
    assert text.startswith("custody rose $16 bn in 8 weeks (fell $15 bn in the last 4): "
                           "buying, no selling to set against japan-10pct ($123 bn)"), text


def test_a_fall_over_8_weeks_says_the_rise_of_the_last_4(real_db):
    """On 2019-01-31 custody was down $4 bn over 8 weeks and up $18 bn over the last 4:
    "custody fell $4 bn in 8 weeks, about 0.0x the size of japan-10pct" said nothing of the
    rise that `demand` gave."""
    from spillwatch.analytics.demand.facts import compare_with_scenario, observed_selling

    res = _demand(real_db, "2019-01-31")
    obs = observed_selling(res)
    assert obs["custody_chg8_usd_bn"] < -3 and obs["custody_chg4_usd_bn"] > 17
    text = compare_with_scenario(res, scenario="japan-10pct", amount_usd_bn=103.66)
    # $3.7bn of $103.66bn: "about 0.0x" read as nothing at all (h_verify14)
    assert text.startswith("custody fell $4 bn in 8 weeks (rose $18 bn in the last 4), about "
                           "0.036x the size of japan-10pct ($104 bn)"), text


def test_the_same_story_over_4_and_8_weeks_adds_nothing(real_db):
    """2022-06-30: down $40 bn over 8 weeks and less over the last 4: the sentence is as
    before."""
    from spillwatch.analytics.demand.facts import compare_with_scenario

    text = compare_with_scenario(_demand(real_db, "2022-06-30"), scenario="japan-10pct",
                                 amount_usd_bn=121.5)
    assert text.startswith("custody fell $40 bn in 8 weeks, about 0.3x the size of "
                           "japan-10pct ($122 bn)"), text
