"""Bad settings, rule files and options of the alert commands: `error: …`, exit 2, no traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.alerts.rules import default_rules_text
from spillwatch.cli import app

runner = CliRunner()


def _err(args: list[str], env: dict[str, str] | None = None) -> str:
    res = runner.invoke(app, args, env=env)
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.stderr


@pytest.mark.parametrize("var, value, match", [
    ("SPILLWATCH_STORE_WAIT_S", "abc", "SPILLWATCH_STORE_WAIT_S"),
    ("SPILLWATCH_STORE_WAIT_S", "inf", "finite"),
    ("SPILLWATCH_HTTP_RETRIES", "-2", "SPILLWATCH_HTTP_RETRIES"),
])
def test_a_bad_setting_names_its_variable(var, value, match):
    err = _err(["stress", "--demo", "--json"], env={var: value})
    assert "bad setting" in err and match in err


@pytest.mark.parametrize("name, data, match", [
    ("dir.toml", None, "is not a file"),
    ("latin.toml", b'[[rule]]\nname = "r"\nsummary = "caf\xe9"\n', "latin.toml:3: not UTF-8"),
    ("recv.toml", b'receiver = ["x"]\n', "receiver #1 must be a table"),
    ("url.toml", b'[[receiver]]\nname = "w"\ntype = "webhook"\nurl = "http://[::1"\n',
     "url.toml:4: receiver 'w': url must be an http:// or https:// address"),
    ("port.toml", b'[[receiver]]\nname = "m"\ntype = "email"\nhost = "h"\nport = "abc"\n'
                  b'from = "a@b"\nto = "c@d"\n', "port must be a TCP port number"),
    ("timeout.toml", b'[[receiver]]\nname = "w"\ntype = "webhook"\nurl = "https://x.org"\n'
                     b'timeout = -5\n', "timeout must be a number of seconds"),
    ("long.toml", b'[defaults]\nrepeat_interval = "9999d"\n', "longer than ten years"),
])
def test_rule_files_that_cannot_be_used_are_refused_when_read(tmp_path, name, data, match):
    path = tmp_path / name
    if data is None:
        path.mkdir()
    else:
        path.write_bytes(data)
    assert match in _err(["alerts", "rules", "--rules", str(path)])


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + default_rules_text().encode())
    res = runner.invoke(app, ["alerts", "rules", "--rules", str(path)])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("args, match", [
    (["monitor", "--max-cycles", "0"], "--max-cycles must be at least 1"),
    (["monitor", "--once", "--max-cycles", "3"], "not both"),
    (["monitor", "--every", "fast"], "--every: bad duration"),
    (["monitor", "--every", "0s"], "--every must be positive"),
    (["alerts", "test", "--as-of", "1900-01-01"], "no data on or before 1900-01-01"),
    (["alerts", "test", "--as-of", "9999-12-31"], "is in the future"),
])
def test_monitor_and_test_options(tmp_path, args, match):
    assert match in _err([*args, "--demo", "--db", str(tmp_path / "d.duckdb")])


def test_a_label_given_twice_is_refused(tmp_path, monitored_demo):
    assert monitored_demo.exit_code == 0, monitored_demo.output
    db = monitored_demo.copy(tmp_path / "m.duckdb")
    err = _err(["alerts", "silence", "stale_data", "--label", "asset=btc", "--label",
                "asset=eth", "--for", "1h", "--db", str(db)])
    assert "--label asset given twice" in err


def test_alerts_list_shows_one_view_at_a_time(tmp_path, monitored_demo):
    assert monitored_demo.exit_code == 0, monitored_demo.output
    db = monitored_demo.copy(tmp_path / "m.duckdb")
    err = _err(["alerts", "list", "--all", "--outbox", "--silences", "--db", str(db)])
    assert "one view at a time: --outbox, --silences, --all" in err
