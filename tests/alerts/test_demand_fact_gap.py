"""A missing figure in a long record is no "record too short" (h_par3).

`spillwatch alerts facts 'demand.china*' --as-of 2025-03-07 --db <real store>` said of
``demand.china_reserves_chg1_usd_bn`` and ``demand.china_reserves_flow_usd_bn``: "no value on
2025-03-07: its input is current (last observation 2025-01-31) but its record is too short for
it", on every evening from 2025-02-10 to 2025-03-07, of a SAFE record that began in 2015. The
record skips December 2024 (holdings/china_fx_reserves_safe.csv has no 2024-12-31 row; its
README lists the gap): January's one-month change has no month before it. February's print
(out by 2025-03-10) gives the change again: 32272.24 - 32090.36 = 181.88 hundred-million USD.
The store holds SAFE's reserves of 2024-01 to 2025-03 and the 10-year, imported with the
project's own import.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_files
from spillwatch.alerts.facts import compute_facts
from spillwatch.data.source import open_source

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

SAFE, TEN = "holdings/china_fx_reserves_safe.csv", "fred/DGS10.csv"
NAMES = ("demand.china_reserves_chg1_usd_bn", "demand.china_reserves_flow_usd_bn")


def _facts(shared_data, tmp_path, first, *evenings):
    folder = cut_files(shared_data, tmp_path, (SAFE, TEN), first=first, last="2025-03-31")
    months = [x[:10] for x in (folder / SAFE).read_text().splitlines()[1:]]
    assert "2024-11-30" in months and "2024-12-31" not in months and "2025-01-31" in months
    with open_source(folder, db=tmp_path / "cut.duckdb") as src:
        return [compute_facts(src, as_of=d, today=dt.date(2026, 12, 6), stress=False,
                              spillover=False) for d in evenings]


def test_a_missing_month_is_said_not_a_short_record(shared_data, tmp_path):
    before, after = _facts(shared_data, tmp_path, "2024-01-01",
                           dt.date(2025, 3, 7), dt.date(2025, 3, 10))
    for name in NAMES:
        got = before.get(name)
        assert got.value is None and got.as_of == dt.date(2025, 1, 31)
        assert got.reason == (
            "no value on 2025-03-07: its input is current (last observation 2025-01-31) but "
            "the figure before it is missing (its record goes from 2024-11-30 to "
            "2025-01-31)"), (name, got.reason)
    # February's print is out: the change is back, and it is February's over January's
    chg = after.get(NAMES[0])
    assert chg.as_of == dt.date(2025, 2, 28)
    assert chg.value == pytest.approx(3227.224 - 3209.036, abs=1e-9)


def test_a_record_of_two_figures_is_still_too_short(shared_data, tmp_path):
    (got,) = _facts(shared_data, tmp_path, "2024-11-01", dt.date(2025, 3, 7))
    # two figures (2024-11-30 and 2025-01-31): no usual step to call the second a gap
    assert got.get(NAMES[0]).reason == (
        "no value on 2025-03-07: its input is current (last observation 2025-01-31) but its "
        "record is too short for it")


def test_a_stopped_short_record_is_stale_not_too_short(shared_data, tmp_path):
    # one SAFE figure (2025-01-31): too short for a change while it is current, and past its
    # staleness limit, not "too short", once SAFE has missed months of prints (h_mut27's D05)
    folder = cut_files(shared_data, tmp_path, (SAFE, TEN), first="2024-12-01",
                       last="2025-09-30", starts={SAFE: "2025-01-01"}, ends={SAFE: "2025-01-31"})
    with open_source(folder, db=tmp_path / "cut.duckdb") as src:
        fresh, stopped = (compute_facts(src, as_of=d, today=dt.date(2026, 12, 6), stress=False,
                                        spillover=False)
                          for d in (dt.date(2025, 2, 20), dt.date(2025, 9, 30)))
    assert fresh.get(NAMES[0]).reason == (
        "no value on 2025-02-20: its input is current (last observation 2025-01-31) but its "
        "record is too short for it")
    got = stopped.get(NAMES[0])
    assert got.value is None and got.as_of == dt.date(2025, 1, 31)
    assert got.reason == (
        "no value on 2025-09-30: its input is past its staleness limit or has not reported "
        "(last observation 2025-01-31)"), got.reason
