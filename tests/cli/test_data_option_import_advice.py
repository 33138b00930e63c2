"""An import error met through ``--data`` says how to use the option it advises (h_data2).

``spillwatch spillover --data fund.csv`` on a file with day-first dates said "pass
--date-format '%d/%m/%Y'", and the command given it answered "No such option: --date-format":
only ``spillwatch import`` has it (and ``--date-column``).
"""

from __future__ import annotations

from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def test_data_error_says_to_import_with_the_option(tmp_path):
    f = tmp_path / "fund.csv"
    f.write_text("date,NAV\n31/01/2024,101.5\n01/02/2024,102.25\n02/02/2024,101.75\n")
    res = runner.invoke(app, ["risk", "--data", str(f), "--assets", "csv:NAV"],
                        terminal_width=400)
    assert res.exit_code == 2
    assert ("it looks like '%d/%m/%Y': pass --date-format '%d/%m/%Y'. Nothing was imported "
            "from this file (--data takes no --date-format: import the file with "
            "`spillwatch import FILE --date-format … --db STORE.duckdb`, then run this command "
            f"with --db STORE.duckdb instead of --data {f})") in " ".join(res.output.split())
    # the advice works: imported so, the file's three values are stored on their days
    db = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["import", str(f), "--date-format", "%d/%m/%Y", "--db", str(db),
                              "--json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["data", "panel", "--db", str(db), "--asset", "csv:NAV",
                              "--levels", "--out", str(tmp_path / "p.csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p.csv").read_text().splitlines()[1:] == [
        "2024-01-31,101.5", "2024-02-01,102.25", "2024-02-02,101.75"]


def test_data_error_without_import_option_is_unchanged(tmp_path):
    f = tmp_path / "fund.csv"
    f.write_text("")
    res = runner.invoke(app, ["stress", "--data", str(f)], terminal_width=400)
    assert res.exit_code == 2
    assert res.output.strip() == f"error: {f}:1: the file is empty (expected a header line)"
