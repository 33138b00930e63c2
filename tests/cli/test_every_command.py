"""Every command in README's table runs with its defaults, on the demo and on the real data.

In-process (``spillwatch.cli.main``) so that the loop stays fast; the real data are read from
the session's store of ../shared/data (``real_db``), except for one command that imports the
folder with ``--data`` as a user would. On the real data ``report`` is left to ``run``, which
writes the same report (``run --no-fetch`` is ``report`` plus the run summary); on the demo
``report`` (with ``--pdf``) runs in tests/report/test_report_browser.py, whose browser checks
read the report it writes. ``fetch``
needs the network and is tested apart (its offline behaviour in tests/data); ``serve`` runs in
tests/api and tests/service.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spillwatch.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"

#: Command -> extra arguments its defaults still need (a preset, an output folder...).
COMMANDS: dict[str, list[str]] = {
    "run": ["--out", "{tmp}/run"],
    "data health": [],
    "data quarantine": [],
    "data panel": [],
    "stress": [],
    "demand": [],
    "spillover": [],
    "volatility": [],
    "risk": [],
    "events": [],
    "scenario": ["japan-10pct", "--paths", "2000"],
    "monitor": ["--once", "--no-fetch"],
    "alerts list": [],
    "alerts test": [],
    "report": ["--out", "{tmp}/report"],
    "backtest": [],
}
#: Commands that take no market source (they read the store, or nothing).
STORE_ONLY = {"data runs", "alerts list", "alerts silence", "alerts rules", "import", "fetch",
              "serve"}


def readme_commands() -> set[str]:
    rows = re.findall(r"^\| `spillwatch ([a-z]+(?: [a-z]+)?)", README.read_text(), flags=re.M)
    return set(rows)


def test_the_loop_covers_readme():
    listed = readme_commands()
    missing = {c for c in listed if c.split()[0] not in {k.split()[0] for k in COMMANDS}
               and c not in STORE_ONLY and c.split()[0] not in {"fetch", "serve", "import"}}
    assert missing == set(), f"README commands not run by this test: {missing}"


def invoke(args: list[str], capsys) -> tuple[int, str]:
    code, _, err = invoke_out(args, capsys)
    return code, err


def invoke_out(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


def check_run(out: str, folder: Path, *, simulated: bool) -> None:
    """What ``run --json`` must say and write: no failed section, the report beside it."""
    doc = json.loads(out)
    assert doc["simulated"] is simulated and doc["failures"] == {}, doc.get("failures")
    assert doc["sections"]["market"]["latest"]["ust10y"]["value"] > 0
    html = (folder / "report.html").read_text()
    assert ("SIMULATED DATA" in html) is simulated
    # self-contained: plotly.js is inlined, no script is loaded from the network
    assert not re.search(r"<script[^>]+src=", html)
    assert 'src="https://cdn.plot.ly' not in html
    assert html.count("Plotly.newPlot") >= 3


@pytest.mark.slow
@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "report"])
def test_demo(command, tmp_path, capsys, request):
    extra = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    source = [] if command in STORE_ONLY else ["--demo"]
    if command == "alerts list":      # a store after a monitor's cycle on the demo
        monitored = request.getfixturevalue("monitored_demo")
        assert monitored.exit_code == 0, monitored.output
        source = ["--db", str(monitored.copy(tmp_path / "m.duckdb"))]
    code, out, err = invoke_out([*command.split(), *source, *extra, "--json"]
                                if command not in ("monitor",) else
                                [*command.split(), *source, "--db", str(tmp_path / "d.duckdb"),
                                 *extra], capsys)
    assert code == 0, err
    if command == "run":
        check_run(out, tmp_path / "run", simulated=True)


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "report"])
def test_real_data(command, real_db, tmp_path, capsys, request):
    extra = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    db = tmp_path / "copy.duckdb" if command in ("monitor", "alerts list") else real_db
    if db != real_db:
        db.write_bytes(Path(real_db).read_bytes())
    args = [*command.split(), "--db", str(db), *extra]
    if command == "run":        # the store as it is: CI has no network (tests/cli/test_offline_run)
        args.append("--no-fetch")
    if command not in ("monitor",):
        args.append("--json")
    if command == "backtest":   # this very command, run once per process (conftest.py)
        ran = request.getfixturevalue("real_backtest")
        assert ran.args == args
        code, out, err = ran.exit_code, ran.stdout, ran.stderr
    else:
        code, out, err = invoke_out(args, capsys)
    assert code == 0, err
    if command == "run":
        check_run(out, tmp_path / "run", simulated=False)
        # the 10y-vs-dollar chart covers April 2025 (its window ends on the last common date)
        assert "2025-04-09" in (tmp_path / "run" / "report.html").read_text()


@pytest.mark.slow
@pytest.mark.realdata
def test_data_option_imports_the_folder(shared_data, capsys):
    code, err = invoke(["stress", "--data", str(shared_data), "--json"], capsys)
    assert code == 0, err
