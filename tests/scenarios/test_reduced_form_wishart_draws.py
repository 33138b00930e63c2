"""The NIW posterior draws of the reduced form: Sigma^-1 ~ Wishart((U'U)^-1, T - m).

A surviving mutant (h_mut2, SV02: Bartlett's diagonal chi-square degrees of freedom
``dof - i`` -> ``dof - i - 1``) drew Sigma^-1 with one degree of freedom too few on every
diagonal: the drawn covariances were too large (by about dof / (dof - 1)), so every admissible
model's shock sizes and the scenario's spread were inflated. The identification tests check
signs and admissibility, not the scale of the draws. E[W] = dof * S^-1 (Wishart mean).
"""
import numpy as np

from spillwatch.scenarios.identification._sampler import ReducedForm, draw_reduced_form


def test_the_precision_draws_have_the_wishart_mean():
    n, dof = 3, 8
    s = np.array([[2.0, 0.5, 0.2], [0.5, 1.0, 0.1], [0.2, 0.1, 0.5]])     # U'U
    rf = ReducedForm(lags=1, b_hat=np.zeros((1 + n, n)), xtx_inv_chol=np.eye(1 + n),
                     s_chol_inv=np.linalg.cholesky(np.linalg.inv(s)), dof=dof,
                     sigma_hat=s / dof, nobs=dof + 1 + n)
    _, p = draw_reduced_form(rf, np.random.default_rng(7), 40_000)
    w = np.linalg.inv(p @ np.swapaxes(p, 1, 2))
    want = dof * np.linalg.inv(s)
    # the mean's Monte Carlo error is about 0.5% of the diagonal; one degree of freedom less
    # is 12.5% off
    np.testing.assert_allclose(np.diagonal(w.mean(axis=0)), np.diagonal(want), rtol=0.03)
    np.testing.assert_allclose(w.mean(axis=0), want, atol=0.03 * np.abs(want).max())
