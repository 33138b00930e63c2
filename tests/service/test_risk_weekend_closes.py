"""Risk on a weekend evening says that crypto has closed since the panel's last business day
(h_ep6): the VaR is of Friday's close to Monday's, and the weekend's closes were left unsaid."""

from __future__ import annotations

import pytest

from spillwatch.data.source import open_source
from spillwatch.service import risk
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def btc_only(shared_data):
    """A store of Binance's BTCUSDT closes alone, imported by the project's own import."""
    ws = Workspace(open_source(shared_data / "crypto" / "BTCUSDT.csv"))
    yield ws
    ws.close()


def test_the_weekends_closes_are_named_beside_fridays_var(btc_only):
    """Sunday 2022-05-08, the LUNA weekend: the VaR read "as of 2022-05-06" (Friday, BTC
    36,013.77) with a note that the next change spans three days, and no word that two of them
    had closed, at 35,472.39 and 34,038.40 (-5.5%); `stress` said it, `risk` did not."""
    rep = risk.tail_risk(btc_only, assets=("btc",), methods=("historical",), backtest=False,
                         end="2022-05-08")
    assert "as of 2022-05-06" in str(rep)                    # Friday's VaR, as before
    (note,) = [n for n in rep.notes if n.startswith(risk.CLOSES_AFTER)]
    assert "btc -5.5% from 2022-05-06 to 2022-05-08" in note     # 34,038.40 / 36,013.77 - 1
    assert note in " ".join(str(rep).split())      # the printed report says it too
    # on a business day the last row is the day's own close: nothing to say
    rep = risk.tail_risk(btc_only, assets=("btc",), methods=("historical",), backtest=False,
                         end="2022-05-09")
    assert not [n for n in rep.notes if n.startswith(risk.CLOSES_AFTER)]


def test_the_volatility_forecast_names_the_weekends_closes_too(btc_only):
    """`volatility --as-of 2022-05-08` gave BTC's forecast of Friday 2022-05-06 ("next day" the
    change to Monday) with the note that it spans three days, and no word that two of them had
    closed, -5.5% (34,038.40 / 36,013.77 - 1), which `risk` and `stress` now say (h_verify18)."""
    rep = risk.volatility(btc_only, assets=("btc",), end="2022-05-08")
    (note,) = [n for n in rep.notes if n.startswith(risk.CLOSES_AFTER)]
    assert "btc -5.5% from 2022-05-06 to 2022-05-08" in note
    assert "the next-day forecast is of that last row's close" in note
    rep = risk.volatility(btc_only, assets=("btc",), end="2022-05-09")   # a business day
    assert not [n for n in rep.notes if n.startswith(risk.CLOSES_AFTER)]


def test_a_books_var_names_its_crypto_positions_weekend_closes(btc_only):
    """`risk --portfolio --as-of 2022-05-08` of a book in bitcoin: the book's VaR of 2022-05-06
    said nothing of the -5.5% its position had closed by Sunday; `risk` of BTC said it."""
    rep = risk.tail_risk(btc_only, portfolio={"btc": 1.0}, methods=("historical",),
                         backtest=False, end="2022-05-08")
    (note,) = [n for n in rep.notes if n.startswith(risk.CLOSES_AFTER)]
    assert "btc -5.5% from 2022-05-06 to 2022-05-08" in note
    assert "the book's VaR is of that last row's close" in note


def test_a_book_stopped_by_a_stale_line_gets_no_weekend_note(shared_data, tmp_path):
    """A guard of the book's note (passes on HEAD, which had no book note at all): a book of
    bitcoin and gold on the last evening of both files (2026-01-04, a Sunday) stops on gold's
    last day, 2025-10-03 (gold/XAUUSD.csv ends there): bitcoin's 3 months since are no
    "weekend or US market holiday" closes (the first cut read "btc -26.4% to 2026-01-02")."""
    for sub, name in (("crypto", "BTCUSDT.csv"), ("gold", "XAUUSD.csv")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / name).symlink_to(shared_data / sub / name)
    ws = Workspace(open_source(tmp_path))
    try:
        rep = risk.tail_risk(ws, portfolio={"btc": 0.5, "gold": 0.5}, methods=("historical",),
                             backtest=False, end="2026-01-04")
        assert "as of 2025-10-03" in str(rep)
        assert not [n for n in rep.notes if n.startswith(risk.CLOSES_AFTER)]
    finally:
        ws.close()


def test_a_business_day_not_yet_published_is_named_so_too(real_db):
    """``risk --as-of 2026-01-03`` (a Saturday): as published by then the panel's last row is
    2025-12-31 (Friday 01-02's 10-year is out on the Monday), and the note called BTC's move to
    01-02 closes of "a weekend or US market holiday" (h_verify18)."""
    import datetime as dt

    from spillwatch.alerts.backtest.vintage import vintage_workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        then = vintage_workspace(ws, dt.date(2026, 1, 3))
        rep = risk.tail_risk(then, assets=("btc",), methods=("historical",), backtest=False,
                             end="2026-01-03")
    (note,) = [n for n in rep.notes if n.startswith(risk.CLOSES_AFTER)]
    assert "or a business day the other markets have not yet published" in note
    assert "btc +2.6% from 2025-12-31 to 2026-01-02" in note   # 89,902.17 / 87,648.22 - 1
