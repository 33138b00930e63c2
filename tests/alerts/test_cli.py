"""The alert commands: monitor --once, alerts list/silence/test/rules."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.store import Store
from spillwatch.store.alerts import AlertTables

runner = CliRunner()


@pytest.mark.slow
def test_monitor_once_then_list_and_silence(tmp_path, monitored_demo):
    assert monitored_demo.exit_code == 0, monitored_demo.output
    db = monitored_demo.copy(tmp_path / "s.duckdb")
    line = json.loads(monitored_demo.stdout.strip().splitlines()[-1])
    assert line["cycle_id"] == 1 and line["facts"] > 40
    assert line["simulated"] is True           # the cycle's JSON said nothing of the demo
    # every default rule can be evaluated on the demo (custody is simulated under its real id)
    assert line["evaluation"]["unavailable"] == {}
    res = runner.invoke(app, ["alerts", "list", "--all", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert {r["rule"] for r in doc["rows"]} >= {"btc_daily_drop", "stale_data"}
    assert doc["simulated"] is True            # the alerts' values are of the demo market
    res = runner.invoke(app, ["alerts", "silence", "btc_daily_drop", "--for", "2h",
                              "--comment", "test", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    sid = json.loads(res.stdout)["id"]
    with Store(db, read_only=True) as store:
        sil = AlertTables(store).frame("alert_silences")
    assert sil["id"].tolist() == [sid] and sil["rule"].tolist() == ["btc_daily_drop"]
    res = runner.invoke(app, ["alerts", "silence", "--expire", sid, "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == f"silence {sid} ended"
    again = runner.invoke(app, ["alerts", "silence", "--expire", sid, "--db", str(db)])
    assert again.exit_code == 2 and f"silence '{sid}' already ended at" in again.output
    # the list of every silence says which ended (it mixed both without a word)
    res = runner.invoke(app, ["alerts", "list", "--silences", "--db", str(db), "--json"])
    assert [(r["id"], r["state"]) for r in json.loads(res.stdout)["rows"]] == [(sid, "ended")]
    # its times carry their zone (bare, they read as local time) and its matchers are an
    # object, as the API gives them
    row = json.loads(res.stdout)["rows"][0]
    assert row["expires_at"].endswith("+00:00") and row["created_at"].endswith("+00:00")
    assert row["matchers"] == {}
    # ... and in the table a trader reads: UTC, said (in Tokyo a silence of two hours read as
    # expired seven hours ago)
    res = runner.invoke(app, ["alerts", "list", "--silences", "--db", str(db)],
                        env={"COLUMNS": "250"})
    expires = row["expires_at"][:19].replace("T", " ")
    assert f"{expires} UTC" in res.stdout, res.stdout
    res = runner.invoke(app, ["alerts", "list", "--all", "--db", str(db)],
                        env={"COLUMNS": "250"})
    assert " UTC" in res.stdout and "since" in res.stdout
    res = runner.invoke(app, ["alerts", "list", "--all", "--db", str(db), "--json"])
    first = json.loads(res.stdout)["rows"][0]
    assert isinstance(first["labels"], dict) and first["labels"]["rule"] == first["rule"]
    res = runner.invoke(app, ["alerts", "list", "--transitions", "5", "--db", str(db)])
    assert res.exit_code == 0, res.output
    # a rule of the monitor's own --rules file is silenced with the same --rules
    from spillwatch.alerts.rules import default_rules_text

    mine = tmp_path / "mine.toml"
    mine.write_text(default_rules_text().replace('"btc_daily_drop"', '"my_btc_drop"'), "utf-8")
    res = runner.invoke(app, ["alerts", "silence", "my_btc_drop", "--db", str(db)])
    assert res.exit_code == 2 and "no rule 'my_btc_drop'" in res.output
    res = runner.invoke(app, ["alerts", "silence", "my_btc_drop", "--rules", str(mine),
                              "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["rule"] == "my_btc_drop"


def test_silence_is_stored_while_a_monitor_runs_on_the_store(tmp_path):
    from alerts._clock import FakeClock
    from spillwatch.alerts.monitor import MonitorLock, run_cycle
    from spillwatch.alerts.rules import load_rules

    from .conftest import T0, Facts

    db = tmp_path / "s.duckdb"
    Store(db).close()
    with MonitorLock(db):  # a monitor runs: the store is still shared
        res = runner.invoke(app, ["alerts", "silence", "--label", "asset=btc", "--for", "1h",
                                  "--db", str(db), "--json"])
        assert res.exit_code == 0, res.output
        sid = json.loads(res.stdout)["id"]
        store = Store(db)
        run_cycle(store, FakeClock(T0), rules=load_rules(), notifiers={}, facts_fn=Facts())
        sil = AlertTables(store).frame("alert_silences")
    assert sil["id"].tolist() == [sid]
    assert json.loads(sil["matchers"].iloc[0]) == {"asset": "btc"}


def test_a_second_monitor_on_one_store_is_refused(tmp_path):
    from spillwatch.alerts.monitor import MonitorLock

    db = tmp_path / "s.duckdb"
    Store(db).close()
    with MonitorLock(db):
        res = runner.invoke(app, ["monitor", "--db", str(db), "--once", "--no-fetch"])
    assert res.exit_code == 2
    assert "another spillwatch monitor runs on" in res.stderr
    # ... and through a symbolic link to it: the locks went by the path as typed, and a second
    # monitor (or the server beside one) ran into DuckDB's own lock ("cycle skipped")
    from spillwatch.store.duckdb import lock_path

    alias = tmp_path / "alias.duckdb"
    alias.symlink_to(db)
    assert lock_path(alias) == lock_path(db)
    with MonitorLock(db):
        res = runner.invoke(app, ["monitor", "--db", str(alias), "--once", "--no-fetch"])
    assert res.exit_code == 2 and "another spillwatch monitor runs on" in res.stderr


def _hook_rules(url: str, more: str = "") -> str:
    """A Slack-format webhook receiver at ``url`` and a rule that always fires."""
    return f"""
[[receiver]]
name = "hook"
type = "webhook"
format = "slack"
url = "{url}"

[[rule]]
name = "regime"
fact = "stress.regime"
op = ">="
value = "calm"
""" + more


def test_alerts_test_dry_run_and_send(tmp_path, receiver):
    rules = tmp_path / "r.toml"
    rules.write_text(_hook_rules(receiver.url, """

[[rule]]
name = "never"
summary = "10y fell {ust10y.chg_1d_bp:.0f} bp"
fact = "ust10y.chg_1d_bp"
op = "<="
value = -1000
"""))
    res = runner.invoke(app, ["alerts", "test", "--demo", "--rules", str(rules), "--send",
                              "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["rows"][0]["would_fire"] == "yes" and doc["simulated"] is True
    # a rule that would not fire shows its condition and value, not its alert text
    never = doc["rows"][1]
    assert never["would_fire"] == "no" and never["summary"].startswith(
        "not met: ust10y.chg_1d_bp = ") and never["summary"].endswith("(rule: <= -1000)")
    assert doc["sent"] == {"hook": "ok"}
    got = [a["body"] for a in receiver.accepted()]
    assert got[0]["idempotency_key"].startswith("sw-test-")
    # the test is resolved at once under its own key (a pager kept the "firing" test open)
    assert len(got) == 2 and got[1]["idempotency_key"] == got[0]["idempotency_key"] + "-resolved"
    assert got[1]["text"].startswith(
        "✅ spillwatch resolved [SIMULATED DATA]: rule=test (0 firing, 1 resolved)")
    assert "a test, resolved at once" in got[1]["text"]


def test_a_refused_test_notification_is_named_and_exits_1(tmp_path):
    # an operator checks a new receiver with --send before trusting the monitor with it; the
    # port is one just closed, so the connection is refused at once (no retry wait; h_cov1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rules = tmp_path / "r.toml"
    rules.write_text(_hook_rules(f"http://127.0.0.1:{port}/hook"))
    res = runner.invoke(app, ["alerts", "test", "--demo", "--rules", str(rules), "--send",
                              "--json"])
    assert res.exit_code == 1, res.output
    sent = json.loads(res.stdout)["sent"]
    assert list(sent) == ["hook"]
    assert sent["hook"].startswith(f"failed: webhook http://127.0.0.1:{port}/…: ConnectError")


def test_bad_rule_file_is_a_clear_cli_error(tmp_path):
    rules = tmp_path / "r.toml"
    rules.write_text('[[rule]]\nname = "x"\nfact = "btc.chg_1d_pct"\nop = "<"\nvalue = -8\n'
                     'colour = "red"\n')
    res = runner.invoke(app, ["alerts", "rules", "--rules", str(rules)])
    assert res.exit_code == 2
    assert f"{rules}:6: rule 'x': unknown field 'colour'" in res.stderr.replace("\n", "")
    res = runner.invoke(app, ["alerts", "rules"])
    assert res.exit_code == 0 and "[[rule]]" in res.stdout


def test_list_reads_the_store_while_a_monitor_runs(tmp_path):
    from alerts._clock import FakeClock
    from spillwatch.alerts.monitor import MonitorLock, run_cycle
    from spillwatch.alerts.rules import parse_rules

    from .conftest import T0, Facts

    db = tmp_path / "s.duckdb"
    rules = parse_rules('[[rule]]\nname = "btc_drop"\nfact = "btc.chg_1d_pct"\nop = "<="\n'
                        'value = -8\n')
    run_cycle(Store(db), FakeClock(T0), rules=rules, notifiers={},
              facts_fn=Facts(**{"btc.chg_1d_pct": -9.0}))
    with MonitorLock(db):
        res = runner.invoke(app, ["alerts", "list", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    (row,) = doc["rows"]
    assert row["rule"] == "btc_drop" and row["state"] == "firing"
    assert "simulated" not in doc              # no demo market in this store


@pytest.mark.slow
def test_cli_monitor_stops_cleanly_on_sigterm(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    db = tmp_path / "m.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-m", "spillwatch", "monitor", "--demo", "--db", str(db), "--every",
         "1h", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"})
    try:
        first = json.loads(proc.stdout.readline())     # the first cycle is done
        assert first["cycle_id"] == 1
        proc.send_signal(signal.SIGTERM)               # it is sleeping for an hour now
        _out, errs = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == 0, errs
    assert "stopped cleanly after 1 cycle(s)" in errs
    with Store(db, read_only=True) as store:
        assert AlertTables(store).frame("alert_cycles")["status"].tolist() == ["ok"]


def test_rules_added_or_deleted_through_the_api_apply_at_the_monitors_next_cycle(tmp_path):
    """The running monitor re-reads the API's rules each cycle: a new rule is evaluated, a
    deleted rule's alert resolves ('rule removed')."""
    from alerts._clock import FakeClock
    from spillwatch.alerts.admin import AlertAdmin
    from spillwatch.alerts.monitor import run_monitor
    from spillwatch.alerts.rules import rules_reloader
    from spillwatch.alerts.schema import RuleSpec

    from .conftest import T0, Facts

    db = tmp_path / "s.duckdb"
    store = Store(db)
    admin = AlertAdmin(store)
    admin.add_rule(RuleSpec(name="mine_old", fact="btc.chg_1d_pct", op="<", value=0))
    clock = FakeClock(T0)
    facts = Facts(**{"btc.chg_1d_pct": -3.0})
    reload = rules_reloader(store=store)
    steps = iter([lambda: admin.add_rule(RuleSpec(name="mine_new", fact="btc.chg_1d_pct",
                                                  op="<", value=-1)),
                  lambda: admin.delete_rule("mine_old")])

    def between(_rep) -> None:
        step = next(steps, None)
        if step is not None:
            step()

    import io

    from spillwatch.alerts.notify import build_notifiers

    n = run_monitor(store, rules=reload,
                    notifiers=build_notifiers(reload().receivers, stream=io.StringIO()),
                    every=dt.timedelta(minutes=1), clock=clock, sleep=clock.sleep,
                    facts_fn=facts, max_cycles=3, on_cycle=between)
    assert n == 3
    states = AlertTables(store).frame("alert_state").set_index("rule")["state"]
    assert states["mine_new"] == "firing"                     # added after cycle 1
    assert states["mine_old"] == "resolved"                   # deleted after cycle 2
    moves = AlertTables(store).frame("alert_transitions", order="id")
    gone = moves[moves["rule"] == "mine_old"].iloc[-1]
    assert (gone["from_state"], gone["to_state"]) == ("firing", "resolved")
    assert gone["reason"] == "rule removed"


def test_a_rule_file_with_a_byte_order_mark_can_be_silenced(tmp_path):
    """Editors write a BOM: the monitor ran such a file, but `alerts silence --rules` (and the
    server, on the same admin) said 'not valid TOML', so its rules could not be silenced."""
    from spillwatch.alerts.rules import default_rules_text

    rules = tmp_path / "bom.toml"
    rules.write_bytes(b"\xef\xbb\xbf" + default_rules_text().encode("utf-8"))
    db = tmp_path / "s.duckdb"
    Store(db)
    res = runner.invoke(app, ["alerts", "silence", "btc_daily_drop", "--for", "2h",
                              "--rules", str(rules), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "not valid TOML" not in res.output


def test_alerts_list_says_silenced_at_once(tmp_path, monitored_demo):
    """`alerts list` read the flag stored at the last evaluation: a silence set a moment ago
    showed as not silenced for up to a monitor interval, while the API said it was."""
    assert monitored_demo.exit_code == 0, monitored_demo.output
    db = monitored_demo.copy(tmp_path / "s.duckdb")

    def firing() -> dict[str, bool]:
        out = runner.invoke(app, ["alerts", "list", "--db", str(db), "--json"])
        assert out.exit_code == 0, out.output
        return {r["rule"]: r["silenced"] for r in json.loads(out.stdout)["rows"]
                if r["state"] == "firing"}

    before = firing()
    assert before and not any(before.values())
    rule = sorted(before)[0]
    res = runner.invoke(app, ["alerts", "silence", rule, "--for", "1h", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert firing()[rule] is True


def test_a_silence_no_alert_can_match_is_refused(tmp_path):
    """`--label asset=btc` on a rule of one series with no asset label, or a
    misspelt `assett`, was stored and silenced nothing while the alert kept notifying."""
    db = tmp_path / "s.duckdb"
    Store(db)
    res = runner.invoke(app, ["alerts", "silence", "custody_weekly_drop", "--label",
                              "asset=btc", "--db", str(db)])
    assert res.exit_code == 2
    assert "no alert of rule 'custody_weekly_drop' carries the label 'asset'" in \
        " ".join(res.output.split())
    res = runner.invoke(app, ["alerts", "silence", "--label", "assett=btc", "--db", str(db)])
    assert res.exit_code == 2 and "no alert of any rule carries the label 'assett'" in \
        " ".join(res.output.split())
    res = runner.invoke(app, ["alerts", "silence", "--label", "asset=btc", "--db", str(db)])
    assert res.exit_code == 0, res.output                # the '*' rules' alerts carry it
    # a value no alert carries silenced nothing as well
    res = runner.invoke(app, ["alerts", "silence", "--label", "asset=btcc", "--db", str(db)])
    assert res.exit_code == 2 and "label asset='btcc': no such asset" in \
        " ".join(res.output.split())
    res = runner.invoke(app, ["alerts", "silence", "--label", "severity=urgent", "--db",
                              str(db)])
    assert res.exit_code == 2 and "label severity='urgent': no alert carries it; the rules' " \
        "values: critical, info, warning" in " ".join(res.output.split())
    res = runner.invoke(app, ["alerts", "silence", "--label", "asset=csv:MYFUND", "--db",
                              str(db)])
    assert res.exit_code == 0, res.output               # a series of one's own, maybe later


def test_a_silence_of_a_rule_s_own_asset_label_is_not_refused(tmp_path):
    """A rule of one series may carry an ``asset`` label of its own (``labels = {asset =
    "book"}``: the rule file accepts it and every alert of the rule carries asset=book), but
    the check of a silence's values took an asset for a watch-list key or a series id only
    and refused `--label asset=book`, the one silence that matches those alerts."""
    db, rules = tmp_path / "s.duckdb", tmp_path / "r.toml"
    Store(db)
    rules.write_text('[[receiver]]\nname = "console"\ntype = "console"\n\n[[rule]]\n'
                     'name = "book_level"\nfact = "ust10y.level"\nop = ">"\nvalue = 0\n'
                     'labels = { asset = "book", desk = "rates" }\n')
    for label in ("asset=book", "desk=rates"):
        res = runner.invoke(app, ["alerts", "silence", "--label", label, "--rules", str(rules),
                                  "--db", str(db)])
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["alerts", "silence", "--label", "asset=bok", "--rules",
                              str(rules), "--db", str(db)])
    assert res.exit_code == 2 and "no such asset" in " ".join(res.output.split())
