"""``alerts test --send`` to a receiver that refuses: the failure is said and the exit is 1.

An operator checks a new receiver with ``--send`` before trusting the monitor with it; no
test had a receiver fail there (``cli/alerts.py``'s ``DeliveryError`` branch and ``Exit(1)``).
The port is one just closed, so the connection is refused at once (no retry wait).
"""
import json
import socket

from typer.testing import CliRunner

from spillwatch.cli import app


def test_a_refused_test_notification_is_named_and_exits_1(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rules = tmp_path / "r.toml"
    rules.write_text(f"""
[[receiver]]
name = "hook"
type = "webhook"
format = "slack"
url = "http://127.0.0.1:{port}/hook"

[[rule]]
name = "regime"
fact = "stress.regime"
op = ">="
value = "calm"
""")
    res = CliRunner().invoke(app, ["alerts", "test", "--demo", "--rules", str(rules), "--send",
                                   "--json"])
    assert res.exit_code == 1, res.output
    sent = json.loads(res.stdout)["sent"]
    assert list(sent) == ["hook"]
    assert sent["hook"].startswith(f"failed: webhook http://127.0.0.1:{port}/…: ConnectError")
