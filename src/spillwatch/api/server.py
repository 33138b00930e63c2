"""Run the app with uvicorn: header and body read timeouts, no banner, a clean SIGTERM stop.

What the server adds to uvicorn's defaults:

- **header timeout**: uvicorn's HTTP/1.1 protocol (h11) waits for a request's headers for as
  long as the client keeps sending bytes, so a client dripping a header line every few seconds
  holds its connection for ever (uvicorn's ``timeout_keep_alive`` only covers the idle time
  between requests, and any byte resets it). :class:`TimedH11Protocol` gives each request
  ``header_timeout_s`` from its first byte (or from the connection opening) to finish its
  request line and headers; past it the client gets ``408`` and the connection is closed.
- **body timeout**: once the headers are in, the body must arrive within ``body_timeout_s``.
  The API's guard (:class:`spillwatch.api.limits.ApiGuard`) enforces it with a JSON 408 while it
  reads a body; the protocol closes the connection one second later as a backstop for bodies no
  one reads (a GET with a body trickling in).
- **no banner, no proxy headers at this level**: ``server:`` is not sent; uvicorn's own
  ``X-Forwarded-For`` handling (which by default trusts 127.0.0.1, so anything on the machine
  could pick its address) is off — the guard decides, from ``trusted_proxies``, whose forwarding
  header is believed.
- **a clean SIGTERM stop**: uvicorn re-raises a captured SIGTERM after its graceful shutdown (so
  the process dies by the signal, exit status -15); a service manager or a test that stops
  ``spillwatch serve`` with SIGTERM sees a clean exit instead, after the same graceful shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import math
import signal
import socket
import threading
from collections.abc import Iterator
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from spillwatch.config import Settings

log = logging.getLogger(__name__)

_DEFAULTS = Settings.model_fields
DEFAULT_HEADER_TIMEOUT_S: float = _DEFAULTS["header_timeout_s"].default
DEFAULT_BODY_TIMEOUT_S: float = _DEFAULTS["body_timeout_s"].default
DEFAULT_KEEP_ALIVE_S: int = _DEFAULTS["keep_alive_s"].default
#: The protocol's body deadline is this much later than the guard's, so the guard answers first.
BODY_BACKSTOP_GRACE_S = 1.0


def _timeout_response(detail: str) -> bytes:
    body = json.dumps({"detail": detail}).encode()
    head = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n"
            b"x-content-type-options: nosniff\r\n\r\n")
    return head + body


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for a request's headers and one for its body.

    The deadlines come from the config's ``header_timeout_s`` and ``body_timeout_s`` (see
    :func:`server_config`). One timer per connection is armed at a time:

    - *header*: from the connection opening, or from the first byte of the next request on a
      kept-alive connection, until h11 has the whole request head;
    - *body*: from then until the request's end (``body_timeout_s`` plus
      :data:`BODY_BACKSTOP_GRACE_S`).

    Between requests uvicorn's keep-alive timer applies, and none of ours. When a deadline
    passes, a client that sent part of a request gets a ``408`` (when no response has started)
    and the connection is closed.
    """

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.header_timeout_s = float(getattr(config, "header_timeout_s",
                                              DEFAULT_HEADER_TIMEOUT_S))
        self.body_timeout_s = float(getattr(config, "body_timeout_s", DEFAULT_BODY_TIMEOUT_S))
        self._deadline: asyncio.TimerHandle | None = None
        self._deadline_kind: str | None = None

    # -- the timer ----------------------------------------------------------------------------
    def _arm(self, kind: str) -> None:
        self._disarm()
        delay = (self.header_timeout_s if kind == "header"
                 else self.body_timeout_s + BODY_BACKSTOP_GRACE_S)
        self._deadline = self.loop.call_later(delay, self._expired)
        self._deadline_kind = kind

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._deadline_kind = None

    def _track(self) -> None:
        """Arm or disarm after the request's state may have changed."""
        if self.transport is None or self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            if self.timeout_keep_alive_task is not None:
                self._disarm()  # idle between requests: the keep-alive timer's job
            elif self._deadline_kind != "header":
                self._arm("header")
        elif state is h11.SEND_BODY:
            if self._deadline_kind != "body":
                self._arm("body")
        else:
            self._disarm()

    def _expired(self) -> None:
        kind = self._deadline_kind
        self._deadline = None
        self._deadline_kind = None
        if self.transport is None or self.transport.is_closing():
            return
        if kind == "header":
            partial = bool(self.conn.trailing_data[0])
            if partial:
                self.transport.write(_timeout_response(
                    f"request headers not received within {self.header_timeout_s:g} s"))
            log.debug("closing %s: request headers not complete within %g s (%s)",
                      self.client, self.header_timeout_s,
                      "partial request" if partial else "nothing sent")
        else:
            if self.cycle is None or not self.cycle.response_started:
                self.transport.write(_timeout_response(
                    f"request body not received within {self.body_timeout_s:g} s"))
            log.debug("closing %s: request body not complete within %g s", self.client,
                      self.body_timeout_s + BODY_BACKSTOP_GRACE_S)
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """Answer a request h11 cannot parse (or a head over 16 KiB): 400, with nosniff."""
        event = h11.Response(status_code=400, reason=b"Bad Request", headers=[
            (b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
            (b"x-content-type-options", b"nosniff")])
        try:
            for part in (event, h11.Data(data=msg.encode("ascii")), h11.EndOfMessage()):
                self.transport.write(self.conn.send(part))
        except h11.LocalProtocolError:  # a response had already started: just close
            pass
        self.transport.close()

    # -- protocol events ------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm("header")

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._track()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._track()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


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


def server_config(app: Any, *, host: str, port: int, log_level: str = "info",
                  header_timeout_s: float = DEFAULT_HEADER_TIMEOUT_S,
                  body_timeout_s: float = DEFAULT_BODY_TIMEOUT_S,
                  keep_alive_s: int = DEFAULT_KEEP_ALIVE_S) -> uvicorn.Config:
    """The uvicorn configuration ``spillwatch serve`` runs with.

    Parameters
    ----------
    app : ASGI app
    host, port : str, int
        Where to listen.
    log_level : str
    header_timeout_s : float
        Seconds from a request's first byte (or the connection opening) to its last header.
    body_timeout_s : float
        Seconds for the body once the headers are in (give the app's guard the same value).
    keep_alive_s : int
        Seconds an idle kept-alive connection stays open.

    Returns
    -------
    uvicorn.Config
        HTTP/1.1 through :class:`TimedH11Protocol`, no ``server:`` header, no proxy headers,
        no WebSocket upgrades.

    Raises
    ------
    ConfigError
        A timeout that is not a positive number.
    """
    from spillwatch.exceptions import ConfigError

    for name, value in (("header_timeout_s", header_timeout_s),
                        ("body_timeout_s", body_timeout_s), ("keep_alive_s", keep_alive_s)):
        if not (value > 0 and math.isfinite(value)):
            raise ConfigError(f"{name} must be a positive number, got {value!r}")
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level,
                            http=TimedH11Protocol, ws="none", server_header=False,
                            proxy_headers=False, timeout_keep_alive=int(keep_alive_s))
    config.header_timeout_s = float(header_timeout_s)  # type: ignore[attr-defined]
    config.body_timeout_s = float(body_timeout_s)  # type: ignore[attr-defined]
    return config


def make_server(config: uvicorn.Config) -> uvicorn.Server:
    """A uvicorn server for ``config`` that stops cleanly on SIGINT/SIGTERM."""
    return _Server(config)


def run_server(app: Any, *, host: str, port: int, log_level: str = "info",
               header_timeout_s: float = DEFAULT_HEADER_TIMEOUT_S,
               body_timeout_s: float = DEFAULT_BODY_TIMEOUT_S,
               keep_alive_s: int = DEFAULT_KEEP_ALIVE_S,
               sock: socket.socket | None = None) -> None:
    """Serve ``app`` until SIGINT/SIGTERM, then shut down gracefully and return.

    The parameters are those of :func:`server_config`; ``sock``, a socket already bound to
    ``host:port`` (:func:`listen_socket`), is closed on return.

    Raises
    ------
    ConfigError
        The address cannot be listened on (a port in use, an address not of this machine).
    """
    config = server_config(app, host=host, port=port, log_level=log_level,
                           header_timeout_s=header_timeout_s, body_timeout_s=body_timeout_s,
                           keep_alive_s=keep_alive_s)
    sock = listen_socket(host, port) if sock is None else sock
    try:
        make_server(config).run(sockets=[sock])
    finally:
        sock.close()


def listen_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (as uvicorn binds it), or a clear error.

    uvicorn binds inside its event loop and, when that fails, logs the error and exits the
    process (a port in use ended ``spillwatch serve`` with a traceback and status 134).

    Raises
    ------
    ConfigError
        The port is outside 0-65535, in use, or the address is not one of this machine's.
    """
    from spillwatch.exceptions import ConfigError

    if not 0 <= port <= 65535:
        raise ConfigError(f"--port must be 0-65535; got {port}")
    try:
        family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                    flags=socket.AI_PASSIVE)[0][0]
    except socket.gaierror as exc:
        raise ConfigError(f"--host {host!r} is not an address to listen on: {exc}") from None
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and an accepted connection inherits this socket's protocol; without it a kept-alive
    # connection's responses (head and body written apart) waited ~40 ms on Nagle and the
    # client's delayed ACK, every request after a connection's first
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        hint = {errno.EADDRINUSE: "another server listens on that port: choose another "
                                  "with --port",
                errno.EADDRNOTAVAIL: "the address is not one of this machine's: give one of "
                                     "its own with --host (0.0.0.0 for all of them)",
                errno.EACCES: "ports below 1024 need privileges: choose another with --port"}
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc} ("
                          f"{hint.get(exc.errno or 0, 'check --host and --port')})") from None
    sock.set_inheritable(True)
    return sock
