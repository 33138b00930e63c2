"""An inhibition whose ``equal`` label can never be the same on both sides is refused.

``equal = ["rule"]`` (two rules never share their name), a severity or a fixed label of another
value, an asset outside the other's ``match`` list: the inhibition held nothing back and the
file read "18 rules" (h_verify12: the default rules with ``equal = ["rule"]`` told bitcoin's
2022-11-09 fall twice, ``alerts test`` "yes" for both rules). Also: a ``match`` list's own
fault is said (``asset = []`` read "match.asset.constrained-str: Input should be a valid
string").
"""

from __future__ import annotations

import pytest

from spillwatch.alerts.admin import AlertAdmin, RuleConflict
from spillwatch.alerts.rules import default_rules_text, parse_rules
from spillwatch.alerts.schema import RuleSpec
from spillwatch.exceptions import ConfigError
from spillwatch.store import Store

from ._inhibition import DESK_RULES

RULES = DESK_RULES


def _refused(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_rules(text, path="r.toml")
    msg = info.value.message
    line = int(msg.split(":")[1])
    assert text.splitlines()[line - 1].startswith("inhibited_by"), msg
    return msg


@pytest.mark.parametrize(("edit", "says"), [
    (('equal = ["asset"]', 'equal = ["rule"]'),
     "equal 'rule': the alerts of rule 'shock' carry rule = 'shock' and those of rule 'drop' "
     "rule = 'drop': never the same, so it would hold nothing back"),
    (('equal = ["asset"]', 'equal = ["severity"]'),
     "equal 'severity': the alerts of rule 'shock' carry severity = 'warning' and those of "
     "rule 'drop' severity = 'critical'"),
    (('labels = { desk = "crypto" }', 'labels = { desk = "rates" }'), None),
    (('match = { block = "crypto" }', 'match = { asset = ["eth", "trump"] }'),
     "equal 'asset': the alerts of rule 'shock' carry asset = 'eth' or 'trump' and those of "
     "rule 'drop' asset = 'btc'"),
])
def test_an_equal_label_whose_values_never_meet_is_refused(edit, says):
    text = RULES.replace(*edit)
    if says is None:     # the fixed label `desk` of another value, compared on `desk`
        text = text.replace('equal = ["asset"]', 'equal = ["desk"]')
        says = ("equal 'desk': the alerts of rule 'shock' carry desk = 'rates' and those of "
                "rule 'drop' desk = 'crypto'")
    assert says in _refused(text)


@pytest.mark.parametrize("edit", [
    ('equal = ["asset"]', 'equal = ["asset", "desk"]'),            # desk crypto on both
    ('match = { block = "crypto" }', 'match = { asset = ["btc", "trump"] }'),
    ('equal = ["asset"]', 'equal = []'),                            # any alert of drop
    (('severity = "critical"', 'severity = "warning"')),            # then equal severity holds
])
def test_an_equal_label_that_can_meet_is_kept(edit):
    text = RULES.replace(*edit)
    if edit[1] == 'severity = "warning"':
        text = text.replace('equal = ["asset"]', 'equal = ["severity", "asset"]')
    rs = parse_rules(text)
    assert [x.rule for x in rs.rule("shock").inhibited_by] == ["drop"]


def test_the_default_rules_with_equal_rule_are_refused_at_crypto_shock_s_line():
    text = default_rules_text().replace(
        'inhibited_by = [{ rule = "btc_daily_drop", equal = ["asset"] }]',
        'inhibited_by = [{ rule = "btc_daily_drop", equal = ["rule"] }]')
    msg = _refused(text)
    assert "rule 'crypto_shock': inhibited_by: equal 'rule'" in msg
    assert len(parse_rules(default_rules_text()).rules) == 19        # the file as shipped


def test_the_api_refuses_an_inhibition_that_holds_nothing_back():
    spec = RuleSpec.model_validate({
        "name": "eth_shock", "fact": "*.z_1d", "op": "<=", "value": -4.0,
        "match": {"asset": ["eth"]},
        "inhibited_by": [{"rule": "btc_daily_drop", "equal": ["asset"]}]})
    with Store() as store:
        with pytest.raises(RuleConflict, match="asset = 'eth' and those of rule "
                                               "'btc_daily_drop' asset = 'btc'"):
            AlertAdmin(store).add_rule(spec)
        assert AlertAdmin(store).api_rules() == {}


MATCH = '[[rule]]\nname = "s"\nfact = "*.z_1d"\nop = "<="\nvalue = -4\nmatch = {{ asset = {v} }}\n'


@pytest.mark.parametrize(("value", "says"), [
    ("[]", "r.toml:6: rule 's': match.asset: a list of values needs at least one"),
    ('["btc", 1]', "r.toml:6: rule 's': match.asset value #2: Input should be a valid string"),
    ("1", "r.toml:6: rule 's': match.asset: give a value or a list of values (strings), got 1"),
])
def test_a_match_list_s_fault_is_said(value, says):
    with pytest.raises(ConfigError) as info:
        parse_rules(MATCH.format(v=value), path="r.toml")
    assert info.value.message == says
    assert "constrained-str" not in info.value.message
