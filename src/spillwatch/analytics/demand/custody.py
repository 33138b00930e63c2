r"""Foreign official custody holdings at the New York Fed (H.4.1, ``WMTSECL1``).

The Fed holds marketable Treasuries in custody for foreign central banks and international
accounts; a fall in the Wednesday level is the fastest public evidence of official selling (or
of securities moved out of the Fed's custody, a caveat the level shares). Published each
Thursday for the Wednesday (``fred:WMTSECL1``).

Signals, at the weekly frequency (each Wednesday), in **billions of US dollars**:

=========================  ===============================================================
``custody_usd_bn``         level
``custody_chg1_usd_bn``    change over 1 week
``custody_chg4_usd_bn``    change over 4 weeks
``custody_chg8_usd_bn``    change over 8 weeks (the scale of a sell-off scenario)
``custody_chg1_z``         the 1-week change standardised by the mean and standard deviation
                           of the previous ``window`` weekly 1-week changes (past only)
``custody_chg4_z``         the same for the 4-week change
=========================  ===============================================================

A change needs both weeks present (the calendar is every Wednesday; a missing week makes the
changes that span it missing).
"""

from __future__ import annotations

import pandas as pd

from spillwatch.analytics._recursive import past_zscore

#: Columns of :func:`custody_signals`.
CUSTODY_COLUMNS: tuple[str, ...] = (
    "custody_usd_bn", "custody_chg1_usd_bn", "custody_chg4_usd_bn", "custody_chg8_usd_bn",
    "custody_chg1_z", "custody_chg4_z",
)


def weekly_calendar(s: pd.Series) -> pd.Series:
    """``s`` on a gap-free 7-day calendar from its first date (missing weeks become NaN)."""
    if s.empty:
        return s
    cal = pd.date_range(s.index[0], s.index[-1], freq="7D")
    return s.reindex(cal)


def custody_signals(custody_usd_mn: pd.Series, *, window: int = 156,
                    min_obs: int = 52) -> pd.DataFrame:
    r"""Weekly custody signals (see the module docstring).

    .. math::

        \Delta_h L_t = L_t - L_{t-h}, \qquad
        z_{h,t} = \frac{\Delta_h L_t - \overline{\Delta_h L}_{t-1}}{s_{t-1}(\Delta_h L)}

    with the mean and standard deviation over the ``window`` weeks before :math:`t`.

    Parameters
    ----------
    custody_usd_mn : Series
        Wednesday levels in USD millions (FRED's unit), zeros already dropped.
    window : int, default 156
        Weeks of the z-score yardstick (three years: the level has trended, so an expanding
        yardstick would measure today's flows against the smaller holdings of 2008).
    min_obs : int, default 52
        Weeks the yardstick needs.

    Returns
    -------
    DataFrame
        Indexed by the Wednesday of each week, columns :data:`CUSTODY_COLUMNS`.
    """
    lvl = weekly_calendar(custody_usd_mn / 1000.0)
    out = pd.DataFrame(index=lvl.index)
    out["custody_usd_bn"] = lvl
    for h in (1, 4, 8):
        out[f"custody_chg{h}_usd_bn"] = lvl - lvl.shift(h)
    for h in (1, 4):
        out[f"custody_chg{h}_z"] = past_zscore(out[f"custody_chg{h}_usd_bn"], window=window,
                                               min_obs=min_obs)
    out.index.name = "date"
    return out[lvl.notna()][list(CUSTODY_COLUMNS)]
