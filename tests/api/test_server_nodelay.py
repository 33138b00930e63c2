"""A connection accepted on ``spillwatch serve``'s socket has TCP_NODELAY.

:func:`listen_socket` made its socket with protocol 0. asyncio sets TCP_NODELAY only on a
socket whose ``proto`` is IPPROTO_TCP, and an accepted connection inherits the listener's, so
``spillwatch serve`` answered with Nagle's algorithm on: h11 writes a response's head and body
apart, and every request after a connection's first waited for the client's delayed ACK
(``/api/scenarios``, 519 bytes: 42-48 ms on a kept-alive connection against 0.3-0.6 ms; the
first request of a connection was fast). benchmarks/bench_api.py and the live-server fixtures
let uvicorn bind its own socket and never saw it.
"""

from __future__ import annotations

import asyncio
import socket

from spillwatch.api.server import listen_socket


def _nodelay_of_accepted(sock: socket.socket) -> int:
    port = sock.getsockname()[1]

    async def main() -> int:
        loop = asyncio.get_running_loop()
        got: asyncio.Future[int] = loop.create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                s = transport.get_extra_info("socket")
                got.set_result(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await loop.create_server(Probe, sock=sock)
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(got, 10)
            writer.close()
            return value
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(main())


def test_listen_socket_is_tcp():
    sock = listen_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


def test_accepted_connection_has_nodelay():
    assert _nodelay_of_accepted(listen_socket("127.0.0.1", 0)) != 0
