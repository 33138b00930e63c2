"""README's Commands table names each command's options as its ``--help`` does.

What was wrong: the table offered ``risk [--backtest]`` (the backtest is on by default; the flag a
user passes is ``--no-backtest``) and left out options the commands take (``spillover --start``,
``volatility --start``, ``risk --q``, ``events --before/--after/--estimation``, ``scenario
--method/--band/--no-alone``, ``monitor --max-cycles/--no-fetch``, ``serve --cors/--log-level``).
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import typer.main

from spillwatch.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"

#: Options every market command shares, described once above the table.
SHARED = {"--help", "--json", "--demo", "--data", "--db", "--wide"}

#: Commands whose README row gives their options.
COMMANDS = ["run", "import", "fetch", "stress", "demand", "spillover", "volatility", "risk",
            "events", "scenario", "monitor", "backtest", "serve", "report", "data panel",
            "data quarantine"]


def _rows() -> dict[str, str]:
    rows = {}
    for line in README.read_text("utf-8").splitlines():
        m = re.match(r"^\| `spillwatch ([a-z]+(?: [a-z]+)?)(.*?)` (?:\(one of them\) )?\|", line)
        if m:
            rows[m.group(1).strip()] = m.group(2)
    return rows


def _command(name: str) -> click.Command:
    cmd: click.Command = typer.main.get_command(app)
    for part in name.split():
        cmd = cmd.commands[part]          # type: ignore[attr-defined]
    return cmd


def _options(cmd: click.Command) -> tuple[set[str], set[str]]:
    """(every flag the command accepts, the flag a user writes for each option)."""
    accepted, written = set(), set()
    for p in cmd.params:
        if getattr(p, "param_type_name", "") != "option":
            continue
        names = [o for o in p.opts + p.secondary_opts if o.startswith("--")]
        accepted.update(names)
        # a boolean on by default is written as its --no- form
        if p.is_flag and p.secondary_opts and p.default:
            written.add(p.secondary_opts[0])
        else:
            written.add(p.opts[0])
    return accepted, written


@pytest.mark.parametrize("name", COMMANDS)
def test_the_table_row_names_the_command_s_options(name):
    row = _rows()[name]
    in_readme = set(re.findall(r"--[a-z][a-z-]*", row))
    accepted, written = _options(_command(name))
    assert in_readme - accepted == set(), f"{name}: README names options it lacks"
    assert written - SHARED - in_readme == set(), f"{name}: options missing from README's row"
