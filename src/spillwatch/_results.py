"""The shared verbs of every result: ``table``, ``summary``, ``to_frame``, ``to_dict``, ``plot``.

A result is read-only; derived numbers are cached properties. Subclasses implement ``table()``
(the headline DataFrame), ``to_frame()`` (a tidy long frame) and ``_summary_lines()``; the rest
comes from here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


class Summary(str):
    """A short text summary; prints as itself (arch's ``_SummaryRepr``)."""

    def __repr__(self) -> str:
        return str(self)


def whole_percentile(p: float) -> str:
    """A percentile as the whole number the cut-offs read: rounded down.

    The cut-offs are ``>=`` an integer (crisis at a long-run 95, elevated at 80, a red light at
    95), so a rounded figure contradicted the label beside it: "percentile 80 ... calm" on
    2025-03-31 (79.96), "all history 95 ... elevated" on 2022-07-01 (94.65). Rounded down, a
    printed 95 is at or above 95 and a printed 94 below it. The foreign-demand gauge's bands
    (80, 90) are read the same way ("percentile 80" beside "calm" for 79.6).
    """
    return f"{math.floor(p):.0f}"


def sale_size(usd: float, *, space: bool = False) -> str:
    """A sale's dollars as a label prints them: ``$100bn``, ``$1.5bn``, ``$500m``.

    Whole billions (or millions under $1bn as printed: $999.6m is ``$1bn``) when rounding moves
    the figure by 1% or less, else three significant figures: ``japan:1.5bn`` was labelled
    "japan $2bn" (a third more than it sells), ``$118.6bn`` stays ``$119bn``. ``space`` writes
    ``$1.5 bn`` (the observed lines' style; millions stay ``$500m``).
    """
    bn = abs(usd) / 1e9
    value, unit = (bn, "bn") if round(bn * 1e3) >= 1000 else (bn * 1e3, "m")
    whole = round(value)
    text = f"{value:,.0f}" if abs(value - whole) <= 0.01 * value else f"{value:,.3g}"
    gap = " " if space and unit == "bn" else ""
    return f"{'-' if usd < 0 else ''}${text}{gap}{unit}"


def beside(*pairs: tuple[float, float], least: int = 0, most: int = 6) -> int:
    """The fewest decimals from ``least`` (up to ``most``) printing each value on its line's side.

    Each pair is ``(value, line)``, both printed with the same decimals: ``-138.33`` past a
    line at ``-138.27`` needs two (whole, both read ``-138``). Every pair is checked at the
    decimals returned: a line that rounds up can keep a value apart at one decimal and not at
    three (0.0497 against 0.05 reads 0.0 and 0.1, then 0.050 and 0.050).
    """
    def kept(d: int) -> bool:
        for value, line in pairs:
            a, b = float(f"{value:.{d}f}"), float(f"{line:.{d}f}")
            if (a > b) - (a < b) != (value > line) - (value < line):
                return False
        return True

    return next((d for d in range(least, most + 1) if kept(d)), most)


def p_value(p: float, alpha: float = 0.05) -> str:
    """A test's p-value to three decimals, or the more that keep it on its side of ``alpha``.

    ``Kupiec p=0.050 ... pass`` read as a p at the 5% line for 0.05025 (a pass is p > 0.05);
    it reads 0.0503.
    """
    if not math.isfinite(p):
        return f"{p}"
    return f"{p:.{beside((p, alpha), least=3, most=8)}f}"


def jsonable(value: Any) -> Any:
    """Convert numpy/pandas values into plain JSON-safe Python (NaN and inf become ``None``)."""
    kind = type(value)          # the leaves first (most calls): what the checks below return
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return {
            "index": [jsonable(i) for i in value.index],
            "columns": [str(c) for c in value.columns],
            "data": [[jsonable(x) for x in row] for row in value.to_numpy(dtype=object)],
        }
    if isinstance(value, pd.Series):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, (pd.Timestamp,)):
        if value is pd.NaT:
            return None
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _guarded(value: Any) -> Any:
    """``value`` as a result hands it out (see :meth:`ResultBase.__getattribute__`).

    Frames and series as copies (cheap under pandas' copy-on-write), arrays as read-only views,
    dicts and lists rebuilt around guarded values.
    """
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, np.ndarray):
        if not value.flags.writeable:
            return value
        view = value.view()
        view.flags.writeable = False
        return view
    if type(value) is dict:
        return {k: _guarded(v) for k, v in value.items()}
    if type(value) is list:
        return [_guarded(v) for v in value]
    return value


class ResultBase:
    """Base class giving every result the same verbs.

    Subclasses override :meth:`table`, :meth:`to_frame`, :meth:`_summary_lines` and, where it makes
    sense, :meth:`plot` and :meth:`to_dict`.
    """

    title: str = "result"

    def __getattribute__(self, name: str) -> Any:
        # a result is read-only: its frames, series and arrays are handed out as copies (cheap
        # under pandas' copy-on-write) and read-only views, so that ``r.frame.loc[:, "regime"] =
        # "calm"`` changes the caller's copy, not what ``r.latest()``, ``r.summary()`` and
        # ``r.to_dict()`` read (they read the changed cached frame, and a pickle kept it)
        # (dicts and lists too, to any depth: ``st.stale_limits["vix"] = 0`` changed latest(),
        # ``v.series["btc_pct"].iloc[-250:] = 0`` the VaR table; a private dict or list is
        # the result's own cache, which it fills)
        value = object.__getattribute__(self, name)
        if name.startswith("_") and type(value) in (dict, list):
            return value
        return _guarded(value)

    def __repr__(self) -> str:
        try:
            lines = str(self.summary()).splitlines()
        except Exception:  # a repr must not raise (a debugger calls it on any object)
            lines = []
        head = " | ".join(ln.strip() for ln in lines[:2] if ln.strip()) or self.title
        return f"<{type(self).__name__}: {head}>"

    def table(self) -> pd.DataFrame:
        """Return the headline table of the result."""
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy long frame (one value per row)."""
        return self.table().reset_index()

    def _summary_lines(self) -> list[str]:
        return [self.title, self.table().to_string()]

    def summary(self) -> Summary:
        """Return a short text summary; ``print(result)`` shows the same text."""
        return Summary("\n".join(self._summary_lines()))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict of the result (used by ``--json`` and the API)."""
        return {"title": self.title, "table": jsonable(self.table())}

    def plot(self, kind: str | None = None) -> Any:
        """Return a plotly figure (plotly is imported lazily)."""
        raise NotImplementedError(f"{type(self).__name__} has no plot")

    def __str__(self) -> str:
        return str(self.summary())

    def _repr_html_(self) -> str:
        return f"<h4>{self.title}</h4>" + self.table().to_html()

    def __rich__(self) -> Any:
        from rich.table import Table

        frame = self.table()
        t = Table(title=self.title)
        t.add_column(str(frame.index.name or ""))
        for c in frame.columns:
            t.add_column(str(c), justify="right")
        for idx, row in frame.iterrows():
            t.add_row(str(idx), *[_fmt(v) for v in row.to_numpy()])
        return t


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return "" if not np.isfinite(v) else f"{v:,.2f}"
    return str(v)


def signature_text(last: dict[str, Any]) -> str:
    """``"unavailable (the last day with both legs, 2025-12-26, read no pattern)"``.

    The signature of a stress reading (``StressResult.latest()`` or its summary), with the last day
    both legs were read when that is not the row's date: the CLI, the headline and the report
    say it alike (the report said only "unavailable").
    """
    sig, when = last.get("signature"), last.get("signature_last_date")
    if when is None and last.get("signature_unread"):
        # never read by then: why ("unavailable" alone on 2006-03-01, the broad dollar's
        # record two months long)
        return f"{sig} ({last['signature_unread']})"
    if when in (None, last.get("date")):
        return str(sig)
    seen = last.get("signature_last")
    # the leg that is behind, with its last report: an evening's dollar (the Fed's H.10) is
    # published the Monday after its week, so "unavailable" was most evenings' reading with
    # no word of which leg it waited for
    waiting = last.get("signature_waiting") or {}
    behind = [f"{k} reported to {v or 'no date'}" for k, v in waiting.items()]
    return (f"{sig} (the last day with both legs, {when}, read "
            f"{'no pattern' if seen == 'none' else seen}"
            + (f"; {', '.join(behind)}" if behind else "") + ")")

