"""PortfolioResult.table(): one row per level, labelled with the level itself.

``f"VaR {a:.0%}"`` rounded a level to a whole percent: ``levels=(0.975, 0.995, 0.999)`` read
"VaR 98%" and "VaR 100%" twice, so the 99.5% VaR and ES were overwritten by the 99.9%
ones under a "100%" label (the table lost a row; ``to_dict`` kept all three). The P&L paths
here are seeded draws; each number is recomputed with numpy (VaR: minus the 1 - a quantile,
linear interpolation; ES: minus the mean of the paths at or below it).
"""
import numpy as np
import pytest

from spillwatch.scenarios.portfolio import Portfolio, PortfolioResult


def _book(levels: tuple[float, ...]) -> tuple[np.ndarray, PortfolioResult]:
    x = np.random.default_rng(7).standard_normal(4_000) * 1_000.0
    book = Portfolio({"btc": 1e6}, kind="notional")
    return x, PortfolioResult(book, "levels", x.size, samples=x, levels=levels,
                              horizon_days=20)


def test_each_level_has_its_own_row_and_numbers():
    x, pr = _book((0.975, 0.995, 0.999))
    t = pr.table()["usd"]
    for a, name in ((0.975, "97.5%"), (0.995, "99.5%"), (0.999, "99.9%")):
        q = float(np.quantile(x, round(1 - a, 12)))
        assert t[f"VaR {name}"] == pytest.approx(-q, rel=1e-12)
        assert t[f"ES {name}"] == pytest.approx(-x[x <= q].mean(), rel=1e-12)
    assert len(t) == 6 + 7                                   # 3 VaR, 3 ES, 7 quantiles
    assert t["q0.01"] == pytest.approx(np.quantile(x, 0.01), rel=1e-12)


def test_default_levels_keep_their_labels_and_the_summary_its_horizon():
    _, pr = _book((0.95, 0.99))
    assert list(pr.table().index[:4]) == ["VaR 95%", "VaR 99%", "ES 95%", "ES 99%"]
    text = str(pr)
    assert text.splitlines()[0] == "portfolio P&L over 20 business days — levels (4,000 paths)"
    assert "VaR 99%" in text
