"""The CLI's shared output helpers as a reader sees them (h_mut21's mutants of ``cli._common``)."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from spillwatch.cli._common import FrameOutput, utc_instants, write_dated_csv


def test_times_of_day_are_written_as_utc_and_dates_are_left_alone():
    frame = pd.DataFrame({
        "expires_at": pd.to_datetime(["2026-12-04 16:09:22", None]),
        "since": pd.to_datetime(["2026-12-04 10:00:00+09:00", "2026-12-05 09:00:00+09:00"]),
        "day": pd.to_datetime(["2026-12-04", "2026-12-05"]),
    })
    shown = utc_instants(frame)
    assert shown["expires_at"].iloc[0] == "2026-12-04 16:09:22 UTC"
    assert pd.isna(shown["expires_at"].iloc[1])           # printed blank, not "NaT UTC"
    # a Tokyo time is the UTC instant it names, not its wall clock
    assert shown["since"].tolist() == ["2026-12-04 01:00:00 UTC", "2026-12-05 00:00:00 UTC"]
    assert shown["day"].tolist() == frame["day"].tolist()
    assert frame["expires_at"].dtype.kind == "M"          # the caller's frame is untouched


def test_a_column_wider_than_the_terminal_is_still_shown_if_it_comes_first():
    frame = pd.DataFrame({"reason": ["x" * 120], "line": [7]})
    out = FrameOutput(frame, "quarantine", priority=("reason", "line"))
    assert out._columns(80) == ["reason"]
    assert out._columns(200) == ["reason", "line"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_gets_the_ten_significant_digits_a_file_gets(tmp_path):
    frame = pd.DataFrame({"ust10y_pct": [4.123456789012]},
                         index=pd.DatetimeIndex(["2025-04-09"], name="date"))
    pipe = tmp_path / "rows.csv"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_dated_csv(frame, pipe, json_out=True)
        got = os.read(reader, 4096).decode()
    finally:
        os.close(reader)
    write_dated_csv(frame, tmp_path / "rows2.csv", json_out=True)
    assert got == (tmp_path / "rows2.csv").read_text() == ("date,ust10y_pct\n"
                                                           "2025-04-09,4.123456789\n")


@pytest.mark.slow
def test_json_of_the_demo_market_says_simulated_and_of_a_store_of_real_data_does_not(tmp_path):
    import json

    from typer.testing import CliRunner

    from spillwatch.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["data", "quarantine", "--demo", "--json"])
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["simulated"] is True and doc["title"] == "quarantine"
    # a fresh store of one's own rows: no "simulated" key (the flag does not leak between
    # commands run in one process)
    csv = tmp_path / "fund.csv"
    csv.write_text("date,value\n2025-04-08,1.5\n2025-04-09,1.25\n")
    db = tmp_path / "own.duckdb"
    assert runner.invoke(app, ["import", str(csv), "--db", str(db), "--json"]).exit_code == 0
    res = runner.invoke(app, ["data", "quarantine", "--db", str(db), "--json"])
    assert res.exit_code == 0 and "simulated" not in json.loads(res.stdout)


def test_a_table_written_to_a_pipe_is_laid_out_on_200_columns(monkeypatch):
    import io

    from spillwatch.cli._common import PIPE_WIDTH, _Console

    monkeypatch.delenv("COLUMNS", raising=False)
    sink = io.StringIO()
    con = _Console(file=sink, emoji=False, markup=False)
    assert con.width == PIPE_WIDTH == 200
    # ten columns of 15 characters: all shown on a pipe, where 80 columns kept four
    frame = pd.DataFrame({f"column_{i:02d}_name": ["x" * 12] for i in range(10)})
    out = FrameOutput(frame, "wide")
    assert len(out._columns(con.width)) == 10
    assert len(out._columns(80)) == 4


def test_a_date_option_with_anything_after_the_day_is_not_a_date():
    from spillwatch.cli._common import parse_date
    from spillwatch.exceptions import ConfigError

    with pytest.raises(ConfigError, match=r"--as-of '2025-04-09x' is not a date written "
                                          r"YYYY-MM-DD"):
        parse_date("2025-04-09x", "--as-of")


def test_the_demo_and_a_folder_of_data_at_once_are_refused_before_any_work(tmp_path):
    from typer.testing import CliRunner

    from spillwatch.cli import app

    res = CliRunner().invoke(app, ["data", "health", "--demo", "--data", str(tmp_path)])
    assert res.exit_code == 2
    assert "give either --demo or --data, not both" in res.stderr


@pytest.mark.slow
def test_the_panel_s_terminal_view_shows_the_last_days_to_three_decimals():
    import json

    from typer.testing import CliRunner

    from spillwatch.cli import app

    runner = CliRunner()
    args = ["data", "panel", "--demo", "--asset", "ust10y", "--asset", "btc"]
    res = runner.invoke(app, [*args, "--json"])
    rows = pd.DataFrame(json.loads(res.stdout)["rows"])
    both = rows.dropna()
    res = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    head = next(line for line in res.stdout.splitlines() if "┃ series" in line)
    shown = [str(d) for d in both["date"].tail(5)]
    assert [c for c in head.replace("┃", " ").split() if c[:2] == "20"] == shown
    btc = next(line for line in res.stdout.splitlines() if "btc_pct" in line)
    assert btc.replace("│", " ").split()[1:] == [
        f"{round(v, 3):g}" for v in both["btc_pct"].tail(5)]
