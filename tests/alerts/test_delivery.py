"""Delivery: outbox retries with backoff and the same key, webhook formats, SMTP, console."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import socketserver
import threading

import pytest

from alerts._clock import FakeClock
from spillwatch.alerts.monitor import run_cycle
from spillwatch.alerts.notify import (
    ConsoleNotifier,
    EmailNotifier,
    build_notifiers,
    render_text,
    webhook_body,
)
from spillwatch.alerts.outbox import DeliveryError, backoff
from spillwatch.alerts.rules import parse_rules
from spillwatch.exceptions import ConfigError
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

from .conftest import T0, Facts, webhook_rules

RULES = """
[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
repeat_interval = "30m"

[[rule]]
name = "eth_drop"
fact = "eth.chg_1d_pct"
op = "<="
value = -8
repeat_interval = "30m"
"""


def run(store, clock, rules, facts, n):
    notifiers = build_notifiers(rules.receivers)
    for _ in range(n):
        run_cycle(store, clock, rules=rules, notifiers=notifiers, facts_fn=facts)
        clock.advance(dt.timedelta(minutes=15))


@pytest.mark.parametrize("outage", ["http_503", "connection_refused"])
def test_receiver_down_three_cycles_then_up(receiver, outage):
    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 1.0})
    with Store() as store:
        t = AlertTables(store)
        if outage == "http_503":
            receiver.mode = "error"
        else:
            receiver.stop()
        run(store, clock, rules, facts, 1)          # 14:00 btc fires: enqueued, fails
        facts.values["eth.chg_1d_pct"] = -11.0
        run(store, clock, rules, facts, 1)          # 14:15 eth fires: enqueued, fails
        facts.values["btc.chg_1d_pct"] = 0.5
        run(store, clock, rules, facts, 1)          # 14:30 btc resolves; eth fails again
        pending = t.frame("alert_outbox", order="created_at")
        assert (pending["status"] == "pending").all() and len(pending) == 3
        # the oldest row is retried each cycle; the later ones wait behind it (order kept)
        assert pending["attempts"].tolist() == [3, 0, 0]
        first_keys = pending["idempotency_key"].tolist()
        if outage == "http_503":
            receiver.mode = "up"
        else:
            receiver.start()                         # same port again
        run(store, clock, rules, facts, 1)           # 14:45 everything goes out
        got = receiver.accepted()
        keys = [r["key"] for r in got]
        assert keys == first_keys                    # every alert once, first key, in order
        assert [r["body"]["status"] for r in got] == ["firing", "firing", "resolved"]
        if outage == "http_503":
            # the receiver saw the very same key on the failed attempts
            seen = [r["key"] for r in receiver.requests if r["status"] == 503]
            assert seen == [first_keys[0]] * 3
        out = t.frame("alert_outbox")
        assert (out["status"] == "sent").all()
        att = t.frame("alert_attempts", order="ts")
        assert att["ok"].sum() == 3 and (~att["ok"]).sum() == 3
        run(store, clock, rules, facts, 1)           # 15:00: no repeat, eth went out 14:45
        assert len(receiver.accepted()) == 3
        run(store, clock, rules, facts, 1)           # 15:15: 30m after its delivery
        assert len(receiver.accepted()) == 4
        assert receiver.accepted()[-1]["body"]["alerts"][0]["labels"]["rule"] == "eth_drop"


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30) == dt.timedelta(hours=1)


def test_failed_row_waits_for_its_backoff(receiver):
    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    with Store() as store:
        t = AlertTables(store)
        notifiers = build_notifiers(rules.receivers)
        receiver.mode = "error"
        run_cycle(store, clock, rules=rules, notifiers=notifiers,
                  facts_fn=Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 0.0}))
        row = t.frame("alert_outbox").iloc[0]
        assert row["next_attempt_at"] == T0 + dt.timedelta(seconds=60)
        n = len(receiver.requests)
        from spillwatch.alerts.outbox import Outbox

        Outbox(t).deliver_due(T0 + dt.timedelta(seconds=30), notifiers)   # not due yet
        assert len(receiver.requests) == n
        Outbox(t).deliver_due(T0 + dt.timedelta(seconds=61), notifiers)
        assert len(receiver.requests) == n + 1
        assert t.frame("alert_outbox").iloc[0]["next_attempt_at"] == (
            T0 + dt.timedelta(seconds=61 + 120))


PAYLOAD = {"idempotency_key": "sw-abc", "status": "firing", "group_key": "rule=btc_drop",
           "simulated": True, "data_as_of": "2025-04-08",
           "alerts": [{"status": "firing", "fingerprint": "f1",
                       "labels": {"rule": "btc_drop", "severity": "critical"},
                       "annotations": {"summary": "BTC -9.5%"},
                       "starts_at": "2025-04-09T14:00:00Z", "ends_at": None}]}


def test_slack_discord_and_json_bodies(receiver):
    slack = webhook_body(PAYLOAD, "slack")
    assert set(slack) == {"text", "idempotency_key"} and "BTC -9.5%" in slack["text"]
    assert "SIMULATED" in slack["text"] and "sw-abc" in slack["text"]
    disc = webhook_body({**PAYLOAD, "alerts": PAYLOAD["alerts"] * 200}, "discord")
    assert set(disc) == {"content", "idempotency_key"} and len(disc["content"]) <= 2000
    assert disc["content"].endswith("key sw-abc")
    assert webhook_body(PAYLOAD, "json") == PAYLOAD
    for fmt, field in (("slack", "text"), ("discord", "content")):
        rules = parse_rules(webhook_rules(receiver.url, RULES, fmt=fmt))
        build_notifiers(rules.receivers)["hook"].send(PAYLOAD)
        body = receiver.accepted()[-1]["body"]
        assert field in body and body["idempotency_key"] == "sw-abc"
        assert receiver.accepted()[-1]["key"] == "sw-abc"


def test_webhook_errors_raise_delivery_error_without_the_secret_path(receiver):
    receiver.mode = "error"
    url = receiver.url + "/T000/B000/secret-token"
    n = build_notifiers(parse_rules(webhook_rules(url, RULES)).receivers)["hook"]
    with pytest.raises(DeliveryError, match="HTTP 503") as exc:
        n.send(PAYLOAD)
    assert exc.value.status == 503
    assert "secret-token" not in str(exc.value)
    receiver.stop()
    with pytest.raises(DeliveryError, match="ConnectError") as exc:
        n.send(PAYLOAD)
    assert "secret-token" not in str(exc.value)


def test_url_env_must_be_set():
    rules = parse_rules(RULES + '\n[[receiver]]\nname = "s"\ntype = "webhook"\n'
                        'url_env = "SW_TEST_HOOK_UNSET"\n')
    with pytest.raises(ConfigError, match="SW_TEST_HOOK_UNSET"):
        build_notifiers(rules.receivers, env={})
    got = build_notifiers(rules.receivers, env={"SW_TEST_HOOK_UNSET": "http://127.0.0.1:9/x"})
    assert got["s"].url == "http://127.0.0.1:9/x"


def test_console():
    buf = io.StringIO()
    ConsoleNotifier(buf).send(PAYLOAD)
    assert buf.getvalue() == render_text(PAYLOAD) + "\n"
    assert "btc_drop: BTC -9.5%" in buf.getvalue()


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept one message: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        box = self.server.box  # type: ignore[attr-defined]
        self.wfile.write(b"220 localhost test smtp\r\n")
        rcpt: list[str] = []
        while True:
            line = self.rfile.readline().decode()
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 localhost\r\n")
            elif cmd.startswith("MAIL FROM"):
                self.wfile.write(b"250 ok\r\n")
            elif cmd.startswith("RCPT TO"):
                rcpt.append(line.split(":", 1)[1].strip())
                self.wfile.write(b"250 ok\r\n")
            elif cmd == "DATA":
                self.wfile.write(b"354 go\r\n")
                data = []
                while (chunk := self.rfile.readline().decode()) not in (".\r\n", ""):
                    data.append(chunk)
                box.append({"rcpt": rcpt, "data": "".join(data)})
                self.wfile.write(b"250 queued\r\n")
            elif cmd == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 no\r\n")


def test_email_over_local_smtp():
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    srv.daemon_threads = True
    srv.box = []  # type: ignore[attr-defined]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        port = srv.server_address[1]
        EmailNotifier(host="127.0.0.1", port=port, sender="sw@example.org",
                      to=["desk@example.org"], timeout=5).send(PAYLOAD)
        (mail,) = srv.box  # type: ignore[attr-defined]
        assert mail["rcpt"] == ["<desk@example.org>"]
        assert "X-Idempotency-Key: sw-abc" in mail["data"]
        assert "Message-ID: <sw-abc@spillwatch>" in mail["data"]
        assert "Subject: [spillwatch] FIRING: rule=btc_drop" in mail["data"]
        assert "BTC -9.5%" in mail["data"]
    finally:
        srv.shutdown()
        srv.server_close()
    with pytest.raises(DeliveryError, match=r"smtp 127\.0\.0\.1"):
        EmailNotifier(host="127.0.0.1", port=port, sender="a@b", to=["c@d"],
                      timeout=2).send(PAYLOAD)


def test_monitor_loop_retries_between_cycles(receiver, tmp_path):
    """With --every 1h, a failed delivery is retried after its backoff, not an hour later."""
    from spillwatch.alerts.monitor import Stopper, run_monitor

    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    receiver.mode = "error"

    def sleep(seconds):
        clock.advance(seconds)
        if clock() >= T0 + dt.timedelta(minutes=3):
            receiver.mode = "up"
        return False

    with Store() as store:
        n = run_monitor(store, rules=rules, notifiers=build_notifiers(rules.receivers),
                        every=dt.timedelta(hours=1), clock=clock, sleep=sleep,
                        stopper=Stopper(), max_cycles=2,
                        facts_fn=Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 0.0}))
        att = AlertTables(store).frame("alert_attempts", order="ts")
    assert n == 2
    # attempts at 14:00 (503), 14:01 (503), then 14:03 after the 2-minute backoff: delivered;
    # the second cycle (15:00) sends the 30-minute repeat
    assert [str(t.time()) for t in att["ts"]] == ["14:00:00", "14:01:00", "14:03:00",
                                                  "15:00:00"]
    assert att["ok"].tolist() == [False, False, True, True]
    assert len(receiver.accepted()) == 2


@pytest.mark.parametrize("mode", ["trickle", "trickle_error"])
def test_a_receiver_that_trickles_its_reply_does_not_hold_the_sender(receiver, mode):
    # 200 (or 503) at once, then a byte every 0.1 s for a minute: every read is within the
    # timeout, the reply as a whole is not. The send used to wait for all of it (the monitor
    # froze for minutes and SIGTERM waited too); now a 2xx is accepted on its status and an
    # error's reason is read for at most the timeout.
    from spillwatch.alerts.notify import WebhookNotifier

    receiver.mode = mode
    hook = WebhookNotifier(receiver.url, timeout=0.5)
    if mode == "trickle":
        assert hook.send({"idempotency_key": "k1"}) == 200
    else:
        with pytest.raises(DeliveryError, match=r"HTTP 503 'x+'"):
            hook.send({"idempotency_key": "k1"})
    assert receiver.arrived.is_set()
    assert not receiver.trickled_all.is_set()      # it returned while the body still dripped


def test_a_busy_store_skips_a_cycle_and_the_monitor_goes_on(receiver, tmp_path):
    """Another process took the store mid-cycle and held it past the wait (a 22-second
    import): the monitor used to stop with exit 2. It skips the cycle, says so, and runs the
    next one. Cycles record when they finished and how long they took (finished_at equalled
    started_at)."""
    import subprocess
    import sys

    from spillwatch.alerts.monitor import Stopper, run_monitor
    from spillwatch.store.duckdb import lock_path

    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    db = tmp_path / "m.duckdb"
    holder: list[subprocess.Popen] = []
    reports = []

    def facts(store, today):
        clock.advance(7)                # computing the facts takes 7 s of the fake clock
        if not holder:                  # an import takes the store during the first cycle
            p = subprocess.Popen(
                [sys.executable, "-c", "import filelock, sys; l = filelock.FileLock(sys.argv[1])"
                 "; l.acquire(); print('held', flush=True); sys.stdin.read()",
                 str(lock_path(db))], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            holder.append(p)
            assert p.stdout.readline().strip() == "held"
        return Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 0.0})(store, today)

    def on_cycle(rep):
        reports.append(rep)
        if len(reports) == 1:          # the import ends after the first (skipped) cycle
            holder[0].communicate("", timeout=30)

    with Store(db, timeout=0.3) as store:
        n = run_monitor(store, rules=rules, notifiers=build_notifiers(rules.receivers),
                        every=dt.timedelta(minutes=15), clock=clock, sleep=clock.sleep,
                        stopper=Stopper(), max_cycles=2, facts_fn=facts, on_cycle=on_cycle)
        cyc = AlertTables(store).frame("alert_cycles", order="cycle_id")
    assert n == 2
    skipped, ran = reports
    assert skipped.cycle_id == 0 and skipped.notes[0].startswith("cycle skipped: the store")
    assert "busy" in skipped.notes[0] and skipped.fetch == "skipped: the store was busy"
    # the skipped cycle is a finished one too (its line and record say how long it took)
    assert skipped.seconds == 0.0 and skipped.line().endswith("; took 0.0 s")
    assert ran.evaluation is not None and ran.evaluation.firing == 1
    assert ran.seconds == 7.0 and ran.to_dict()["seconds"] == 7.0 and "took 7.0 s" in ran.line()
    row = cyc.iloc[-1]
    assert row["status"] == "ok"
    assert (row["finished_at"] - row["started_at"]).total_seconds() == 7.0
    assert len(receiver.accepted()) == 1


def test_a_busy_store_while_the_rules_reload_keeps_the_last_good_rules(receiver):
    """The rules are stored on each reload; a store busy past the wait there (a long import)
    made the monitor exit for good. The cycle runs on the last good rules and says so."""
    from spillwatch.alerts.monitor import Stopper, run_monitor
    from spillwatch.exceptions import StoreError

    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    calls = []

    def reload():
        calls.append(clock())
        if len(calls) == 2:
            raise StoreError("the store x is busy: another spillwatch process kept it")
        return rules

    reports = []
    with Store() as store:
        n = run_monitor(store, rules=reload, notifiers=build_notifiers(rules.receivers),
                        every=dt.timedelta(minutes=15), clock=clock, sleep=clock.sleep,
                        stopper=Stopper(), max_cycles=3, on_cycle=reports.append,
                        facts_fn=Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 0.0}))
    assert n == 3 and len(calls) == 3
    assert reports[1].notes[0] == ("rules not reloaded (the last good ones run): the store x "
                                   "is busy: another spillwatch process kept it")
    assert all(r.evaluation is not None for r in reports)


def test_a_row_whose_receiver_left_the_rule_file_is_abandoned_not_retried_for_ever(receiver):
    """A rule removed with its receiver left its resolved notice pending, retried at every
    backoff for ever ('not configured'); it is marked abandoned and kept, with the reason."""
    from spillwatch.alerts.outbox import Outbox

    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    with Store() as store:
        t = AlertTables(store)
        receiver.mode = "error"
        run_cycle(store, clock, rules=rules, notifiers=build_notifiers(rules.receivers),
                  facts_fn=Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 0.0}))
        assert (t.frame("alert_outbox")["status"] == "pending").all()
        rep = Outbox(t).deliver_due(T0 + dt.timedelta(hours=1), {})     # receiver gone
        rows = t.frame("alert_outbox")
        assert (rows["status"] == "abandoned").all() and len(rows) == len(rep.failed)
        assert rows["last_error"].str.contains("no longer in the rule file").all()
        assert Outbox(t).next_due(T0) is None          # nothing left to retry
        again = Outbox(t).deliver_due(T0 + dt.timedelta(days=1), {})
        assert not again.failed and not again.sent


def test_a_receiver_that_trickles_its_reply_head_is_given_up_at_the_timeout(receiver):
    # the status line and headers a byte every 0.2 s: every read within a 1 s timeout, the
    # whole taking 10 s; the send waited for all of it (161 s with a 3 s timeout), holding the
    # monitor, every receiver after this one and SIGTERM
    from spillwatch.alerts.notify import WebhookNotifier

    receiver.mode = "trickle_head"
    with pytest.raises(DeliveryError, match=r"no complete answer within 1 s"):
        WebhookNotifier(receiver.url, timeout=1.0).send({"idempotency_key": "k1"})
    assert receiver.arrived.is_set() and not receiver.trickled_all.is_set()


def test_a_bad_webhook_address_or_header_fails_the_delivery_not_the_monitor():
    # a URL with a line break (from url_env) or a header value outside ASCII raised out of the
    # send and stopped the monitor, on every restart, before any receiver was told anything
    from spillwatch.alerts.notify import WebhookNotifier

    with pytest.raises(DeliveryError, match=r"webhook http://127\.0\.0\.1:9/…"):
        WebhookNotifier("http://127.0.0.1:9/T9/B9/SECRET\r").send({"idempotency_key": "k"})
    with pytest.raises(DeliveryError, match="UnicodeEncodeError"):
        WebhookNotifier("http://127.0.0.1:9/x", headers={"X-Team": "Trésorerie"}).send(
            {"idempotency_key": "k"})
    # and both are refused where they are set, naming the variable (not its secret value)
    rules = parse_rules(RULES + '\n[[receiver]]\nname = "s"\ntype = "webhook"\n'
                        'url_env = "SW_TEST_HOOK"\n')
    with pytest.raises(ConfigError, match="SW_TEST_HOOK is not an http") as exc:
        build_notifiers(rules.receivers, env={"SW_TEST_HOOK": "http://h/T9/SECRET\r"})
    assert "SECRET" not in str(exc.value)
    with pytest.raises(ConfigError, match=r":4: receiver 's': headers must be a table .*"
                                          r"\(names: X-Team\)") as exc:
        parse_rules('[[receiver]]\nname = "s"\ntype = "webhook"\n'
                    'headers = { X-Team = "Trésorerie" }\nurl = "http://h/x"\n' + RULES)
    assert "Trésorerie" not in str(exc.value)


def test_a_notification_refused_for_good_does_not_hold_the_receiver_s_next_ones(receiver):
    # a 413 (or 400, 422) was retried for ever and every later notification of the receiver,
    # its resolutions too, waited behind it, shown as due
    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 1.0})
    with Store() as store:
        t = AlertTables(store)
        receiver.mode = "reject"
        run(store, clock, rules, facts, 1)          # 14:00 btc fires: refused for good
        receiver.mode = "up"
        facts.values["btc.chg_1d_pct"] = 0.5
        run(store, clock, rules, facts, 1)          # 14:15 btc resolves: sent
        rows = t.frame("alert_outbox", order="created_at")
        assert rows["status"].tolist() == ["rejected", "sent"]
        assert "HTTP 413" in rows["last_error"].iloc[0]
        assert [r["body"]["status"] for r in receiver.accepted()] == ["resolved"]
        att = t.frame("alert_attempts", f"idempotency_key = '{rows['idempotency_key'][0]}'")
        assert att["http_status"].tolist() == [413] and att["ok"].tolist() == [False]


def test_a_receiver_s_retry_after_is_honoured(receiver):
    # a 429 asking for two hours was retried at the backoff, a minute later
    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    with Store() as store:
        receiver.mode = "limited"
        run(store, clock, rules, Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 1.0}), 1)
        row = AlertTables(store).frame("alert_outbox").iloc[0]
        assert row["status"] == "pending" and "HTTP 429" in row["last_error"]
        assert row["next_attempt_at"] == T0 + dt.timedelta(hours=2)


def test_a_webhook_s_secret_path_and_password_stay_out_of_the_log(receiver, caplog):
    # httpx's own request line printed the Slack token of the path and the URL's password
    url = receiver.url.replace("http://", "http://user:pa55@") + "/T000/B000/SECRETTOKEN"
    hook = build_notifiers(parse_rules(webhook_rules(url, RULES, fmt="slack")).receivers)
    with caplog.at_level("DEBUG", logger="httpx"):
        hook["hook"].send(PAYLOAD)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "httpx")
    assert "HTTP Request: POST" in logged
    assert "SECRETTOKEN" not in logged and "pa55" not in logged


def test_a_resolved_notice_says_why_it_resolved():
    # the text channels printed "[resolved/critical] stress_crisis: … regime is crisis" for
    # an alert whose input had gone stale, without the reason the JSON carries
    text = render_text({"status": "resolved", "group_key": "g", "idempotency_key": "k",
                        "alerts": [{"status": "resolved", "labels": {"rule": "stress_crisis",
                                                                     "severity": "critical"},
                                    "annotations": {"summary": "regime is crisis",
                                                    "reason": "no longer evaluated: stale"},
                                    "starts_at": "2022-06-13T22:00:00Z",
                                    "ends_at": "2022-07-20T22:00:00Z"}]})
    assert ("- [resolved/critical] stress_crisis at 2022-07-20T22:00:00Z: no longer "
            "evaluated: stale; last reading: regime is crisis") in text
    assert "since" not in text


def test_the_outbox_lists_pending_first_and_says_what_a_held_row_waits_for(receiver, tmp_path):
    from typer.testing import CliRunner

    from spillwatch.alerts.admin import AlertAdmin
    from spillwatch.cli import app

    rules = parse_rules(webhook_rules(receiver.url, RULES))
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": -9.0, "eth.chg_1d_pct": 1.0})
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        run(store, clock, rules, facts, 1)           # btc fires and is sent
        receiver.mode = "error"
        facts.values["eth.chg_1d_pct"] = -11.0
        run(store, clock, rules, facts, 1)           # eth fires: fails, backs off
        facts.values["btc.chg_1d_pct"] = 0.5
        run(store, clock, rules, facts, 1)           # btc resolves: held behind eth
        out = AlertAdmin(store).outbox()
    # "pending first" was sent first (status DESC: sent > rejected > pending)
    assert out["status"].tolist() == ["pending", "pending", "sent"]
    eth, held = out["idempotency_key"].iloc[0], out["idempotency_key"].iloc[1]
    assert out["kind"].tolist()[:2] == ["firing", "resolved"]
    assert out["waits_for"].tolist() == [None, eth, None]
    # the held row's own next attempt is long past: the list showed it as due
    res = CliRunner().invoke(app, ["alerts", "list", "--outbox", "--db", str(db)],
                             env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    table = re.sub(r"[\s│]", "", res.stdout)    # the table folds long cells over lines
    assert f"{held}hookpendingresolved" in table and f"after{eth}" in table
    doc = json.loads(CliRunner().invoke(app, ["alerts", "list", "--outbox", "--db", str(db),
                                              "--json"]).stdout)
    assert [r["waits_for"] for r in doc["rows"]] == [None, eth, None]
