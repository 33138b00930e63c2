"""`spillwatch run --as-of` on a Saturday: the run states the market's date, not the date asked."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from spillwatch.pipeline import run


def test_a_run_as_of_a_saturday_states_the_market_s_friday(tmp_path):
    """RunResult.as_of is the last day half the watch list reports (what the run's first line
    says), not the evening asked for: on Saturday 2026-07-04 the Treasuries, the dollar, the yen
    and the VIX last printed on Friday the 3rd, only the coins on the 4th."""
    res = run("demo", out=tmp_path, sections=["market"], as_of=dt.date(2026, 7, 4))
    dates = sorted((v["date"] for v in res.sections["market"]["latest"].values()), reverse=True)
    half = dates[(len(dates) + 1) // 2 - 1]          # the newest date at least half report
    assert half == "2026-07-03"
    assert res.as_of == dt.date(2026, 7, 3)
    assert "market as of 2026-07-03" in res._summary_lines()[0]
    assert res.failures == {}


def test_the_run_log_says_partial_or_error(tmp_path, monkeypatch):
    """A run that wrote its report with a section failed is logged ``partial``; one whose report
    raised is logged ``error`` with the reason (a monitor reading the run log saw "ok")."""
    import pandas as pd
    import pytest

    import spillwatch.report.html as html
    from spillwatch.store import Store

    store = Store(tmp_path / "s.duckdb")
    store.upsert(pd.DataFrame({"series_id": ["csv:X"], "ts": [pd.Timestamp("2024-01-02")],
                               "value": [1.0]}))

    class Rep:
        path = tmp_path / "report.html"
        failures: ClassVar[dict[str, str]] = {"risk": "no 10-year"}

        def summary(self):
            return {}

    monkeypatch.setattr(html, "write_report", lambda ctx, out, sections=None: Rep())
    res = run(db=tmp_path / "s.duckdb", out=tmp_path)
    assert res.run_id == 1 and res.failures == {"risk": "no 10-year"}

    def fails(ctx, out, sections=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(html, "write_report", fails)
    with pytest.raises(RuntimeError):
        run(db=tmp_path / "s.duckdb", out=tmp_path)
    runs = Store(tmp_path / "s.duckdb", read_only=True).runs().set_index("run_id")
    assert runs.loc[1, ["kind", "status"]].tolist() == ["run", "partial"]
    assert runs.loc[2, ["kind", "status", "message"]].tolist() == ["run", "error", "disk full"]
