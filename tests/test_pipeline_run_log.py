"""The run log of ``spillwatch run``: ``partial`` and ``error``, on a real store and real report
sections (no stand-ins)."""

from __future__ import annotations

import pytest

from spillwatch.data.ingest import import_path
from spillwatch.pipeline import run
from spillwatch.store import Store

#: FRED DGS10 (percent), 2024-01-02 .. 2024-01-12, as in ../shared/data/fred/DGS10.csv.
DGS10 = ("2024-01-02,3.95\n2024-01-03,3.91\n2024-01-04,3.99\n2024-01-05,4.05\n2024-01-08,4.01\n"
         "2024-01-09,4.02\n2024-01-10,4.04\n2024-01-11,3.98\n2024-01-12,3.96\n")


def test_the_run_log_says_partial_or_error(tmp_path):
    """A store holding only the 10-year: a run with the risk section, which needs bitcoin,
    writes its report with that section failed and is logged ``partial``; one whose
    report cannot be written (``report.html`` is a folder) raises and is logged ``error`` with
    the reason. A monitor reading ``spillwatch data runs`` saw "ok" for the failed run (and no
    run at all when the store's read-only check was inverted)."""
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS10.csv").write_text("date,DGS10\n" + DGS10)
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        import_path(tmp_path / "fred", store)                    # run 1: the import

    part = run(db=db, out=tmp_path / "part", sections=["market", "risk"])
    assert list(part.failures) == ["risk"] and "holds none of btc, eth, trump" in \
        part.failures["risk"]
    assert (tmp_path / "part" / "report.html").exists()          # written, with the failure

    (tmp_path / "bad" / "report.html").mkdir(parents=True)
    with pytest.raises(OSError, match="the report was not written"):
        run(db=db, out=tmp_path / "bad", sections=["market"])

    runs = Store(db, read_only=True).runs().set_index("run_id").sort_index()
    assert part.run_id == 2
    assert runs["kind"].tolist() == ["import", "run", "run"]
    assert runs["status"].tolist() == ["ok", "partial", "error"]
    assert runs.loc[2, "message"] == f"report {tmp_path / 'part' / 'report.html'}"
    assert "the report was not written" in runs.loc[3, "message"]
    assert runs.loc[2:3, "finished_at"].notna().all()
