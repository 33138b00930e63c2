"""The guard's body limit: a body of exactly ``max_body_bytes`` passes, one byte more is 413."""

from __future__ import annotations

import asyncio

import httpx

from spillwatch.api.limits import ApiGuard

TOKEN = "t" * 24


async def _echo(scope, receive, send):
    """A tiny app answering the length of the body it received."""
    got = b""
    while True:
        msg = await receive()
        got += msg.get("body", b"")
        if not msg.get("more_body"):
            break
    body = str(len(got)).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _post(content) -> httpx.Response:
    guard = ApiGuard(_echo, token=TOKEN, max_body_bytes=1024, read_limit=None,
                     write_limit=None, token_read_limit=None, token_write_limit=None)

    async def run():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guard),
                                     base_url="http://localhost") as c:
            return await c.post("/api/x", content=content,
                                headers={"Authorization": f"Bearer {TOKEN}"})

    return asyncio.run(run())


def test_a_body_of_exactly_the_limit_is_accepted_with_or_without_a_length():
    ok = _post(b"x" * 1024)
    assert ok.status_code == 200 and ok.text == "1024"
    assert _post(b"x" * 1025).status_code == 413

    def chunks(n):          # no Content-Length: the guard counts the bytes as they stream in
        async def gen():
            for _ in range(n // 256):
                yield b"x" * 256
            yield b"x" * (n % 256)
        return gen()

    streamed = _post(chunks(1024))
    assert streamed.status_code == 200 and streamed.text == "1024"
    assert _post(chunks(1025)).status_code == 413
