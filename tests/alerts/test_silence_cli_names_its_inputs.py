"""``alerts silence`` names a bad input as the command line takes it.

A rule name that is no name said "--rule: ...", and a label name or value too long
"--matchers.<name>.[key]: ..." / "--matchers.asset: ...": options the command has not (the rule
is its argument, a label is --label) (found by fuzzing the command's arguments).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A small store made by the project's own import."""
    folder = tmp_path_factory.mktemp("silence")
    (folder / "fund.csv").write_text("date,MYFUND\n2025-01-02,100.5\n2025-01-03,101.25\n")
    path = folder / "s.duckdb"
    res = runner.invoke(app, ["import", str(folder / "fund.csv"), "--map", "MYFUND=csv:MYFUND",
                              "--db", str(path)])
    assert res.exit_code == 0, res.output
    return str(path)


@pytest.mark.parametrize(("args", "said"), [
    (["週"], "error: the rule name '週': String should match pattern"),
    (["stress_elevated", "--label", "a" * 65 + "=x"],
     f"error: --label {'a' * 65}=... (its name): String should have at most 64 characters"),
    (["crypto_shock", "--label", "asset=" + "b" * 201],
     "error: --label asset=... (its value): String should have at most 200 characters"),
    (["stress_elevated", "--for", "1H"], "error: --for: bad duration '1H'"),
])
def test_a_bad_silence_names_the_argument_or_option(db, args, said):
    res = runner.invoke(app, ["alerts", "silence", *args, "--db", db])
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith(said), res.stderr
    assert "--rule" not in res.stderr and "--matchers" not in res.stderr
