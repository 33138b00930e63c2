"""A zero ``repeat_interval`` in ``[defaults]`` is named there, not on a rule that has none.

It read "f.toml:3: rule 'r': repeat_interval must be positive", the line of the rule's
``[[rule]]`` header (the rule sets no repeat_interval): the operator looked in the rule.
"""

from __future__ import annotations

from typer.testing import CliRunner

from spillwatch.cli import app

RULE = '[[rule]]\nname = "r"\nsummary = "s"\nfact = "stress.percentile"\nop = ">"\nvalue = 90.0\n'


def _error(tmp_path, monkeypatch, text: str) -> str:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.toml").write_text(text)
    res = CliRunner().invoke(app, ["alerts", "rules", "--rules", "f.toml"])
    assert res.exit_code == 2, res.output
    return " ".join(res.stderr.split())


def test_a_zero_in_defaults_is_named_on_its_own_line(tmp_path, monkeypatch):
    err = _error(tmp_path, monkeypatch, '[defaults]\nrepeat_interval = "0s"\n\n' + RULE)
    assert err == "error: f.toml:2: [defaults]: repeat_interval must be positive (rule 'r' " \
                  "takes it)"


def test_a_rule_s_own_zero_is_still_named_on_the_rule(tmp_path, monkeypatch):
    err = _error(tmp_path, monkeypatch, '[defaults]\nrepeat_interval = "1h"\n\n' + RULE
                 + 'repeat_interval = "0"\n')
    assert err == "error: f.toml:10: rule 'r': repeat_interval must be positive"
