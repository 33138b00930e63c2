"""Notes on the closes a business-day panel's last row leaves out.

An every-day market's closes after the panel's last business day (a coin's weekend), and a
series' print after a gap too long for a daily change (a market closure, or a gap in its
published figures): read by risk, volatility and the scenario, which start from that row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.data.panel import MAX_GAP_DAYS
from spillwatch.service._today import reference_day
from spillwatch.service.workspace import Workspace


def _after_last(ws: Workspace, panel: pd.DataFrame, targets: Sequence[str], ref: object
                ) -> Iterator[tuple[str, universe.Asset, pd.Timestamp, pd.Series, pd.Series]]:
    """Each target with prints after its last row of ``panel``, up to ``ref``.

    Yields the column, its asset, that last row's date, the stored series (blanks dropped)
    and its prints after that row; a target without them is left out.
    """
    for c in targets:
        asset = universe.watchlist_asset_of_column(str(c))
        last = panel[c].last_valid_index() if c in panel.columns else None
        s = ws.series_of(asset.key) if asset is not None else None
        if asset is None or last is None or s is None:
            continue
        s = s.dropna()
        after = s.loc[(s.index > last) & (s.index <= pd.Timestamp(str(ref)))]
        if len(after) and last in s.index:
            yield str(c), asset, pd.Timestamp(last), s, after


def closes_after_notes(ws: Workspace, panel: pd.DataFrame, targets: Sequence[str], *,
                       end: object, what: str = "the VaR", then: str | None = None
                       ) -> list[str]:
    """A note when an every-day market closed after its last row of the business-day panel.

    The panel has no row on weekends and US market holidays: on a Sunday evening its last row
    is Friday's, and the VaR "as of" Friday is of Friday's close to Monday's, while the store
    holds Saturday's and Sunday's closes (`risk --as-of 2022-05-08`, the LUNA weekend: BTC's
    VaR of 2022-05-06 with no word that bitcoin had closed 5.5% lower by Sunday; `stress`
    said it). Those closes enter the next business day's change; the note gives the move
    since the last row's close, up to ``end`` (else today). ``then``: the words after the
    moves, instead of what ``what`` is of.
    """
    if ws.simulated:
        return []
    _, ref = reference_day(None, end)
    moves = []
    for _, asset, last, s, after in _after_last(ws, panel, targets, ref):
        if asset.calendar != "every_day":
            continue
        move = 100.0 * (float(after.iloc[-1]) / float(s.loc[last]) - 1.0)
        moves.append(f"{asset.key} {move:+.1f}% from {pd.Timestamp(last):%Y-%m-%d} to "
                     f"{after.index[-1]:%Y-%m-%d}")
    if not moves:
        return []
    # (not "a weekend or US market holiday" alone: on Saturday 2026-01-03 the last row was
    # 12-31, Friday 01-02's 10-year being out only on the Monday)
    return [f"{CLOSES_AFTER} (a weekend, a US market holiday, or a business day the other "
            f"markets have not yet published): {', '.join(moves)}; "
            + (then or f"{what} is of that last row's close to the next business day's, whose "
               "change takes these closes in")]


#: How :func:`closes_after_notes`' note begins.
CLOSES_AFTER = "closes since the data's last business day"


#: How :func:`closure_notes`' note begins.
CLOSURE = "no daily change at the window's end"


def closure_notes(ws: Workspace, panel: pd.DataFrame, targets: Sequence[str], *,
                  end: object, what: str = "the VaR"
                  ) -> tuple[list[str], dict[str, pd.Timestamp]]:
    """A note for each series whose last level follows a gap too long for a daily change.

    A change across more than :data:`~spillwatch.data.panel.MAX_GAP_DAYS` calendar days is
    none (:func:`~spillwatch.data.panel.level_changes`). After the four days US stock markets
    were shut in September 2001, `risk --as-of 2001-09-17` gave the S&P 500's VaR "as of
    2001-09-10 ... past the series' staleness limit ... the last readings the data allow by
    then", while its close of 2001-09-17 (1038.77, -4.9%) was in the data that evening: the
    series was fresh, its move over the closure unmeasured. The gap's cause is not known
    from the series: the broad dollar's gap of 2010-02-05 to 02-12 (its cells of 02-08 to
    02-11 empty in FRED's DTWEXBGS while the yen of the same H.10 release printed every day)
    was no market closure, and the note said "a market closure" of it. Returns the notes
    and, for each column they explain, its last print: the staleness note judges the series
    by it (a series that printed once after the gap and stopped is still stale), not by its
    last change.
    """
    if ws.simulated:
        return [], {}
    _, ref = reference_day(None, end)
    notes: list[str] = []
    printed: dict[str, pd.Timestamp] = {}
    for c, asset, last, s, after in _after_last(ws, panel, targets, ref):
        days = (after.index[0] - last).days
        if days <= MAX_GAP_DAYS:
            continue
        a, b = float(s.loc[last]), float(after.iloc[0])
        move = (f"{100.0 * (b - a):+.0f} bp" if str(c).endswith("_bp") else
                f"{100.0 * np.log(b / a):+.2f}%" if asset.log_change and a > 0 < b else
                f"{b - a:+.4g}")
        notes.append(f"{CLOSURE}: {c} printed on {after.index[0]:%Y-%m-%d} after no value "
                     f"since {pd.Timestamp(last):%Y-%m-%d} ({days} days, more than "
                     f"{MAX_GAP_DAYS}: a market closure or a gap in its published "
                     f"figures), a move of {move} that is not a "
                     f"daily change and is in no history here; {what} is of the day after "
                     f"{pd.Timestamp(last):%Y-%m-%d}")
        printed[c] = pd.Timestamp(after.index[-1])
    return notes, printed
