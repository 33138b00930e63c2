"""Rule-file refusals no test checked (h_cov2): exit 2, `error: FILE:LINE: …`, no traceback.

A threshold beyond a fact's range ("can never hold"), a condition with both a value and a
ref, and receivers missing what they need were each refused with these words, but no test
checked them (a property test's random files ran most; none of the last five); a
receiver's unknown field, a rule that is no table, a ref to no fact or of another kind and a
zero repeat_interval were not run at all. A threshold at the range's end that can hold
(`>= 100` on a percentile) is kept.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()

RULE = '[[rule]]\nname = "r"\nsummary = "s"\n'
WEBHOOK = '[[receiver]]\nname = "w"\ntype = "webhook"\n'
EMAIL = '[[receiver]]\nname = "m"\ntype = "email"\nhost = "h"\nfrom = "a@b"\n'


def _rule(fact: str, op: str, value: float) -> str:
    return RULE + f'fact = "{fact}"\nop = "{op}"\nvalue = {value!r}\n'


@pytest.mark.parametrize(("text", "says"), [
    (_rule("stress.percentile", ">", 100.0),
     "f.toml:6: rule 'r': stress.percentile > 100 can never hold: a percentile lies in [0, 100]"),
    (_rule("demand.gauge", "<", 0.0),
     "f.toml:6: rule 'r': demand.gauge < 0 can never hold: the gauge lies in [0, 1]"),
    (_rule("stress.yield_dollar_corr", "==", -1.5),
     "stress.yield_dollar_corr == -1.5 can never hold: a correlation lies in [-1, 1]"),
    (_rule("demand.weak_auction", ">=", 2.0),
     "demand.weak_auction >= 2 can never hold: a flag is 0 or 1 (false or true)"),
    # a flag is never between its two values (h_cov2: `== 0.5` was kept, and never fired)
    (_rule("demand.weak_auction", "==", 0.5),
     "demand.weak_auction == 0.5 can never hold: a flag is 0 or 1 (false or true)"),
    # a percent written on a fact in fractions
    (_rule("spillover.net_rates_dollar_to_crypto_pctile_252d", ">=", 95.0),
     "can never hold: this percentile is a fraction in [0, 1]"),
    (_rule("stress.percentile", ">", 90.0) + 'ref = "stress.percentile_longrun"\n',
     "f.toml:4: rule 'r': give exactly one of 'value' (a threshold) or 'ref' (another fact)"),
    (_rule("stress.percentile", ">", 90.0) + 'match = {asset = "btc"}\n',
     "f.toml:7: rule 'r': 'match' filters the series of a '*' fact; this rule has none"),
    ("rule = 5\n", "f.toml:1: 'rule' must be an array of tables ([[rule]])"),
    ("receiver = 5\n", "f.toml:1: 'receiver' must be an array of tables ([[receiver]])"),
    ('[[receiver]]\ntype = "webhook"\nurl = "https://x.org"\n',
     "f.toml:1: receiver #1: needs a name"),
    (WEBHOOK, "f.toml:1: receiver 'w': a webhook needs 'url' or 'url_env'"),
    (WEBHOOK + 'url_env = ""\n',
     "f.toml:4: receiver 'w': url_env must be the name of an environment variable; got ''"),
    (EMAIL, "f.toml:1: receiver 'm': e-mail needs 'to'"),
    (EMAIL + "to = 5\n",
     "f.toml:6: receiver 'm': to must be an address or a list of addresses; got 5"),
    (EMAIL.replace('host = "h"', 'host = ""') + 'to = "c@d"\n',
     "f.toml:4: receiver 'm': host must be a non-empty string; got ''"),
    (WEBHOOK + 'url = "https://x.org"\n' + WEBHOOK + 'url = "https://y.org"\n',
     "f.toml:6: duplicate receiver 'w'"),
    (WEBHOOK + 'url = "https://x.org"\nbogus = 1\n',
     "f.toml:5: receiver 'w': unknown field 'bogus'; valid fields: format, headers, name, "
     "timeout, type, url, url_env"),
    ("rule = [5]\n", "f.toml:1: rule #1 must be a table"),
    (RULE + 'fact = "stress.percentile"\nop = ">"\nref = "stress.nosuch"\n',
     "f.toml:6: rule 'r': ref: unknown stress fact 'stress.nosuch'; choose one of: "),
    (RULE + 'fact = "stress.percentile"\nop = ">"\nref = "stress.regime"\n',
     "f.toml:6: rule 'r': cannot compare stress.percentile (number) with stress.regime "
     "(ordered)"),
    (_rule("stress.percentile", ">", 90.0) + 'repeat_interval = "0s"\n',
     "f.toml:7: rule 'r': repeat_interval must be positive"),
])
def test_a_rule_file_refused_names_its_line(tmp_path, monkeypatch, text, says):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.toml").write_text(text)
    res = runner.invoke(app, ["alerts", "rules", "--rules", "f.toml"])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.stderr.startswith("error: ") and says in res.stderr


@pytest.mark.parametrize(("fact", "op", "value"), [
    ("stress.percentile", ">=", 100.0),
    ("stress.percentile", "<=", 0.0),
    ("demand.weak_auction", ">=", 1.0),
    ("demand.weak_auction", "==", 1.0),
    ("demand.weak_auction", "==", 0.0),
])
def test_a_threshold_at_the_end_of_the_range_is_kept(tmp_path, monkeypatch, fact, op, value):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.toml").write_text(_rule(fact, op, value))
    res = runner.invoke(app, ["alerts", "rules", "--rules", "f.toml"])
    assert res.exit_code == 0, res.output
    assert "f.toml: 1 rule, receivers: console" in res.stderr
