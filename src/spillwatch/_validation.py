"""One validation module: boundary checks and the date formatting of every message.

Every check names the series and the dates it looked at, says what it needs, and how to fix it
(house style: what / got / fix). Below these checks, code trusts its arrays. Used by the
analytics (connectedness, volatility, risk, events), the scenarios and the stress monitor.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeGuard, TypeVar

import numpy as np
import pandas as pd

from spillwatch.exceptions import ConfigError, DataError

T = TypeVar("T")

Missing = Literal["drop", "raise"]


def fmt_date(x: Any) -> str:
    """Format an index label as a short date when it is one."""
    if isinstance(x, pd.Timestamp):
        return x.date().isoformat() if x == x.normalize() else x.isoformat()
    return str(x)


def span(index: pd.Index) -> str:
    """``"from 2024-09-01 to 2025-01-30"`` (or ``"no dates"``)."""
    if len(index) == 0:
        return "no dates"
    return f"from {fmt_date(index[0])} to {fmt_date(index[-1])}"


def _list_dates(index: Sequence[Any], limit: int = 5) -> str:
    shown = ", ".join(fmt_date(d) for d in list(index)[:limit])
    more = len(index) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def as_series(x: Any, name: str | None = None) -> pd.Series:
    """Coerce ``x`` (Series, 1-column frame, array) to a float Series with a name."""
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise DataError(f"expected one series, got a frame with {x.shape[1]} columns "
                            f"({', '.join(map(str, x.columns))}); pass one column")
        x = x.iloc[:, 0]
    if not isinstance(x, pd.Series):
        arr = np.asarray(x, dtype=float)
        if arr.ndim != 1:
            raise DataError(f"expected a one-dimensional series, got shape {arr.shape}")
        x = pd.Series(arr)
    s = as_numbers(naive_index(x))
    s.name = name if name is not None else (x.name if x.name is not None else "series")
    return s


def as_frame(x: Any) -> pd.DataFrame:
    """Coerce ``x`` (DataFrame, Series, mapping of named series, 2-D array) to floats."""
    if isinstance(x, pd.Series):
        return as_series(x).to_frame()
    if isinstance(x, Mapping):
        # {"btc": series, "eth": series}: one column each, aligned on their dates (it raised
        # "float() argument must be a string or a real number, not 'dict'")
        cols = {k: (v.iloc[:, 0] if isinstance(v, pd.DataFrame) and v.shape[1] == 1 else v)
                for k, v in x.items()}
        kinds = {_index_kind(v.index) for v in cols.values() if isinstance(v, pd.Series)}
        if len(kinds) > 1:
            # a DatetimeIndex beside text dates: their union was two calendars, unaligned
            raise DataError("the series of the mapping are indexed differently ("
                            + ", ".join(sorted(kinds)) + "); give them one kind of date index "
                            "(e.g. pd.to_datetime on each)")
        try:
            x = pd.DataFrame(cols)
        except (TypeError, ValueError) as exc:
            raise DataError(f"a mapping of series could not be read as one panel: {exc}; "
                            "pass a DataFrame with one column a series") from None
    if not isinstance(x, pd.DataFrame):
        try:
            arr = np.asarray(x, dtype=float)
        except (TypeError, ValueError):
            raise DataError(f"expected a DataFrame, a Series, a mapping of series or a 2-D "
                            f"array of numbers; got {type(x).__name__}") from None
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise DataError(f"expected a two-dimensional panel, got shape {arr.shape}")
        x = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
    if x.shape[1] == 0:
        raise DataError("the panel has no columns; pass at least one series")
    return as_numbers(naive_index(x))


def _index_kind(index: pd.Index) -> str:
    """``"DatetimeIndex"``, ``"dates written otherwise"`` (text, periods...) or the type."""
    if isinstance(index, pd.DatetimeIndex):
        return "DatetimeIndex"
    return "dates written otherwise" if date_labels(index) is not None else type(index).__name__


#: Largest absolute value an estimator accepts: its square times a long sample stays far below
#: the float64 maximum (1.8e308); 1e200 gave an annual volatility of inf and 1e300 a CoVaR of 0.
MAX_ABS = 1e100


def as_numbers(x: pd.Series | pd.DataFrame) -> Any:
    """``x`` in float64, or a :class:`DataError` naming the column, the cell and its date.

    A text cell (``"n/a"``, ``"1,234"``) raised NumPy's bare "could not convert string to float"
    (house style: what, where, how to fix).
    """
    try:
        # pd.NA and None in an object column are missing values, as NaN is
        out = x.astype("float64") if not _object(x) else x.mask(x.isna(), np.nan).astype("float64")
    except (TypeError, ValueError) as exc:
        columns = [x] if isinstance(x, pd.Series) else [x.iloc[:, j] for j in range(x.shape[1])]
        for col in columns:
            cells = col.to_numpy(dtype=object)
            for i, v in enumerate(cells):
                if pd.isna(v):
                    continue
                try:
                    float(v)
                except (TypeError, ValueError):
                    label = "series" if col.name is None else str(col.name)
                    raise DataError(
                        f"{label!r} is not numeric: {v!r} on {fmt_date(col.index[i])}; "
                        "pass numbers (missing values as NaN), e.g. "
                        "pd.to_numeric(x, errors='coerce') after checking those cells",
                        series_id=label, date=fmt_date(col.index[i])) from None
        raise DataError(f"the panel is not numeric: {exc}") from None
    values = out.to_numpy()
    with np.errstate(invalid="ignore"):
        huge = np.isfinite(values) & (np.abs(values) > MAX_ABS)   # inf: named by its own check
    if huge.any():
        frame = out.to_frame() if isinstance(out, pd.Series) else out
        j = int(np.argmax(huge.reshape(len(frame), -1).any(axis=0)))
        col = frame.iloc[:, j]
        i = int(np.argmax(np.isfinite(col.to_numpy()) & (np.abs(col.to_numpy()) > MAX_ABS)))
        raise DataError(
            f"{str(col.name)!r} holds {col.iloc[i]:.10g} on {fmt_date(col.index[i])}, too large to "
            f"compute with (at most {MAX_ABS:.0e} in absolute value: squares and sums of larger "
            "numbers overflow); check its units", series_id=str(col.name),
            date=fmt_date(col.index[i]))
    return out


def _object(x: pd.Series | pd.DataFrame) -> bool:
    dtypes = [x.dtype] if isinstance(x, pd.Series) else list(x.dtypes)
    return any(pd.api.types.is_object_dtype(d) for d in dtypes)


def check_changes(x: pd.Series | pd.DataFrame, name: str, purpose: str) -> None:
    """Refuse a level series where daily changes are read.

    A panel of ``sw.load(..., transform="levels")`` (its ``attrs``), or a column named as a
    watch-list asset's level (``btc_usd``, ``ust10y_pct``): ``sw.var_es`` of bitcoin's prices
    read a VaR of -41,327 and ``sw.volatility`` a next-day volatility of 91,649.

    Raises
    ------
    DataError
    """
    from spillwatch import universe

    a = next((v for v in universe.ASSETS.values() if v.level_column == name), None)
    # the panel's flag travels with anything derived from it (pandas copies ``attrs``): it
    # counts for the panel's own level columns only, not for returns computed from them
    own = x.attrs.get("sampling") or {}
    if a is None and not (x.attrs.get("transform") == "levels" and name in own):
        return
    hint = f" (e.g. {a.change_column!r})" if a is not None else ""
    raise DataError(f"{name!r} is a series of levels; {purpose} reads daily changes: load them "
                    f"with sw.load(...) (transform='changes'){hint}", series_id=name)


def clean_series(x: Any, *, min_obs: int, purpose: str, name: str | None = None,
                 missing: Missing = "drop") -> pd.Series:
    """Validate one series for an estimator and return it without NaNs.

    Leading and trailing NaNs (a series that starts later or stops earlier) are always cut.
    Gaps inside the sample are dropped with ``missing="drop"`` or raise a :class:`DataError`
    listing the dates with ``missing="raise"``.

    Raises
    ------
    DataError
        Infinite values, interior gaps (``missing="raise"``), fewer than ``min_obs`` values, or
        a constant series; the message names the series and the dates.
    """
    s = as_series(x, name)
    label = s.name
    check_changes(s, str(label), purpose)
    bad = ~np.isfinite(s.to_numpy()) & ~s.isna().to_numpy()
    if bad.any():
        raise DataError(f"{label!r} has infinite values on {_list_dates(s.index[bad])}; "
                        "clean the input before calling the model", series_id=label)
    valid = s.notna().to_numpy()
    if valid.any():
        first, last = np.argmax(valid), len(valid) - 1 - np.argmax(valid[::-1])
        inner = s.iloc[first:last + 1]
        gaps = inner.index[inner.isna().to_numpy()]
        if len(gaps) and missing == "raise":
            raise DataError(
                f"{label!r} has {len(gaps)} missing value(s) inside {span(inner.index)} "
                f"(on {_list_dates(gaps)}); {purpose} needs a gap-free series: pass "
                "missing='drop' or fill the gaps", series_id=label, date=fmt_date(gaps[0]))
        s = inner.dropna()
    else:
        s = s.iloc[:0]
    if len(s) == 0 and min_obs > 0:
        raise DataError(
            f"{label!r} has no observations here (none up to the end asked for, or none in "
            f"the window); {purpose} needs at least {min_obs}.",
            series_id=label)
    if len(s) < min_obs:
        raise DataError(
            f"{label!r} has {len(s)} observations {span(s.index)}; {purpose} needs at least "
            f"{min_obs}. Load a longer history (an earlier start) or shorten the window.",
            series_id=label)
    if float(np.ptp(s.to_numpy())) == 0.0:
        raise DataError(
            f"{label!r} is constant ({s.iloc[0]:g} on all {len(s)} observations "
            f"{span(s.index)}); {purpose} needs a series that moves. Check the source of "
            "this series (a stale feed repeats its last value).", series_id=label)
    return s


def clean_frame(x: Any, *, min_obs: int, purpose: str, missing: Missing = "drop"
                ) -> pd.DataFrame:
    """Validate a panel column by column, then keep the rows where every column has a value.

    Raises
    ------
    DataError
        As :func:`clean_series` per column; or when the rows common to all columns are fewer
        than ``min_obs`` (the message names the column that limits the sample).
    """
    df = as_frame(x)
    for col in df.columns:
        clean_series(df[col], min_obs=min_obs, purpose=purpose, name=str(col), missing=missing)
    ok = df.notna().all(axis=1).to_numpy()
    valid = df.notna().to_numpy()
    first = max(int(np.argmax(valid[:, j])) for j in range(df.shape[1]))
    last = min(len(df) - 1 - int(np.argmax(valid[::-1, j])) for j in range(df.shape[1]))
    inner = df.iloc[first:last + 1] if last >= first else df.iloc[:0]
    gaps = inner.index[~ok[first:last + 1]] if last >= first else inner.index
    if len(gaps) and missing == "raise":
        worst = inner.isna().sum().idxmax()
        raise DataError(
            f"the panel has {len(gaps)} date(s) with a missing value inside {span(inner.index)} "
            f"(on {_list_dates(gaps)}; most in {worst!r}); {purpose} needs a gap-free panel: "
            "pass missing='drop' or fill the gaps", series_id=str(worst),
            date=fmt_date(gaps[0]))
    out = df.loc[ok]
    if len(out) < min_obs:
        starts = {c: df[c].first_valid_index() for c in df.columns}
        latest = max(starts, key=lambda c: starts[c] if starts[c] is not None else df.index[0])
        raise DataError(
            f"the series {', '.join(map(repr, map(str, df.columns)))} have only {len(out)} "
            f"dates in common {span(out.index)}; {purpose} needs at least {min_obs}. "
            f"{latest!r} starts latest ({fmt_date(starts[latest])}); drop it or load a longer "
            "history.", series_id=str(latest))
    return out



def as_date(value: Any, name: str = "date") -> pd.Timestamp:
    """``value`` as a day without a zone: a zone-aware one keeps its wall-clock day.

    Daily market data are dated by their own day, so ``2025-01-01 00:00+09:00`` is
    2025-01-01 (a zone-aware date raised pandas' "Cannot compare tz-naive and tz-aware"), and a
    time of day is dropped (``load(start="2025-04-10 10:00")`` began on the 11th).

    Raises
    ------
    ConfigError
        A value that is no date (``"2025-13-45"``).
    """
    try:
        ts = pd.Timestamp(value if isinstance(value, pd.Timestamp | dt.date) else str(value))
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{name} {value!r} is not a date (write YYYY-MM-DD)") from exc
    if ts is pd.NaT:
        raise ConfigError(f"{name} {value!r} is not a date (write YYYY-MM-DD)")
    return (ts.tz_localize(None) if ts.tzinfo is not None else ts).normalize()


def naive_index(x: Any) -> Any:
    """A frame or series whose zone-aware date index keeps its wall times, without the zone.

    Raises
    ------
    DataError
        A date index that is not in increasing order or holds a date twice (a reversed panel
        moved a TCI from 0.541 to 0.518, and a VaR backtest ran from 2023 to 2021).
    """
    if not isinstance(x, pd.Series | pd.DataFrame):
        return x
    dates = date_labels(x.index)
    if dates is None:
        return x
    if dates.hasnans:
        rows = np.flatnonzero(dates.isna())
        after = f", after {fmt_date(x.index[rows[0] - 1])}" if rows[0] > 0 else ""
        raise DataError(f"the date index has {len(rows)} missing date(s) (NaT), the first at "
                        f"row {rows[0]}{after}; drop those rows")
    if dates.has_duplicates:
        twice = _list_dates(x.index[dates.duplicated()])
        raise DataError(f"the dates are not unique: {twice} appear more than once; drop "
                        "the duplicate rows")
    if not dates.is_monotonic_increasing:
        raise DataError("the dates are not in increasing order; sort them with .sort_index()")
    if isinstance(x.index, pd.DatetimeIndex) and x.index.tz is not None:
        x = x.copy(deep=False)
        x.index = x.index.tz_localize(None)
    return x


def date_labels(index: pd.Index) -> pd.DatetimeIndex | None:
    """``index`` as dates when it holds dates, else None.

    Besides a DatetimeIndex: a PeriodIndex, and an index of ``datetime.date`` objects or of ISO
    date strings (``pd.read_csv(..., index_col="date")`` without ``parse_dates``). Their order
    went unchecked: a newest-first file read that way gave a TCI of 22.92 for 23.46 and a
    bitcoin VaR of 14.14 for 7.59, without a word.
    """
    if isinstance(index, pd.DatetimeIndex):
        return index
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp()
    if len(index) == 0 or isinstance(index, pd.MultiIndex) or not (
            pd.api.types.is_object_dtype(index.dtype)
            or pd.api.types.is_string_dtype(index.dtype)):
        return None
    values = list(index)
    # a blank date cell read as text is NaN: a missing date, not a reason to skip the check
    blank = [v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v))
             for v in values]
    given = [v for v, b in zip(values, blank, strict=True) if not b]
    if not given:
        return None
    try:
        if all(isinstance(v, str) and _ISO_DAY.match(v) for v in given):
            return pd.DatetimeIndex(pd.to_datetime(
                [None if b else v for v, b in zip(values, blank, strict=True)],
                format="ISO8601"))
        if all(isinstance(v, dt.date | np.datetime64) for v in given):
            return pd.DatetimeIndex(
                [pd.NaT if b else v for v, b in zip(values, blank, strict=True)])
    except (TypeError, ValueError, OverflowError):
        return None
    return None


#: Text that is a date as ``read_csv`` leaves it: ``2024-01-03`` (a time may follow). Codes
#: such as tickers ("7203") or "20240103" are not read as dates.
_ISO_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:$|[ T])")


def date_window(start: Any, end: Any) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``start`` and ``end`` as dates (None stays None), the first not after the second.

    Raises
    ------
    ConfigError
        A value that is no date (``"2025-13-45"``), or a start after the end (the panel came
        back empty without a word).
    """
    out: list[pd.Timestamp | None] = []
    for name, v in (("start", start), ("end", end)):
        if v is None:
            out.append(None)
            continue
        out.append(as_date(v, name))
    lo, hi = out
    if lo is not None and hi is not None and lo > hi:
        raise ConfigError(f"start {lo.date()} is after end {hi.date()}")
    return lo, hi


def dependence(x: np.ndarray, names: Sequence[str]) -> str | None:
    """What makes the columns of ``x`` (complete rows) unusable in a regression, or None.

    A column that never moves (a pegged or frozen series), or columns that move as one (a
    series loaded twice, or once more in other units): the moment matrix of a VAR on them is
    singular. The text names the column, the pair that moves as one, or the columns of a
    combination (those weighing on the null direction of the standardised data).
    """
    sd = x.std(axis=0)
    flat = [str(n) for n, v in zip(names, sd, strict=True) if not v > 0]
    if flat:
        return f"{', '.join(flat)} never moves (a pegged or frozen series)"
    z = (x - x.mean(axis=0)) / sd
    _, sv, vt = np.linalg.svd(z, full_matrices=False)
    if sv[-1] > 1e-6 * sv[0]:
        return None
    c = np.corrcoef(z, rowvar=False)
    np.fill_diagonal(c, 0.0)
    i, j = (int(v) for v in np.unravel_index(int(np.argmax(np.abs(c))), c.shape))
    if abs(c[i, j]) > 1.0 - 1e-6:
        return (f"{names[i]} and {names[j]} move as one (correlation {c[i, j]:+.6f}: a series "
                "loaded twice, or once more in other units?)")
    # a combination of several: the columns of the null direction
    v = np.abs(vt[-1])
    some = [str(n) for n, w in zip(names, v, strict=True) if w > 0.05 * v.max()]
    return f"{', '.join(some)} are linearly dependent (one is a combination of the others)"


def decade_unit(variance: float, lo: float, hi: float) -> float:
    """The power of ten ``u`` nearest 1 for which ``variance / u**2`` lies in ``[lo, hi)``.

    1 when the variance already does, is 0 or is not finite. Solvers with absolute tolerances
    (statsmodels' QuantReg) or priors that do not scale with the data (R's TVP-VAR) are run on
    a series divided by ``u`` and their estimates scaled back. ``hi / lo`` must be at least 100
    (one power of ten moves a variance by 100).

    Examples
    --------
    >>> decade_unit(1.2e-4, 1e-2, 1e4), decade_unit(5.0, 1e-2, 1e4)
    (0.1, 1.0)
    >>> decade_unit(1e24, 0.1, 10.0), decade_unit(1e-18, 0.1, 10.0)
    (1000000000000.0, 1e-09)
    """
    if not math.isfinite(variance) or variance <= 0.0 or lo <= variance < hi:
        return 1.0
    e = 0
    while variance / 10.0 ** (2 * e) >= hi:
        e += 1
    while variance / 10.0 ** (2 * e) < lo:
        e -= 1
    return float(10.0 ** e)


def is_real(value: Any) -> TypeGuard[float]:
    """Whether ``value`` is one real number: a Python or NumPy int or float, not a bool.

    NumPy's scalars count (``np.float32(0.99)`` was refused as "not a probability"); a bool,
    a string or ``Decimal`` does not.
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def is_int(value: Any) -> TypeGuard[int]:
    """Whether ``value`` is one whole number: a Python or NumPy int, not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def plain(value: Any) -> Any:
    """A NumPy scalar as the Python number it holds (``np.float32(0.99)`` -> ``0.99...``)."""
    return value.item() if isinstance(value, np.generic) else value


def check_level(value: float, *, name: str = "level") -> float:
    """A confidence level strictly between 0.5 and 1 (e.g. 0.99)."""
    if not (is_real(value) and 0.5 < float(value) < 1.0):
        raise ConfigError(f"{name} must be a probability in (0.5, 1), e.g. 0.99; got {value!r}")
    return float(value)


def positive_int(value: Any, *, name: str, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int in ``[minimum, maximum]`` or raise :class:`ConfigError`."""
    if not is_int(value) or value < minimum:
        raise ConfigError(
            f"{name} must be an int >= {minimum}, got {value!r}", parameter=name, value=value
        )
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, got {value!r}", parameter=name,
                          value=value)
    return int(value)


#: Largest forecast horizon (steps) and VAR order the analytics accept.
MAX_HORIZON = 1000
MAX_LAGS = 60


def unit_interval(value: Any, *, name: str) -> float:
    """Return ``value`` as a float in (0, 1] or raise :class:`ConfigError`."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not (0.0 < v <= 1.0):
        raise ConfigError(
            f"{name} must be in (0, 1], got {value!r}; 0.99 is the usual choice",
            parameter=name,
            value=value,
        )
    return v


def choice(value: Any, options: Mapping[str, T] | Sequence[str], *, name: str) -> Any:
    """Resolve ``value`` among ``options``; an unknown name lists the valid ones.

    With a registry dict the lower-cased name is looked up and its entry returned (house style:
    strings resolve through a registry); with a sequence the value itself is returned.
    """
    if isinstance(options, Mapping):
        key = str(value).lower()
        if key in options:
            return options[key]
    elif value in options:
        return value
    valid = ", ".join(repr(k) for k in options)
    raise ConfigError(
        f"unknown {name} {value!r}; choose one of: {valid}", parameter=name, value=value
    )
