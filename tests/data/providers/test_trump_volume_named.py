"""TRUMP's daily volume is named a volume, not a close (h_ep12)."""

from __future__ import annotations

import pytest

from spillwatch.data.providers.shared import column_specs, layout_of

pytestmark = pytest.mark.realdata


def test_the_volume_columns_are_no_daily_close(shared_data):
    """`data health` listed "TRUMPUSDT_volume_base (Binance spot daily close (UTC))" beside the
    coin's price: the crypto folder's description, of a column of traded TRUMP (148,508,697 on
    2025-01-19, its listing day) and of USDT."""
    path = shared_data / "crypto" / "TRUMPUSDT_volume.csv"
    specs = column_specs(path, layout_of(path, shared_data),
                         ["TRUMPUSDT_volume_base", "TRUMPUSDT_volume_quote"])
    assert specs["TRUMPUSDT_volume_base"].name == (
        "TRUMPUSDT_volume_base (Binance spot daily volume (UTC day))")
    assert [s.unit for s in specs.values()] == ["trump", "usdt"]
