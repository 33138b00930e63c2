r"""Block (group-wise) connectedness: the DY table aggregated over groups of variables.

For groups :math:`G_a`, the block table sums the pairwise spillovers between members
(Greenwood-Nimmo, Nguyen & Shin 2015, Section 2.2, "groupwise" connectedness):

.. math::

    B_{ab} = \sum_{i \in G_a} \sum_{j \in G_b} \tilde\theta_{ij},

in the same percentage points as the DY table (row ``a`` of the block table sums to
``100 * |G_a|``). The off-diagonal block cells are the spillovers between groups; the diagonal
cell keeps the within-group spillovers and the members' own shares. The net block spillover
from ``b`` to ``a`` is :math:`B_{ab} - B_{ba}`, the sum of the net pairwise connectedness over
every cross-group pair (so it is positive when ``a`` receives on net from ``b``).

The headline of spillwatch is the net spillover **from rates + dollar to crypto**:
:math:`B_{\mathrm{crypto},\,\mathrm{rates\&dollar}} - B_{\mathrm{rates\&dollar},\,
\mathrm{crypto}}`.

References
----------
.. [1] Greenwood-Nimmo, M., Nguyen, V. H., & Shin, Y. (2015). Measuring the connectedness of
   the global economy. Melbourne Institute Working Paper 7/15.
.. [2] Diebold, F. X., & Yilmaz, K. (2012). *International Journal of Forecasting*, 28(1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, jsonable
from spillwatch._typing import DateLike, Float64Array
from spillwatch._validation import as_date
from spillwatch.exceptions import ConfigError

#: Name of the rates + dollar block and of the crypto block in the default grouping.
RATES_DOLLAR = "rates_dollar"
CRYPTO = "crypto"
OTHER = "other"


def default_groups(columns: Sequence[str]) -> dict[str, list[str]]:
    """Group panel columns into ``rates_dollar``, ``crypto`` and ``other`` by their asset block.

    Uses :func:`spillwatch.universe.asset_of_column`: blocks ``RATES`` and ``DOLLAR`` form
    ``rates_dollar``, ``CRYPTO`` forms ``crypto``; everything else (and any column that is not a
    known panel column) goes to ``other``. Empty groups are left out.
    """
    from spillwatch.exceptions import ConfigError as _ConfigError
    from spillwatch.universe import AssetBlock, asset_of_column

    groups: dict[str, list[str]] = {RATES_DOLLAR: [], CRYPTO: [], OTHER: []}
    for col in columns:
        try:
            block = asset_of_column(str(col)).block
        except _ConfigError:
            block = None
        if block in (AssetBlock.RATES, AssetBlock.DOLLAR):
            groups[RATES_DOLLAR].append(str(col))
        elif block == AssetBlock.CRYPTO:
            groups[CRYPTO].append(str(col))
        else:
            groups[OTHER].append(str(col))
    return {name: cols for name, cols in groups.items() if cols}


def resolve_groups(
    columns: Sequence[str], groups: Mapping[str, Sequence[str]] | None
) -> dict[str, list[int]]:
    """Check a user grouping and turn it into column positions.

    Every column must belong to exactly one group; columns left out form a group ``other``.
    """
    cols = [str(c) for c in columns]
    if groups is None:
        named = default_groups(cols)
    else:
        named = {str(g): [str(c) for c in members] for g, members in groups.items()}
    seen: dict[str, str] = {}
    for g, members in named.items():
        if not members:
            raise ConfigError(f"block {g!r} is empty; give it at least one column", block=g)
        for c in members:
            if c not in cols:
                raise ConfigError(
                    f"block {g!r} names column {c!r}, which is not in the data; "
                    f"columns are: {', '.join(cols)}",
                    block=g,
                    column=c,
                )
            if c in seen:
                raise ConfigError(
                    f"column {c!r} is in two blocks ({seen[c]!r} and {g!r}); put it in one",
                    column=c,
                )
            seen[c] = g
    rest = [c for c in cols if c not in seen]
    if rest:
        if OTHER in named:
            raise ConfigError(
                f"columns {rest} are in no block and a block is already named {OTHER!r}; "
                "assign every column",
                column=rest[0],
            )
        named[OTHER] = rest
    pos = {c: i for i, c in enumerate(cols)}
    return {g: [pos[c] for c in members] for g, members in named.items()}


def block_table(theta: Float64Array, groups: Mapping[str, Sequence[int]]) -> Float64Array:
    """Aggregate ``theta`` (…, k, k) into the block table (…, g, g) by summing member cells."""
    names = list(groups)
    k = theta.shape[-1]
    member = np.zeros((len(names), k))
    for a, g in enumerate(names):
        member[a, list(groups[g])] = 1.0
    return member @ theta @ member.T



def table_text(table: pd.DataFrame) -> str:
    """A DY or block table as text: two decimals, the ``NPT`` row whole, no corner NaN.

    ``NPT`` counts assets (how many others each one drives on net); it printed "4.00". The
    cells where a summary row (``TO``, ``Inc.Own``, ``NET``, ``NPT``) meets the ``FROM``
    column are undefined except the TCI's two: they printed "NaN" in every `spillwatch
    spillover` (h_data1), where the report leaves them blank.
    """
    text = table.map(lambda v: f"{v:.2f}" if np.isfinite(v) else "NaN")
    if "NPT" in text.index:
        text.loc["NPT"] = [f"{v:.0f}" if np.isfinite(v) else "NaN"
                           for v in table.loc["NPT"]]
    if "FROM" in text.columns:
        for row in ("TO", "Inc.Own", "NET", "NPT"):
            if row in text.index and not np.isfinite(table.at[row, "FROM"]):
                text.at[row, "FROM"] = ""
    # as wide as pandas prints a float column (two spaces before the widest cell)
    space = {c: 1 + max(len(str(c)), *(len(v) for v in text[c])) for c in text.columns}
    return text.to_string(col_space=space)

class BlockConnectednessResult(ResultBase):
    """Block connectedness of one table or of a sequence of tables.

    Attributes
    ----------
    groups : dict of str to list of str
        Block name → member columns, in block-table order.
    theta : ndarray, shape (n, g, g)
        Block tables (percentage points of the DY table; see the module docstring).
    dates : DatetimeIndex or None
        The dates of a rolling result (None for one table).
    """

    title = "Block connectedness"

    def __init__(
        self, *, groups: Mapping[str, Sequence[str]], theta: Float64Array, dates: pd.Index | None
    ) -> None:
        self.groups = {g: list(m) for g, m in groups.items()}
        self.theta = theta
        self.dates = dates

    @property
    def names(self) -> list[str]:
        """Block names, in table order."""
        return list(self.groups)

    def _index(self, name: str) -> int:
        if name not in self.groups:
            raise ConfigError(
                f"no block named {name!r}; blocks are: {', '.join(self.names)}. The default "
                "grouping needs rates/dollar and crypto columns (e.g. ust10y_bp, btc_pct)",
                block=name,
            )
        return self.names.index(name)

    def net_between(self, receiver: str, transmitter: str) -> pd.Series | float:
        """Net spillover from ``transmitter`` to ``receiver`` (positive: receiver receives).

        Returns a float for one table and a Series indexed by date for a rolling result.
        """
        r, t = self._index(receiver), self._index(transmitter)
        values = self.theta[:, r, t] - self.theta[:, t, r]
        if self.dates is None:
            return float(values[0])
        return pd.Series(values, index=self.dates, name=f"{transmitter} -> {receiver}")

    @property
    def headline(self) -> pd.Series | float:
        """Net spillover from rates + dollar to crypto (positive: crypto receives on net)."""
        return self.net_between(CRYPTO, RATES_DOLLAR)

    def table(self, at: DateLike | None = None) -> pd.DataFrame:
        """Block table of one date (default the latest): blocks × blocks, FROM, TO, NET."""
        if self.dates is None:
            pos = 0
        elif at is None:
            valid = np.flatnonzero(np.isfinite(self.theta).all(axis=(1, 2)))
            pos = int(valid[-1]) if valid.size else len(self.dates) - 1
        else:
            when = as_date(at, "at")
            pos = int(self.dates.searchsorted(when, side="right")) - 1
            if pos < 0:
                # it gave the first window's table, dated later: silent look-ahead in a replay
                raise ConfigError(f"no window ends on or before {when.date()}; the first ends "
                                  f"on {pd.Timestamp(self.dates[0]).date()}", date=when)
        b = self.theta[pos]
        own = np.diag(b)
        out = pd.DataFrame(b, index=self.names, columns=self.names)
        out["FROM"] = b.sum(axis=1) - own
        to = b.sum(axis=0) - own
        out.loc["TO"] = [*to, np.nan]
        out.loc["NET"] = [*(to - (b.sum(axis=1) - own)), np.nan]
        out.index.name = "to \\ from"
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: (``date``,) ``from``, ``to``, ``value``."""
        n, g, _ = self.theta.shape
        names = np.array(self.names, dtype=object)
        out = pd.DataFrame(
            {
                "from": np.tile(np.tile(names, g), n),
                "to": np.tile(np.repeat(names, g), n),
                "value": self.theta.ravel(),
            }
        )
        if self.dates is not None:
            out.insert(0, "date", np.repeat(self.dates.to_numpy(), g * g))
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "groups": self.groups,
                               "table": jsonable(self.table())}
        if CRYPTO in self.groups and RATES_DOLLAR in self.groups:
            out["net_rates_dollar_to_crypto"] = jsonable(self.headline)
        return out

    def _summary_lines(self) -> list[str]:
        lines = [self.title, *(f"  {g}: {', '.join(m)}" for g, m in self.groups.items())]
        lines.append(table_text(self.table()))
        if CRYPTO in self.groups and RATES_DOLLAR in self.groups:
            h = self.headline
            if isinstance(h, float):
                lines.append(f"net spillover rates+dollar -> crypto (this table): {h:.2f} pp")
            else:
                last = h.dropna()
                lines.append(f"net spillover rates+dollar -> crypto (this table's data, "
                             f"{last.index[-1]:%Y-%m-%d}): {last.iloc[-1]:.2f} pp")
        return lines

    def plot(self, kind: str | None = None) -> Any:
        """Net rates+dollar → crypto over time (rolling), or the block table heatmap."""
        from spillwatch.plotting import connectedness as _plot

        if self.dates is None or kind == "table":
            frame = pd.DataFrame(self.theta[-1], index=self.names, columns=self.names)
            return _plot.heatmap(frame, title="Block spillover table")
        h = self.headline
        return _plot.lines(
            h.to_frame() if isinstance(h, pd.Series) else pd.DataFrame(),
            title="Net spillover from rates + dollar to crypto",
            yaxis="pp (positive: crypto receives)",
            zero_line=True,
        )
