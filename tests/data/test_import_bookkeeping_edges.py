"""Edges of the import's bookkeeping that the mutation run of h_mut18 found unpinned.

Each test uses small files in the real publishers' formats (FRED's ``date,DGS10``, Treasury's
auction file, MOF's CSVs) and the project's own import; nothing of the project is mocked.
"""

from __future__ import annotations

import pytest

from spillwatch.data.ingest import import_path
from spillwatch.exceptions import ImportFileError

DGS10 = "date,DGS10\n2025-01-02,4.57\n2025-01-03,4.60\n2025-01-06,4.62\n2025-01-07,4.68\n"
AUCTION_HEAD = ("date,tenor,term,reopening,cusip,size_bn,high_yield,median_yield,bid_to_cover,"
                "dealer_pct,direct_pct,indirect_pct,dispersion_bp\n")
AUCTION = "2025-01-13,3-Year,3-Year,False,91282CMB4,58.0,4.332,4.27,2.69,13.5,20.1,66.4,3.2\n"


def _run(store):
    return store.runs().iloc[0]


def test_the_run_log_keeps_the_import_s_counts_and_a_second_import_is_unchanged(tmp_path, store):
    # the run log is what `data runs` shows: its stored / unchanged are the report's
    (tmp_path / "fred").mkdir()
    f = tmp_path / "fred" / "DGS10.csv"
    f.write_text(DGS10)
    first = import_path(f, store)
    run = _run(store)
    assert (run["status"], run["read"], run["stored"], run["unchanged"]) == ("ok", 4, 4, 0)
    assert first.totals["stored"] == 4
    again = import_path(f, store)
    run = _run(store)
    assert (run["status"], run["read"], run["stored"], run["unchanged"]) == ("ok", 4, 0, 4)
    assert (again.totals["stored"], again.totals["unchanged"]) == (0, 4)


def test_a_folder_with_a_bad_file_logs_what_the_other_files_read(tmp_path, store):
    # the folder import goes on past a bad file and raises at the end: the run it records as
    # failed still counts the 4 points the good file stored (they are in the store)
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS10.csv").write_text(DGS10)
    (tmp_path / "broken.csv").write_text("when,x\n2025-01-02,1\n")     # no date column
    with pytest.raises(ImportFileError, match="1 of 2 file"):
        import_path(tmp_path, store)
    run = _run(store)
    assert (run["status"], run["read"], run["stored"]) == ("error", 4, 4)
    assert len(store.query("SELECT * FROM observations")) == 4


def test_a_single_bad_file_s_error_is_its_own(tmp_path, store):
    # one file: its own error (file and what is wrong), not a folder's "1 of 1 file(s)" summary
    f = tmp_path / "broken.csv"
    f.write_text("when,x\n2025-01-02,1\n")
    with pytest.raises(ImportFileError) as err:
        import_path(f, store)
    assert str(err.value).startswith(f"{f}: no date column")
    assert "file(s) were not imported" not in str(err.value)


def test_real_auctions_are_refused_in_a_store_of_the_simulated_demo(tmp_path, store):
    # simulated and real auctions in one table read as one record
    from spillwatch.data.providers.demo import write_demo

    write_demo(store, days=60)
    before = len(store.query("SELECT * FROM auctions"))
    (tmp_path / "auctions").mkdir()
    f = tmp_path / "auctions" / "ust_auctions_notes_bonds.csv"
    f.write_text(AUCTION_HEAD + AUCTION)
    with pytest.raises(ImportFileError, match="holds the simulated demo market's auctions"):
        import_path(f, store)
    assert len(store.query("SELECT * FROM auctions")) == before
    assert not len(store.query("SELECT * FROM auctions WHERE source <> 'demo'"))


def test_a_file_ending_the_day_before_the_stored_dates_has_no_edge_gap(tmp_path, store):
    # the stored 2025-01-08 follows the file's last date 2025-01-07 by one day: no gap between
    # the file and the store (the note named the stored 2025-03-03, 55 days after, skipping
    # the stored day right after the file)
    import pandas as pd

    later = tmp_path / "later.csv"
    later.write_text("date,X\n2025-01-08,1.0\n2025-03-03,1.1\n")
    import_path(later, store)
    days = pd.bdate_range("2024-12-02", "2025-01-07")
    earlier = tmp_path / "earlier.csv"
    earlier.write_text("date,X\n" + "".join(f"{t:%Y-%m-%d},{1 + i / 100:.2f}\n"
                                             for i, t in enumerate(days)))
    rep = import_path(earlier, store)
    assert not [n for n in rep.files[0].notes if "follows" in n]
    # the other side still speaks: a file starting 2025-03-20 follows the stored 2025-03-03
    gap = tmp_path / "gap.csv"
    gap.write_text("date,X\n2025-03-20,1.2\n2025-03-21,1.3\n")
    rep = import_path(gap, store)
    assert [n for n in rep.files[0].notes
            if "its first date 2025-03-20 follows the stored 2025-03-03 after a gap of 17" in n]


def test_the_library_import_of_a_folder_whose_files_share_ids_writes_nothing(tmp_path, store):
    # the CLI refuses it before opening the store; import_path must refuse it too, before any
    # file is written (a.b.csv's point was stored, then a/b.csv was refused)
    folder = tmp_path / "f"
    (folder / "a").mkdir(parents=True)
    (folder / "a.b.csv").write_text("date,X\n2024-01-02,10\n")
    (folder / "a" / "b.csv").write_text("date,X\n2024-01-02,500\n")
    with pytest.raises(ImportFileError, match=r"would both name their columns 'a\.b\.<column>'"):
        import_path(folder, store)
    assert not len(store.query("SELECT * FROM observations"))
    assert not len(store.runs())


def test_a_third_file_that_disagrees_with_the_first_is_held_on_every_import(tmp_path, store):
    # what the files of one import gave is kept across all of them, not only the last
    # file's: c.csv's 2024-01-01 (44300) contradicts a.csv's (42300) with b.csv between them
    from spillwatch.data.ingest import CsvMapping

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.csv").write_text("date,Close\n2023-12-29,42000\n2024-01-01,42300\n")
    (folder / "b.csv").write_text("date,Close\n2024-01-02,45000\n")
    (folder / "c.csv").write_text("date,Close\n2024-01-01,44300\n2024-01-03,45500\n")
    mapping = CsvMapping.from_options(maps=["Close=binance:BTCUSDT"])
    for _ in range(2):          # the second import of the same folder changes nothing
        rep = import_path(folder, store, mapping=mapping)
        c = rep.files[2]
        assert (c.revised, c.quarantined) == (0, 1)
        assert store.observations(["binance:BTCUSDT"])["value"].tolist() == [
            42000, 42300, 45000, 45500]
        (row,) = store.quarantine("binance:BTCUSDT").itertuples()
        assert row.source.endswith("c.csv") and row.line == 2
        assert "an earlier file of this import gave 42300" in row.reason


def test_a_mapping_s_positivity_overrides_the_watch_list_s(tmp_path, store):
    # `positive` given in a mapping file is the column's own; the watch list's only fills in
    # what is not given: BTCUSDT is a price (its 0 quarantined), unless the mapping says not
    from spillwatch.data.ingest import CsvMapping, make_spec

    assert make_spec("binance:BTCUSDT").positive is True
    assert make_spec("binance:BTCUSDT", positive=False).positive is False
    assert make_spec("fred:DGS10", positive=True).positive is True
    f = tmp_path / "px.csv"
    f.write_text("date,Close\n2024-01-02,45000\n2024-01-03,0\n")
    m = tmp_path / "m.toml"
    m.write_text('[columns.Close]\nseries_id = "binance:BTCUSDT"\npositive = false\n')
    rep = import_path(f, store, mapping=CsvMapping.from_toml(m))
    assert (rep.totals["stored"], rep.totals["quarantined"]) == (2, 0)


def test_a_quoted_line_break_keeps_the_later_lines_numbers(tmp_path, store):
    # a cell with a quoted line break spans lines 2-3: the next row is line 4, and a point
    # quarantined there names line 4 (pandas' one record per row would say 3)
    f = tmp_path / "notes.csv"
    f.write_text('date,X\n2024-01-02,"1\n2"\n2024-01-03,abc\n2024-01-04,5\n')
    rep = import_path(f, store)
    assert (rep.totals["read"], rep.totals["stored"], rep.totals["quarantined"]) == (3, 1, 2)
    q = store.quarantine().sort_values("line")
    assert q["line"].tolist() == [2, 4]
    assert q["raw_value"].tolist() == ["1\n2", "abc"]


def test_a_row_longer_than_the_header_is_refused_after_a_trailing_delimiter(tmp_path, store):
    # a header ending with a delimiter (its last name empty, dropped): a row whose third field
    # holds a value is malformed (line 3), not cut to the header's two columns without a word
    f = tmp_path / "wide.csv"
    f.write_text("date,A,\n2024-01-01,1,\n2024-01-02,2,3\n")
    with pytest.raises(ImportFileError, match=r"wide\.csv:3: malformed CSV: 3 fields, the "
                                              r"header has 2"):
        import_path(f, store)
    assert not len(store.query("SELECT * FROM observations"))


def test_a_nul_character_names_its_line(tmp_path, store):
    f = tmp_path / "nul.csv"
    f.write_bytes(b"date,X\n2024-01-02,1\n2024-01-03,\x002\n")
    with pytest.raises(ImportFileError, match=r"nul\.csv:3: a NUL character"):
        import_path(f, store)


def test_a_date_past_2200_is_out_of_range_not_in_the_future(tmp_path, store):
    f = tmp_path / "typo.csv"
    f.write_text("date,X\n2024-01-02,1.5\n2300-01-02,1.6\n")
    rep = import_path(f, store)
    assert (rep.totals["stored"], rep.totals["quarantined"]) == (1, 1)
    (row,) = store.quarantine().itertuples()
    assert row.line == 3 and row.reason == "date '2300-01-02' out of range (1800-2200)"


def test_a_weekly_row_whose_period_starts_on_its_date_is_kept(tmp_path, store):
    # MOF's weekly file: a row's period_start must be a date on or before its date (the
    # documented rule; on the date itself is on it)
    (tmp_path / "holdings").mkdir()
    f = tmp_path / "holdings" / "mof_weekly_intl_securities.csv"
    f.write_text("date,period_start,assets_ltdebt_net_jpy100m\n"
                 "2025-03-22,2025-03-16,-2337\n"
                 "2025-03-29,2025-03-29,-59\n"
                 "2025-04-05,2025-04-06,-25726\n")
    rep = import_path(f, store)
    assert (rep.totals["read"], rep.totals["stored"], rep.totals["quarantined"]) == (3, 2, 1)
    (row,) = store.quarantine().itertuples()
    assert row.line == 4
    assert row.reason == "period_start is not a date on or before the row's date"


def test_fred_custody_is_stored_in_billions(tmp_path, store):
    # FRED prints WMTSECL1 in millions of USD; the catalog's unit is usd_bn (rules.SCALE):
    # 2,903,537 million on 2024-12-25 is 2,903.537 billion (lines of fred/WMTSECL1.csv)
    (tmp_path / "fred").mkdir()
    f = tmp_path / "fred" / "WMTSECL1.csv"
    f.write_text("date,WMTSECL1\n2024-12-18,2919184\n2024-12-25,2903537\n2025-01-01,2879873\n")
    import_path(f, store)
    got = store.observations(["fred:WMTSECL1"])["value"].tolist()
    assert got == pytest.approx([2919.184, 2903.537, 2879.873], abs=1e-9)


def test_the_bad_date_note_names_the_line_of_the_first(tmp_path, store):
    f = tmp_path / "dates.csv"
    f.write_text("date,X\n2024-01-02,1\n2024-13-45,2\n2024-01-04,3\n")
    rep = import_path(f, store)
    (note,) = [n for n in rep.files[0].notes if "bad date" in n]
    assert "(first on line 3: '2024-13-45', unparseable date)" in note


def test_an_old_mac_file_ending_with_a_carriage_return_is_whole(tmp_path, store):
    # lines ended by a lone CR (old Mac): the file ends with a line break, so its last value,
    # shorter than the ones before it (99.5 after 101.25 ...), is whole, not "cut short"
    vals = ["101.25", "101.50", "102.75", "103.00", "102.25", "101.75", "99.5"]
    f = tmp_path / "mac.csv"
    f.write_bytes(("date,X\r" + "".join(f"2024-01-{i + 2:02d},{v}\r" for i, v in enumerate(vals))
                   ).encode())
    rep = import_path(f, store)
    assert (rep.totals["read"], rep.totals["stored"], rep.totals["quarantined"]) == (7, 7, 0)


def test_points_held_with_a_unit_change_are_not_called_spikes(tmp_path, store):
    # a fund's 90 stored NAVs come back x100 (cents) with 30 new dates: 90 held as
    # implausible revisions, 30 held with them; none of the 120 is a spike
    import numpy as np
    import pandas as pd

    days = pd.bdate_range("2025-01-02", periods=120)
    nav = np.round(100 * np.exp(np.cumsum(0.006 * np.sin(np.arange(120) * 1.7))), 4)
    first = tmp_path / "fund.csv"
    pd.DataFrame({"date": days[:90].strftime("%Y-%m-%d"), "NAV": nav[:90]}).to_csv(
        first, index=False)
    import_path(first, store)
    cents = tmp_path / "fund_cents.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "NAV": nav * 100}).to_csv(
        cents, index=False)
    rep = import_path(cents, store)
    assert (rep.totals["read"], rep.totals["stored"], rep.totals["quarantined"]) == (120, 0, 120)
    notes = rep.files[0].notes
    assert [n for n in notes if n.startswith("90 point(s) would have revised")]
    assert [n for n in notes if n.startswith("30 new point(s) held with them")]
    assert not [n for n in notes if "robust sigmas" in n]


def test_sparse_daily_thresholds():
    # a series catalogued as daily is called sparse from 10 dates a median of 6 days apart;
    # weekly under 25 days apart, monthly from there
    import pandas as pd

    from spillwatch.data.ingest import sparse_daily

    def every(n, days):
        return pd.date_range("2025-01-03", periods=n, freq=f"{days}D")

    assert sparse_daily(every(9, 7)) is None                      # too few to say
    assert "its 10 dates are a median of 7 days apart (a weekly series?)" in sparse_daily(
        every(10, 7))
    assert "a median of 6 days apart (a weekly series?)" in sparse_daily(every(12, 6))
    assert sparse_daily(every(12, 5)) is None
    assert 'a median of 14 days apart (a weekly series?)' in sparse_daily(every(12, 14))
    assert "(a monthly series?)" in sparse_daily(pd.date_range("2024-01-31", periods=12,
                                                                 freq="ME"))


def test_a_mapping_file_imports_its_unmapped_columns_unless_told_not_to(tmp_path, store):
    from spillwatch.data.ingest import CsvMapping

    f = tmp_path / "desk.csv"
    f.write_text("date,PX,VOL\n2024-01-02,10.5,300\n2024-01-03,10.7,280\n")
    m = tmp_path / "m.toml"
    m.write_text('provider = "desk"\n[columns.PX]\nseries_id = "desk:PX"\n')
    rep = import_path(f, store, mapping=CsvMapping.from_toml(m))
    assert (rep.totals["read"], rep.totals["stored"]) == (4, 4)
    assert sorted(store.series()["series_id"]) == ["desk:PX", "desk:VOL"]


def test_a_folder_reads_csv_files_whatever_the_case_of_their_suffix(tmp_path, store):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "A.CSV").write_text("date,X\n2024-01-02,1.5\n")
    (folder / "b.csv").write_text("date,Y\n2024-01-02,2.5\n")
    rep = import_path(folder, store)
    assert len(rep.files) == 2 and rep.skipped == []
    assert rep.totals["stored"] == 2


def test_a_publisher_s_file_is_as_published_without_gap_notes(tmp_path, store):
    # a FRED file with a 9-day gap: as published, no note; the same columns in a file of the
    # user's own are noted
    import pandas as pd

    days = pd.bdate_range("2025-01-02", periods=12).append(pd.bdate_range("2025-01-28",
                                                                           periods=5))
    body = "".join(f"{t:%Y-%m-%d},{4.5 + i / 100:.2f}\n" for i, t in enumerate(days))
    (tmp_path / "fred").mkdir()
    (pub := tmp_path / "fred" / "DGS10.csv").write_text("date,DGS10\n" + body)
    (own := tmp_path / "mine.csv").write_text("date,DGS10\n" + body)
    assert not [n for n in import_path(pub, store).files[0].notes if "gap of more than" in n]
    assert [n for n in import_path(own, store).files[0].notes
            if "1 of its dates follows a gap of more than 5 calendar days (2025-01-28 after "
               "2025-01-17)" in n]


def test_a_header_with_as_many_commas_as_semicolons_is_comma_separated():
    from spillwatch.data.providers._table import read_table

    t = read_table(b"date,a;b\n2024-01-02,1;2\n")
    assert t.delimiter == "," and t.header == ["date", "a;b"]


def test_a_blank_cell_past_the_header_s_width_is_accepted(tmp_path, store):
    # a trailing ", " (a blank, not a value) after the last column: read, not malformed
    f = tmp_path / "blank_tail.csv"
    f.write_text("date,X\n2024-01-02,1.5, \n2024-01-03,1.6\n")
    rep = import_path(f, store)
    assert (rep.totals["read"], rep.totals["stored"]) == (2, 2)


def test_a_header_s_trailing_delimiter_with_a_wider_row_is_read(tmp_path, store):
    # `date,X,` (a trailing delimiter) and a row with one more empty field than that: the
    # header's empty last name is dropped, the empty cells too
    f = tmp_path / "trailing.csv"
    f.write_text("date,X,\n2024-01-02,1.5,,\n2024-01-03,1.6,\n")
    rep = import_path(f, store)
    assert (rep.totals["read"], rep.totals["stored"]) == (2, 2)
    assert store.series()["series_id"].tolist() == ["csv:X"]


def test_utf16_without_a_byte_order_mark_and_a_japanese_column_name(tmp_path, store):
    # UTF-16-LE without a BOM: every ASCII character has a NUL byte, a Japanese one none
    f = tmp_path / "jp.csv"
    f.write_bytes("date,価格\n2024-01-02,1.5\n2024-01-03,1.6\n".encode("utf-16-le"))
    rep = import_path(f, store)
    assert (rep.totals["read"], rep.totals["stored"]) == (2, 2)
    assert store.series()["series_id"].tolist() == ["csv:価格"]


def test_a_row_of_blanks_is_a_blank_line(tmp_path, store):
    f = tmp_path / "spaced.csv"
    f.write_text("date,X\n2024-01-02,1.5\n  ,  \n2024-01-03,1.6\n")
    rep = import_path(f, store)
    r = rep.files[0]
    assert (r.rows, r.read, r.empty, r.stored, r.quarantined) == (2, 2, 0, 2, 0)


def test_a_column_name_of_the_limit_s_length_is_accepted():
    from spillwatch.data.providers._table import MAX_NAME, TableError, read_table

    assert read_table(f"date,{'x' * MAX_NAME}\n2024-01-02,1\n").header[1] == "x" * MAX_NAME
    with pytest.raises(TableError, match="column 2 of the header has a name of 257 characters"):
        read_table(f"date,{'x' * (MAX_NAME + 1)}\n2024-01-02,1\n")


def test_a_dash_is_a_gap_not_a_value(tmp_path, store):
    f = tmp_path / "dash.csv"
    f.write_text("date,X\n2024-01-02,1.5\n2024-01-03,-\n2024-01-04,1.6\n")
    r = import_path(f, store).files[0]
    assert (r.read, r.empty, r.stored, r.quarantined) == (2, 1, 2, 0)


def test_a_custody_date_given_twice_lists_its_values_as_published(tmp_path, store):
    # the reason lists the file's values (millions, as FRED prints them), not the stored ones
    (tmp_path / "fred").mkdir()
    f = tmp_path / "fred" / "WMTSECL1.csv"
    f.write_text("date,WMTSECL1\n2024-12-18,2919184\n2024-12-25,2903537\n2024-12-25,2903600\n")
    rep = import_path(f, store)
    assert (rep.totals["stored"], rep.totals["quarantined"]) == (1, 2)
    reasons = set(store.quarantine("fred:WMTSECL1")["reason"])
    assert reasons == {"date twice with different values (2.90354e+06, 2.9036e+06)"}


def test_a_quoted_zero_comma_three_digits_is_a_decimal_comma(tmp_path, store):
    # "0,125" cannot group thousands (no number starts with a 0 before its comma): 0.125
    f = tmp_path / "eu.csv"
    f.write_text('date,X\n2024-01-02,"0,125"\n2024-01-03,"0,250"\n')
    import_path(f, store)
    assert store.observations(["csv:X"])["value"].tolist() == [0.125, 0.25]


def test_the_date_column_is_found_whatever_its_case(tmp_path, store):
    # Yahoo's and most spreadsheets' exports write "Date"
    f = tmp_path / "yahoo.csv"
    f.write_text("Date,Close\n2024-01-02,4742.83\n2024-01-03,4704.81\n")
    rep = import_path(f, store)
    assert (rep.totals["read"], rep.totals["stored"]) == (2, 2)


def test_a_file_of_only_out_of_range_dates_is_quarantined_row_by_row(tmp_path, store):
    # they parse (ISO 8601), so the file is not "no date parses": each row is quarantined
    # with its reason
    f = tmp_path / "far.csv"
    f.write_text("date,X\n2300-01-02,1.5\n2300-01-03,1.6\n")
    rep = import_path(f, store)
    assert (rep.totals["read"], rep.totals["stored"], rep.totals["quarantined"]) == (2, 0, 2)
    assert set(store.quarantine()["reason"]) == {"date '2300-01-02' out of range (1800-2200)",
                                                 "date '2300-01-03' out of range (1800-2200)"}
