"""``spillwatch alerts rules`` prints the packaged rule file without loading the rule language.

It imported :mod:`spillwatch.alerts.rules` to read a text file: the facts, the service layer,
pandas' store and duckdb (about 1 s of CPU). ``--json`` and ``--rules FILE`` still parse.
"""

import ast
import subprocess
import sys
from importlib import resources

import pytest

CHILD = """
import contextlib, io, sys
from spillwatch.cli import main
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    try:
        main(["alerts", "rules"])
    except SystemExit as exc:
        code = exc.code
heavy = ("duckdb", "spillwatch.alerts.rules", "spillwatch.alerts.facts", "spillwatch.store",
         "spillwatch.service.workspace", "spillwatch.analytics")
print(repr((code, buf.getvalue(), sorted(m for m in heavy if m in sys.modules))))
"""


@pytest.mark.slow
def test_alerts_rules_prints_the_file_without_the_rule_language(monkeypatch):
    monkeypatch.delenv("SPILLWATCH_RULES", raising=False)
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    code, text, loaded = ast.literal_eval(out.strip().splitlines()[-1])
    packaged = resources.files("spillwatch.alerts").joinpath("default_rules.toml")
    assert code == 0 and text == packaged.read_text("utf-8")
    assert "[[rule]]" in text
    assert loaded == []


@pytest.mark.slow
def test_the_rule_language_reads_the_same_file():
    from spillwatch.alerts._packaged import default_rules_text
    from spillwatch.alerts.rules import default_rules_text as from_rules
    from spillwatch.alerts.rules import load_rules

    assert from_rules is default_rules_text
    assert load_rules(None).path == "<default rules>"
