"""A refused duration says what is wrong with it: its grammar, or its length."""

from __future__ import annotations

import pytest

from spillwatch.alerts.rules import parse_rules
from spillwatch.exceptions import ConfigError

RULE = '[[rule]]\nname = "a"\nfact = "btc.chg_1d_pct"\nop = "<="\nvalue = -8\nfor = {d}\n'


@pytest.mark.parametrize("duration, says, not_says", [
    # an upper-case unit or a space is the grammar: they were told "at most 999d, 9999h,
    # 99999m and 9999999s per unit", as if '1H' were too long
    ('"1H"', "write e.g.", "per unit"),
    ('"  15m "', "write e.g.", "per unit"),
    # and a length past ten years in one unit was "bad duration ...; write e.g. '1d'"
    ('"99999d"', "longer than ten years", "write e.g."),
    ('"3651d"', "longer than ten years", "write e.g."),
    # a unit's digits past the pattern's, within ten years, keep the per-unit message
    ('"10000h"', "per unit", "write e.g."),
    ('"5 minutes"', "write e.g.", "per unit"),
])
def test_a_refused_duration_names_its_problem(duration, says, not_says):
    with pytest.raises(ConfigError) as exc:
        parse_rules(RULE.format(d=duration), path="r.toml")
    msg = exc.value.message
    assert msg.startswith("r.toml:6: rule 'a': for: ")
    assert says in msg and not_says not in msg
