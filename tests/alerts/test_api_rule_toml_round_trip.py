"""An API rule's TOML (``RuleSpec.toml``) reads back as the same rule, every field it writes.

The server writes each rule added through the API as a ``[[rule]]`` table and reads the file
back; no test wrote a rule with ``when`` conditions (a ref among them), a severity, a group,
an empty receiver list, ``send_resolved = false`` or ``enabled = false`` (h_cov2: those
branches of ``toml`` never ran). A field written wrong would change what fires, or whom it
tells, after the server's next read.
"""

from __future__ import annotations

import datetime as dt
import tomllib

from spillwatch.alerts.rules import parse_rules
from spillwatch.alerts.schema import RuleSpec


def test_every_field_an_api_rule_writes_reads_back():
    spec = RuleSpec.model_validate({
        "name": "two_legs", "summary": "s {stress.percentile}",
        "when": [{"fact": "stress.regime", "op": ">=", "value": "elevated"},
                 {"fact": "stress.percentile", "op": ">", "ref": "stress.percentile_longrun"},
                 {"fact": "stress.index", "op": ">", "value": 0.25}],
        "severity": "critical", "group_by": ["rule", "severity"], "receivers": [],
        "send_resolved": False, "for": "1d", "repeat_interval": "12h"})
    rule = parse_rules(spec.toml()).rule("two_legs")
    assert [(c.fact, c.op, c.value, c.ref) for c in rule.conditions] == [
        ("stress.regime", ">=", "elevated", None),
        ("stress.percentile", ">", None, "stress.percentile_longrun"),
        ("stress.index", ">", 0.25, None)]
    assert (rule.severity, rule.group_by, rule.receivers, rule.send_resolved) == (
        "critical", ("rule", "severity"), (), False)
    assert (rule.for_, rule.repeat_interval) == (dt.timedelta(days=1), dt.timedelta(hours=12))
    assert rule.summary == "s {stress.percentile}"


def test_a_disabled_api_rule_is_written_disabled():
    spec = RuleSpec.model_validate({"name": "off", "fact": "stress.index", "op": ">",
                                    "value": 0.5, "enabled": False})
    assert tomllib.loads(spec.toml())["rule"][0]["enabled"] is False
    assert [r.name for r in parse_rules(spec.toml()).rules] == []
