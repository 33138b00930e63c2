"""The first seller is run alone beside the others only when several countries sell.

``service.scenarios.lone_seller`` picks the country of :func:`alone`'s run (the "japan alone"
column of ``scenario``): none for one seller, none for one country selling in two tranches
(its "alone" would be the whole scenario again, a second Monte Carlo of the same sales).
Mutation testing (h_mut26): counting sellers instead of countries passed every test.
"""

from __future__ import annotations

from spillwatch.scenarios import Seller, SelloffScenario, preset
from spillwatch.service.scenarios import lone_seller


def test_only_a_scenario_of_several_countries_has_a_lone_seller():
    assert lone_seller(preset("japan-china-coordinated")) == "japan"
    assert lone_seller(preset("full-dump")) == "japan"
    assert lone_seller(preset("japan-10pct")) is None
    tranches = SelloffScenario((Seller("japan", 50e9, 4.0), Seller("japan", 30e9, 4.0, 4.0)))
    assert lone_seller(tranches) is None
    assert lone_seller(SelloffScenario.baseline()) is None
    china_first = SelloffScenario((Seller("china", 20e9), Seller("japan", 50e9)))
    assert lone_seller(china_first) == "china"
