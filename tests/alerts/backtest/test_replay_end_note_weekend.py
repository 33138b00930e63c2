"""An --end on a weekend inside the data is not "the last date of the watch-list data" (h_ep9).

`spillwatch backtest --start 2017-01-01 --end 2017-12-31 --db <real store>` noted "the replay ends
on 2017-12-29, the last date of the watch-list data; --end 2017-12-31 is past it" of a store whose
data run to 2026: 2017-12-31 is a Sunday, and the replay's business days end on the Friday.
"""

from __future__ import annotations

import pandas as pd

from spillwatch.alerts.backtest.replay import end_note, replay_days
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace


def _last_date(ws: Workspace) -> pd.Timestamp:
    return max(s.index[-1] for s in ws.raw().series.values() if len(s))


def test_a_weekend_end_inside_the_data_is_called_a_weekend(lagged_db):
    with Workspace(open_source(lagged_db, read_only=True)) as ws:
        days = replay_days(ws, "2024-06-03", "2024-06-09")          # 06-09 is a Sunday
        last = _last_date(ws)
    assert days[-1] == pd.Timestamp("2024-06-07") and last > pd.Timestamp("2026-01-01")
    note = end_note(days[-1], "2024-06-09", last)
    assert note == ("the replay ends on 2024-06-07, the last business day on or before "
                    "--end 2024-06-09 (a weekend)")
    assert "watch-list data" not in note
    # a weekday without a replay day (a store without crypto on a holiday: Independence Day
    # 2024, a Thursday) is no weekend
    assert end_note(pd.Timestamp("2024-07-03"), "2024-07-04", last) == (
        "the replay ends on 2024-07-03, the last business day on or before --end 2024-07-04 "
        "(its markets were shut that day)")


def test_an_end_past_the_data_still_says_so_and_an_end_on_the_last_day_says_nothing(lagged_db):
    with Workspace(open_source(lagged_db, read_only=True)) as ws:
        days = replay_days(ws, "2026-10-01", "2099-12-31")
        last = _last_date(ws)
    assert days[-1] == last
    assert end_note(days[-1], "2099-12-31", last) == (
        f"the replay ends on {last.date()}, the last date of the watch-list data; "
        "--end 2099-12-31 is past it")
    assert end_note(days[-1], last, last) is None and end_note(days[-1], None, last) is None
