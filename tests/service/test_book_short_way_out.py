"""A book too short for its VaR is told only the ways out that give it the days (h_ep15).

`risk --portfolio` of the 10-year, the S&P 500, bitcoin and TRUMP as of 2025-10-01 on
../shared/data has 174 days on which every position has a change (from TRUMP's first, 2025-01-22);
the error said "leave trump out of the book (it starts on 2025-01-22) or leave ust10y out (its
data end on 2025-09-30)": without the 10-year, whose H.15 print of 10-01 is out the next day, the
book has 175 days, still short of 200.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = [pytest.mark.realdata, pytest.mark.slow]   # a vintage of the store (about 8 s)


def _refused(real_db, tmp_path, rows: str) -> str:
    """`risk --portfolio` of the book ``rows`` as of 2025-10-01: its error, on one line."""
    path = tmp_path / "book.csv"
    path.write_text("asset,notional_usd\n" + rows)
    res = CliRunner().invoke(app, ["risk", "--db", str(real_db), "--portfolio", str(path),
                                   "--as-of", "2025-10-01"])
    assert res.exit_code == 2, res.output
    return " ".join(res.stderr.split())


def test_a_way_out_that_leaves_the_book_short_is_not_offered(real_db, tmp_path):
    text = _refused(real_db, tmp_path, "ust10y,4e5\nspx,3e5\nbtc,2e5\ntrump,1e5\n")
    assert text.endswith(
        "the book has 174 days on which every position has a change, from 2025-01-22 to "
        "2025-09-30; 99% VaR needs at least 200: leave trump out of the book (it starts on "
        "2025-01-22)"), text


def test_a_book_of_one_position_is_not_told_to_leave_it_out(real_db, tmp_path):
    """TRUMP alone as of 2025-10-01 (176 days) was told "leave trump out of the book (it starts
    on 2025-01-22) or give a later --end (or --as-of)": without it there is no book."""
    text = _refused(real_db, tmp_path, "trump,1e5\n")
    assert text.endswith(
        "the book has 176 days on which every position has a change, from 2025-01-22 to "
        "2025-10-01; 99% VaR needs at least 200: give a later --end (or --as-of)"), text
