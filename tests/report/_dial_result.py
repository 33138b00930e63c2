"""A stand-in for a stress result, holding what ``StressResult.latest()`` gives, for the dial."""

from __future__ import annotations

from typing import Any


class _Spec:
    thresholds = (80.0, 95.0)


def dial_result(base: dict[str, Any], **latest: Any) -> Any:
    """An object with ``spec.thresholds`` (80, 95) and ``latest()`` = ``base`` with ``latest``."""

    class Result:
        spec = _Spec()

        @staticmethod
        def latest() -> dict[str, Any]:
            return {**base, **latest}

    return Result()
