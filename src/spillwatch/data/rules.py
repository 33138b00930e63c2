"""Publisher quirks that the importer and the live providers must handle the same way.

Two tables, keyed by store series id, used by :mod:`spillwatch.data.providers.csvfile` (imports),
the FRED provider and :func:`spillwatch.data.quality.check` (fetches), so that a point imported
from ``../shared/data`` and the same point fetched live are stored alike:

:data:`SCALE`
    A factor from the publisher's unit to the stored unit. FRED publishes the H.4.1 custody
    holdings (``WMTSECL1``) in millions of US dollars; the store (and the universe's ``custody``
    asset, unit ``usd_bn``) keeps billions.
:data:`REPEATS_ARE_VALUES`
    Price series whose value legitimately stays the same for days, so that the fetcher's
    stale-run check (a frozen feed) does not apply: the H.10 yuan rate (FRED's ``DEXCHUS``) was
    pegged at 6.83 for months in 2008-2010 and is repeated through every Lunar New Year and
    Golden Week (31 runs of five or more equal values since 2015, the longest seven).
:data:`ZERO_NOT_A_VALUE`
    Series whose publisher prints ``0`` where nothing was reported. FRED's ``WMTSECL1`` is 0 on
    every Wednesday from 2002-12-18 to 2007-06-27 (237 weeks) because the series was not reported
    before mid-2007: a holding of zero is not a value, so those points are quarantined with the
    reason given here, never stored.
"""

from __future__ import annotations

import numpy as np

#: A publisher's rate, yield or spread in percent at or beyond this (either sign) is not one:
#: a file in basis points, or a thousands separator read into a yield ("1,234.5").
PCT_LIMIT = 100.0

#: Series id → (factor applied to the published value, note shown to the user).
SCALE: dict[str, tuple[float, str]] = {
    "fred:WMTSECL1": (1e-3, "millions of USD on FRED, stored in billions"),
}

#: Series id → why equal values on consecutive days are values, not a frozen feed.
REPEATS_ARE_VALUES: dict[str, str] = {
    "fred:DEXCHUS": ("a managed currency: pegged in 2008-2010, and repeated by the H.10 "
                     "release through Chinese holidays"),
}

#: Series id → quarantine reason of a published 0.
ZERO_NOT_A_VALUE: dict[str, str] = {
    "fred:WMTSECL1": ("zero: a holding of zero is not a value (FRED prints 0 for the weeks "
                      "before custody holdings were reported)"),
}


def scale_of(series_id: str) -> float:
    """The factor from the published unit to the stored unit of ``series_id`` (1 when none)."""
    return SCALE.get(series_id, (1.0, ""))[0]


def pct_checked(spec: object) -> bool:
    """Whether ``spec``'s values are held to :data:`PCT_LIMIT`: a publisher's series in percent.

    A user's own CSV columns (provider ``csv``) are not: a unit the user gives may be a return.
    """
    return getattr(spec, "unit", "") == "pct" and getattr(spec, "provider", "csv") != "csv"


def pct_reason(value: object, column: bool = False) -> str:
    """The quarantine reason of a value beyond :data:`PCT_LIMIT`.

    ``column``: the value is of a column (or a batch) whose values mostly are beyond it, basis
    points, and every value of it is held.
    """
    if column:
        return (f"{value} is in a column whose values are mostly at or beyond ±{PCT_LIMIT:g}: "
                "basis points, not a rate in percent (every value of it is held; divide the "
                "column by 100 and import it again)")
    return (f"{value} is not a rate in percent (at or beyond ±{PCT_LIMIT:g}%: a value in basis "
            "points, or a thousands separator?)")


def pct_far(values: object) -> tuple[np.ndarray, bool]:
    """Which of ``values`` (an array) are beyond :data:`PCT_LIMIT`, and whether most are.

    When most finite values are, the whole column is in basis points: each of its values is
    held, those below 100 bp included (a file in bp of a 0.6% yield).
    """
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    far = finite & (np.abs(v) >= PCT_LIMIT)
    most = bool(finite.any()) and 2 * int(far.sum()) >= int(finite.sum())
    return (finite if most else far), most
