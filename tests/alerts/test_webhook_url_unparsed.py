"""A webhook address that cannot be parsed is refused where it is given, in the project's terms.

The rule file refuses brackets (``webhook_url_ok``), but the library class took
``WebhookNotifier("http://[::1/x")`` and raised a bare ``ValueError("Invalid IPv6 URL")`` out of
its first ``send`` (from ``redact``, before any delivery error could be recorded), with no word
of which receiver (closing note 53; h_small2).
"""

from __future__ import annotations

import httpx
import pytest

from spillwatch.alerts.notify import WebhookNotifier, redact
from spillwatch.exceptions import ConfigError, SpillwatchError

FIX = ("give an http:// or https:// address, an IPv6 host in closed brackets "
       "(http://[::1]:8080/hook)")


def test_an_unclosed_ipv6_bracket_is_a_config_error_at_construction():
    with pytest.raises(ConfigError) as exc:
        WebhookNotifier("http://[::1/T9/B9/SECRET")
    assert isinstance(exc.value, SpillwatchError) and not isinstance(exc.value, ValueError)
    assert str(exc.value) == ("webhook http://[::1/…: not a URL that can be parsed (Invalid IPv6 "
                              f"URL); {FIX}")
    assert "SECRET" not in str(exc.value)


def test_a_bracketed_host_that_is_no_address_names_it_without_the_secret():
    with pytest.raises(ConfigError) as exc:
        WebhookNotifier("https://[hooks.slack.com]/services/T/B/SECRET")
    assert str(exc.value) == ("webhook https://[hooks.slack.com]/…: not a URL that can be parsed "
                              "('hooks.slack.com' does not appear to be an IPv4 or IPv6 "
                              f"address); {FIX}")
    # a password in a host Python refuses (a full-width '#'): neither it nor the path quoted
    with pytest.raises(ConfigError) as exc:
        WebhookNotifier("http://desk:PASSWORD@hooks.example\uff03/SECRET")
    assert "PASSWORD" not in str(exc.value) and "SECRET" not in str(exc.value)
    assert str(exc.value).startswith("webhook http://hooks.example\uff03/…: not a URL that can "
                                     "be parsed (characters not allowed in a host)")


def test_redact_cuts_an_unparsed_address_at_its_host():
    assert redact("http://[::1/T9/B9/SECRET") == "http://[::1/…"
    assert redact("http://user:pw@[::1?token=SECRET") == "http://[::1/…"


def test_a_closed_ipv6_address_is_taken_and_posts():
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.url.port, request.url.path))
        return httpx.Response(204)

    hook = WebhookNotifier("http://[::1]:8080/hook", transport=httpx.MockTransport(answer))
    assert hook.send({"idempotency_key": "k"}) == 204
    assert seen == [("::1", 8080, "/hook")]
