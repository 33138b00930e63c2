r"""Frequency connectedness (Baruník & Křehlík 2018): the DY table split into frequency bands.

The MA coefficients :math:`\Psi_0 .. \Psi_{H-1}` are Fourier-transformed on the H-point grid
:math:`\omega_s = 2\pi s / H`, :math:`\Psi(e^{-i\omega_s}) = \sum_h \Psi_h e^{-i\omega_s h}`.
The generalized causation spectrum of BK (2018, eq. 7), weighted by the variable's power at that
frequency (eq. 9), summed over the frequencies of a band ``d`` (eq. 10) gives

.. math::

    \theta_{ij}(d) = \frac{\sigma_{jj}^{-1} \frac{1}{H}\sum_{\omega_s \in d}
        |(\Psi(e^{-i\omega_s}) \Sigma)_{ij}|^2}
        {\sum_{h=0}^{H-1} (\Psi_h \Sigma \Psi_h')_{ii}},

and by Parseval :math:`\sum_d \theta_{ij}(d)` is exactly the generalized FEVD
:math:`\theta^g_{ij}(H)` of DY (2012). Each band is normalised by the row sums of the whole
decomposition (BK 2018, eq. 11), so **the band tables add up to the DY table** and the band TCIs
("frequency connectedness", BK eq. 13) add up to the TCI. The "within" TCI of a band (BK eq. 12)
measures connectedness inside the band alone.

Bands are given by their edges as periods in observations (days for daily data):
``edges=(5, 20)`` gives the bands ``1-5`` (periods 2..5), ``5-20`` (periods in (5, 20]) and
``>20`` (longer periods, including the zero frequency). A frequency belongs to the band whose
period interval ``(lo, hi]`` holds ``2 pi / |omega|``.

References
----------
.. [1] Baruník, J., & Křehlík, T. (2018). Measuring the frequency dynamics of financial
   connectedness and systemic risk. *Journal of Financial Econometrics*, 16(2), 271–296.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from spillwatch._typing import Float64Array
from spillwatch._validation import MAX_HORIZON, is_real, positive_int
from spillwatch.analytics.connectedness._fevd import generalized_fevd
from spillwatch.exceptions import ConfigError


def band_labels(edges: Sequence[float]) -> list[str]:
    """Names of the bands cut at ``edges`` (``(5, 20)`` → ``['1-5', '5-20', '>20']``)."""
    lows = [1.0, *edges]
    highs = [*edges, math.inf]
    return [
        f">{_num(lo)}" if math.isinf(hi) else f"{_num(lo)}-{_num(hi)}"
        for lo, hi in zip(lows, highs, strict=True)
    ]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def check_edges(edges: Sequence[float]) -> tuple[float, ...]:
    """Validate band edges: increasing periods, each above 2 (the shortest period)."""
    if isinstance(edges, str | bytes) or not all(is_real(e) for e in edges):
        # bands="5,20" was split into characters, bands=(True,) read as 1.0
        raise ConfigError(f"band edges must be numbers of observations, e.g. edges=(5, 20); "
                          f"got {edges!r}", edges=repr(edges))
    out = tuple(float(e) for e in edges)
    if not out:   # no edge is no band decomposition (it failed inside with "max() arg")
        raise ConfigError("band edges are empty: give at least one period, e.g. edges=(5, 20) "
                          "for 1-5, 5-20 and >20 days", edges=())
    if any(not math.isfinite(e) or e < 2 for e in out) or any(
        b <= a for a, b in itertools.pairwise(out)
    ):
        raise ConfigError(
            "band edges must be increasing periods of at least 2 observations, "
            f"got {tuple(edges)!r}; e.g. edges=(5, 20) for 1-5, 5-20 and >20 days",
            edges=tuple(edges),
        )
    return out


def band_index(horizon: int, edges: Sequence[float]) -> np.ndarray:
    """Band number (0 = shortest periods) of each FFT frequency ``2 pi s / H``, s = 0..H-1."""
    return _band_index(int(horizon), tuple(float(e) for e in edges)).copy()


@functools.lru_cache(maxsize=64)
def _band_index(horizon: int, edges: tuple[float, ...]) -> np.ndarray:
    s = np.arange(horizon)
    j = np.minimum(s, horizon - s)          # the period of frequency s is H / j (j = 0: inf)
    # band b holds periods in (edges[b-1], edges[b]]: the number of edges e below H / j, counted
    # as e * j < H without dividing (2 pi / omega rounded 6 to 6.000000000000002 on one side
    # of the spectrum, so half of an edge frequency fell in the next band), in exact fractions
    # of the edges as written (4.6 * 25 is 114.99999999999999 in floating point: the period
    # of exactly 4.6 fell in the band above it at H = 115)
    exact = [Fraction(repr(e)) for e in edges]
    below = np.array([[jj == 0 or f * int(jj) < horizon for f in exact] for jj in j],
                     dtype=bool).reshape(horizon, len(exact))
    return below.sum(axis=1)


def frequency_fevd(
    psi: Float64Array, sigma: Float64Array, edges: Sequence[float]
) -> Float64Array:
    """Band decomposition of the generalized FEVD, in percent.

    Parameters
    ----------
    psi : ndarray, shape (n, H, k, k)
    sigma : ndarray, shape (n, k, k)
    edges : sequence of float
        Band edges as periods (see the module docstring).

    Returns
    -------
    ndarray, shape (n, n_bands, k, k)
        Band tables; summed over bands they equal :func:`~._fevd.generalized_fevd`.
    """
    n, horizon, k, _ = psi.shape
    spec = np.fft.fft(psi, axis=1)  # (n, H, k, k) complex: sum_h Psi_h exp(-i w_s h)
    g = spec @ sigma[:, None].astype(complex)
    power = (g.real**2 + g.imag**2) / horizon / np.einsum("njj->nj", sigma)[:, None, None, :]
    ps = psi @ sigma[:, None]
    denom = np.einsum("nhij,nhij->ni", ps, psi)  # forecast-error variances
    theta = power / denom[:, None, :, None]  # (n, H, k, k)
    total_rows = theta.sum(axis=(1, 3))  # (n, k): row sums of the unnormalised GFEVD
    idx = band_index(horizon, edges)
    nb = len(edges) + 1
    out = np.zeros((n, nb, k, k))
    for b in range(nb):
        out[:, b] = theta[:, idx == b].sum(axis=1)
    return 100.0 * out / total_rows[:, None, :, None]


def within_tci(band_theta: Float64Array) -> Float64Array:
    """Within-band TCI (BK 2018, eq. 12): off-diagonal share of the band's own table, percent.

    ``band_theta`` has shape (..., k, k); returns shape (...). NaN for an empty band.
    """
    total = band_theta.sum(axis=(-2, -1))
    off = total - np.einsum("...ii->...", band_theta)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 100.0 * off / total, np.nan)


@dataclass(frozen=True)
class FrequencyFEVD:
    """Spec of the Baruník–Křehlík (2018) frequency decomposition of the generalized FEVD.

    Parameters
    ----------
    horizon : int, default 100
        H, the number of MA terms and of points of the frequency grid (BK 2018 use 100; a short
        horizon gives a coarse grid).
    edges : tuple of float, default (5, 20)
        Band edges as periods in observations: ``(5, 20)`` gives 1–5, 5–20 and >20 days.

    Examples
    --------
    >>> FrequencyFEVD(horizon=100, edges=(5, 20)).labels
    ['1-5', '5-20', '>20']
    """

    horizon: int = 100
    edges: tuple[float, ...] = (5.0, 20.0)
    name = "frequency"

    def __post_init__(self) -> None:
        positive_int(self.horizon, name="horizon", maximum=MAX_HORIZON)
        object.__setattr__(self, "edges", check_edges(self.edges))
        # the grid's periods are H/j (j = 1 .. H-1) and infinity: a band above an edge longer
        # than H/2 holds one period or none but the zero frequency
        longest = max(self.edges)
        if longest > self.horizon / 2:
            raise ConfigError(
                f"horizon={self.horizon} gives a frequency grid of periods {self.horizon}, "
                f"{self.horizon / 2:g}, {self.horizon / 3:.3g}, ... observations, too coarse "
                f"for the band edge {longest:g}; use horizon >= {int(np.ceil(2 * longest))} "
                "(Baruník & Křehlík 2018 use 100)", parameter="horizon", value=self.horizon)

    @property
    def labels(self) -> list[str]:
        """Band names, shortest periods first."""
        return band_labels(self.edges)

    def decompose(self, psi: Float64Array, sigma: Float64Array) -> Float64Array:
        """The whole-spectrum table: the generalized FEVD (the bands add up to it)."""
        return generalized_fevd(psi, sigma)

    def decompose_bands(self, psi: Float64Array, sigma: Float64Array) -> Float64Array:
        """Band tables (n, bands, k, k), see :func:`frequency_fevd`."""
        return frequency_fevd(psi, sigma, self.edges)
