"""Fixtures of the API tests: the demo source, the app, and a live uvicorn server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from spillwatch.api.limits import RateLimit

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
#: Generous limits for tests that send many requests from one client (limits are tested apart).
HIGH = RateLimit(per_second=10_000.0, burst=100_000)


@pytest.fixture(scope="session")
def token() -> str:
    return TOKEN


@pytest.fixture(scope="session")
def auth() -> dict[str, str]:
    return dict(AUTH)


@pytest.fixture(scope="session")
def demo_source():
    from spillwatch.data.source import open_source

    src = open_source("demo")
    yield src
    src.close()


@pytest.fixture(scope="session")
def app(demo_source):
    from spillwatch.api.app import create_app

    # the page polls every second and the server probes the store every half second, so the
    # browser test can watch the page redraw when the data change
    application = create_app(demo_source, token=TOKEN, read_limit=HIGH, write_limit=HIGH,
                             token_read_limit=HIGH, token_write_limit=HIGH,
                             warm=False, refresh_s=0.5, page_refresh_s=1.0)
    application.state.views.warm()
    return application


@pytest.fixture(scope="session")
def live_server(app, live_server_cls):
    with live_server_cls(app) as server:
        yield server


@pytest.fixture
def http(live_server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        yield c


@contextmanager
def _serve(application, **timeouts) -> Iterator[str]:
    from spillwatch.api.server import make_server, server_config

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = server_config(application, host="127.0.0.1", port=port,
                           log_level="warning", **timeouts)
    server = make_server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start within 20 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve():
    """``with serve(app, header_timeout_s=..., ...) as url``: the app behind ``spillwatch serve``'s
    own server configuration (the timed h11 protocol, no banner, no proxy headers)."""
    return _serve
