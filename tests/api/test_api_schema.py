"""schemathesis against the app's own OpenAPI spec: no server error, every response conforms.

Every operation is exercised with the bearer token, so writes run for real (scenarios are
simulated, rules and silences are stored); ``test_api_auth.py`` checks writes without it.

The schema is loaded from an app built at import time: schemathesis' lazy ``from_fixture`` loader
does not run under pytest 9 (it sets ``node._nodeid``, which pytest 9 no longer has).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from spillwatch.api.app import create_app
from spillwatch.api.limits import RateLimit
from spillwatch.data.source import open_source

TOKEN = "schemathesis-token-0123456789"
_HIGH = RateLimit(per_second=10_000.0, burst=100_000)

# the test owns the source: schemathesis' ASGI client runs the app's lifespan on every call,
# and an app closes a source it opened itself when its lifespan ends
SOURCE = open_source("demo")
APP = create_app(SOURCE, token=TOKEN, read_limit=_HIGH, write_limit=_HIGH, warm=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)

_SETTINGS = settings(max_examples=20, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def no_server_error(ctx, response, case):
    """No 5xx at all: the demo market carries every input, so every view must compute."""
    assert response.status_code < 500, (
        f"server error {response.status_code}: {response.text[:300]}")
    return None


@schema.parametrize()
@_SETTINGS
def test_every_operation_conforms(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"},
                           excluded_checks=[not_a_server_error],
                           additional_checks=[no_server_error])
