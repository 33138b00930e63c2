"""Run the app with uvicorn: no server banner, no trusted proxy headers, a clean SIGTERM stop.

uvicorn re-raises a captured SIGTERM after its graceful shutdown (so the process dies by the
signal, exit status -15); a service manager or a test that stops ``spillwatch serve`` with
SIGTERM should see a clean exit instead, after the same graceful shutdown.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

import uvicorn


class _Server(uvicorn.Server):
    """uvicorn's server, handling SIGINT/SIGTERM by a graceful stop without re-raising."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        originals = {sig: signal.signal(sig, self.handle_exit)
                     for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)


def run_server(app: Any, *, host: str, port: int, log_level: str = "info") -> None:
    """Serve ``app`` until SIGINT/SIGTERM, then shut down gracefully and return."""
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level,
                            server_header=False, proxy_headers=False)
    _Server(config).run()
