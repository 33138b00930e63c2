"""Shared helpers: a real HTTP receiver on 127.0.0.1, fact sets under test control."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from spillwatch.alerts.facts import Fact, FactSet

T0 = dt.datetime(2025, 4, 9, 14, 0)


class Receiver:
    """A webhook receiver on 127.0.0.1 that records every request it answers.

    ``mode``: "up" (200), "error" (503), "reject" (413), "limited" (429, Retry-After two
    hours), "trickle" / "trickle_error" (200 / 503, then the body a byte every 0.1 s for a
    minute; ``trickled_all`` is set if it ever ends), "trickle_head" (the status line and
    headers a byte every 0.2 s). ``stop()``
    closes the socket (connection refused) and ``start()`` opens it again on the same port.
    With ``hold`` (an Event) set, request number ``hold_at`` (0-based) waits for it before
    answering; ``arrived`` is set on each request.
    """

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.mode = "up"
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self.hold: threading.Event | None = None
        self.hold_at = 0
        self.arrived = threading.Event()
        self.lock = threading.Lock()
        self.trickled_all = threading.Event()
        self.stop_trickle = threading.Event()

    def start(self) -> Receiver:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                rec = {"key": self.headers.get("Idempotency-Key"), "body": body,
                       "status": None, "held": False}
                with outer.lock:
                    outer.requests.append(rec)
                    held = outer.hold is not None and len(outer.requests) - 1 == outer.hold_at
                    rec["held"] = held
                outer.arrived.set()
                if held:
                    outer.hold.wait(30)
                if outer.mode == "trickle_head":
                    # the status line and headers a byte every 0.2 s: no read waits long
                    self.drip(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0.2)
                    return
                status = {"up": 200, "trickle": 200, "reject": 413, "limited": 429}.get(
                    outer.mode, 503)
                rec["status"] = status
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "7200")
                if outer.mode.startswith("trickle"):
                    # a receiver that answers and then sends its body a byte at a time for a
                    # minute: each read stays within any timeout, the whole does not
                    self.send_header("Content-Length", "600")
                    self.end_headers()
                    self.drip(b"x" * 600, 0.1)
                    return
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def drip(self, data: bytes, pause: float) -> None:
                """Write ``data`` a byte every ``pause`` seconds (``trickled_all`` at its end)."""
                try:
                    for b in data:
                        self.wfile.write(bytes([b]))
                        self.wfile.flush()
                        if outer.stop_trickle.wait(pause):
                            return
                except OSError:      # the client hung up
                    return
                outer.trickled_all.set()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self.stop_trickle.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def accepted(self) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["status"] == 200]


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


class Facts:
    """A fact source under test control: ``facts_fn(store, today)`` reads ``self.values``."""

    def __init__(self, **values: float | str | None) -> None:
        self.values = dict(values)

    def __call__(self, _store: object, today: dt.date) -> FactSet:
        return FactSet([Fact(k, v, today, reason=None if v is not None else "unavailable")
                        for k, v in self.values.items()], as_of=today)


def webhook_rules(url: str, body: str, *, fmt: str = "json") -> str:
    return f"""
[defaults]
receivers = ["hook"]

[[receiver]]
name = "hook"
type = "webhook"
url = "{url}"
format = "{fmt}"
timeout = 5
{body}
"""
