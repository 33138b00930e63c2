"""The import's gap notes: a daily series' dates more than 5 calendar days apart, and no fewer.

Surviving mutants (h_mut2, DI02/DI03: ``> MAX_GAP_DAYS`` -> ``>=`` in ``gap_notes`` and
``_edge_gaps``) noted a 5-day gap (Thursday to Tuesday over a Good Friday and an Easter
Monday) as lost changes, though the panel keeps the change across it (``level_changes``
drops a change only over more than 5 days): the note told the user a move was left out when
it was not. The tests' gaps were weeks long.
"""
import pandas as pd

from spillwatch.data.ingest import MAX_GAP_DAYS, gap_notes
from spillwatch.data.providers.csvfile import SeriesSpec

JGB = SeriesSpec("csv:JGB10", "JGB 10y", "pct", "daily", "rates", "csv", "JGB10", False)


def _obs(dates):
    return pd.DataFrame({"series_id": JGB.series_id, "ts": pd.to_datetime(dates),
                         "value": 1.0})


def test_a_gap_of_exactly_five_days_is_not_noted_and_six_is():
    assert MAX_GAP_DAYS == 5
    days = list(pd.bdate_range("2024-03-11", "2024-03-28"))            # 14 weekdays to Thu
    five = days + list(pd.bdate_range("2024-04-02", "2024-04-05"))     # Thu -> Tue: 5 days
    assert gap_notes(_obs(five), [JGB]) == []
    six = days + list(pd.bdate_range("2024-04-03", "2024-04-05"))      # Thu -> Wed: 6 days
    (note,) = gap_notes(_obs(six), [JGB])
    assert "1 of its dates follows a gap of more than 5 calendar days" in note
    assert "2024-04-03 after 2024-03-28" in note


def test_a_file_five_days_after_the_stored_dates_is_not_noted(store):
    store.upsert(_obs(pd.bdate_range("2024-03-11", "2024-03-28")))
    with store.transaction() as con:
        assert gap_notes(_obs(pd.bdate_range("2024-04-02", "2024-04-19")), [JGB], con) == []
        (note,) = gap_notes(_obs(pd.bdate_range("2024-04-03", "2024-04-19")), [JGB], con)
    assert "its first date 2024-04-03 follows the stored 2024-03-28 after a gap of 6" in note
