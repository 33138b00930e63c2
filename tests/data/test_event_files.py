"""Event files (auctions, interventions) outside their shared folder, and the data version."""

from __future__ import annotations

from spillwatch.data.ingest import import_path
from spillwatch.store.events import auctions, fx_interventions

AUCTION_HEAD = ("date,tenor,term,reopening,cusip,size_bn,high_yield,median_yield,bid_to_cover,"
                "dealer_pct,direct_pct,indirect_pct,dispersion_bp\n")
AUCTION = "2026-12-03,10-Year,10-Year,False,91282CPA3,42.0,4.512,4.43,2.21,24.1,9.8,66.1,3.1\n"


def test_an_auctions_file_of_ones_own_folder_is_read_as_auctions(tmp_path, store):
    # `import my/ust_auctions_notes_bonds.csv` made csv:tenor, csv:high_yield, … of its
    # columns ("read 12, stored 8, quarantined 4") and no auction reached the monitor
    f = tmp_path / "mine" / "ust_auctions_notes_bonds.csv"
    f.parent.mkdir()
    f.write_text(AUCTION_HEAD + AUCTION)
    (g := tmp_path / "mine" / "jp.csv").write_text(
        "date,currency_pair,direction,amount_jpy_bn\n2024-04-29,USD/JPY,sell_USD_buy_JPY,5915\n")
    (q := tmp_path / "mine" / "quoted.csv").write_text(   # R's write.csv quotes the header
        ",".join(f'"{h}"' for h in AUCTION_HEAD.strip().split(",")) + "\n"
        + AUCTION.replace("91282CPA3", "91282CNX2"))
    for path, rows in ((f, auctions), (g, fx_interventions), (q, auctions)):
        rep = import_path(path, store)
        assert (rep.totals["read"], rep.totals["stored"], rep.totals["quarantined"]) == (1, 1, 0)
        assert len(rows(store)) == (2 if path == q else 1)
    assert not [s for s in store.series()["series_id"] if s.startswith("csv:")]


def test_a_new_auction_or_intervention_changes_the_data_version(tmp_path, store):
    # the monitor's and the dashboard's caches key on it: a weak 10-year auction imported
    # alone went unseen by both ("the auction record's last result is of 2026-10-06")
    (tmp_path / "auctions").mkdir()
    f = tmp_path / "auctions" / "ust_auctions_notes_bonds.csv"
    f.write_text(AUCTION_HEAD + AUCTION.replace("2026-12-03", "2026-11-05").replace(
        "91282CPA3", "91282CNX2"))
    import_path(tmp_path, store)
    seen = {store.data_version()}
    f.write_text(f.read_text() + AUCTION)                    # a new auction
    import_path(tmp_path, store)
    seen.add(store.data_version())
    f.write_text(f.read_text().replace(",2.21,", ",2.35,"))  # both revised
    rep = import_path(tmp_path, store)
    assert rep.totals["revised"] == 2
    seen.add(store.data_version())
    (tmp_path / "holdings").mkdir()
    (tmp_path / "holdings" / "mof_fx_intervention_daily.csv").write_text(
        "date,currency_pair,direction,amount_jpy_bn\n2024-04-29,USD/JPY,sell_USD_buy_JPY,5915\n")
    import_path(tmp_path, store)
    seen.add(store.data_version())
    assert len(seen) == 4
    import_path(tmp_path, store)                             # nothing new: the same version
    assert store.data_version() in seen and len(seen | {store.data_version()}) == 4
