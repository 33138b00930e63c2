"""Request bodies read as strict JSON (I-JSON): a key named twice or a lone surrogate is refused.

Python's JSON reader (and so FastAPI's) keeps the last of two equal keys, so
``{"preset": "japan-10pct", "preset": "full-dump"}`` ran full-dump: what a proxy, a log or a
reviewer reads first is not what runs. RFC 8259 (section 4) leaves such objects'
behaviour unpredictable; I-JSON (RFC 7493, section 2.3) forbids them. Here the body is refused
with FastAPI's own ``json_invalid`` error (a 422 naming the key), before any schema reads it.
"""

from __future__ import annotations

import json
import re
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


#: A JSON escape of a UTF-16 surrogate (half of a pair, or a lone one).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogate(value: Any) -> str | None:
    """The first string (key or value) in ``value`` that is not Unicode text, or None."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return v
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return None


def loads_strict(text: str | bytes) -> Any:
    r"""Parse JSON like :func:`json.loads`, refusing an object with a key given twice.

    Raises
    ------
    json.JSONDecodeError
        Malformed JSON, a string with a lone surrogate (``"\ud800"``: no Unicode text), or a
        duplicate key (its message names the key; the position is where
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
        value = json.loads(text, object_pairs_hook=_pairs)
    except DuplicateKey as e:
        doc = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        pos = max(doc.rfind(json.dumps(e.key)), 0)
        raise json.JSONDecodeError(f"duplicate key {e.key!r} (a JSON object may name a key "
                                   f"once)", doc, pos) from None
    bad = _lone_surrogate(value)
    if bad is not None:
        # I-JSON (RFC 7493, 2.1): no escaped half of a surrogate pair; echoing one back in an
        # error could not be encoded, and the answer was a 500
        doc = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        hit = _SURROGATE_ESCAPE.search(doc)
        raise json.JSONDecodeError(f"a string holds a lone surrogate ({ascii(bad)[1:-1]}): "
                                   "not Unicode text", doc, hit.start() if hit else 0)
    return value


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
