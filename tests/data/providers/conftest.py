"""Fixtures of the provider tests: recorded payloads, a fast client config, hostile servers.

Every server here listens on 127.0.0.1 only; no test reaches a real host.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from spillwatch.data._http import HttpClient, HttpConfig

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def payload(name: str) -> bytes:
    """A recorded payload under tests/fixtures."""
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def fast() -> HttpConfig:
    """Small timeouts and backoff so the whole fault suite runs in seconds."""
    return HttpConfig(connect_timeout=0.5, read_timeout=1.0, deadline=1.5, retries=2,
                      backoff=0.01, backoff_max=0.05, retry_after_max=5.0, cache_dir=None,
                      seed=7)


@pytest.fixture
def client(fast: HttpConfig) -> Iterator[HttpClient]:
    with HttpClient(fast) as c:
        yield c


def _drip(head: bytes, drip: bytes) -> Iterator[str]:
    """Serve ``head`` at once, then one byte of ``drip`` every 0.5 s (until told to stop)."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                try:
                    conn.recv(65536)
                    conn.sendall(head)
                    for i in range(len(drip)):
                        if stop.wait(0.5):
                            break
                        conn.sendall(drip[i:i + 1])
                except OSError:
                    pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    t.join(2)
    srv.close()


@pytest.fixture
def drip_server() -> Iterator[str]:
    """Headers at once, then one body byte every 0.5 s (20 bytes: 10 s in all)."""
    yield from _drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 20\r\n\r\n",
                     b"x" * 20)


@pytest.fixture
def header_drip_server() -> Iterator[str]:
    """The status line at once, then the headers one byte every 0.5 s (they never end)."""
    yield from _drip(b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"y" * 40)


@pytest.fixture
def blackhole() -> Iterator[str]:
    """A listening socket whose accept queue is full: a connect to it times out."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            c.connect(("127.0.0.1", port))
        fillers.append(c)
    time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    for c in fillers:
        c.close()
    srv.close()
