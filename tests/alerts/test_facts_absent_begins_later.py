"""A past evening's missing asset: the store has it from later on, not "not in the store" (h_ep10).

``spillwatch alerts test --as-of 2004-04-02 --db <real store>`` said "btc.chg_1d_pct: no data
for series 'btc' in the store" and "custody.chg_1w_usd_bn: no data for series 'custody' in the
store" of a store holding bitcoin from 2018-01-01 (crypto/BTCUSDT.csv's first row) and foreign
official custody from 2007-07-04 (fred/WMTSECL1.csv's first non-zero week; the zeros before it
are quarantined on import). The evening has none of them; the store has. The spillover facts of
the same evening already said "the store's figures of them begin later (btc 2018-01-01, …)".
The store here holds a few months of those real files (the 10-year around the evening, custody's
last zero weeks and first figures, bitcoin's first month), imported with the project's own import.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _cut_store import cut_files
from spillwatch.alerts.backtest.vintage import VintageSource
from spillwatch.alerts.facts import FactSet, compute_facts
from spillwatch.data.source import open_source

pytestmark = pytest.mark.realdata

FILES = {"fred/DGS10.csv": ("2003-06-01", "2004-06-30"),
         "fred/WMTSECL1.csv": ("2007-06-01", "2007-08-31"),
         "crypto/BTCUSDT.csv": ("2018-01-01", "2018-01-31")}


def _cut(shared_data, tmp_path):
    return cut_files(shared_data, tmp_path, list(FILES),
                     starts={k: v[0] for k, v in FILES.items()},
                     ends={k: v[1] for k, v in FILES.items()})


def test_an_asset_the_evening_lacks_says_when_the_store_s_figures_begin(shared_data, tmp_path):
    folder = _cut(shared_data, tmp_path)
    rows = (folder / "crypto" / "BTCUSDT.csv").read_text().splitlines()
    first_btc = rows[1][:10]
    first_custody = next(x[:10] for x in
                         (folder / "fred" / "WMTSECL1.csv").read_text().splitlines()[1:]
                         if x.split(",")[1] not in ("", "0"))
    assert (first_btc, first_custody) == ("2018-01-01", "2007-07-04")
    with open_source(folder, db=tmp_path / "cut.duckdb") as src:
        # a past evening is a vintage view of the store (compute_facts makes it from as_of)
        assert not isinstance(src, VintageSource)
        fs = compute_facts(src, as_of=dt.date(2004, 4, 2), today=dt.date(2026, 12, 6),
                           stress=False, spillover=False, demand=False)
        btc = fs.get("btc.chg_1d_pct").reason
        custody = fs.get("custody.chg_1w_usd_bn").reason
    assert btc == ("no data for series 'btc' published by 2004-04-02: the store's figures of "
                   f"it begin later: btc {first_btc}")
    assert custody == ("no data for series 'custody' published by 2004-04-02: the store's "
                       f"figures of it begin later: custody {first_custody}")


def test_without_a_past_evening_the_words_are_unchanged():
    # a fact set of the latest data (no evening to name): the store has no such series
    assert FactSet([]).get("eth.chg_1d_pct").reason == "no data for series 'eth' in the store"
    assert FactSet([]).get("stress.nothing").reason == "fact 'stress.nothing' was not computed"
    # the words a past evening gives an asset it lacks, and only that asset
    fs = FactSet([], absent={"btc": "published by 2004-04-02: the store's figures of it begin "
                                    "later: btc 2018-01-01"})
    assert fs.get("btc.z_1d").reason == ("no data for series 'btc' published by 2004-04-02: "
                                         "the store's figures of it begin later: btc 2018-01-01")
    assert fs.get("eth.z_1d").reason == "no data for series 'eth' in the store"
