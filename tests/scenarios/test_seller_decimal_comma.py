"""A seller's amount with a decimal comma is refused, not read ten or a hundred times larger.

``POST /api/scenarios`` takes sellers whose amount may hold commas (the pattern allows
``1,500bn``), and ``parse_amount`` dropped every comma: ``japan:1,5bn`` ran a $15bn sale
("custom: japan $15bn / 4w", ``sold_usd_bn`` 15.0), a European desk's $1.5bn times ten
(found by fuzzing the seller grammar).
"""

from __future__ import annotations

import pytest

from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios import parse_seller


@pytest.mark.parametrize("text", ["japan:1,5bn", "japan:1,5%", "china:100,5bn:4w",
                                  "japan:1,50bn", "japan:1,,0bn", "japan:,5tn"])
def test_a_comma_that_does_not_group_thousands_is_refused(text):
    with pytest.raises(ScenarioError, match="a comma groups thousands"):
        parse_seller(text)


@pytest.mark.parametrize(("text", "usd"), [("japan:1,500bn", 1.5e12),
                                           ("japan:$1,130.5bn", 1.1305e12),
                                           ("japan:2,000,000,000", 2e9),
                                           ("japan:1.5bn", 1.5e9)])
def test_thousands_groups_and_decimal_points_still_read(text, usd):
    assert parse_seller(text).amount_usd == pytest.approx(usd)
