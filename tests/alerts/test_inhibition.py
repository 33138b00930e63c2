"""``inhibited_by``: one move told once (crypto_shock held back by btc_daily_drop on bitcoin).

Through ``run_cycle`` and a real webhook receiver on 127.0.0.1, the rule parser, the dry run
on the real store, and the packaged default rules.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from alerts._clock import FakeClock
from spillwatch.alerts.admin import AlertAdmin
from spillwatch.alerts.facts import Fact, FactSet
from spillwatch.alerts.monitor import run_cycle
from spillwatch.alerts.notify import build_notifiers
from spillwatch.alerts.rules import default_rules_text, parse_rules
from spillwatch.alerts.schema import RuleSpec
from spillwatch.exceptions import ConfigError
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from ._inhibition import RULES
from .conftest import T0, webhook_rules


class CoinFacts:
    """Facts of one evening: bitcoin's % change and each coin's z (labelled crypto)."""

    def __init__(self, btc_pct: float, **z: float) -> None:
        self.btc_pct, self.z = btc_pct, z

    def __call__(self, _store: object, today: dt.date) -> FactSet:
        facts = [Fact("btc.chg_1d_pct", self.btc_pct, today)]
        facts += [Fact(f"{k}.z_1d", v, today, labels={"block": "crypto"})
                  for k, v in self.z.items()]
        return FactSet(facts, as_of=today)


def _cycle(store, clock, rules, facts):
    rep = run_cycle(store, clock, rules=rules, notifiers=build_notifiers(rules.receivers),
                    facts_fn=facts)
    clock.advance(dt.timedelta(minutes=15))
    return rep


def _told(receiver):
    """(rule, asset, status) of every alert the receiver was sent, in order."""
    return [(a["labels"]["rule"], a["labels"].get("asset"), a["status"])
            for r in receiver.accepted() for a in r["body"]["alerts"]]


def test_the_inhibited_alert_fires_untold_and_is_told_when_the_inhibitor_resolves(receiver):
    # 2020-03-12: BTC -39.5% (z -15.2), ETH z -10.4: bitcoin's move was sent twice, as a
    # critical -8% and as a shock; now once, and ether's shock still goes
    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    with Store() as store:
        _cycle(store, clock, rules, CoinFacts(-39.5, btc=-15.2, eth=-10.4))
        assert sorted(_told(receiver)) == [("drop", "btc", "firing"),
                                           ("shock", "eth", "firing")]
        st = AlertTables(store).frame("alert_state").set_index("fingerprint")
        btc = st[(st["rule"] == "shock") & st["labels"].str.contains('"btc"')].iloc[0]
        assert btc["state"] == "firing" and btc["inhibited_by"] == "drop for asset=btc"
        docs = {(a["rule"], a["labels"].get("asset")): a
                for a in AlertAdmin(store).alert_docs()["alerts"]}
        assert docs[("shock", "btc")]["inhibited_by"] == "drop for asset=btc"
        assert docs[("shock", "btc")]["silenced"] is False      # no silence: an inhibition
        assert docs[("shock", "eth")]["inhibited_by"] is None
        assert docs[("drop", "btc")]["inhibited_by"] is None
        # a later reading: the fall revised to -7.3% (the -8% rule resolves) while the shock
        # holds: bitcoin's shock is news now, told with the -8% rule's resolution
        n = len(receiver.accepted())
        _cycle(store, clock, rules, CoinFacts(-7.3, btc=-4.6, eth=-10.4))
        assert sorted(_told(receiver)[n:]) == [("drop", "btc", "resolved"),
                                               ("shock", "btc", "firing"),
                                               ("shock", "eth", "firing")]
        st = AlertTables(store).frame("alert_state")
        assert st["inhibited_by"].isna().all()


def test_only_the_equal_label_is_held_back_and_a_pending_inhibitor_holds_nothing(receiver):
    # the -8% rule waits an hour (`for`): pending, it tells no one, so it holds nothing back
    rules = parse_rules(webhook_rules(receiver.url, RULES.replace(
        'severity = "critical"', 'severity = "critical"\nfor = "1h"')))
    clock = FakeClock(T0)
    with Store() as store:
        _cycle(store, clock, rules, CoinFacts(-39.5, btc=-15.2, eth=-10.4))
        assert sorted(_told(receiver)) == [("shock", "btc", "firing"),
                                           ("shock", "eth", "firing")]
        for _ in range(4):                     # the hour passes: the -8% rule fires
            _cycle(store, clock, rules, CoinFacts(-39.5, btc=-15.2, eth=-10.4))
        assert ("drop", "btc", "firing") in _told(receiver)
        st = AlertTables(store).frame("alert_state")
        held = st[st["inhibited_by"].notna()]
        assert held["rule"].tolist() == ["shock"]
        assert json.loads(held["labels"].iloc[0])["asset"] == "btc"


@pytest.mark.parametrize(("edit", "message"), [
    (('rule = "drop"', 'rule = "dorp"'), r":\d+: rule 'shock': inhibited_by: no rule 'dorp'"),
    (('labels = { asset = "btc" }', ''),
     r"equal 'asset': the alerts of rule 'drop' carry the labels rule, severity"),
    (('rule = "drop"', 'rule = "shock"'), "a rule cannot inhibit itself"),
    (('summary = "BTC', 'inhibited_by = [{ rule = "shock" }]\nsummary = "BTC'),
     r"a loop \(drop inhibited by shock inhibited by drop\)"),
    (('equal = ["asset"]', 'equal = ["asset"], for = "1h"'),
     "unknown field 'for'; valid fields: equal, rule"),
])
def test_an_inhibition_that_cannot_work_is_refused_with_its_line(edit, message):
    text = RULES.replace(*edit)
    with pytest.raises(ConfigError, match=message) as info:
        parse_rules(text, path="r.toml")
    line = int(str(info.value).split(":")[1])
    assert "inhibited_by" in text.splitlines()[line - 1]


def test_a_disabled_inhibitor_is_accepted_and_holds_nothing():
    rs = parse_rules(RULES.replace('severity = "critical"', 'enabled = false'))
    assert [r.name for r in rs.rules] == ["shock"]


def test_an_api_rule_with_an_inhibition_round_trips_through_its_toml():
    spec = RuleSpec.model_validate({
        "name": "eth_shock", "fact": "*.z_1d", "op": "<=", "value": -5.0,
        "match": {"block": "crypto"},
        "inhibited_by": [{"rule": "drop", "equal": ["asset"]}]})
    rs = parse_rules(RULES + "\n" + spec.toml())
    assert rs.rule("eth_shock").to_dict()["inhibited_by"] == [
        {"rule": "drop", "equal": ["asset"]}]


def test_the_default_rules_hold_crypto_shock_back_on_bitcoin_only():
    rs = parse_rules(default_rules_text())
    shock, drop = rs.rule("crypto_shock"), rs.rule("btc_daily_drop")
    assert [str(x) for x in shock.inhibited_by] == ["btc_daily_drop (same asset)"]
    assert dict(drop.labels) == {"asset": "btc"}


@pytest.mark.realdata
def test_the_dry_run_on_covid_s_crash_tells_bitcoin_s_fall_once(real_db, tmp_path):
    # `alerts test` said "yes" of both the -8% rule and bitcoin's shock on 2020-03-12 (two
    # notifications of one move); the monitor holds the shock back, and the dry run says so
    from typer.testing import CliRunner

    from spillwatch.cli import app

    blocks = default_rules_text().split("[[rule]]")
    two = [b for b in blocks if 'name = "btc_daily_drop"' in b or 'name = "crypto_shock"' in b]
    path = tmp_path / "crypto.toml"
    path.write_text("".join("[[rule]]" + b for b in two), encoding="utf-8")
    res = CliRunner().invoke(app, ["alerts", "test", "--rules", str(path), "--db", str(real_db),
                                   "--as-of", "2020-03-12", "--json"])
    assert res.exit_code == 0, res.output
    rows = {(r["rule"], r["asset"]): r for r in json.loads(res.stdout)["rows"]}
    assert rows[("btc_daily_drop", "btc")]["would_fire"] == "yes"
    assert rows[("crypto_shock", "btc")]["would_fire"] == "inhibited"
    assert rows[("crypto_shock", "btc")]["summary"].startswith(
        "fires, not told: inhibited by btc_daily_drop for asset=btc; btc -39.5% in one day")
    assert rows[("crypto_shock", "eth")]["would_fire"] == "yes"


def test_alerts_list_names_the_inhibitor_of_a_held_alert(tmp_path):
    from typer.testing import CliRunner

    from spillwatch.cli import app

    db = tmp_path / "s.duckdb"
    rules = parse_rules(RULES)
    with Store(db) as store:
        _cycle(store, FakeClock(T0), rules, CoinFacts(-39.5, btc=-15.2, eth=-10.4))
    res = CliRunner().invoke(app, ["alerts", "list", "--db", str(db)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    rows = [line for line in res.stdout.splitlines() if "shock" in line]
    assert len(rows) == 2
    assert "drop for asset=btc" in next(r for r in rows if " btc " in r)
    assert "drop for asset=btc" not in next(r for r in rows if " eth " in r)


def test_an_api_rule_another_names_in_inhibited_by_is_not_deleted_from_under_it(tmp_path):
    # deleting it left a rule set that no longer parsed: the monitor and the server could not
    # load their rules until the store was edited by hand
    from spillwatch.alerts.admin import AlertAdmin, RuleConflict

    admin = AlertAdmin(Store(tmp_path / "s.duckdb"))
    admin.add_rule(RuleSpec.model_validate({
        "name": "my_drop", "fact": "btc.chg_1d_pct", "op": "<=", "value": -8.0,
        "labels": {"asset": "btc"}}))
    admin.add_rule(RuleSpec.model_validate({
        "name": "my_shock", "fact": "*.z_1d", "op": "<=", "value": -4.0,
        "match": {"block": "crypto"},
        "inhibited_by": [{"rule": "my_drop", "equal": ["asset"]}]}))
    with pytest.raises(RuleConflict, match="rule 'my_drop' is named in inhibited_by of "
                                           "'my_shock': edit or delete that rule first"):
        admin.delete_rule("my_drop")
    assert {"my_drop", "my_shock"} <= {r.name for r in admin.ruleset().rules}
    admin.delete_rule("my_shock")
    admin.delete_rule("my_drop")
    assert not admin.api_rules()
