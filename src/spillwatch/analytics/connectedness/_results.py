"""Read-only connectedness results: one table, or one table per window or date.

:class:`ConnectednessResult` holds one table, :class:`RollingConnectednessResult` a sequence.

Reading a table: ``theta[i, j]`` (row i, column j) is the share, in percent, of the H-step
forecast-error variance of variable i due to shocks in variable j: **the spillover from j to i**.
Rows sum to 100. FROM (a column) sums a row without its diagonal, TO (a row) sums a column
without its diagonal, NET = TO − FROM (positive: a net transmitter), and the TCI is the mean of
FROM (DY 2012, eqs. 4–8). The net pairwise table ``npdc[i, j] = theta[i, j] − theta[j, i]`` is
**positive when row i receives on net from column j**.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, jsonable
from spillwatch._typing import DateLike, Float64Array
from spillwatch._validation import as_date
from spillwatch.analytics.connectedness import _fevd as F
from spillwatch.analytics.connectedness._blocks import (
    BlockConnectednessResult,
    block_table,
    resolve_groups,
    table_text,
)
from spillwatch.analytics.connectedness._frequency import within_tci
from spillwatch.exceptions import ConfigError

ROW_TO, ROW_OWN, ROW_NET, ROW_NPT, COL_FROM = "TO", "Inc.Own", "NET", "NPT", "FROM"


def dy_table(theta: Float64Array, columns: Sequence[str]) -> pd.DataFrame:
    r"""The DY (2012, Table 2) layout of one normalised table.

    The k×k block, a ``FROM`` column, and rows ``TO``, ``Inc.Own`` (column sums with the
    diagonal), ``NET`` (TO − FROM) and ``NPT`` (net-transmitting links). The corner
    ``("TO", "FROM")`` holds the TCI and ``("Inc.Own", "FROM")`` the corrected TCI
    (:math:`\mathrm{TCI}\cdot k/(k-1)`); ``("NET", "FROM")`` and ``("NPT", "FROM")`` are NaN.
    """
    k = len(columns)
    from_, to = F.directional(theta)
    tci = float(F.total_connectedness(theta))
    body = pd.DataFrame(theta, index=list(columns), columns=list(columns))
    body[COL_FROM] = from_
    extra = pd.DataFrame(
        [
            [*to, tci],
            [*theta.sum(axis=0), tci * k / (k - 1)],
            [*(to - from_), np.nan],
            [*F.net_transmitting_links(theta), np.nan],
        ],
        index=[ROW_TO, ROW_OWN, ROW_NET, ROW_NPT],
        columns=[*columns, COL_FROM],
    )
    out = pd.concat([body, extra])
    out.index.name = "to \\ from"
    return out


class ConnectednessResult(ResultBase):
    """Connectedness of one sample (or of one window of a rolling result).

    Attributes
    ----------
    spec : Connectedness
        The spec that produced it (``rolling()`` re-runs it on windows of ``data``).
    data : DataFrame
        The complete rows the model was fitted on.
    theta : ndarray, shape (k, k)
        The normalised decomposition in percent (rows sum to 100).
    band_theta : ndarray, shape (bands, k, k), optional
        Frequency bands (only with :class:`FrequencyFEVD`); they sum to ``theta``.
    estimates : VAREstimates, optional
        The VAR fit in data units (None for one window of a rolling result).
    date : Timestamp, optional
        The window's last date (rolling results only).
    """

    title = "Diebold–Yilmaz connectedness"

    def __init__(
        self,
        *,
        spec: Any,
        data: pd.DataFrame,
        theta: Float64Array,
        band_theta: Float64Array | None = None,
        estimates: Any = None,
        date: pd.Timestamp | None = None,
    ) -> None:
        self.spec = spec
        self.data = data
        self.theta = theta
        self.theta.setflags(write=False)
        self.band_theta = band_theta
        self.estimates = estimates
        self.date = date

    @property
    def columns(self) -> list[str]:
        """Variable names, in table order."""
        return [str(c) for c in self.data.columns]

    @cached_property
    def fevd(self) -> pd.DataFrame:
        """The k×k table (percent; row = receiver, column = transmitter)."""
        return pd.DataFrame(self.theta, index=self.columns, columns=self.columns)

    @cached_property
    def tci(self) -> float:
        """Total connectedness index in percent (DY 2012, eq. 4)."""
        return float(F.total_connectedness(self.theta))

    @cached_property
    def tci_corrected(self) -> float:
        r"""Corrected TCI, :math:`\mathrm{TCI}\cdot k/(k-1)` (Chatziantoniou & Gabauer 2021)."""
        k = self.theta.shape[0]
        return self.tci * k / (k - 1)

    @cached_property
    def from_(self) -> pd.Series:
        """FROM others: what each variable receives (DY 2012, eq. 5)."""
        return pd.Series(F.directional(self.theta)[0], self.columns, name="FROM")

    @cached_property
    def to(self) -> pd.Series:
        """TO others: what each variable transmits (DY 2012, eq. 6)."""
        return pd.Series(F.directional(self.theta)[1], self.columns, name="TO")

    @cached_property
    def net(self) -> pd.Series:
        """NET = TO − FROM (DY 2012, eq. 8); positive = net transmitter."""
        return (self.to - self.from_).rename("NET")

    @cached_property
    def npdc(self) -> pd.DataFrame:
        """Net pairwise connectedness; ``npdc.loc[i, j] > 0``: i receives on net from j."""
        return pd.DataFrame(F.net_pairwise(self.theta), self.columns, self.columns)

    @cached_property
    def pci(self) -> pd.DataFrame:
        """Pairwise connectedness index (Gabauer 2021), symmetric, percent."""
        return pd.DataFrame(F.pairwise_index(self.theta), self.columns, self.columns)

    @cached_property
    def npt(self) -> pd.Series:
        """Net-transmitting links: how many others each variable transmits to on net."""
        return pd.Series(F.net_transmitting_links(self.theta), self.columns, name="NPT")

    # ------------------------------------------------------------------ frequency bands
    def _bands(self) -> tuple[list[str], Float64Array]:
        if self.band_theta is None:
            raise ConfigError(
                "this result has no frequency bands; fit with decomposition='frequency' "
                "(or bands=(5, 20))",
                parameter="decomposition",
            )
        return list(self.spec.decomposition.labels), self.band_theta

    @cached_property
    def bands(self) -> dict[str, pd.DataFrame]:
        """DY tables of each frequency band (Baruník & Křehlík 2018); they add up to ``table``."""
        labels, bt = self._bands()
        return {lab: dy_table(bt[b], self.columns) for b, lab in enumerate(labels)}

    @cached_property
    def band_tci(self) -> pd.Series:
        """Frequency TCI of each band (BK 2018, eq. 13); they sum to ``tci``."""
        labels, bt = self._bands()
        return pd.Series(F.total_connectedness(bt), labels, name="TCI")

    @cached_property
    def within_tci(self) -> pd.Series:
        """Within-band TCI (BK 2018, eq. 12)."""
        labels, bt = self._bands()
        return pd.Series(within_tci(bt), labels, name="within TCI")

    # ------------------------------------------------------------------ other views
    def blocks(self, groups: Mapping[str, Sequence[str]] | None = None) -> BlockConnectednessResult:
        """Aggregate into blocks; default: rates+dollar vs crypto (vs other), by asset block."""
        pos = resolve_groups(self.columns, groups)
        return BlockConnectednessResult(
            groups={g: [self.columns[i] for i in idx] for g, idx in pos.items()},
            theta=block_table(self.theta[None], pos),
            dates=None,
        )

    def rolling(self, window: int = 200) -> RollingConnectednessResult:
        """Re-run this spec on every window of ``window`` rows of ``data`` (batched)."""
        return self.spec.fit_rolling(self.data, window=window)  # type: ignore[no-any-return]

    def table(self) -> pd.DataFrame:
        """The DY table: k×k block, FROM, TO, Inc.Own, NET, NPT; TCI in the corner."""
        return dy_table(self.theta, self.columns)

    def to_frame(self) -> pd.DataFrame:
        """Tidy pairs: ``from``, ``to``, ``value`` (percent; own shares included)."""
        k = len(self.columns)
        cols = np.array(self.columns, dtype=object)
        return pd.DataFrame(
            {
                "from": np.tile(cols, k),
                "to": np.repeat(cols, k),
                "value": self.theta.ravel(),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title,
            "lags": self.spec.lags,
            "horizon": self.spec.horizon,
            "decomposition": self.spec.decomposition.name,
            "nobs": len(self.data),
            "tci": self.tci,
            "tci_corrected": self.tci_corrected,
            "table": jsonable(self.table()),
            "net": jsonable(self.net),
            "npdc": jsonable(self.npdc),
        }
        if self.date is not None:
            out["date"] = jsonable(self.date)
        if self.band_theta is not None:
            out["band_tci"] = jsonable(self.band_tci)
        return out

    def _summary_lines(self) -> list[str]:
        when = "" if self.date is None else f", window ending {jsonable(self.date)}"
        head = (
            f"{self.title}: {type(self.spec.model).__name__}({self.spec.lags}), "
            f"H={self.spec.horizon}, "
            f"{self.spec.decomposition.name} FEVD, {len(self.data)} rows{when}"
        )
        lines = [head, table_text(self.table())]
        lines.append(f"TCI {self.tci:.2f}%  (corrected {self.tci_corrected:.2f}%)")
        if self.band_theta is not None:
            # the frequency decomposition's own figures (they were in to_dict only)
            bands = ", ".join(f"{lab} {v:.2f}%" for lab, v in self.band_tci.items())
            within = ", ".join(f"{lab} {v:.2f}%" for lab, v in self.within_tci.items())
            lines.append(f"TCI by band, days (Baruník & Křehlík 2018; they add up to the "
                         f"TCI): {bands}; within each band: {within}")
        return lines

    def __repr__(self) -> str:
        when = "" if self.date is None else f" ending {jsonable(self.date)}"
        return (f"<{type(self).__name__}: {self.spec.decomposition.name} FEVD, "
                f"VAR({self.spec.lags}), H={self.spec.horizon}, {len(self.data)} rows{when}, "
                f"TCI {self.tci:.2f}%>")

    def plot(self, kind: str | None = "table") -> Any:
        """``"table"`` (heatmap of the DY table) or ``"network"`` (net pairwise links)."""
        from spillwatch.plotting import connectedness as _plot

        kind = kind or "table"
        if kind == "table":
            return _plot.heatmap(self.fevd, title=f"Spillover table (TCI {self.tci:.1f}%)")
        if kind == "network":
            return _plot.network(self.npdc, self.net, title="Net pairwise spillovers")
        raise ConfigError(f"unknown plot kind {kind!r}; choose 'table' or 'network'")


class RollingConnectednessResult(ResultBase):
    """Connectedness over time: one table per rolling window (VAR) or per date (TVP-VAR).

    Attributes
    ----------
    spec : Connectedness
    data : DataFrame
        The complete rows used.
    dates : DatetimeIndex
        Each window's last date (VAR) or each filtered date (TVP-VAR).
    theta : ndarray, shape (n, k, k)
        Normalised tables in percent; NaN for a failed window.
    band_theta : ndarray, shape (n, bands, k, k), optional
        Frequency bands.
    window : int or None
        Rows per window (None for the TVP-VAR).
    failures : DataFrame
        Failed windows: ``date``, ``start``, ``end``, ``reason`` (empty when none failed).
    """

    title = "Dynamic Diebold–Yilmaz connectedness"

    def __init__(
        self,
        *,
        spec: Any,
        data: pd.DataFrame,
        dates: pd.Index,
        theta: Float64Array,
        band_theta: Float64Array | None,
        window: int | None,
        failures: pd.DataFrame,
    ) -> None:
        self.spec = spec
        self.data = data
        self.dates = pd.Index(dates, name="date")
        self.theta = theta
        self.theta.setflags(write=False)
        self.band_theta = band_theta
        self.window = window
        self.failures = failures

    @property
    def columns(self) -> list[str]:
        """Variable names, in table order."""
        return [str(c) for c in self.data.columns]

    def _series(self, values: Float64Array, name: str) -> pd.Series:
        return pd.Series(values, index=self.dates, name=name)

    def _frame(self, values: Float64Array) -> pd.DataFrame:
        return pd.DataFrame(values, index=self.dates, columns=self.columns)

    @cached_property
    def tci(self) -> pd.Series:
        """TCI (percent) per window, indexed by the window's last date."""
        return self._series(F.total_connectedness(self.theta), "TCI")

    @cached_property
    def tci_corrected(self) -> pd.Series:
        r"""Corrected TCI, :math:`\mathrm{TCI}\cdot k/(k-1)`."""
        k = self.theta.shape[-1]
        return (self.tci * k / (k - 1)).rename("cTCI")

    @cached_property
    def from_(self) -> pd.DataFrame:
        """FROM others per window (dates × variables)."""
        return self._frame(F.directional(self.theta)[0])

    @cached_property
    def to(self) -> pd.DataFrame:
        """TO others per window (dates × variables)."""
        return self._frame(F.directional(self.theta)[1])

    @cached_property
    def net(self) -> pd.DataFrame:
        """NET = TO − FROM per window; positive = net transmitter."""
        return self.to - self.from_

    @cached_property
    def npt(self) -> pd.DataFrame:
        """Net-transmitting links per window."""
        return self._frame(F.net_transmitting_links(self.theta))

    @cached_property
    def npdc(self) -> pd.DataFrame:
        """Net pairwise connectedness over time, columns ``(receiver, transmitter)``, i ≠ j.

        Positive: the receiver receives on net from the transmitter.
        """
        k = len(self.columns)
        net = F.net_pairwise(self.theta).reshape(len(self.dates), k * k)
        cols = pd.MultiIndex.from_product([self.columns, self.columns],
                                          names=["receiver", "transmitter"])
        keep = [i * k + j for i in range(k) for j in range(k) if i != j]
        return pd.DataFrame(net[:, keep], index=self.dates, columns=cols[keep])

    @cached_property
    def band_tci(self) -> pd.DataFrame:
        """Frequency TCI per band over time (BK 2018, eq. 13); rows sum to ``tci``."""
        if self.band_theta is None:
            raise ConfigError(
                "this result has no frequency bands; fit with decomposition='frequency'",
                parameter="decomposition",
            )
        return pd.DataFrame(F.total_connectedness(self.band_theta), index=self.dates,
                            columns=list(self.spec.decomposition.labels))

    def _position(self, at: DateLike | None) -> int:
        valid = np.flatnonzero(np.isfinite(self.theta).all(axis=(1, 2)))
        if valid.size == 0:
            raise ConfigError("every window failed; see result.failures")
        if at is None:
            return int(valid[-1])
        when = as_date(at, "at")
        pos = int(self.dates.searchsorted(when, side="right")) - 1
        if pos < 0:
            raise ConfigError(
                f"no window ends on or before {when.date()}; the first ends on "
                f"{pd.Timestamp(self.dates[0]).date()}",
                date=when,
            )
        return pos

    def at(self, at: DateLike | None = None) -> ConnectednessResult:
        """The result of one window: the last one ending on or before ``at`` (default latest)."""
        pos = self._position(at)
        # the rows behind this table: the window (rolling VAR) or every row up to the date
        # (TVP-VAR), so ``nobs`` and the summary count what was fitted
        end = int(self.data.index.get_indexer([self.dates[pos]])[0])
        first = 0 if self.window is None or end < 0 else max(0, end - self.window + 1)
        return ConnectednessResult(
            spec=self.spec,
            data=self.data.iloc[first:end + 1] if end >= 0 else self.data,
            theta=self.theta[pos].copy(),
            band_theta=None if self.band_theta is None else self.band_theta[pos],
            date=self.dates[pos],
        )

    def table(self, at: DateLike | None = None) -> pd.DataFrame:
        """The DY table of one window (default: the latest valid one)."""
        return self.at(at).table()

    def blocks(self, groups: Mapping[str, Sequence[str]] | None = None) -> BlockConnectednessResult:
        """Block connectedness over time; default rates+dollar vs crypto (vs other)."""
        pos = resolve_groups(self.columns, groups)
        return BlockConnectednessResult(
            groups={g: [self.columns[i] for i in idx] for g, idx in pos.items()},
            theta=block_table(self.theta, pos),
            dates=self.dates,
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: ``date``, ``from``, ``to``, ``value`` (percent)."""
        n, k, _ = self.theta.shape
        cols = np.array(self.columns, dtype=object)
        return pd.DataFrame(
            {
                "date": np.repeat(self.dates.to_numpy(), k * k),
                "from": np.tile(np.tile(cols, k), n),
                "to": np.tile(np.repeat(cols, k), n),
                "value": self.theta.ravel(),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        latest = self.at()
        return {
            "title": self.title,
            "model": type(self.spec.model).__name__,
            "lags": self.spec.lags,
            "horizon": self.spec.horizon,
            "window": self.window,
            "windows": len(self.dates),
            "burn_in": self.burn_in,
            "tci": jsonable(self.tci),
            "net": jsonable(self.net.to_dict(orient="list")) | {
                "date": jsonable(list(self.dates))
            },
            "latest": latest.to_dict(),
            "failures": jsonable(self.failures.to_dict(orient="records")),
        }

    @property
    def burn_in(self) -> int:
        """Leading tables that read the prior's own rows: the TVP-VAR's Bayes prior window.

        R's BayesPrior is an OLS fit on the first ``prior_window`` rows, which the filter then
        reads again: those tables are in sample for the prior. Summaries (means, extremes)
        leave them out; the tables themselves are kept, as R gives them. 0 otherwise.
        """
        m = self.spec.model
        if getattr(m, "variant", None) == "r" and getattr(m, "prior", None) == "bayes":
            return min(int(m.prior_window), len(self.dates))
        return 0

    def _summary_lines(self) -> list[str]:
        model = type(self.spec.model).__name__
        m = self.spec.model
        # a TVP-VAR says its forgetting factors, not its own name twice ("TVPVAR(2), H=10,
        # TVP-VAR")
        how = (f"window {self.window}" if self.window is not None else
               f"forgetting factors {getattr(m, 'kappa1', '?')}/{getattr(m, 'kappa2', '?')}")
        tci = self.tci.dropna()
        cut = self.burn_in
        after = tci.loc[tci.index > self.dates[cut - 1]] if cut else tci
        lines = [
            f"{self.title}: {model}({self.spec.lags}), H={self.spec.horizon}, {how}, "
            f"{len(self.dates)} tables {jsonable(self.dates[0])} .. {jsonable(self.dates[-1])}",
        ]
        if len(after):
            lines.append(
                f"TCI latest {tci.iloc[-1]:.2f}%  mean {after.mean():.2f}%  "
                f"min {after.min():.2f}% ({jsonable(after.idxmin())})  "
                f"max {after.max():.2f}% ({jsonable(after.idxmax())})"
                + (f"  (after the prior's first {cut} rows)" if cut else "")
            )
            lines.append("Latest table:")
            lines.append(table_text(self.table()))
        if len(self.failures):
            lines.append(f"{len(self.failures)} failed window(s): see .failures")
        return lines

    def plot(self, kind: str | None = "tci") -> Any:
        """Plot ``"tci"``, ``"net"``, ``"blocks"``, ``"table"`` or ``"network"``.

        ``"net"`` draws NET per variable, ``"blocks"`` the net rates+dollar → crypto spillover,
        ``"table"`` and ``"network"`` the latest window.
        """
        from spillwatch.plotting import connectedness as _plot

        kind = kind or "tci"
        if kind == "tci":
            return _plot.lines(self.tci.to_frame(), title="Total connectedness index",
                               yaxis="TCI (%)")
        if kind == "net":
            return _plot.lines(self.net, title="Net directional connectedness",
                               yaxis="NET (pp)")
        if kind == "blocks":
            return self.blocks().plot()
        if kind in ("table", "network"):
            return self.at().plot(kind)
        raise ConfigError(
            f"unknown plot kind {kind!r}; choose 'tci', 'net', 'blocks', 'table' or 'network'"
        )
