"""`--start` beside `--as-of` (h_mut12: mutants of parse_as_of the suite left green).

``--as-of D`` is ``--end D`` on the data published by D: a ``--start`` beside it is kept (not
dropped for the whole history), and one on D itself is a one-day window, as ``--start D
--end D`` is; only a start after D is refused.
"""
from __future__ import annotations

import datetime as dt

import pytest

from spillwatch.cli._common import parse_as_of, parse_window
from spillwatch.exceptions import ConfigError

D = dt.date(2025, 1, 10)


def test_a_start_beside_the_as_of_is_kept():
    assert parse_as_of("2024-03-01", None, "2025-01-10") == (dt.date(2024, 3, 1), D, D)
    assert parse_as_of(None, None, "2025-01-10") == (None, D, D)


def test_a_start_on_the_as_of_is_a_window_of_one_day_as_on_the_end():
    assert parse_window("2025-01-10", "2025-01-10") == (D, D)
    assert parse_as_of("2025-01-10", None, "2025-01-10") == (D, D, D)
    with pytest.raises(ConfigError, match="--start 2025-01-11 is after --as-of 2025-01-10"):
        parse_as_of("2025-01-11", None, "2025-01-10")
