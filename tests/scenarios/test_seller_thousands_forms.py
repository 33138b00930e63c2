"""The forms of a thousands-grouped seller amount, each way (h_mut9).

Read: a sign, the ``b``/``t`` suffixes and an exponent after the groups. Refused: a first group
of more than three digits and groups after a decimal point or a bad group.
"""

from __future__ import annotations

import pytest

from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios import parse_seller


@pytest.mark.parametrize(("text", "usd"), [("japan:+1,500bn", 1.5e12), ("japan:1,500b", 1.5e12),
                                           ("japan:1,000t", 1e15), ("japan:1,000e3", 1e6)])
def test_grouped_amounts_with_a_sign_suffix_or_exponent_read(text, usd):
    assert parse_seller(text).amount_usd == pytest.approx(usd)


@pytest.mark.parametrize("text", ["japan:1234,567bn", "japan:1,500,5bn"])
def test_a_first_group_of_four_digits_or_a_short_last_group_is_refused(text):
    with pytest.raises(ScenarioError, match="a comma groups thousands"):
        parse_seller(text)
