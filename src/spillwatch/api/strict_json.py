"""Request bodies read as strict JSON: an object that names a key twice is refused.

Python's JSON reader (and so FastAPI's) keeps the last of two equal keys, so
``{"preset": "japan-10pct", "preset": "full-dump"}`` ran full-dump: what a proxy, a log or a
reviewer reads first is not what runs. RFC 8259 (section 4) leaves such objects'
behaviour unpredictable; I-JSON (RFC 7493, section 2.3) forbids them. Here the body is refused
with FastAPI's own ``json_invalid`` error (a 422 naming the key), before any schema reads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class DuplicateKey(ValueError):
    """An object in the body names ``key`` twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


def loads_strict(text: str | bytes) -> Any:
    r"""Parse JSON like :func:`json.loads`, refusing an object with a key given twice.

    Raises
    ------
    json.JSONDecodeError
        Malformed JSON, or a duplicate key (its message names the key; the position is where
        the key last appears spelled plainly, 0 if nowhere: an escaped spelling such as
        ``"pre\u0073et"`` is not searched for).

    >>> loads_strict('{"a": 1, "b": {"c": 2}}')
    {'a': 1, 'b': {'c': 2}}
    >>> loads_strict('{"a": 1, "a": 2}')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    json.decoder.JSONDecodeError: duplicate key 'a' (a JSON ... once): line 1 column 10 (char 9)
    """
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except DuplicateKey as e:
        doc = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        pos = max(doc.rfind(json.dumps(e.key)), 0)
        raise json.JSONDecodeError(f"duplicate key {e.key!r} (a JSON object may name a key "
                                   f"once)", doc, pos) from None


class StrictJSONRequest(Request):
    """A request whose :meth:`json` is :func:`loads_strict`."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads_strict(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """An API route whose body is read by :class:`StrictJSONRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict
