"""The API on ../shared/data: one column name, one set of numbers across endpoints."""

from __future__ import annotations

import shutil

import httpx
import numpy as np
import pytest

from spillwatch.api.app import create_app
from spillwatch.api.limits import RateLimit

pytestmark = pytest.mark.realdata
HIGH = RateLimit(per_second=10_000.0, burst=100_000)


def test_an_asset_series_is_its_panel_column(real_db, tmp_path, live_server_cls):
    # /api/series/btc kept BTC's US holidays as days of their own (1.19% on 2026-01-02)
    # while /api/panel's btc_pct merged the holiday into the next day (2.54%)
    db = tmp_path / "real.duckdb"
    shutil.copyfile(real_db, db)
    app = create_app(db, token="t" * 24, read_limit=HIGH, write_limit=HIGH, warm=False)
    with live_server_cls(app) as server, httpx.Client(base_url=server.url, timeout=120) as c:
        window = {"start": "2025-12-15", "end": "2026-01-10"}
        one = c.get("/api/series/btc", params=window).json()
        panel = c.get("/api/panel", params={**window, "columns": "btc_pct"}).json()["frame"]
    assert one["dates"] == panel["index"]
    assert "2025-12-25" not in one["dates"] and "2026-01-01" not in one["dates"]
    got = np.array([np.nan if v is None else v for v in one["change"]])
    want = np.array([np.nan if r[0] is None else r[0] for r in panel["data"]])
    np.testing.assert_allclose(got, want, atol=1e-12, equal_nan=True)
    jan2 = one["change"][one["dates"].index("2026-01-02")]
    assert jan2 == pytest.approx(100 * np.log(89902.17 / 87648.22), abs=1e-6)
