"""The recursive ECDF counts ties as ``<=`` (h_mut15, mutation round 15).

A mutant ranking ties by their average survived: with a repeated value (a rate held at the
same level day after day) the ECDF read 0.75 and 0.67 where the definition
``#{s <= t : x_s <= x_t} / #{s <= t}`` gives 1.
"""
import numpy as np
import pandas as pd

from spillwatch.analytics._recursive import recursive_ecdf, recursive_upper_tail


def _by_definition(x, upper=False):
    out = []
    for t in range(len(x)):
        past = x[:t + 1]
        out.append(np.mean(past >= x[t]) if upper else np.mean(past <= x[t]))
    return np.array(out)


def test_ties_count_as_at_most_in_the_ecdf_and_at_least_in_the_upper_tail():
    x = np.array([2.0, 2.0, 2.0, 1.0, 2.0, 3.0, 1.0, 1.0])
    frame = pd.DataFrame({"a": x})
    got = recursive_ecdf(frame, min_obs=1)["a"].to_numpy()
    np.testing.assert_allclose(got, _by_definition(x), rtol=0, atol=1e-15)
    assert got[:3].tolist() == [1.0, 1.0, 1.0]
    up = recursive_upper_tail(frame, min_obs=1)["a"].to_numpy()
    np.testing.assert_allclose(up, _by_definition(x, upper=True), rtol=0, atol=1e-15)
