"""An API rule whose text holds DEL (U+007F) is written as TOML the rules parser reads back.

``RuleSpec.toml`` wrote JSON strings, which are TOML basic strings except that TOML requires
DEL escaped: a schema-valid summary or label holding it was refused 409 "not valid TOML:
Illegal character '\\x7f'" at a line of the server's own concatenation (h_fuzz4).
"""

from __future__ import annotations

from spillwatch.alerts.rules import parse_rules
from spillwatch.alerts.schema import RuleSpec


def test_del_in_summary_and_labels_round_trips() -> None:
    spec = RuleSpec.model_validate({
        "name": "del_rule", "fact": "*.z_1d", "op": "<", "value": -4.0,
        "summary": "a\x7fb {asset}", "labels": {"te\x7fam": "desk\x7f"}})
    rule = next(r for r in parse_rules(spec.toml()).rules if r.name == "del_rule")
    assert rule.summary == "a\x7fb {asset}"
    assert dict(rule.labels) == {"te\x7fam": "desk\x7f"}
