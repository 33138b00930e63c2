"""Fuzz of the CLI's date and number options: every bad value is ``error: …`` and exit 2.

Runs ``spillwatch.cli.main`` in-process on a demo store file (read-only) with values drawn from
edge cases and random text; a value may be valid (exit 0), never a traceback or another code.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spillwatch.cli import main
from spillwatch.data.source import open_source

DATES = st.one_of(
    st.sampled_from(["2025-13-01", "2025-02-30", "11/04/2025", "2025-4-9", "20250409", "",
                     " ", "2025-04-09T00:00", "0000-01-01", "9999-12-31", "2025-04-09 ",
                     "1e3", "-2025-01-01", "２０２５-０４-０９"]),
    st.text(max_size=12),
)
INTS = st.one_of(st.sampled_from(["0", "-1", "-0", "1e3", "3.5", "nan", "inf", "", "abc",
                                  "99999999999999999999", "0x10", " 5"]),
                 st.text(max_size=6))
FLOATS = st.one_of(st.sampled_from(["0", "1", "-0.5", "nan", "inf", "-inf", "1e309", "abc",
                                    "", "0.0001", "99"]), st.text(max_size=6))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "demo.duckdb"
    open_source("demo", db=path).close()
    return str(path)


def run(capsys, args: list[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    err = capsys.readouterr().err
    return int(exc.value.code or 0), err


def check(code: int, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 2:
        # (a wait for the store, when another process held it, is reported on the line before)
        err = re.sub(r"^\(waited [0-9.]+ s for the store[^\n]*\)\n", "", err)
        assert err.startswith("error: "), err


SLOW = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


EDGE_INTS = ["0", "-1", "-0", "1e3", "3.5", "nan", "inf", "", "abc", "99999999999999999999",
             "0x10", "99999"]
EDGE_FLOATS = ["0", "1", "-0.5", "nan", "inf", "-inf", "1e309", "abc", "", "0.0001", "99"]


@pytest.mark.parametrize("value", EDGE_INTS)
@pytest.mark.parametrize("option", ["--window", "--lags", "--horizon"])
def test_spillover_number_edges(db, capsys, option, value):
    code, err = run(capsys, ["spillover", "--db", db, "--json", option, value,
                             "--assets", "ust10y,btc", "--start", "2024-01-01"])
    check(code, err)
    assert code == 2  # each is unparseable, out of range, or longer than the data


@pytest.mark.parametrize("value", EDGE_FLOATS)
@pytest.mark.parametrize("option", ["--level", "--q"])
def test_risk_number_edges(db, capsys, option, value):
    code, err = run(capsys, ["risk", "--db", db, "--json", option, value, "--assets", "btc",
                             "--no-backtest", "--start", "2024-01-01"])
    check(code, err)
    valid = option == "--q" and value == "0.0001"  # a tail probability in (0, 0.5)
    assert code == (0 if valid else 2)


@SLOW
@given(option=st.sampled_from(["--start", "--end"]), value=DATES)
def test_stress_dates(db, capsys, option, value):
    # a value that parses is a valid date: those are cut short by --end 1990 to stay fast
    args = ["stress", "--db", db, "--json", option, value]
    code, err = run(capsys, args)
    check(code, err)


@SLOW
@given(option=st.sampled_from(["--window", "--lags", "--horizon"]), value=INTS)
def test_spillover_numbers(db, capsys, option, value):
    code, err = run(capsys, ["spillover", "--db", db, "--json", option, value,
                             "--assets", "ust10y,btc", "--start", "2024-01-01"])
    check(code, err)


@SLOW
@given(option=st.sampled_from(["--level", "--q"]), value=FLOATS)
def test_risk_numbers(db, capsys, option, value):
    code, err = run(capsys, ["risk", "--db", db, "--json", option, value, "--assets", "btc",
                             "--no-backtest", "--start", "2024-01-01"])
    check(code, err)


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=DATES)
def test_alerts_test_as_of(db, capsys, value):
    code, err = run(capsys, ["alerts", "test", "--db", db, "--json", "--as-of", value])
    check(code, err)
