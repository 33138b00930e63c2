"""The rule file named by ``$SPILLWATCH_RULES`` is named by its file alone in what the API
serves, as one given by ``serve --rules`` is (h_mut25).

c368f6b scrubs the rule file's folder from every body, the file being ``serve --rules``'s or
else ``$SPILLWATCH_RULES``'s; its test gives ``rules_path``, so a mutant scrubbing only that one
survived. With the environment's file mid-edit (it no longer parses), ``/api/alerts`` gives the
parse error: in its 409 where the server evaluates the rules (the demo), in ``rules_error``
where the monitor does; both named the server's folder.
"""

from __future__ import annotations

import re

import httpx
import pytest

from spillwatch.alerts.rules import default_rules_text
from spillwatch.api.app import create_app


@pytest.mark.slow
def test_the_environment_s_rule_file_is_named_by_its_file_alone(tmp_path, demo_source, token,
                                                                serve, monkeypatch):
    desk = tmp_path / "rules" / "desk.toml"
    desk.parent.mkdir()
    desk.write_text(default_rules_text(), "utf-8")
    monkeypatch.setenv("SPILLWATCH_RULES", str(desk))
    served = create_app(demo_source, token=token, warm=False)
    listed = create_app(demo_source, token=token, warm=False, evaluate_alerts=False)
    desk.write_text(default_rules_text() + "\n[[rule\n", "utf-8")     # mid-edit
    got = []
    for app in (served, listed):
        with serve(app) as url, httpx.Client(base_url=url, timeout=30) as client:
            got.append(client.get("/api/alerts"))
    evaluated, stored = got
    assert evaluated.status_code == 409
    # the line of the broken table, after the packaged rules' lines
    line = len((default_rules_text() + "\n[[rule\n").splitlines())
    assert re.match(rf"desk\.toml:{line}: not valid TOML", evaluated.json()["detail"])
    assert stored.status_code == 200, stored.text
    assert re.match(rf"desk\.toml:{line}: not valid TOML", stored.json()["rules_error"])
    assert all(str(tmp_path) not in r.text for r in got)
