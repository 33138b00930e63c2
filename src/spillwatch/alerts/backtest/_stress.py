r"""The stress index as the monitor read it each day, for every day in one pass.

On the evening of day :math:`D` the monitor sees each input only up to its last published
observation. The index it computes from that *vintage* differs from the full-history index only
near :math:`D`: every quantity of a date :math:`d \le D - L` (with :math:`L` the longest
publication delay of any input) reads observations that were all published by :math:`D`, and
every signal and indicator rank is a function of its own past observations only (the index is
recursive, :mod:`spillwatch.analytics.stress.index`). So the replay

1. runs the full history once (signals and recursive ranks on each input's own dates, the
   sub-indices, the EWMA correlation states, the composites of every segment set);
2. for every replay day :math:`D` recomputes the *ragged edge* — the calendar dates in
   :math:`(D - L, D]` — from the observations known on :math:`D`: the indicator ranks carried
   from each input's last *published* observation, the sub-indices, the correlations advanced
   from their full-history state at :math:`D - L`, the composite, whether it is published;
3. reads the monitor's latest reading (the last published date) and ranks it within its
   consistent composition against the full-history composites before :math:`D - L` plus the
   ragged-edge values (the age-weighted recursive ECDF of the index, computed for all days at
   once with one divide-and-conquer count per segment set).

Every step is the library's own computation (:mod:`spillwatch.analytics.stress`) evaluated at
the (date, vintage) pairs the monitor saw; a test compares the result with a truncated run of
the normal monitor on sampled days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch.analytics._recursive import ewma
from spillwatch.analytics.stress import (
    INDICATORS,
    SIGNAL_COLUMNS,
    STRESS_ASSETS,
    SUBINDEX_COLUMNS,
    InputPanel,
)
from spillwatch.analytics.stress._ecdf import _weighted_counts, ecdf_series
from spillwatch.analytics.stress.index import (
    _ORIENT,
    _aggregate,
    consistent_percentile,
    segment_percentiles,
)
from spillwatch.analytics.stress.inputs import ANCHOR
from spillwatch.analytics.stress.regimes import regime_names, regime_states, step_regimes
from spillwatch.analytics.stress.signals import compute_own_signals, scaled_changes
from spillwatch.analytics.stress.signature import classify_day_scores, classify_scores
from spillwatch.data.releases import NEVER, AssetRelease, Calendar, days

K = len(SUBINDEX_COLUMNS)
_PAIRS = [(i, j) for i in range(K) for j in range(i + 1, K)]


@dataclass(frozen=True)
class _Own:
    """A series on its own observation days with the day from which each is known."""

    days: np.ndarray
    known: np.ndarray
    values: np.ndarray
    keys: tuple[str, ...]
    limit: int

    def at(self, d: np.ndarray, D: np.ndarray, fresh: np.ndarray) -> np.ndarray:
        """The value carried onto calendar day ``d`` as known on ``D`` (InputPanel.carry)."""
        out = np.full(len(d), np.nan)
        if not len(self.days):
            return out
        p = np.minimum(np.searchsorted(self.days, d, side="right"),
                       np.searchsorted(self.known, D, side="right")) - 1
        pc = np.clip(p, 0, None)
        ok = (p >= 0) & (d - self.days[pc] <= self.limit) & fresh
        out[ok] = self.values[pc[ok]]
        return out


@dataclass
class StressDays:
    """The monitor's stress reading on each replay day (what its facts read).

    Attributes
    ----------
    reading : ndarray of int64
        Day of the latest published reading (-1: none).
    index, percentile, percentile_longrun : ndarray of float
    regime, signature, signature_5d : ndarray of object
    subindices : dict of str to ndarray
    signals : dict of str to ndarray
    signature_day, signature_latest : ndarray
        The latest day (-1: none) on or before the reading whose two legs are both observed
        and published by the replay day, and its signature (the ``stress.signature`` fact:
        the broad dollar comes out weekly, so the reading's own day rarely has it).
    signal_days : dict of str to ndarray
        Each signal's date (-1: none): the oldest last report of its inputs on or before the
        reading, as known on the replay day (the live result's ``last_observed``).
    segment_percentiles : dict of str to ndarray
        Each sub-index's percentile (0–100) within its own history at the reading, as known on
        the replay day (the live result's ``subindex_percentiles``; NaN: absent or burn-in).
    """

    reading: np.ndarray
    index: np.ndarray
    percentile: np.ndarray
    percentile_longrun: np.ndarray
    regime: np.ndarray
    signature: np.ndarray
    signature_5d: np.ndarray
    subindices: dict[str, np.ndarray]
    signals: dict[str, np.ndarray]
    signature_day: np.ndarray
    signature_latest: np.ndarray
    signal_days: dict[str, np.ndarray] = field(default_factory=dict)
    segment_percentiles: dict[str, np.ndarray] = field(default_factory=dict)


class StressReplay:
    """The full-history pieces of the stress monitor, ready to be read at any vintage.

    Parameters
    ----------
    changes, levels : DataFrame
        The full panels the service computes the index on.
    releases : dict of str to AssetRelease
        Release days of the inputs.
    spec : StressIndex
        The specification of the service's result.
    """

    def __init__(self, changes: pd.DataFrame, levels: pd.DataFrame,
                 releases: dict[str, AssetRelease], spec: Any) -> None:
        self.spec = spec
        panel = InputPanel(changes, levels, STRESS_ASSETS, dict(spec.stale_after))
        self.panel = panel
        self.cal = days(panel.calendar)
        business = [k for k in panel.info if panel.has(k)
                    and universe.ASSETS[k].frequency == "daily"
                    and universe.ASSETS[k].calendar == "business"]
        self.calendar = Calendar.of(panel.calendar, releases, business)
        self.limits = {k: i.stale_after_days for k, i in panel.info.items()}
        self.inputs: dict[str, _Own] = {}
        for k in panel.info:
            if not panel.has(k):
                continue
            own = days(panel.observed(k))
            known = _own_known(own, releases[k], self.cal,
                               universe.ASSETS[k].frequency != "daily")
            self.inputs[k] = _Own(own, known, own.astype(float), (k,), self.limits[k])
        own_sig = compute_own_signals(panel, horizon=spec.horizon, window=spec.window)
        self.signal_inputs = dict(own_sig.inputs)
        self.signals = {n: self._own(own_sig.values[n], own_sig.inputs[n])
                        for n in SIGNAL_COLUMNS}
        self.ranks: dict[str, _Own] = {}
        self.rank_inputs: dict[str, tuple[str, ...]] = {}
        for members in INDICATORS.values():
            for name, how in members:
                raw = _ORIENT[how](own_sig.values[name])
                self.ranks[name] = self._own(ecdf_series(raw, min_obs=spec.burn_in),
                                             own_sig.inputs[name])
                self.rank_inputs[name] = own_sig.inputs[name]
        # the signature's day scores on each leg's own dates
        hs = tuple(range(1, spec.signature_lookback + 1))
        self.legs: dict[str, tuple[_Own, dict[int, np.ndarray]]] = {}
        for leg, key in (("yield", "ust10y"), ("dollar", "usd_broad")):
            if key in self.inputs:
                z = scaled_changes(panel.changes(key), hs, window=spec.signature_window)
                self.legs[leg] = (self.inputs[key], {h: z[h].to_numpy(dtype=float)
                                                     for h in hs})
        self.base = np.asarray(spec.weights, dtype=float)
        self.delay = max([self.calendar.max_delay()]
                         + [int((o.known - o.days).max()) for o in self.inputs.values()
                            if len(o.days)])
        self._full()

    # ------------------------------------------------------------------ building blocks
    def _own(self, series: pd.Series, keys: tuple[str, ...]) -> _Own:
        d = days(pd.DatetimeIndex(series.index))
        known = np.zeros(len(d), dtype=np.int64)
        for k in keys:
            inp = self.inputs.get(k)
            if inp is None:
                return _Own(d[:0], known[:0], np.zeros(0), keys, 0)
            pos = np.clip(np.searchsorted(inp.days, d, side="right") - 1, 0, None)
            known = np.maximum(known, inp.known[pos] if len(inp.days) else NEVER)
        # as InputPanel.carry: each input fresh by its own limit, the joint date by the loosest
        limit = max(self.limits[k] for k in keys)
        return _Own(d, np.maximum.accumulate(known) if len(known) else known,
                    series.to_numpy(dtype=float), keys, limit)

    def _fresh(self, d: np.ndarray, D: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for k, inp in self.inputs.items():
            p = np.minimum(np.searchsorted(inp.days, d, side="right"),
                           np.searchsorted(inp.known, D, side="right")) - 1
            pc = np.clip(p, 0, None)
            out[k] = (p >= 0) & (d - inp.days[pc] <= self.limits[k])
        return out

    def _all_fresh(self, fresh: dict[str, np.ndarray], keys: tuple[str, ...], n: int
                   ) -> np.ndarray:
        ok = np.ones(n, dtype=bool)
        for k in keys:
            ok &= fresh.get(k, np.zeros(n, dtype=bool))
        return ok

    def _subindices(self, d: np.ndarray, D: np.ndarray) -> np.ndarray:
        """Sub-indices (n, K) at the (date, vintage) pairs (StressIndex._subindices)."""
        n = len(d)
        fresh = self._fresh(d, D)
        out = np.full((n, K), np.nan)
        for group, members in INDICATORS.items():
            ranks = []
            have: dict[str, np.ndarray] = {}
            for name, _ in members:
                r = self.ranks[name].at(d, D, self._all_fresh(fresh, self.rank_inputs[name], n))
                ranks.append(r)
                for key in self.rank_inputs[name]:
                    have[key] = have.get(key, np.zeros(n, dtype=bool)) | ~np.isnan(r)
            stack = np.column_stack(ranks)
            count = np.sum(list(have.values()), axis=0) if have else np.zeros(n)
            with np.errstate(invalid="ignore"):
                mean = pd.DataFrame(stack).mean(axis=1, skipna=True).to_numpy()
            out[:, SUBINDEX_COLUMNS.index(group)] = np.where(count >= self.spec.min_inputs,
                                                             mean, np.nan)
        return out

    def _printed(self, d: np.ndarray, D: np.ndarray) -> np.ndarray:
        inp = self.inputs.get(ANCHOR)
        if inp is None or not len(inp.days):
            return np.zeros(len(d), dtype=bool)
        p = np.searchsorted(inp.days, d, side="right") - 1
        pc = np.clip(p, 0, None)
        return (p >= 0) & (inp.days[pc] == d) & (inp.known[pc] <= D)

    def _published(self, sub: np.ndarray, printed: np.ndarray) -> np.ndarray:
        ok = printed.copy()
        for name in self.spec.require:
            ok &= ~np.isnan(sub[:, SUBINDEX_COLUMNS.index(name)])
        return ok

    # ------------------------------------------------------------------ the full history
    def _full(self) -> None:
        cal = self.cal
        never = np.full(len(cal), NEVER, dtype=np.int64)
        sub = self._subindices(cal, never)
        lam = float(self.spec.lam)
        dev = sub - 0.5
        n_t = len(cal)
        # per pair: EWMA states on the calendar (held between joint dates) and joint counts
        self.state = np.zeros((n_t, len(_PAIRS), 3))
        self.count = np.zeros((n_t, len(_PAIRS)), dtype=np.int64)
        for p, (i, j) in enumerate(_PAIRS):
            both = ~np.isnan(sub[:, i]) & ~np.isnan(sub[:, j])
            if not both.any():
                continue
            a, b = dev[both, i], dev[both, j]
            st = np.column_stack([ewma(a * b, lam), ewma(a * a, lam), ewma(b * b, lam)])
            idx = np.cumsum(both) - 1
            have = idx >= 0
            self.state[have, p] = st[idx[have]]
            self.count[:, p] = idx + 1
        self.sub = sub
        self.rho = self._rho(sub, self.state, self.count)
        self.present = ~np.isnan(sub) & (self.base[None, :] > 0)
        self.published = self._published(sub, self._printed(cal, never))
        self.level = np.where(self.published, _aggregate(sub, self.base, self.rho), np.nan)
        self.pct = consistent_percentile(sub, self.base, self.rho, self.published,
                                         half_life=float(self.spec.half_life),
                                         min_obs=self.spec.burn_in)
        self.pct_lr = self.pct if np.isinf(self.spec.half_life) else consistent_percentile(
            sub, self.base, self.rho, self.published, half_life=float("inf"),
            min_obs=self.spec.burn_in)
        starts = [int(np.argmax(self.present[:, i])) if self.present[:, i].any() else n_t
                  for i in range(K)]
        self.starts = np.asarray(starts)
        self.last_published = np.maximum.accumulate(
            np.where(self.published, np.arange(n_t), -1))
        # the banded regime's state after each calendar date of the full history
        self.regime_state = regime_states(self.pct, self.pct_lr, self.spec.thresholds,
                                          self.spec.exit_band)
        # each sub-index ranked within its own history (StressIndex.fit's), and the values it
        # is ranked among: its values on the published dates, with their running maximum
        self.seg_pct = segment_percentiles(
            pd.DataFrame(sub, columns=list(SUBINDEX_COLUMNS)), self.published,
            half_life=float(self.spec.half_life), min_obs=self.spec.burn_in).to_numpy()
        self.seg_seq: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for i in range(K):
            at = np.flatnonzero(self.published & ~np.isnan(sub[:, i]))
            vals = sub[at, i]
            self.seg_seq.append((at, vals, np.maximum.accumulate(vals) if len(vals) else vals))
        self._seq: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {}

    def _rho(self, sub: np.ndarray, state: np.ndarray, count: np.ndarray) -> np.ndarray:
        """Correlations (n, K, K) from pair states (ewma_correlations, held at the pairs)."""
        n = len(sub)
        rho = np.full((n, K, K), np.nan)
        ok = ~np.isnan(sub)
        for i in range(K):
            rho[ok[:, i], i, i] = 1.0
        for p, (i, j) in enumerate(_PAIRS):
            both = ok[:, i] & ok[:, j]
            cov, vi, vj = state[:, p, 0], state[:, p, 1], state[:, p, 2]
            with np.errstate(invalid="ignore", divide="ignore"):
                r = cov / np.sqrt(vi * vj)
            r = np.where(np.isfinite(r), np.clip(r, -1.0, 1.0), 0.0)
            r[count[:, p] < self.spec.corr_min_obs] = 0.0
            rho[both, i, j] = r[both]
            rho[both, j, i] = r[both]
        return rho

    def _sequence(self, members: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Full-history composite of a segment set on the dates it is ranked on."""
        if members not in self._seq:
            m = list(members)
            avail = self.published & self.present[:, m].all(axis=1)
            comp = _aggregate(self.sub[:, m], self.base[m], self.rho[:, m][:, :, m])
            pos = np.flatnonzero(avail)
            self._seq[members] = (pos, comp[pos])
        return self._seq[members]

    # ------------------------------------------------------------------ the replay
    def read(self, D: np.ndarray) -> StressDays:
        """The monitor's reading on each day of ``D`` (int days, increasing)."""
        n_d = len(D)
        cal = self.cal
        last = self.calendar.last(D)                      # c(D), the vintage's last date
        first = np.searchsorted(cal, D - self.delay, side="right")  # first unsettled date
        lo = np.minimum(first, last + 1)
        width = np.clip(last - lo + 1, 0, None)
        w_max = int(width.max()) if n_d else 0
        # (date, vintage) pairs of the ragged edge, laid out (n_d, w_max)
        grid = lo[:, None] + np.arange(w_max)[None, :]
        valid = np.arange(w_max)[None, :] < width[:, None]
        pos = np.where(valid, grid, 0)
        d_pair = cal[pos][valid]
        D_pair = np.broadcast_to(D[:, None], pos.shape)[valid]
        sub_p = self._subindices(d_pair, D_pair)
        sub = np.full((n_d, w_max, K), np.nan)
        sub[valid] = sub_p
        # correlations: advance the full-history state at the last settled date
        settled = lo - 1
        st = np.where((settled >= 0)[:, None, None], self.state[np.clip(settled, 0, None)], 0.0)
        cnt = np.where((settled >= 0)[:, None], self.count[np.clip(settled, 0, None)], 0)
        rho = np.full((n_d, w_max, K, K), np.nan)
        lam = float(self.spec.lam)
        st = st.copy()
        cnt = cnt.copy()
        for c in range(w_max):
            s_c = sub[:, c]
            states_c = np.zeros((n_d, len(_PAIRS), 3))
            counts_c = np.zeros((n_d, len(_PAIRS)), dtype=np.int64)
            for p, (i, j) in enumerate(_PAIRS):
                both = valid[:, c] & ~np.isnan(s_c[:, i]) & ~np.isnan(s_c[:, j])
                a, b = s_c[both, i] - 0.5, s_c[both, j] - 0.5
                x = np.column_stack([a * b, a * a, b * b])
                st[both, p] = (1.0 - lam) * x + lam * st[both, p]
                cnt[both, p] += 1
                states_c[:, p], counts_c[:, p] = st[:, p], cnt[:, p]
            rho[:, c] = self._rho(s_c, states_c, counts_c)
        level = np.full((n_d, w_max), np.nan)
        published = np.zeros((n_d, w_max), dtype=bool)
        if w_max:
            agg = _aggregate(sub[valid], self.base, rho[valid])
            pub = self._published(sub[valid], self._printed(d_pair, D_pair))
            level[valid] = np.where(pub, agg, np.nan)
            published[valid] = pub
        # the latest reading: last published date of the edge, else of the settled history
        has_edge = np.asarray(published.any(axis=1), dtype=bool)
        col = (np.where(has_edge, w_max - 1 - np.argmax(published[:, ::-1], axis=1), -1)
               if w_max else np.full(n_d, -1))
        settled_pub = np.where(settled >= 0, self.last_published[np.clip(settled, 0, None)], -1)
        reading_pos = np.where(has_edge, lo + col, settled_pub)
        reading = np.where(reading_pos >= 0, cal[np.clip(reading_pos, 0, None)], -1)
        rows = np.arange(n_d)
        edge_idx = np.clip(col, 0, None)
        full_idx = np.clip(settled_pub, 0, None)
        out_level = np.where(has_edge, level[rows, edge_idx] if w_max else np.nan,
                             np.where(settled_pub >= 0, self.level[full_idx], np.nan))
        sub_read = np.where(has_edge[:, None], sub[rows, edge_idx] if w_max else np.nan,
                            np.where((settled_pub >= 0)[:, None], self.sub[full_idx], np.nan))
        pct = np.where(settled_pub >= 0, self.pct[full_idx], np.nan)
        pct_lr = np.where(settled_pub >= 0, self.pct_lr[full_idx], np.nan)
        if w_max:
            # both weightings from one choice of each reading's segment set (it does not
            # depend on the weights)
            p_h, p_lr = self._edge_percentiles(sub, rho, published, col, has_edge, settled,
                                               (float(self.spec.half_life), float("inf")))
            pct = np.where(has_edge, p_h, pct)
            pct_lr = np.where(has_edge, p_lr, pct_lr)
        # signals and signature at the reading, as known on D
        d_read = np.where(reading >= 0, reading, 0)
        fresh = self._fresh(d_read, D)
        signals = {}
        for name, own in self.signals.items():
            v = own.at(d_read, D, self._all_fresh(fresh, own.keys, n_d))
            signals[name] = np.where(reading >= 0, v, np.nan)
        signal_days = {name: np.where(reading >= 0, self._last_days(own.keys, d_read, D), -1)
                       for name, own in self.signals.items()}
        signature = self._signature(d_read, D)
        sig5 = classify_scores(signals["ust10y_z5"], signals["usd_broad_z5"],
                               threshold=self.spec.signature_threshold)
        regime = self._regimes(sub, rho, published, col, has_edge, settled, valid, pct,
                               pct_lr)
        none = reading < 0
        signature[none] = None
        sig5[none] = None
        sig_day = self._latest_signature_day(d_read, D)
        sig_day[none] = -1
        latest = np.full(n_d, None, dtype=object)
        got = sig_day >= 0
        if got.any():
            latest[got] = self._signature(sig_day[got], D[got])
        seg = self._segment_percentiles(sub, published, col, has_edge, settled, settled_pub)
        return StressDays(reading, out_level, pct, pct_lr, regime, signature, sig5,
                          {g: sub_read[:, i] for i, g in enumerate(SUBINDEX_COLUMNS)}, signals,
                          sig_day, latest, signal_days,
                          {g: seg[:, i] for i, g in enumerate(SUBINDEX_COLUMNS)})

    def _segment_percentiles(self, sub: np.ndarray, published: np.ndarray, col: np.ndarray,
                             has_edge: np.ndarray, settled: np.ndarray,
                             settled_pub: np.ndarray) -> np.ndarray:
        """Each sub-index's own percentile at each reading, as the monitor of day D read it.

        :func:`~spillwatch.analytics.stress.index.segment_percentiles` (the age-weighted
        recursive ECDF of Boudoukh, Richardson & Whitelaw 1998) of the sub-index at the
        reading among its values on the published dates up to it: the full history's up to
        the last settled date, then the ragged edge's as known on D. A reading of the settled
        history is the full history's own. Returns (n_d, K), NaN where the sub-index is
        absent or in its burn-in.
        """
        n_d = len(col)
        out = np.full((n_d, K), np.nan)
        old = (settled_pub >= 0) & ~has_edge
        out[old] = self.seg_pct[settled_pub[old]]
        rows = np.flatnonzero(has_edge)
        if not len(rows):
            return out
        w_max = published.shape[1]
        c = col[rows]
        h = float(self.spec.half_life)
        before = (np.arange(w_max)[None, :] <= c[:, None]) & published[rows]
        for i in range(K):
            at, vals, cmax = self.seg_seq[i]
            s_i = sub[rows][:, :, i]
            inside = before & ~np.isnan(s_i)
            x = s_i[np.arange(len(rows)), c]
            n_prefix = np.searchsorted(at, settled[rows], side="right")
            n_tot = n_prefix + inside.sum(axis=1)
            ok = ~np.isnan(x) & (n_tot >= self.spec.burn_in)
            if not ok.any():
                continue
            x, n_prefix, n_tot, inside, s_i = x[ok], n_prefix[ok], n_tot[ok], inside[ok], s_i[ok]
            top = int(n_tot.max())
            k = np.arange(top, dtype=float)
            # the weights' ratio is what counts: 2**(k/h) scaled near the middle (_rank's)
            w = np.ones(top) if not np.isfinite(h) else np.exp2((k - top / 2.0) / h)
            cum = np.concatenate(([0.0], np.cumsum(w)))
            top_prefix = int(n_prefix.max())
            num = _prefix_counts(vals[:top_prefix], w[:top_prefix], n_prefix, x)
            rank_in_edge = np.cumsum(inside, axis=1) - 1
            high = np.where(n_prefix > 0, cmax[np.clip(n_prefix - 1, 0, None)], -np.inf)
            for j in range(w_max):
                use = inside[:, j]
                idx = n_prefix[use] + rank_in_edge[use, j]
                num[use] += np.where(s_i[use, j] <= x[use], w[idx], 0.0)
                high[use] = np.maximum(high[use], s_i[use, j])
            # a value at or above every earlier one is at the top: 1 exactly (weighted_ecdf's)
            ratio = np.where(x >= high, 1.0, np.minimum(num / cum[n_tot], 1.0))
            out[rows[ok], i] = 100.0 * ratio
        return out

    def _last_days(self, keys: tuple[str, ...], d: np.ndarray, D: np.ndarray) -> np.ndarray:
        """The oldest of ``keys``' last observation days on or before ``d`` known on ``D``.

        -1 where an input has none. The date a signal's value describes, as
        :meth:`~spillwatch.analytics.stress.inputs.InputPanel.last_observed` gives it live.
        """
        out = np.full(len(d), np.iinfo(np.int64).max, dtype=np.int64)
        for k in keys:
            inp = self.inputs.get(k)
            if inp is None or not len(inp.days):
                return np.full(len(d), -1, dtype=np.int64)
            p = np.minimum(np.searchsorted(inp.days, d, side="right"),
                           np.searchsorted(inp.known, D, side="right")) - 1
            out = np.minimum(out, np.where(p >= 0, inp.days[np.clip(p, 0, None)], -1))
        return out

    def _regimes(self, sub: np.ndarray, rho: np.ndarray, published: np.ndarray,
                 col: np.ndarray, has_edge: np.ndarray, settled: np.ndarray,
                 valid: np.ndarray, pct: np.ndarray, pct_lr: np.ndarray) -> np.ndarray:
        """The reading's regime as the monitor of day D read it (its frame's banded path).

        The state at the last settled date is the full history's; the monitor then read the
        ragged edge's published dates, each at its percentiles as known on D, in order (the
        band makes a regime depend on the readings before it, not on the last one alone).
        Only a reading inside a band (its regime with the band above its own) depends on the
        path: the others are their own classification, whatever came before (the walk over
        the edge, two percentiles per edge date and reading, tripled the stress replay).
        """
        n_d = len(col)
        th, band = self.spec.thresholds, self.spec.exit_band
        own = step_regimes(np.full(n_d, -1), pct, pct_lr, th, band)
        banded = step_regimes(np.full(n_d, 2), pct, pct_lr, th, band)
        path = (banded > own) & ~np.isnan(pct)
        state = np.where(settled >= 0, self.regime_state[np.clip(settled, 0, None)], -1)
        for c in range(published.shape[1]):
            on = valid[:, c] & published[:, c] & has_edge & (c <= col) & path
            if not on.any():
                continue
            at = np.full(n_d, c)
            if np.isinf(self.spec.half_life):
                p, = self._edge_percentiles(sub, rho, published, at, on, settled,
                                            (float(self.spec.half_life),))
                q = p
            else:
                p, q = self._edge_percentiles(sub, rho, published, at, on, settled,
                                              (float(self.spec.half_life), float("inf")))
            state = np.where(on, step_regimes(state, p, q, th, band), state)
        return regime_names(np.where(np.isnan(pct), -1, np.where(path, state, own)))

    def _latest_signature_day(self, d: np.ndarray, D: np.ndarray) -> np.ndarray:
        """Latest day <= ``d`` with both legs' one-day scores, both published by ``D``."""
        out = np.full(len(d), -1, dtype=np.int64)
        y, x = self.legs.get("yield"), self.legs.get("dollar")
        if y is None or x is None:
            return out
        (yo, yz), (xo, xz) = y, x
        both, iy, ix = np.intersect1d(yo.days, xo.days, return_indices=True)
        ok = ~np.isnan(yz[1][iy]) & ~np.isnan(xz[1][ix])
        both = both[ok]
        known = np.maximum.accumulate(np.maximum(yo.known[iy][ok], xo.known[ix][ok])) \
            if ok.any() else np.zeros(0, dtype=np.int64)
        p = np.minimum(np.searchsorted(both, d, side="right"),
                       np.searchsorted(known, D, side="right")) - 1
        out[p >= 0] = both[p[p >= 0]]
        return out

    def _signature(self, d: np.ndarray, D: np.ndarray) -> np.ndarray:
        lookback = self.spec.signature_lookback
        cols: dict[str, np.ndarray] = {}
        for leg in ("yield", "dollar"):
            got = self.legs.get(leg)
            for h in range(1, lookback + 1):
                v = np.full(len(d), np.nan)
                if got is not None:
                    own, z = got
                    p = np.searchsorted(own.days, d, side="right") - 1
                    pc = np.clip(p, 0, None)
                    ok = (p >= 0) & (own.days[pc] == d) & (own.known[pc] <= D)
                    v[ok] = z[h][pc[ok]]
                cols[f"{leg}_z{h}"] = v
        return classify_day_scores(pd.DataFrame(cols), lookback=lookback,
                                   leg=self.spec.signature_leg,
                                   notable=self.spec.signature_notable)

    def _edge_percentiles(self, sub: np.ndarray, rho: np.ndarray, published: np.ndarray,
                          col: np.ndarray, has_edge: np.ndarray, settled: np.ndarray,
                          hs: tuple[float, ...]) -> list[np.ndarray]:
        """Percentile of the reading within its consistent composition (see module doc).

        One array per half-life of ``hs`` (the age weights' half-life; ``inf``: the long-run,
        equal-weight rank), each reading's segment set chosen once for all of them.
        """
        n_d = published.shape[0]
        outs = [np.full(n_d, np.nan) for _ in hs]
        present = ~np.isnan(sub) & (self.base[None, None, :] > 0)
        rows = np.flatnonzero(has_edge)
        # which segment set ranks each reading (the fallback of consistent_percentile)
        chosen: dict[tuple[int, ...], list[int]] = {}
        min_obs = self.spec.burn_in
        for r in rows:
            c = col[r]
            members = [i for i in range(K) if present[r, c, i]]
            starts = self.starts.copy()
            for i in members:
                if starts[i] > settled[r]:   # a segment that starts on the edge
                    hit = np.flatnonzero(present[r, :, i])
                    starts[i] = settled[r] + 1 + hit[0] if len(hit) else len(self.cal)
            while members:
                m = tuple(members)
                seq_pos, _ = self._sequence(m)
                n_prefix = int(np.searchsorted(seq_pos, settled[r], side="right"))
                n_edge = int((published[r, :c + 1] & present[r, :c + 1][:, m].all(axis=1)
                              ).sum())
                if n_prefix + n_edge >= min_obs:
                    chosen.setdefault(m, []).append(int(r))
                    break
                members.remove(max(members, key=lambda i: starts[i]))
        for m, rs in chosen.items():
            for out, h in zip(outs, hs, strict=True):
                out[rs] = self._rank(m, np.asarray(rs), sub, rho, published, col, settled, h)
        return outs

    def _rank(self, m: tuple[int, ...], rs: np.ndarray, sub: np.ndarray, rho: np.ndarray,
              published: np.ndarray, col: np.ndarray, settled: np.ndarray, h: float
              ) -> np.ndarray:
        """Age-weighted ECDF of each reading among its set's composites (one batch)."""
        mm = list(m)
        seq_pos, seq_val = self._sequence(m)
        w_max = published.shape[1]
        s_m = sub[rs][:, :, mm]
        r_m = rho[rs][:, :, mm][:, :, :, mm]
        flat_ok = np.isfinite(s_m).all(axis=2)
        comp = np.full((len(rs), w_max), np.nan)
        if flat_ok.any():
            comp[flat_ok] = _aggregate(s_m[flat_ok], self.base[mm], r_m[flat_ok])
        inside = (np.arange(w_max)[None, :] <= col[rs][:, None]) & published[rs] & flat_ok
        x = comp[np.arange(len(rs)), col[rs]]
        n_prefix = np.searchsorted(seq_pos, settled[rs], side="right")
        n_edge = inside.sum(axis=1)
        n_tot = n_prefix + n_edge
        top = int(n_tot.max())
        ref = top / 2.0
        k = np.arange(top, dtype=float)
        w = np.ones(top) if not np.isfinite(h) else np.exp2((k - ref) / h)
        cum = np.concatenate(([0.0], np.cumsum(w)))
        # prefix part: weight of full-history composites at or below x among the first P
        top_prefix = int(n_prefix.max())
        prefix = _prefix_counts(seq_val[:top_prefix], w[:top_prefix], n_prefix, x)
        # edge part: the ragged-edge composites, in order after the prefix
        edge = np.zeros(len(rs))
        rank_in_edge = np.cumsum(inside, axis=1) - 1
        for c in range(w_max):
            use = inside[:, c]
            idx = n_prefix[use] + rank_in_edge[use, c]
            edge[use] += np.where(comp[use, c] <= x[use], w[idx], 0.0)
        return 100.0 * (prefix + edge) / cum[n_tot]


def _prefix_counts(values: np.ndarray, weights: np.ndarray, n_prefix: np.ndarray,
                   x: np.ndarray) -> np.ndarray:
    """For each query q: the sum of ``weights[s]`` over ``s < n_prefix[q]`` with values ≤ x[q]."""
    n_v, n_q = len(values), len(x)
    # merge the queries (weight 0) into the sequence right after their prefix, then count
    order_key = np.concatenate([2 * np.arange(n_v), 2 * n_prefix - 1])
    order = np.argsort(order_key, kind="stable")
    vals = np.concatenate([values, x])[order]
    wts = np.concatenate([weights, np.zeros(n_q)])[order]
    _, rank = np.unique(vals, return_inverse=True)
    counts = _weighted_counts(rank.astype(np.int64), wts)
    out = np.empty(n_q)
    where = np.empty(n_v + n_q, dtype=np.int64)
    where[order] = np.arange(n_v + n_q)
    out[:] = counts[where[n_v:]]
    return out


def _own_known(own: np.ndarray, rel: AssetRelease, cal: np.ndarray, weekly: bool
               ) -> np.ndarray:
    """Day from which each own-date observation (and all before it) is known."""
    if not len(own):
        return own.astype(np.int64)
    if weekly:
        # a weekly value sits on the first calendar date on or after its observation date
        placed = cal[np.clip(np.searchsorted(cal, rel.obs, side="left"), 0, len(cal) - 1)]
        src_days, src_known = placed, rel.known
    else:
        src_days, src_known = rel.obs, rel.known
    pos = np.searchsorted(src_days, own, side="left")
    pos_c = np.clip(pos, 0, len(src_days) - 1)
    hit = (pos < len(src_days)) & (src_days[pos_c] == own)
    known = np.where(hit, src_known[pos_c], NEVER)
    return np.maximum.accumulate(known)
