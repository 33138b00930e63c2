"""An import error met through ``--data`` says how to use the option it advises (h_data2).

``spillwatch spillover --data fund.csv`` on a file with day-first dates said "pass
--date-format '%d/%m/%Y'", and the command given it answered "No such option: --date-format":
only ``spillwatch import`` has it (and ``--date-column``).
"""

from __future__ import annotations

from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def _refused(*args: str) -> str:
    """The command's error, exit 2, its lines joined as one."""
    res = runner.invoke(app, list(args), terminal_width=400)
    assert res.exit_code == 2, res.output
    return " ".join(res.output.split())


def _advice(option: str, data: object, store: str = "STORE.duckdb") -> str:
    """The way to use an import-only ``option`` the error advised through ``--data``."""
    return (f"(--data takes no {option}: import the file with `spillwatch import FILE {option} "
            f"… --db {store}`, then run this command with --db {store} instead of --data {data})")


def test_data_error_says_to_import_with_the_option(tmp_path):
    f = tmp_path / "fund.csv"
    f.write_text("date,NAV\n31/01/2024,101.5\n01/02/2024,102.25\n02/02/2024,101.75\n")
    assert ("it looks like '%d/%m/%Y': pass --date-format '%d/%m/%Y'. Nothing was imported "
            "from this file " + _advice("--date-format", f)) in _refused(
        "risk", "--data", str(f), "--assets", "csv:NAV")
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


def test_an_intraday_file_through_data_says_to_import_it_with_a_mapping(tmp_path):
    """An hourly file given to ``--data`` said "give a --mapping file with frequency =
    "intraday"", an option the analyses refuse as they did --date-format (h_verify28)."""
    f = tmp_path / "px.csv"
    f.write_text("timestamp,PX\n" + "".join(f"2024-01-0{2 + h // 24} {h % 24:02d}:00,"
                                            f"{1 + h / 100}\n" for h in range(48)))
    assert ("give a --mapping file with frequency = \"intraday\", or resample it to daily; "
            "nothing was written " + _advice("--mapping", f)) in _refused(
        "stress", "--data", str(f))
    # the advice works: imported with such a mapping, the 48 values are stored
    m = tmp_path / "m.toml"
    m.write_text('date_column = "timestamp"\nfrequency = "intraday"\n[columns.PX]\n'
                 'series_id = "csv:PX"\n')
    res = runner.invoke(app, ["import", str(f), "--mapping", str(m), "--db",
                              str(tmp_path / "s.duckdb"), "--json"])
    assert res.exit_code == 0, res.output
    assert '"stored": 48' in res.output


def test_data_error_advising_the_date_column_names_it_and_the_store_given(tmp_path):
    """The other option only ``import`` has, and a ``--db`` given beside ``--data`` named as
    the store to import into (h_mut24: advising --date-format alone, or a made-up store, were
    untested)."""
    f = tmp_path / "fund.csv"
    f.write_text("when,NAV\n2024-01-31,101.5\n2024-02-01,102.25\n")
    db = tmp_path / "desk.duckdb"
    assert ("the header has: when, NAV. Name it 'date' or pass --date-column. "
            + _advice("--date-column", f, str(db))) in _refused(
        "risk", "--data", str(f), "--db", str(db), "--assets", "csv:NAV")
