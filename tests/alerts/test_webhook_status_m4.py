"""How a webhook's HTTP answer is read: delivered, refused for good, or to be retried."""

from __future__ import annotations

import httpx
import pytest

from spillwatch.alerts.notify import WebhookNotifier
from spillwatch.alerts.outbox import DeliveryError


def _hook(status: int, headers: dict[str, str] | None = None) -> WebhookNotifier:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers or {}, text="no")
    return WebhookNotifier("http://hooks.example/T/B/X", timeout=5.0,
                           transport=httpx.MockTransport(answer))


@pytest.mark.parametrize("status", [200, 202, 204, 299])
def test_a_2xx_is_delivered(status):
    assert _hook(status).send({"idempotency_key": "k"}) == status


@pytest.mark.parametrize(("status", "permanent"), [
    (400, True), (413, True), (415, True), (422, True),     # the notification itself refused
    (300, False), (401, False), (403, False), (404, False), (429, False), (500, False),
    (503, False),                                          # a setting or an outage: retried
])
def test_which_failures_are_refused_for_good(status, permanent):
    """400, 413, 415 and 422 refuse the notification itself: sending it again cannot succeed,
    and a row retried for ever held every later notification of its receiver. A 3xx is no
    delivery (the hook moved), and is retried like any other failure."""
    with pytest.raises(DeliveryError) as err:
        _hook(status).send({"idempotency_key": "k"})
    assert err.value.permanent is permanent
    assert err.value.status == status


def test_a_retry_after_in_seconds_is_passed_on():
    with pytest.raises(DeliveryError) as err:
        _hook(429, {"Retry-After": "120"}).send({"idempotency_key": "k"})
    assert err.value.retry_after == 120.0
