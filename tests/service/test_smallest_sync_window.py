"""``_smallest_sync_window`` is the smallest window, as the search from ``window`` up gave (h_mut9).

Its lower bound is solved from ``sync_window``; a bound one too high (``--window`` advised one
more than needed) or a search that starts below ``window`` is caught against the plain search.
"""

from __future__ import annotations

from spillwatch.service.spillover import _smallest_sync_window, sync_window


def test_the_smallest_window_equals_the_plain_search():
    for need in range(1, 400):
        for window in (1, 10, need, 2 * need):
            want = next(w for w in range(window, 100 * need + 10) if sync_window(w) >= need)
            assert _smallest_sync_window(window, need) == want, (window, need)
