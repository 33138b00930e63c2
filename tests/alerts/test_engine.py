"""Lifecycle, repeat interval, grouping, silences, transitions: through run_cycle, fake clock."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from alerts._clock import FakeClock
from spillwatch.alerts.engine import add_silence, expire_silence
from spillwatch.alerts.monitor import run_cycle
from spillwatch.alerts.notify import build_notifiers
from spillwatch.alerts.rules import parse_rules
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from .conftest import T0, Facts, webhook_rules

BTC = """
[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
repeat_interval = "4h"
summary = "BTC {btc.chg_1d_pct:.1f}%"
"""


def cycles(store, clock, rules, facts, n, step=dt.timedelta(minutes=15)):
    notifiers = build_notifiers(rules.receivers)
    reps = []
    for _ in range(n):
        reps.append(run_cycle(store, clock, rules=rules, notifiers=notifiers, facts_fn=facts))
        clock.advance(step)
    return reps


def test_keeps_firing_sends_one_notification_per_repeat_interval(receiver):
    rules = parse_rules(webhook_rules(receiver.url, BTC))
    clock = FakeClock(T0)
    with Store() as store:
        cycles(store, clock, rules, Facts(**{"btc.chg_1d_pct": -9.5}), 48)   # 12 hours
        got = receiver.accepted()
        # sent at 0h, 4h and 8h: exactly one per repeat interval, never in between
        assert len(got) == 3
        times = [r["body"]["generated_at"] for r in got]
        assert times == ["2025-04-09T14:00:00Z", "2025-04-09T18:00:00Z",
                         "2025-04-09T22:00:00Z"]
        assert len({r["key"] for r in got}) == 3
        assert all(r["key"] == r["body"]["idempotency_key"] for r in got)
        a = got[0]["body"]["alerts"][0]
        assert a["status"] == "firing" and a["labels"]["rule"] == "btc_drop"
        assert a["annotations"]["summary"] == "BTC -9.5%"
        t = AlertTables(store)
        tr = t.frame("alert_transitions")
        assert list(zip(tr["from_state"], tr["to_state"], strict=True)) == [
            ("inactive", "firing")]
        assert json.loads(tr["values"].iloc[0]) == {"btc.chg_1d_pct": -9.5}
        assert tr["value"].iloc[0] == -9.5
        assert len(t.frame("alert_state")) == 1          # one fingerprint, de-duplicated


class SlowFacts(Facts):
    """Facts that take ``took`` of the clock to compute (the real ones take seconds)."""

    def __init__(self, clock: FakeClock, took: dt.timedelta, **values: float) -> None:
        super().__init__(**values)
        self.clock, self.took = clock, took

    def __call__(self, store: object, today: dt.date):
        self.clock.advance(self.took)
        return super().__call__(store, today)


def test_a_daily_repeat_is_sent_every_day_by_a_daily_cycle(receiver):
    # the repeat counted from the delivery, seconds after the cycle began: the next day's
    # cycle began those seconds short of a day, and the daily repeat came every other day
    rules = parse_rules(webhook_rules(receiver.url, BTC.replace('"4h"', '"1d"')))
    clock = FakeClock(T0)
    took = dt.timedelta(seconds=9)
    facts = SlowFacts(clock, took, **{"btc.chg_1d_pct": -9.5})
    with Store() as store:
        cycles(store, clock, rules, facts, 4, step=dt.timedelta(days=1) - took)
        times = [r["body"]["generated_at"] for r in receiver.accepted()]
        assert times == [f"2025-04-{d:02d}T14:00:00Z" for d in (9, 10, 11, 12)]


def btc_case(receiver, timing: str):
    """The BTC rule with ``timing`` for its repeat line, a clock at T0, a -9% day."""
    rules = parse_rules(webhook_rules(receiver.url, BTC.replace('repeat_interval = "4h"',
                                                                timing)))
    return rules, FakeClock(T0), Facts(**{"btc.chg_1d_pct": -9.0})


def test_lifecycle_pending_firing_resolved(receiver):
    rules, clock, facts = btc_case(receiver, 'repeat_interval = "4h"\nfor = "30m"')
    with Store() as store:
        t = AlertTables(store)
        cycles(store, clock, rules, facts, 1)                 # 14:00 pending
        assert t.frame("alert_state")["state"].tolist() == ["pending"]
        facts.values["btc.chg_1d_pct"] = -1.0
        cycles(store, clock, rules, facts, 1)                 # 14:15 back to inactive
        facts.values["btc.chg_1d_pct"] = -12.0
        cycles(store, clock, rules, facts, 3)                 # 14:30 pending, 15:00 firing
        assert receiver.accepted() and len(receiver.accepted()) == 1
        facts.values["btc.chg_1d_pct"] = -2.0
        cycles(store, clock, rules, facts, 1)                 # 15:15 resolved -> notification
        facts.values["btc.chg_1d_pct"] = -12.0
        cycles(store, clock, rules, facts, 3)                 # 15:30 pending, 16:00 firing
        # the input goes stale: an unknown condition is not one that holds, so the alert
        # resolves, with the reason, and the notice keeps the last summary that had a value
        facts.values["btc.chg_1d_pct"] = None
        cycles(store, clock, rules, facts, 2)
        st = t.frame("alert_state").iloc[0]
        assert st["state"] == "resolved" and "btc.chg_1d_pct" in st["note"]
        tr = t.frame("alert_transitions", order="id")
        assert list(zip(tr["from_state"], tr["to_state"], strict=True)) == [
            ("inactive", "pending"), ("pending", "inactive"), ("inactive", "pending"),
            ("pending", "firing"), ("firing", "resolved"), ("resolved", "pending"),
            ("pending", "firing"), ("firing", "resolved")]
        assert tr["value"].tolist()[:7] == [-9.0, -1.0, -12.0, -12.0, -2.0, -12.0, -12.0]
        assert pd.isna(tr["value"].iloc[7]) and "btc.chg_1d_pct" in tr["reason"].iloc[7]
        assert [str(x.time()) for x in tr["ts"]] == ["14:00:00", "14:15:00", "14:30:00",
                                                     "15:00:00", "15:15:00", "15:30:00",
                                                     "16:00:00", "16:15:00"]
        got = receiver.accepted()
        assert [r["body"]["status"] for r in got] == ["firing", "resolved", "firing",
                                                      "resolved"]
        assert got[1]["body"]["alerts"][0]["ends_at"] == "2025-04-09T15:15:00Z"
        last = got[3]["body"]["alerts"][0]
        assert last["ends_at"] == "2025-04-09T16:15:00Z"
        assert last["annotations"]["summary"] == "BTC -12.0%"        # not "BTC n/a%"
        assert last["annotations"]["reason"].startswith("no longer evaluated: btc.chg_1d_pct")


def test_keep_firing_for_holds_a_firing_alert_through_a_dip(receiver):
    """A level hovering at its threshold fired and resolved at each crossing (the 10-year's
    20-day change fired four times in six weeks of the 2013 taper tantrum, each with a
    'resolved' between). With keep_firing_for it fires once: a dip shorter than the hold is
    no transition and no notification, the alert keeps the summary that made it fire and
    notes since when its conditions have not held; a dip as long as the hold resolves it,
    and an unavailable fact resolves it at once."""
    rules, clock, facts = btc_case(receiver, 'repeat_interval = "1d"\nkeep_firing_for = "1h"')
    with Store() as store:
        t = AlertTables(store)
        cycles(store, clock, rules, facts, 1)                 # 14:00 firing
        facts.values["btc.chg_1d_pct"] = -7.0
        cycles(store, clock, rules, facts, 3)                 # 14:15-14:45 held
        st = t.frame("alert_state").iloc[0]
        assert st["state"] == "firing" and st["summary"] == "BTC -9.0%"
        assert st["note"] == ("conditions not met since 2025-04-09T14:15:00Z; kept firing for "
                              "1h (keep_firing_for)")
        assert st["last_value"] == -9.0
        facts.values["btc.chg_1d_pct"] = -10.0
        cycles(store, clock, rules, facts, 1)                 # 15:00 holds again
        st = t.frame("alert_state").iloc[0]
        assert st["state"] == "firing" and st["summary"] == "BTC -10.0%"
        assert pd.isna(st["note"]) and pd.isna(st["cleared_since"])
        facts.values["btc.chg_1d_pct"] = -7.0
        cycles(store, clock, rules, facts, 5)                 # 15:15 cleared, 16:15 resolved
        tr = t.frame("alert_transitions", order="id")
        assert list(zip(tr["from_state"], tr["to_state"], strict=True)) == [
            ("inactive", "firing"), ("firing", "resolved")]
        assert str(tr["ts"].iloc[1].time()) == "16:15:00"
        facts.values["btc.chg_1d_pct"] = -9.0
        cycles(store, clock, rules, facts, 1)                 # 16:30 fires again
        facts.values["btc.chg_1d_pct"] = None
        cycles(store, clock, rules, facts, 1)                 # 16:45 unavailable: resolved
        st = t.frame("alert_state").iloc[0]
        assert st["state"] == "resolved" and "btc.chg_1d_pct" in st["note"]
        got = receiver.accepted()
        assert [r["body"]["status"] for r in got] == ["firing", "resolved", "firing",
                                                      "resolved"]


def test_an_alert_silenced_while_firing_is_still_resolved(receiver):
    # the receiver was told it fired; silenced, then resolved: no resolved notice was sent,
    # and the desk's last word stayed "firing"
    rules = parse_rules(webhook_rules(receiver.url, BTC))
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": -9.5})
    with Store() as store:
        cycles(store, clock, rules, facts, 1)
        add_silence(AlertTables(store), now=clock(), duration=dt.timedelta(minutes=10),
                    rule="btc_drop")
        cycles(store, clock, rules, facts, 1)                  # silenced: nothing sent
        facts.values["btc.chg_1d_pct"] = -1.0
        cycles(store, clock, rules, facts, 1)                  # resolved (silence expired or not)
        got = receiver.accepted()
        assert [r["body"]["status"] for r in got] == ["firing", "resolved"]
        assert got[1]["body"]["alerts"][0]["status"] == "resolved"


def test_a_silenced_alert_is_still_resolved_after_another_of_its_group_was_sent(receiver):
    # ETH fired and was sent, then silenced; BTC fired and was sent (its group's notification
    # rewrote what the receiver was told fires without ETH); both recovered: only BTC's
    # resolution was sent, and the desk's last word on ETH stayed "firing"
    rules = parse_rules(webhook_rules(receiver.url, """
[[rule]]
name = "crypto_drop"
fact = "*.chg_1d_pct"
op = "<="
value = -8
group_by = ["rule"]
repeat_interval = "1d"
summary = "{asset} {value:.1f}%"
"""))
    clock = FakeClock(T0)
    facts = Facts(**{"eth.chg_1d_pct": -12.0, "btc.chg_1d_pct": -2.0})
    with Store() as store:
        cycles(store, clock, rules, facts, 1)                  # ETH fires: sent
        add_silence(AlertTables(store), now=clock(), duration=dt.timedelta(days=3),
                    rule="crypto_drop", matchers={"asset": "eth"})
        facts.values["btc.chg_1d_pct"] = -9.0
        cycles(store, clock, rules, facts, 1)                  # BTC fires: sent, ETH silenced
        facts.values.update({"eth.chg_1d_pct": -1.0, "btc.chg_1d_pct": -1.0})
        cycles(store, clock, rules, facts, 1)                  # both resolve
        got = [[(a["labels"]["asset"], a["status"]) for a in r["body"]["alerts"]]
               for r in receiver.accepted()]
        assert got == [[("eth", "firing")], [("btc", "firing")],
                       [("btc", "resolved"), ("eth", "resolved")]]


def test_a_new_observation_of_the_renotify_on_fact_is_sent_at_once(receiver):
    # a weak 2-year on Tuesday, a weak 7-year on Thursday: the alert kept firing and the
    # 7-year reached nobody until the next repeat (a day later), under the 2-year's summary
    rules = parse_rules(webhook_rules(receiver.url, """
[[rule]]
name = "weak_other"
fact = "demand.weak_other_auction"
op = "=="
value = 1
repeat_interval = "1d"
renotify_on = "demand.other_auction_date"
summary = "weak {demand.other_auction_tenor} on {demand.other_auction_date}"
"""))
    clock = FakeClock(T0)
    facts = Facts(**{"demand.weak_other_auction": 1.0, "demand.other_auction_date": "2025-04-22",
                     "demand.other_auction_tenor": "2-year"})
    with Store() as store:
        cycles(store, clock, rules, facts, 3)                   # one notification, then quiet
        facts.values.update({"demand.other_auction_date": "2025-04-24",
                             "demand.other_auction_tenor": "7-year"})
        cycles(store, clock, rules, facts, 3)                   # news: sent at once, once
        facts.values["demand.other_auction_date"] = None         # not known: not news
        cycles(store, clock, rules, facts, 2)
        facts.values["demand.other_auction_date"] = "2025-04-24"
        cycles(store, clock, rules, facts, 2)
        got = receiver.accepted()
        assert [r["body"]["generated_at"] for r in got] == ["2025-04-09T14:00:00Z",
                                                            "2025-04-09T14:45:00Z"]
        assert [r["body"]["alerts"][0]["annotations"]["summary"] for r in got] == [
            "weak 2-year on 2025-04-22", "weak 7-year on 2025-04-24"]
        assert [r["body"]["alerts"][0]["status"] for r in got] == ["firing", "firing"]
        # one alert that kept firing throughout, not a second one
        tr = AlertTables(store).frame("alert_transitions")
        assert list(zip(tr["from_state"], tr["to_state"], strict=True)) == [
            ("inactive", "firing")]


def test_a_repeat_during_a_hold_keeps_what_the_receiver_was_told(receiver):
    """A held alert (keep_firing_for) has no observation of its own: a repeat sent during the
    hold recorded none, and the new observation that came with the conditions holding again
    was not news (sent only at the next repeat, a day late)."""
    rules = parse_rules(webhook_rules(receiver.url, """
[[rule]]
name = "custody"
when = [{ fact = "custody.chg_1w_usd_bn", op = "<=", value = -15 }]
keep_firing_for = "2d"
repeat_interval = "1h"
renotify_on = "custody.chg_1w_usd_bn"
summary = "custody {custody.chg_1w_usd_bn:+.0f} $bn"
"""))
    clock = FakeClock(T0)
    facts = Facts(**{"custody.chg_1w_usd_bn": -20.0})
    with Store() as store:
        cycles(store, clock, rules, facts, 1, step=dt.timedelta(hours=1))    # 14:00 fires
        facts.values["custody.chg_1w_usd_bn"] = -5.0
        cycles(store, clock, rules, facts, 1, step=dt.timedelta(minutes=10))  # 15:00 held,
        facts.values["custody.chg_1w_usd_bn"] = -30.0                        # repeated
        cycles(store, clock, rules, facts, 1, step=dt.timedelta(minutes=10))  # 15:10 news
        got = receiver.accepted()
        assert [r["body"]["generated_at"] for r in got] == [
            "2025-04-09T14:00:00Z", "2025-04-09T15:00:00Z", "2025-04-09T15:10:00Z"]
        assert [r["body"]["alerts"][0]["annotations"]["summary"] for r in got] == [
            "custody -20 $bn", "custody -20 $bn", "custody -30 $bn"]


def test_a_store_of_the_old_told_format_reads_without_news(receiver):
    # stores written before renotify_on kept a list of fingerprints per group
    rules = parse_rules(webhook_rules(receiver.url, BTC + 'renotify_on = "btc.chg_1d_pct"\n'))
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": -9.5})
    with Store() as store:
        cycles(store, clock, rules, facts, 1)
        t = AlertTables(store)
        with t.transaction() as con:
            fps = [r[0] for r in con.execute("SELECT fingerprint FROM alert_state").fetchall()]
            con.execute("UPDATE alert_groups SET last_firing = ?", [json.dumps(fps)])
        cycles(store, clock, rules, facts, 2)                   # nothing new: nothing sent
        facts.values["btc.chg_1d_pct"] = -11.0
        cycles(store, clock, rules, facts, 1)                   # the next day's drop: news
        assert len(receiver.accepted()) == 2


def test_grouping_and_silences(receiver):
    rules = parse_rules(webhook_rules(receiver.url, """
[[rule]]
name = "stale"
fact = "*.stale_bdays"
op = ">="
value = 3
repeat_interval = "1d"
"""))
    clock = FakeClock(T0)
    facts = Facts(**{"btc.stale_bdays": 4.0, "eth.stale_bdays": 5.0, "gold.stale_bdays": 0.0})
    with Store() as store:
        t = AlertTables(store)
        cycles(store, clock, rules, facts, 1)
        got = receiver.accepted()
        assert len(got) == 1                                  # one group, two alerts
        assert sorted(a["labels"]["asset"] for a in got[0]["body"]["alerts"]) == ["btc", "eth"]
        assert got[0]["body"]["common_labels"] == {"rule": "stale", "severity": "warning"}
        # silence btc; a new series going stale still notifies, without btc
        sid = add_silence(t, now=clock(), duration=dt.timedelta(hours=2), rule="stale",
                          matchers={"asset": "btc"}, comment="known outage")
        facts.values["gold.stale_bdays"] = 3.0
        cycles(store, clock, rules, facts, 1)
        got = receiver.accepted()
        assert len(got) == 2
        assert sorted(a["labels"]["asset"] for a in got[1]["body"]["alerts"]) == ["eth", "gold"]
        assert bool(t.frame("alert_state", "labels LIKE '%btc%'")["silenced"].iloc[0])
        cycles(store, clock, rules, facts, 4)                 # nothing new
        assert len(receiver.accepted()) == 2
        expire_silence(t, sid, now=clock())                   # btc back in: notified
        cycles(store, clock, rules, facts, 1)
        got = receiver.accepted()
        assert len(got) == 3
        assert sorted(a["labels"]["asset"] for a in got[2]["body"]["alerts"]) == [
            "btc", "eth", "gold"]


def test_silence_expiry_by_time(receiver):
    rules = parse_rules(webhook_rules(receiver.url, BTC))
    clock = FakeClock(T0)
    with Store() as store:
        add_silence(AlertTables(store), now=clock(), duration=dt.timedelta(minutes=40),
                    rule="btc_drop")
        cycles(store, clock, rules, Facts(**{"btc.chg_1d_pct": -9.0}), 4)   # 14:00..14:45
        got = receiver.accepted()
        assert [r["body"]["generated_at"] for r in got] == ["2025-04-09T14:45:00Z"]


def test_removed_rule_resolves_and_tells_the_receivers_it_fired_to(receiver):
    # a rule deleted while its alert fired (through the API): the alert resolved silently and
    # the desk's last message stayed "firing, critical"; the receivers told it fired are now
    # told it resolved, with the reason (Alertmanager resolves an alert no rule sends any more)
    rules = parse_rules(webhook_rules(receiver.url, BTC))
    clock = FakeClock(T0)
    with Store() as store:
        cycles(store, clock, rules, Facts(**{"btc.chg_1d_pct": -9.0}), 1)
        other = parse_rules(webhook_rules(receiver.url, BTC.replace("btc_drop", "other")))
        cycles(store, clock, other, Facts(**{"btc.chg_1d_pct": 1.0}), 2)
        st = AlertTables(store).frame("alert_state", "rule = 'btc_drop'")
        assert st["state"].tolist() == ["resolved"]
    got = receiver.accepted()
    assert len(got) == 2                       # fired, then resolved: once, not each cycle
    alert = got[1]["body"]["alerts"][0]
    assert alert["status"] == "resolved" and alert["labels"]["rule"] == "btc_drop"
    assert alert["annotations"]["reason"] == "no longer evaluated: rule removed"
    assert alert["annotations"]["summary"].startswith("BTC -9.0%")


def test_failed_fetch_is_skipped_and_logged(receiver):
    from spillwatch.exceptions import NetworkError

    def fetch(_store):
        raise NetworkError("no route to host", provider="fred")

    rules = parse_rules(webhook_rules(receiver.url, BTC))
    with Store() as store:
        rep = run_cycle(store, FakeClock(T0), rules=rules,
                        notifiers=build_notifiers(rules.receivers), fetch=fetch,
                        facts_fn=Facts(**{"btc.chg_1d_pct": -9.0}))
    assert rep.fetch == "skipped: NetworkError: no route to host"
    assert rep.evaluation.firing == 1 and len(receiver.accepted()) == 1
    assert "fetch skipped: NetworkError" in rep.line()


def test_group_by_severity_spans_rules(receiver):
    rules = parse_rules(webhook_rules(receiver.url, BTC.replace(
        'repeat_interval = "4h"', 'repeat_interval = "4h"\ngroup_by = ["severity"]') + """
[[rule]]
name = "eth_drop"
fact = "eth.chg_1d_pct"
op = "<="
value = -8
group_by = ["severity"]
"""))
    clock = FakeClock(T0)
    with Store() as store:
        cycles(store, clock, rules, Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": -9.0}),
               1)
    (got,) = receiver.accepted()
    assert got["body"]["group_key"] == "severity=warning"
    assert [a["labels"]["rule"] for a in got["body"]["alerts"]] == ["btc_drop", "eth_drop"]


def test_decision_and_outbox_are_one_transaction(receiver):
    """A crash inside the decision leaves nothing behind; one after it loses nothing."""
    from spillwatch.alerts.engine import Engine
    from spillwatch.alerts.outbox import Outbox

    class Crash(BaseException):
        pass

    class CrashingOutbox(Outbox):
        def enqueue(self, con, **kw):
            super().enqueue(con, **kw)
            raise Crash  # the process dies after writing the row, before the commit

    rules = parse_rules(webhook_rules(receiver.url, BTC))
    facts = Facts(**{"btc.chg_1d_pct": -9.0})
    clock = FakeClock(T0)
    with Store() as store:
        t = AlertTables(store)
        engine = Engine(t, rules, CrashingOutbox(t))
        with pytest.raises(Crash):
            engine.evaluate(facts(store, T0.date()), clock())
        for table in ("alert_state", "alert_transitions", "alert_outbox", "alert_groups"):
            assert t.frame(table).empty, table              # rolled back whole
        # decided and committed, then killed before delivery: the restart delivers it
        Engine(t, rules).evaluate(facts(store, T0.date()), clock())
        (key,) = t.frame("alert_outbox")["idempotency_key"]
        assert receiver.accepted() == []
        clock.advance(dt.timedelta(minutes=15))
        cycles(store, clock, rules, facts, 1)               # the "restarted" monitor
        got = receiver.accepted()
        assert [r["key"] for r in got] == [key]
        assert len(t.frame("alert_transitions")) == 1       # decided once, not again


def test_a_rule_not_evaluated_is_logged_when_it_starts_not_every_cycle(receiver, caplog):
    """A monitor logged 'rule … not evaluated: …' at INFO on every cycle the reason stood
    (about 15 identical lines a cycle on the real data: half a megabyte a day at 15 minutes).
    It is said when the reason appears or changes; while it stands, only at DEBUG."""
    rules, clock, facts = btc_case(receiver, 'repeat_interval = "1d"')
    facts.values["btc.chg_1d_pct"] = None
    with Store() as store, caplog.at_level("INFO", logger="spillwatch.alerts.engine"):
        def said() -> list[str]:
            return [r.getMessage() for r in caplog.records
                    if "not evaluated" in r.getMessage() and r.levelname == "INFO"]
        cycles(store, clock, rules, facts, 5)
        assert len(said()) == 1 and said()[0].startswith("rule btc_drop not evaluated: ")
        facts.values["btc.chg_1d_pct"] = -1.0
        cycles(store, clock, rules, facts, 2)
        assert len(said()) == 1
        facts.values["btc.chg_1d_pct"] = None
        cycles(store, clock, rules, facts, 3)                  # unavailable again: said again
        assert len(said()) == 2
        rep = cycles(store, clock, rules, facts, 1)[0]          # the cycle's report still has it
        assert "btc_drop" in rep.evaluation.unavailable
        assert ", 1 not evaluated, " in rep.line()
