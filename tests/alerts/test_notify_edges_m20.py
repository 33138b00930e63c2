"""Edges of the delivery channels that no other test pinned (h_mut20's mutation round).

Real inputs only: payload dicts, a webhook receiver and a small SMTP server on 127.0.0.1, and
receivers parsed from a rule file by the project's own parser.
"""

from __future__ import annotations

import base64
import io
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from spillwatch.alerts.notify import (
    ConsoleNotifier,
    EmailNotifier,
    WebhookNotifier,
    build_notifiers,
    redact,
    render_text,
)
from spillwatch.alerts.outbox import DeliveryError
from spillwatch.alerts.rules import parse_rules
from spillwatch.exceptions import ConfigError

RULE = """
[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
"""


def _alert(status: str, rule: str, summary: str, **kw: object) -> dict:
    return {"status": status, "fingerprint": rule, "annotations": {"summary": summary},
            "labels": {"rule": rule, "severity": "warning"}, **kw}


def test_the_head_counts_firing_and_resolved_alerts():
    text = render_text({"status": "firing", "group_key": "g", "idempotency_key": "k",
                        "alerts": [_alert("firing", "a", "A"), _alert("resolved", "b", "B"),
                                   _alert("resolved", "c", "C")]})
    assert text.splitlines()[0] == "🔥 spillwatch firing: g (1 firing, 2 resolved)"


def test_a_firing_alert_without_a_start_has_no_since_and_is_not_read_as_resolved():
    text = render_text({"status": "firing", "group_key": "g", "idempotency_key": "k",
                        "alerts": [_alert("firing", "a", "BTC -9%", starts_at=None)]})
    assert text.splitlines()[1] == "- [firing/warning] a: BTC -9%"


def test_the_dates_line_is_printed_instead_of_the_as_of_not_beside_it():
    text = render_text({"status": "firing", "group_key": "g", "idempotency_key": "k",
                        "data_as_of": "2025-04-08", "data_dates": "data: closes of 2025-04-08",
                        "alerts": [_alert("firing", "a", "A")]})
    assert "data as of" not in text
    assert text.splitlines()[-2:] == ["data: closes of 2025-04-08", "key k"]


def test_a_text_exactly_at_the_limit_is_not_cut():
    payload = {"status": "firing", "group_key": "g", "idempotency_key": "k",
               "alerts": [_alert("firing", "a", "A")]}
    full = render_text(payload)
    assert render_text(payload, limit=len(full)) == full
    cut = render_text(payload, limit=len(full) - 1)
    assert len(cut) == len(full) - 1 and cut.endswith("… key k")


def test_redact_drops_the_credentials_and_the_path():
    assert redact("https://user:pa55@hooks.example.org:8443/T0/B0/SECRET") == (
        "https://hooks.example.org:8443/…")


class _LongError(BaseHTTPRequestHandler):
    """Answers 503 with a 1,000-byte body of digits (the reason a receiver gives)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = ("0123456789" * 100).encode()
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_failed_webhook_error_quotes_the_first_200_bytes_of_the_reason():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _LongError)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    try:
        hook = WebhookNotifier(f"http://127.0.0.1:{srv.server_address[1]}/hook", timeout=5)
        with pytest.raises(DeliveryError) as err:
            hook.send({"idempotency_key": "k"})
    finally:
        srv.shutdown()
        srv.server_close()
    quoted = str(err.value).split("HTTP 503 ", 1)[1]
    assert quoted == repr("0123456789" * 20)
    assert err.value.status == 503 and err.value.permanent is False


# -- e-mail: a small SMTP server ----------------------------------------------------------------
class _SMTP(socketserver.StreamRequestHandler):
    """Enough SMTP for one message, with AUTH PLAIN, and refusals set on the server:
    ``refuse_from`` (code for MAIL), ``refuse_rcpt`` (addresses answered 550), ``data_code``."""

    def handle(self) -> None:
        srv = self.server
        self.wfile.write(b"220 localhost test smtp\r\n")
        rcpt: list[str] = []
        while True:
            line = self.rfile.readline().decode()
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith("EHLO"):
                self.wfile.write(b"250-localhost\r\n250 AUTH PLAIN\r\n")
            elif cmd.startswith("HELO"):
                self.wfile.write(b"250 localhost\r\n")
            elif cmd.startswith("AUTH PLAIN"):
                parts = line.strip().split(" ")
                if len(parts) < 3:
                    self.wfile.write(b"334 \r\n")
                    parts.append(self.rfile.readline().decode().strip())
                _, user, pw = base64.b64decode(parts[2]).decode().split("\0")
                srv.logins.append((user, pw))
                self.wfile.write(b"235 ok\r\n")
            elif cmd.startswith("MAIL FROM"):
                code = srv.refuse_from
                self.wfile.write(f"{code} sender\r\n".encode() if code else b"250 ok\r\n")
            elif cmd.startswith("RCPT TO"):
                who = line.split(":", 1)[1].strip().strip("<>")
                if who in srv.refuse_rcpt:
                    self.wfile.write(b"550 no such user\r\n")
                else:
                    rcpt.append(who)
                    self.wfile.write(b"250 ok\r\n")
            elif cmd == "DATA":
                self.wfile.write(b"354 go\r\n")
                data = []
                while (chunk := self.rfile.readline().decode()) not in (".\r\n", ""):
                    data.append(chunk)
                if srv.data_code:
                    self.wfile.write(f"{srv.data_code} not taken\r\n".encode())
                else:
                    srv.box.append({"rcpt": rcpt, "data": "".join(data)})
                    self.wfile.write(b"250 queued\r\n")
            elif cmd == "RSET":
                self.wfile.write(b"250 ok\r\n")
            elif cmd == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 no\r\n")


@pytest.fixture
def smtp():
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTP)
    srv.daemon_threads = True
    srv.box, srv.logins, srv.refuse_rcpt = [], [], set()
    srv.refuse_from, srv.data_code = None, None
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


PAYLOAD = {"idempotency_key": "sw-abc", "status": "firing", "group_key": "rule=btc_drop",
           "alerts": [_alert("firing", "btc_drop", "BTC -9.5%")]}


def _email(port: int, extra: str = "", env: dict | None = None) -> EmailNotifier:
    rules = parse_rules(RULE + '\n[[receiver]]\nname = "m"\ntype = "email"\nhost = "127.0.0.1"\n'
                        f'port = {port}\nfrom = "sw@example.org"\n'
                        'to = ["desk@example.org", "risk@example.org"]\ntimeout = 5\n' + extra)
    return build_notifiers(rules.receivers, env=env or {})["m"]


def test_a_username_logs_in_with_the_password_from_its_variable(smtp):
    port = smtp.server_address[1]
    _email(port, 'username = "desk"\npassword_env = "SW_M20_PW"\n',
           {"SW_M20_PW": "s3cret"}).send(PAYLOAD)
    assert smtp.logins == [("desk", "s3cret")] and len(smtp.box) == 1


def test_a_username_without_a_password_still_logs_in_and_an_empty_password_is_set(smtp):
    port = smtp.server_address[1]
    _email(port, 'username = "desk"\n').send(PAYLOAD)
    # an empty variable is a set variable (an SMTP relay that takes any password)
    _email(port, 'username = "ops"\npassword_env = "SW_M20_PW"\n', {"SW_M20_PW": ""}).send(PAYLOAD)
    assert smtp.logins == [("desk", ""), ("ops", "")] and len(smtp.box) == 2
    with pytest.raises(ConfigError, match="SW_M20_PW"):
        _email(port, 'username = "ops"\npassword_env = "SW_M20_PW"\n', {})


def test_no_username_no_login(smtp):
    _email(smtp.server_address[1]).send(PAYLOAD)
    assert smtp.logins == [] and smtp.box[0]["rcpt"] == ["desk@example.org",
                                                          "risk@example.org"]


def test_a_message_some_recipients_took_is_not_sent_again(smtp):
    smtp.refuse_rcpt = {"risk@example.org"}
    with pytest.raises(DeliveryError, match=r"refused \['risk@example.org'\]") as err:
        _email(smtp.server_address[1]).send(PAYLOAD)
    assert err.value.permanent is True
    assert smtp.box[0]["rcpt"] == ["desk@example.org"]


@pytest.mark.parametrize(("code", "permanent"), [(451, False), (554, True)])
def test_only_a_5xx_reply_to_the_data_refuses_the_message_for_good(smtp, code, permanent):
    smtp.data_code = code
    with pytest.raises(DeliveryError, match=f"SMTPDataError: \\({code}") as err:
        _email(smtp.server_address[1]).send(PAYLOAD)
    assert err.value.permanent is permanent


def test_a_refused_sender_is_a_setting_to_mend_not_a_refused_message(smtp):
    smtp.refuse_from = 550
    with pytest.raises(DeliveryError, match="SMTPSenderRefused") as err:
        _email(smtp.server_address[1]).send(PAYLOAD)
    assert err.value.permanent is False


def test_receiver_defaults_and_options_reach_the_notifiers(capsys):
    rules = parse_rules(RULE + '\n[[receiver]]\nname = "e"\ntype = "console"\n'
                        'stream = "stderr"\n'
                        '\n[[receiver]]\nname = "h"\ntype = "webhook"\nurl = "http://127.0.0.1:9/x"\n'
                        '\n[[receiver]]\nname = "m"\ntype = "email"\nhost = "mx"\n'
                        'from = "a@b"\nto = "c@d"\n'
                        '\n[[receiver]]\nname = "s"\ntype = "email"\nhost = "mx"\nport = 465\n'
                        'from = "a@b"\nto = "c@d"\nssl = true\nstarttls = true\n')
    got = build_notifiers(rules.receivers)
    got["e"].send(PAYLOAD)
    out = capsys.readouterr()
    assert out.out == "" and "btc_drop: BTC -9.5%" in out.err
    assert got["h"].timeout == 10.0 and got["h"].fmt == "json"
    assert (got["m"].port, got["m"].ssl, got["m"].starttls) == (25, False, False)
    assert (got["s"].port, got["s"].ssl, got["s"].starttls) == (465, True, True)
    assert sys.stderr is not None


def test_a_closed_console_stream_is_a_failed_delivery_not_a_crash():
    buf = io.StringIO()
    buf.close()
    with pytest.raises(DeliveryError, match="console: I/O operation on closed file"):
        ConsoleNotifier(buf).send(PAYLOAD)


class _Headers(BaseHTTPRequestHandler):
    """Answers 200 and keeps each request's headers on the server."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append(dict(self.headers))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_receiver_s_headers_are_sent_with_the_key():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Headers)
    srv.daemon_threads, srv.seen = True, []
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    try:
        rules = parse_rules(RULE + '\n[[receiver]]\nname = "h"\ntype = "webhook"\n'
                            f'url = "http://127.0.0.1:{srv.server_address[1]}/hook"\n'
                            'headers = { Authorization = "Bearer t0k" }\n')
        assert build_notifiers(rules.receivers)["h"].send(PAYLOAD) == 200
    finally:
        srv.shutdown()
        srv.server_close()
    (seen,) = srv.seen
    assert seen["Authorization"] == "Bearer t0k" and seen["Idempotency-Key"] == "sw-abc"
    assert seen["User-Agent"] == "spillwatch-alerts"
