"""`alerts test`: a held alert (keep_firing_for) inhibits, and is inhibited, as a firing one.

Slow (about 5 s: the dry run replays the held rules' history); kept apart from the fast tests.
"""

from __future__ import annotations

import json

import pytest


@pytest.mark.realdata
@pytest.mark.slow
def test_the_dry_run_counts_a_held_alert_as_an_inhibitor_and_holds_only_what_fires(
        real_db, tmp_path):
    # 2025-04-14: stress_crisis and treasury_spike are both held by keep_firing_for 7d, and
    # treasury_selloff is off (tests/alerts/test_alerts_test_held.py). With both of the
    # latter inhibited by the crisis: the held spike is inhibited (the monitor fires the
    # crisis that evening, and holds the spike back), the selloff that does not fire stays "no"
    from typer.testing import CliRunner

    from spillwatch.alerts.rules import default_rules_text
    from spillwatch.cli import app

    blocks = default_rules_text().split("[[rule]]")
    text = "".join("[[rule]]" + b for b in blocks
                   if any(f'name = "{n}"' in b
                          for n in ("stress_crisis", "treasury_spike", "treasury_selloff")))
    for name in ("treasury_spike", "treasury_selloff"):
        text = text.replace(f'name = "{name}"\n',
                            f'name = "{name}"\ninhibited_by = [{{ rule = "stress_crisis" }}]\n')
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(app, ["alerts", "test", "--rules", str(path), "--db", str(real_db),
                                   "--as-of", "2025-04-14", "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["rule"]: r for r in json.loads(res.stdout)["rows"] if not r["asset"]}
    assert rows["stress_crisis"]["would_fire"] == "held"
    assert rows["treasury_spike"]["would_fire"] == "inhibited"
    assert rows["treasury_spike"]["summary"].startswith(
        "fires, not told: inhibited by stress_crisis; firing that evening, held by "
        "keep_firing_for")
    assert rows["treasury_selloff"]["would_fire"] == "no"
