"""TVP-VAR: R parity (ConnectednessApproach) and spillwatch's filtered variant.

References and tolerances:

* R's output: ../shared/data/reference/connectedness_r/acg2020_tvp_nlag{1,2}[_minnesota].csv (the
  exact call is in that folder's README). Tolerance 1e-8 on the TCI of every date (R printed 17
  significant digits; the two implementations differ by rounding only, ~1e-13).
* ``conn_reference.r_tvpvar``: R's TVPVAR() written out in R's state order with Kronecker
  matrices, a pseudo-inverse and an eigen-decomposition per date. Tolerance 1e-9 on coefficients
  and covariances (same recursion, different algebra and a different stability test).
* ``conn_reference.kalman_reference``: the dense textbook filter of the filtered variant,
  tolerance 1e-9.
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from conn_reference import (
    direct_gfevd,
    kalman_reference,
    r_bayes_prior,
    r_gfevd,
    r_minnesota_prior,
    r_tvpvar,
    simulate_var,
)

import spillwatch as sw
from spillwatch._compat.numba import DISABLE_ENV
from spillwatch.analytics.connectedness import TVPVAR, Connectedness, ma_coefficients
from spillwatch.analytics.connectedness import _tvp_r as R
from spillwatch.analytics.connectedness._tvp import kalman_filter, prior_moments
from spillwatch.analytics.connectedness._var import Standardizer
from spillwatch.exceptions import ConfigError, DataError

R_FILES = {
    (1, "bayes"): "acg2020_tvp_nlag1.csv",
    (2, "bayes"): "acg2020_tvp_nlag2.csv",
    (1, "minnesota"): "acg2020_tvp_nlag1_minnesota.csv",
    (2, "minnesota"): "acg2020_tvp_nlag2_minnesota.csv",
}
R_TOL = 1e-8


def r_order(k: int, lags: int) -> np.ndarray:
    """Positions in R's state (lag, equation, variable) of our state (equation, lag, variable)."""
    return np.array([lag * k * k + i * k + j
                     for i in range(k) for lag in range(lags) for j in range(k)])


# ------------------------------------------------------------------ R parity on R's own output
@pytest.fixture(scope="module")
def acg2020(shared_data):
    return sw.read_csv(shared_data / "reference" / "acg2020.csv")


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize(("lags", "prior"), list(R_FILES))
def test_tci_equals_connectednessapproach_on_every_date(acg2020, shared_data, lags, prior):
    ref = pd.read_csv(shared_data / "reference" / "connectedness_r" / R_FILES[(lags, prior)],
                      parse_dates=["date"])
    # the R call's settings are the defaults; the Minnesota file used gamma = 0.1
    res = sw.connectedness(acg2020, model="tvp", lags=lags, horizon=10, prior=prior)
    assert len(res.tci) == len(acg2020) == len(ref)  # every date, the first `lags` included
    assert (res.tci.index == pd.DatetimeIndex(ref["date"])).all()
    err = np.abs(res.tci.to_numpy() - ref["TCI"].to_numpy())
    assert err.max() <= R_TOL, f"max |TCI - R| = {err.max():.2e} on {res.tci.index[err.argmax()]}"


@pytest.mark.realdata
def test_default_tvp_is_the_r_call(acg2020, shared_data):
    ref = pd.read_csv(shared_data / "reference" / "connectedness_r" / R_FILES[(1, "bayes")])
    spec = Connectedness(model=TVPVAR(lags=1))
    assert spec.model == TVPVAR(lags=1, kappa1=0.99, kappa2=0.99, prior="bayes",
                                prior_window=200, variant="r")
    np.testing.assert_allclose(spec.fit(acg2020).tci.to_numpy(), ref["TCI"], atol=R_TOL, rtol=0)


# ------------------------------------------------------------------ R parity on synthetic data
@pytest.mark.parametrize(("k", "lags", "prior", "kappas"), [
    (3, 1, "bayes", (0.99, 0.99)),
    (3, 2, "minnesota", (0.97, 0.95)),
    (2, 3, "uninformative", (0.99, 0.96)),
])
def test_r_variant_matches_r_code_written_out(rng, k, lags, prior, kappas):
    y = simulate_var(rng, 180, k, lags, scale=[1.0, 40.0, 0.3][:k]) + 5.0
    spec = TVPVAR(lags=lags, kappa1=kappas[0], kappa2=kappas[1], prior=prior, prior_window=90)
    est = spec.estimate(y)
    if prior == "bayes":
        bmean, bvar, q = r_bayes_prior(y, 90 - lags, lags)
    elif prior == "minnesota":
        (bmean, bvar), q = r_minnesota_prior(0.1, k, lags), None
    else:
        bmean, bvar, q = np.zeros(lags * k * k), 4.0 * np.eye(lags * k * k), None
    bt, qt = r_tvpvar(y, lags, kappas[0], kappas[1], bmean, bvar, q)
    ours = est.coefs.transpose(0, 2, 1, 3).reshape(len(y), k, lags * k)  # [A_1 .. A_p]
    np.testing.assert_allclose(ours, bt, atol=1e-9)
    np.testing.assert_allclose(est.sigma, qt, atol=1e-9)
    res = Connectedness(model=spec).fit(pd.DataFrame(y))
    for pos in (0, lags, 100, len(y) - 1):
        np.testing.assert_allclose(res.theta[pos], r_gfevd(bt[pos], qt[pos], 10), atol=1e-9)


def test_r_variant_stability_clamp_matches_r(rng):
    # a random walk in one column drives the filtered coefficients past the unit circle, where R
    # keeps the previous date's coefficients and shrinks the carried state by 0.99
    y = simulate_var(rng, 150, 3, 1)
    y[:, 0] = np.cumsum(rng.standard_normal(150)) * 3.0
    bmean, bvar = r_minnesota_prior(0.5, 3, 1)
    bt, qt = r_tvpvar(y, 1, 0.9, 0.9, bmean, bvar)
    est = TVPVAR(lags=1, kappa1=0.9, kappa2=0.9, prior="minnesota", gamma=0.5).estimate(y)
    ours = est.coefs[:, 0]
    repeated = np.flatnonzero((np.abs(np.diff(bt, axis=0)) == 0).all(axis=(1, 2))) + 1
    assert repeated.size > 0, "the data were meant to trigger the stability clamp"
    np.testing.assert_allclose(ours, bt, atol=1e-9)
    np.testing.assert_allclose(est.sigma, qt, atol=1e-9)


def test_bayes_prior_is_ols_on_the_training_rows(rng):
    from conn_reference import sm_var

    y = simulate_var(rng, 300, 3, 2) + 1.0
    mean, cov, q0 = R.bayes_prior(y, 2, 120)
    # 120 rows of R's window minus the lags: OLS on data rows 0 .. 117 (116 regression rows)
    sm = sm_var(y[:118], 2)
    slopes = np.asarray(sm.params)[1:].T  # (k, k p): equation i, regressor (lag, variable)
    np.testing.assert_allclose(mean, slopes.ravel(), atol=1e-10)
    np.testing.assert_allclose(q0, np.asarray(sm.resid).T @ np.asarray(sm.resid) / 116,
                               atol=1e-10)
    rmean, rcov, rq = r_bayes_prior(y, 118, 2)
    order = r_order(3, 2)
    np.testing.assert_allclose(mean, rmean[order], atol=1e-10)
    np.testing.assert_allclose(cov, rcov[np.ix_(order, order)], atol=1e-12)
    np.testing.assert_allclose(q0, rq, atol=1e-10)


def test_minnesota_and_uninformative_priors_follow_r():
    mean, cov = R.diagonal_prior(3, 2, "minnesota", 0.2)
    rmean, rcov = r_minnesota_prior(0.2, 3, 2)
    order = r_order(3, 2)
    np.testing.assert_array_equal(mean, rmean[order])
    np.testing.assert_allclose(cov, rcov[np.ix_(order, order)])
    _, cov4 = R.diagonal_prior(3, 2, "uninformative", 0.2)
    np.testing.assert_array_equal(np.diag(cov4), 4.0)


def test_stability_test_agrees_with_eigenvalues(rng):
    seen = {True: 0, False: 0}
    for _ in range(300):
        k, lags = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        beta = rng.normal(0, rng.choice([0.1, 0.3, 0.6]), (k, k * lags))
        comp = np.zeros((k * lags, k * lags))
        comp[:k] = beta
        comp[k:, : k * (lags - 1)] = np.eye(k * (lags - 1))
        radius = np.abs(np.linalg.eigvals(comp)).max()
        if abs(radius - 1) < 1e-9:
            continue
        assert R.stable(beta, k, lags) == (radius <= 1)
        # the cheap bounds are sufficient conditions: never "stable" for an unstable matrix,
        # and the three versions (compiled, plain loops, numpy) agree
        work = np.zeros((3, k * lags, k * lags))
        shown = R.stable_by_bounds(beta, k, lags, work)
        assert shown == R.stable_by_bounds.py_func(beta, k, lags, work)
        assert shown == R.stable_by_bounds_numpy(beta, k, lags)
        assert not shown or radius <= 1
        seen[bool(shown)] += 1
    assert seen[True] > 50 and seen[False] > 50


def run_filter(y, lags, kappa1=0.99, kappa2=0.98, window=120):
    b0, p0, q0 = R.bayes_prior(y, lags, window)
    return R.r_filter(y - y.mean(axis=0), lags, kappa1, kappa2, b0, p0, q0)


def test_compiled_filter_equals_numpy_fallback(rng, monkeypatch):
    y = simulate_var(rng, 260, 4, 2)
    fast = run_filter(y, 2)
    monkeypatch.setenv(DISABLE_ENV, "1")
    slow = run_filter(y, 2)
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-11)


def test_kernel_source_runs_as_plain_python(rng):
    # the loop kernel itself (what numba compiles), run by the interpreter on a small case
    y = simulate_var(rng, 40, 2, 1)
    b0, p0, q0 = R.bayes_prior(y, 1, 30)
    x = np.ascontiguousarray(y - y.mean(axis=0))
    outs = []
    for steps in (R.r_steps.py_func, R.r_steps_numpy):
        state = (b0.copy(), b0.copy(), p0.copy(), q0.copy())
        out = (np.empty((40, 2, 2)), np.empty((40, 2, 2)))
        assert steps(x, 1, 0.99, 0.97, b0, p0, state, out, 0, -1) == 40
        outs.append(out)
    for a, b in zip(*outs, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_filter_stays_stable_over_long_samples(rng, monkeypatch):
    # the covariance update is written P - K (Z P) as in R: the form P - K (P Z')' is equal in
    # exact arithmetic but multiplies the rounding in P's antisymmetric part by 1/kappa1 a step
    # (e^30 over 3000 steps at kappa1 = 0.99), which made the compiled and plain paths drift
    # apart by 1e-2 pp and blow up to NaN by T = 7000
    y = simulate_var(rng, 4000, 4, 1)
    fast = run_filter(y, 1, kappa2=0.99, window=200)
    monkeypatch.setenv(DISABLE_ENV, "1")
    slow = run_filter(y, 1, kappa2=0.99, window=200)
    assert np.isfinite(fast[0]).all()
    np.testing.assert_allclose(fast[0], slow[0], atol=1e-10)
    np.testing.assert_allclose(fast[1], slow[1], atol=1e-10)


def test_bayes_prior_needs_its_window():
    frame = pd.DataFrame(np.random.default_rng(5).standard_normal((150, 3)), columns=list("abc"))
    with pytest.raises(DataError, match="prior_window=200"):
        sw.connectedness(frame, model="tvp", lags=1)
    res = sw.connectedness(frame, model="tvp", lags=1, prior_window=100)
    assert len(res.tci) == 150
    assert len(sw.connectedness(frame, model="tvp", lags=1, prior="minnesota").tci) == 150


@pytest.mark.slow
def test_numba_switch_and_missing_numba_fallback():
    # a fresh interpreter: once with numba off on purpose (no warning), once with numba
    # unimportable (a PerformanceWarning naming the install line); both give the compiled result
    code = """
import os, sys, warnings
import numpy as np
if sys.argv[1] == "missing":
    sys.modules["numba"] = None
else:
    os.environ["SPILLWATCH_DISABLE_NUMBA"] = "1"
import pandas as pd
import spillwatch as sw
from spillwatch.analytics.connectedness import _tvp_r as R
from spillwatch.exceptions import PerformanceWarning
frame = pd.DataFrame(np.random.default_rng(11).standard_normal((300, 3)), columns=list("abc"))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    tci = sw.connectedness(frame, model="tvp", lags=1, prior_window=120).tci
    sw.connectedness(frame, model="tvp", lags=1, prior_window=120)
perf = [w for w in caught if issubclass(w.category, PerformanceWarning)]
assert R.r_steps.compiled() is None
named = "pip install numba" in str(perf[0].message) if perf else "-"
print(len(perf), named, repr(float(tci.sum())))
"""
    frame = pd.DataFrame(np.random.default_rng(11).standard_normal((300, 3)), columns=list("abc"))
    ref = sw.connectedness(frame, model="tvp", lags=1, prior_window=120).tci.sum()
    for mode, expect in (("disabled", "0 -"), ("missing", "1 True")):
        run = subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        count, flag, total = run.stdout.split()
        assert f"{count} {flag}" == expect, (mode, run.stdout)
        assert float(total) == pytest.approx(ref, abs=1e-8)


# ------------------------------------------------------------------ the filtered variant
@pytest.mark.parametrize(("k", "lags", "kappa1", "kappa2", "prior"),
                         [(3, 1, 0.99, 0.99, "minnesota"), (2, 2, 0.97, 0.96, "flat"),
                          (4, 1, 1.0, 0.99, "minnesota")])
def test_filter_matches_dense_reference(rng, k, lags, kappa1, kappa2, prior):
    z = Standardizer.of(y := simulate_var(rng, 160, k, lags)).apply(y)
    ours = kalman_filter(z, lags, kappa1=kappa1, kappa2=kappa2, prior=prior, gamma=0.1,
                         sigma0=None)
    mean, var = prior_moments(k, lags, prior, 0.1)
    betas, sigmas = kalman_reference(z, lags, kappa1, kappa2, mean, var,
                                     np.cov(z, rowvar=False))
    np.testing.assert_allclose(ours.intercept, betas[:, :, 0], atol=1e-9)
    np.testing.assert_allclose(ours.coefs[:, 0], betas[:, :, 1 : 1 + k], atol=1e-9)
    np.testing.assert_allclose(ours.sigma, sigmas, atol=1e-9)


def test_filtered_tables_match_direct_gfevd_of_filtered_path(rng):
    y = simulate_var(rng, 200, 3, 1)
    frame = pd.DataFrame(y, index=pd.bdate_range("2021-01-01", periods=200, name="date"),
                         columns=["a", "b", "c"])
    res = sw.connectedness(frame, lags=1, horizon=10, model="tvp", variant="filtered")
    assert len(res.tci) == 199
    assert res.tci.index[0] == frame.index[1]
    z = Standardizer.of(y).apply(y)
    est = kalman_filter(z, 1, kappa1=0.99, kappa2=0.99, prior="minnesota", gamma=0.1,
                        sigma0=None)
    psi = ma_coefficients(est.coefs, 10)
    for pos in (0, 100, 198):
        np.testing.assert_allclose(res.theta[pos], direct_gfevd(psi[pos], est.sigma[pos]),
                                   atol=1e-10)
    np.testing.assert_allclose(res.theta.sum(axis=2), 100.0, atol=1e-9)


def test_filtered_variant_does_not_depend_on_units_but_r_does(rng):
    y = simulate_var(rng, 300, 3, 1)
    frame = pd.DataFrame(y, columns=list("abc"))
    scaled = frame * [100.0, 1.0, 0.01]
    f1 = sw.connectedness(frame, model="tvp", lags=1, variant="filtered")
    f2 = sw.connectedness(scaled, model="tvp", lags=1, variant="filtered")
    np.testing.assert_allclose(f1.theta, f2.theta, atol=1e-8)
    r1 = sw.connectedness(frame, model="tvp", lags=1, prior="minnesota")
    r2 = sw.connectedness(scaled, model="tvp", lags=1, prior="minnesota")
    assert np.abs(r1.tci - r2.tci).max() > 1.0  # documented: R's prior is in data units


@pytest.mark.slow
def test_tvp_memory_is_linear_in_time(rng):
    def peak(t, variant):
        y = rng.standard_normal((t, 4))
        spec = TVPVAR(lags=2, variant=variant, prior="minnesota")
        spec.estimate(y[:20])  # compile outside the measurement
        tracemalloc.start()
        spec.estimate(y)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    for variant in ("r", "filtered"):
        small, big = peak(500, variant), peak(4000, variant)
        # kept per date: k*m coefficients + k*k covariance (8 bytes each), not a (k m)^2 matrix
        k, m = 4, 9
        assert big < 4000 * (k * m + k * k) * 8 * 4 + 2_000_000
        assert big / small < 8 * 1.5  # linear growth (a stored P_t per date would be far larger)


def test_tvp_is_not_rolled():
    frame = pd.DataFrame(np.random.default_rng(3).standard_normal((100, 2)), columns=["a", "b"])
    spec = Connectedness(model=TVPVAR())
    with pytest.raises(ConfigError, match="already time-varying"):
        spec.fit_rolling(frame, window=50)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"kappa1": 0.0}, "kappa1 must be in"), ({"kappa2": 1.5}, "kappa2 must be in"),
    ({"prior": "wishart"}, "unknown prior"), ({"lags": 0}, "lags must be"),
    ({"sigma0": [[1.0, 0.0]]}, "square"), ({"variant": "python"}, "unknown variant"),
    ({"prior": "flat"}, "variant='r'"), ({"prior": "bayes", "variant": "filtered"}, "'flat'"),
    ({"prior_window": 3, "lags": 1}, "prior_window must be"),
])
def test_tvp_spec_validation(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        TVPVAR(**kwargs)


def test_sigma0_shape_must_match_data():
    frame = pd.DataFrame(np.random.default_rng(4).standard_normal((80, 3)), columns=list("abc"))
    with pytest.raises(ConfigError, match="3 columns"):
        Connectedness(model=TVPVAR(sigma0=np.eye(2), prior="minnesota")).fit(frame)


def test_sigma0_replaces_the_first_q(rng):
    y = simulate_var(rng, 120, 2, 1)
    est = TVPVAR(prior="minnesota", sigma0=[[2.0, 0.5], [0.5, 3.0]]).estimate(y)
    np.testing.assert_array_equal(est.sigma[0], [[2.0, 0.5], [0.5, 3.0]])


@pytest.mark.realdata
def test_tvp_on_acg2020_is_sane(acg2020):
    res = sw.connectedness(acg2020, lags=1, horizon=10, model="tvp")
    tci = res.tci.iloc[24:]
    assert tci.between(20, 90).all()
    # the four European currencies against the dollar are strongly connected (ACG 2020, Fig. 1)
    assert tci.mean() > 40
