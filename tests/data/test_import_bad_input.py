"""Bad input: each case is a clear error naming file/row/column, or a quarantine row with reason;
nothing else in the store changes."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spillwatch.data.ingest import CsvMapping, import_path, make_spec
from spillwatch.exceptions import ConfigError, ImportFileError


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.fixture
def seeded(store, tmp_path):
    good = write(tmp_path, "good.csv", "date,GOOD\n2024-01-01,1.5\n2024-01-02,1.6\n")
    import_path(good, store)
    return store


def snapshot(store):
    return store.observations().sort_values(["series_id", "ts"]).reset_index(drop=True)


def test_bad_date_is_quarantined_with_line_and_column(seeded, tmp_path):
    before = snapshot(seeded)
    f = write(tmp_path, "bad_date.csv", "date,A\n2024-01-01,1\n2024-13-45,2\n2024-01-03,3\n")
    rep = import_path(f, seeded)
    q = seeded.quarantine("csv:A")
    assert len(q) == 1
    assert q.loc[0, "line"] == 3 and q.loc[0, "column"] == "A"
    assert "unparseable date '2024-13-45'" in q.loc[0, "reason"]
    assert str(f) == q.loc[0, "source"]
    assert rep.totals["stored"] == 2 and rep.totals["quarantined"] == 1
    after = snapshot(seeded)
    assert after[after.series_id != "csv:A"].reset_index(drop=True).equals(before)


def test_text_value_is_quarantined(seeded, tmp_path):
    f = write(tmp_path, "text.csv", "date,A,B\n2024-01-01,1,abc\n2024-01-02,2,3\n")
    import_path(f, seeded)
    q = seeded.quarantine("csv:B")
    assert q.loc[0, "reason"] == "non-numeric value 'abc'"
    assert (q.loc[0, "line"], q.loc[0, "column"]) == (2, "B")
    assert seeded.wide(["csv:A"])["csv:A"].tolist() == [1.0, 2.0]


def test_negative_btc_price_is_quarantined(store, tmp_path):
    crypto = tmp_path / "crypto"
    crypto.mkdir()
    f = write(crypto, "BTCUSDT.csv", "date,BTCUSDT\n2024-01-01,42000\n2024-01-02,-5\n"
              "2024-01-03,0\n2024-01-04,43000\n")
    import_path(tmp_path, store)
    q = store.quarantine("binance:BTCUSDT")
    assert q["line"].tolist() == [3, 4]
    assert q["reason"].tolist() == ["non-positive price -5", "non-positive price 0"]
    assert q["source"].iloc[0] == str(f)
    assert store.wide(["binance:BTCUSDT"])["binance:BTCUSDT"].tolist() == [42000.0, 43000.0]


def test_negative_yield_and_wti_are_not_prices(store, tmp_path):
    fred = tmp_path / "fred"
    fred.mkdir()
    write(fred, "DCOILWTICO.csv", "date,DCOILWTICO\n2020-04-17,18.27\n2020-04-20,-36.98\n")
    write(fred, "DGS1MO.csv", "date,DGS1MO\n2020-03-26,-0.01\n")
    import_path(tmp_path, store)
    assert store.count("quarantine") == 0
    assert store.count() == 3


def test_date_twice_with_two_values_is_quarantined_not_stored(seeded, tmp_path):
    f = write(tmp_path, "dup.csv", "date,A\n2024-01-01,1\n2024-01-02,2\n2024-01-02,2.5\n"
              "2024-01-03,3\n2024-01-03,3\n")
    rep = import_path(f, seeded)
    q = seeded.quarantine("csv:A")
    assert q["line"].tolist() == [3, 4]
    assert all(r == "date twice with different values (2, 2.5)" for r in q["reason"])
    stored = seeded.wide(["csv:A"])["csv:A"]
    assert stored.index.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-03"]
    assert rep.files[0].duplicates == 1  # the identical repeat of 2024-01-03 was merged


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("empty.csv", "", "the file is empty"),
        ("blank.csv", "\n\n  \n", "the file is empty"),
        ("nodate.csv", "when,A\n2024-01-01,1\n", "no date column"),
        ("twice.csv", "date,A,A\n2024-01-01,1,2\n", "column 'A' appears twice"),
        ("onlydate.csv", "date\n2024-01-01\n", "no value column"),
    ],
)
def test_whole_file_errors_name_the_file(seeded, tmp_path, name, text, match):
    before = snapshot(seeded)
    f = write(tmp_path, name, text)
    with pytest.raises(ImportFileError, match=match) as err:
        import_path(f, seeded)
    assert str(f) in str(err.value)
    assert snapshot(seeded).equals(before)
    assert seeded.runs().loc[0, "status"] == "error"


def test_missing_file(seeded, tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(ImportFileError, match="no such file") as err:
        import_path(missing, seeded)
    assert str(missing) in str(err.value)


def test_malformed_csv_row_is_a_clear_error(seeded, tmp_path):
    f = write(tmp_path, "ragged.csv", "date,A\n2024-01-01,1\n2024-01-02,2,3,4\n")
    with pytest.raises(ImportFileError, match="malformed CSV"):
        import_path(f, seeded)


def test_mapping_from_options_and_toml(store, tmp_path):
    f = write(tmp_path, "desk.csv", "Day,Close,Other\n01/02/2024,10\n01/03/2024,-1\n")
    f.write_text("Day,Close,Other\n01/02/2024,10,5\n01/03/2024,-1,6\n")
    m = CsvMapping.from_options(provider="desk", date_column="Day", date_format="%m/%d/%Y",
                                maps=["Close=desk:btc"], positive=True)
    rep = import_path(f, store, mapping=m)
    assert store.wide(["desk:btc"])["desk:btc"].tolist() == [10.0]
    assert store.quarantine("desk:btc")["reason"].tolist() == ["non-positive price -1"]
    # (two dates that read either way: the format given is followed, and said)
    assert rep.files[0].notes == [
        "column 'Other' not mapped: skipped",
        "column 'Day': every date also reads as '%d/%m/%Y' ('01/02/2024' is 2024-01-02 as "
        "--date-format '%m/%d/%Y' reads it, 2024-02-01 as '%d/%m/%Y'): they were read as "
        "given; check that it is your file's order"]
    toml = write(tmp_path, "map.toml", 'provider = "desk"\ndate_column = "Day"\n'
                 'date_format = "%m/%d/%Y"\n[columns.Other]\nseries_id = "desk:other"\n'
                 'unit = "usd"\n')
    import_path(f, store, mapping=CsvMapping.from_toml(toml))
    assert store.wide(["desk:other"])["desk:other"].tolist() == [5.0, 6.0]


def test_bad_mapping_errors(tmp_path):
    with pytest.raises(ConfigError, match="COLUMN=SERIES_ID"):
        CsvMapping.from_options(maps=["Close"])
    toml = write(tmp_path, "m.toml", 'provider = "x"\ncolour = "red"\n')
    with pytest.raises(ConfigError, match="unknown key"):
        CsvMapping.from_toml(toml)
    with pytest.raises(ConfigError, match="provider:symbol"):
        make_spec("nocolon")


#: Mapping keys of the wrong TOML type, each refused naming the file, table and key: a quoted
#: "no" read as true made the fund a price (log returns), "false" kept only the mapped columns,
#: a number was a flag too (h_mut24); unit = 5 stopped `import` on a raw AttributeError and
#: block = true was stored as a block (h_verify28); the file's own frequency was read as "5".
WRONG_TYPES = {
    "positive-quoted": ('[columns.NAV]\nseries_id = "csv:FUND"\npositive = "no"\n',
                        r"\[columns.NAV\] positive must be true or false \(unquoted\), got 'no'"),
    "only_mapped-quoted": ('only_mapped = "false"\n[columns.NAV]\nseries_id = "csv:FUND"\n',
                           "only_mapped must be true or false"),
    "positive-number": ('[columns.NAV]\nseries_id = "csv:FUND"\npositive = 1\n',
                        r"\[columns.NAV\] positive must be true or false \(unquoted\), got 1$"),
    "unit-number": ('[columns.NAV]\nseries_id = "csv:FUND"\nunit = 5\n',
                    r"\[columns.NAV\] unit must be a quoted string, got 5$"),
    "block-boolean": ('[columns.NAV]\nseries_id = "csv:FUND"\nblock = true\n',
                      r"\[columns.NAV\] block must be a quoted string, got True$"),
    "date_column-number": ('date_column = 1\n[columns.NAV]\nseries_id = "csv:FUND"\n',
                           r"m.toml: date_column must be a quoted string, got 1$"),
    "frequency-number": ('frequency = 5\n[columns.NAV]\nseries_id = "csv:FUND"\n',
                         r"m.toml: frequency must be a quoted string, got 5$"),
    # stored as given, then skipped by the quality checks and read as daily by the panel
    "frequency-unknown": ('frequency = "hourly"\n[columns.NAV]\nseries_id = "csv:FUND"\n',
                          r"m.toml: frequency must be one of daily, weekly, monthly, "
                          r"intraday, got 'hourly'$"),
    "column-frequency-unknown": ('[columns.NAV]\nseries_id = "csv:FUND"\nfrequency = "Weekly"\n',
                                 r"\[columns.NAV\] frequency must be one of daily, weekly, "
                                 r"monthly, intraday, got 'Weekly'$"),
}


@pytest.mark.parametrize("text, match", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_a_mapping_key_of_the_wrong_type_is_refused(tmp_path, text, match):
    with pytest.raises(ConfigError, match=match):
        CsvMapping.from_toml(write(tmp_path, "m.toml", text))


def test_an_intraday_mapping_is_read_and_keeps_the_hours(store, tmp_path):
    """``frequency = "intraday"`` is what an intraday file's refusal advises; refusing every
    frequency but the store's three refused it too (h_verify29). Two hours of one day are kept
    as two points at their times, with the column's own frequency as given."""
    f = write(tmp_path, "px.csv", "timestamp,PX\n2024-01-02 09:00,1.5\n2024-01-02 10:00,1.75\n")
    m = write(tmp_path, "m.toml", 'date_column = "timestamp"\nfrequency = "intraday"\n'
              '[columns.PX]\nseries_id = "csv:PX"\nfrequency = "intraday"\n')
    mapping = CsvMapping.from_toml(m)
    assert (mapping.frequency, mapping.columns["PX"].frequency) == ("intraday", "intraday")
    rep = import_path(f, store, mapping=mapping)
    assert rep.totals["stored"] == 2
    obs = store.observations().query("series_id == 'csv:PX'").sort_values("ts")
    assert [str(t) for t in obs["ts"]] == ["2024-01-02 09:00:00", "2024-01-02 10:00:00"]
    assert obs["value"].tolist() == [1.5, 1.75]


def test_a_unit_beside_an_id_the_import_converts_is_refused(store, tmp_path):
    """``fred:WMTSECL1`` is converted from FRED's millions (aa06f6f); ``unit = "usd_bn"`` beside
    it, for a column already in billions, was converted all the same: $2,985.5bn of custody
    holdings stored as $2.99bn without a word (h_verify29)."""
    f = write(tmp_path, "cust.csv", "date,CUST\n2024-01-03,2985.5\n")
    for unit in ("usd_bn", "usd_mn"):
        m = write(tmp_path, "m.toml", f'[columns.CUST]\nseries_id = "fred:WMTSECL1"\n'
                  f'unit = "{unit}"\n')
        with pytest.raises(ConfigError, match=rf"\[columns.CUST\] unit '{unit}', but "
                           r"fred:WMTSECL1 is read in its publisher's unit \(millions of USD"):
            CsvMapping.from_toml(m)
    # without a unit: read as published, in millions, stored in billions
    m = write(tmp_path, "m.toml", '[columns.CUST]\nseries_id = "fred:WMTSECL1"\n')
    import_path(f, store, mapping=CsvMapping.from_toml(m))
    assert store.wide(["fred:WMTSECL1"])["fred:WMTSECL1"].tolist() == [pytest.approx(2.9855)]


def test_mapping_flags_read_as_booleans(tmp_path):
    # not given: every column is imported, the mapped ones as mapped (h_mut24)
    toml = write(tmp_path, "m.toml", '[columns.NAV]\nseries_id = "csv:FUND"\n')
    assert CsvMapping.from_toml(toml).only_mapped is False
    toml.write_text('only_mapped = false\n[columns.NAV]\nseries_id = "csv:FUND"\n'
                    'positive = false\n')
    m = CsvMapping.from_toml(toml)
    assert (m.only_mapped, m.columns["NAV"].positive) == (False, False)
    toml.write_text('only_mapped = true\n[columns.NAV]\nseries_id = "csv:FUND"\n'
                    'positive = true\n')
    m = CsvMapping.from_toml(toml)
    assert (m.only_mapped, m.columns["NAV"].positive) == (True, True)


def test_reimport_reports_unchanged(store, tmp_path):
    f = write(tmp_path, "a.csv", "date,A\n2024-01-01,1\n2024-01-02,\n2024-01-03,3\n")
    first = import_path(f, store).totals
    assert (first["read"], first["stored"], first["empty"]) == (2, 2, 1)
    second = import_path(f, store).totals
    assert (second["stored"], second["unchanged"], second["revised"]) == (0, 2, 0)
    f.write_text("date,A\n2024-01-01,1\n2024-01-02,\n2024-01-03,3.5\n")
    third = import_path(f, store).totals
    assert (third["revised"], third["unchanged"]) == (1, 1)
    assert store.revisions("csv:A")["old_value"].tolist() == [3.0]
    runs = store.runs()
    assert len(runs) == 3 and set(runs["status"]) == {"ok"}
    assert isinstance(store.wide(["csv:A"]).index, pd.DatetimeIndex)


def test_a_folder_goes_on_past_a_file_it_cannot_read_and_names_it(store, tmp_path):
    # one bad file stopped the import halfway: the files after it unread, the store half-filled,
    # and only `data runs` said so
    folder = tmp_path / "data"
    folder.mkdir()
    write(folder, "a.csv", "date,A\n2024-01-01,1\n2024-01-02,2\n")
    write(folder, "b_german.csv", "date,B\n02.01.2025,1\n")
    write(folder, "c.csv", "date,C\n2024-01-01,3\n")
    with pytest.raises(ImportFileError) as err:
        import_path(folder, store)
    msg = str(err.value)
    assert msg.startswith("1 of 3 file(s) were not imported: ")
    assert "b_german.csv" in msg and "Nothing was imported from this file" in msg
    assert "The other 2 file(s) were (read 3, stored 3," in msg
    assert sorted(store.observations()["series_id"].unique()) == ["csv:a.A", "csv:c.C"]
    run = store.runs().iloc[-1]
    assert run["status"] == "error" and run["stored"] == 3
    one = folder / "b_german.csv"                     # a single file still fails on its own
    with pytest.raises(ImportFileError, match="Nothing was imported from this file"):
        import_path(one, store)


def _prices(n: int = 40) -> list[str]:
    rng = np.random.default_rng(3)
    level = 6800 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    days = pd.bdate_range("2025-01-02", periods=n)
    return [f"{d:%Y-%m-%d},{v:.1f}" for d, v in zip(days, level, strict=True)]


def test_a_last_line_cut_short_is_quarantined_not_stored(store, tmp_path):
    # 6845.5 cut to "68" at the end of a file: stored, and the stress headline read "elevated"
    rows = _prices()
    cut = rows[-1].split(",")[0] + ",68"
    f = write(tmp_path, "SP.csv", "date,SP\n" + "\n".join([*rows[:-1], cut]))
    rep = import_path(f, store)
    assert rep.totals["quarantined"] == 1 and rep.totals["stored"] == len(rows) - 1
    reason = store.quarantine()["reason"].iloc[0]
    assert "does not end with a line break" in reason and "looks cut short" in reason
    # a whole last value keeps its column's length, however far it moved (a 75 bp hike)
    hike = write(tmp_path, "R.csv", "date,R\n" + "\n".join(
        [f"2022-10-{d:02d},3.05" for d in range(3, 31)] + ["2022-11-03,3.80"]))
    assert import_path(hike, store).totals["quarantined"] == 0
    # a wide row cut after its second value field: that field is the cut one
    rows3 = [f"{r},{r.split(',')[1]},1.755" for r in rows[:-1]]
    wide = write(tmp_path, "W.csv", "date,X,Y,Z\n" + "\n".join([*rows3, "2025-02-26,6841.5,1"]))
    got = import_path(wide, store)
    q = store.quarantine()
    assert got.totals["quarantined"] == 1 and q["raw_value"].iloc[-1] == "1"
    # the same fall on a file that ends with its line break is a value, kept
    whole = write(tmp_path, "SP2.csv", "date,SP\n" + "\n".join([*rows[:-1], cut]) + "\n")
    assert import_path(whole, store).totals["quarantined"] == 0
    # and a file without a final line break whose last value is plausible is stored whole
    plain = write(tmp_path, "SQ.csv", "date,SQ\n" + "\n".join(rows))
    assert import_path(plain, store).totals["stored"] == len(rows)


def test_a_bad_date_without_a_value_is_not_called_quarantined(store, tmp_path):
    f = write(tmp_path, "x.csv", "date,A\n2024-01-01,1\n2024-01-02,2\n2024-07-\n")
    rep = import_path(f, store)
    assert rep.totals["quarantined"] == 0 and len(store.quarantine()) == 0
    note = " ".join(rep.files[0].notes)
    assert "1 row(s) have a bad date: 0 with a value were quarantined, 1 without one were " \
           "read as empty" in note


def test_importing_a_series_again_as_a_price_makes_it_one(store, tmp_path):
    # the scenario's error said "import it as one: spillwatch import FILE --map FUND=csv:FUND
    # --positive"; doing that printed "unchanged" and the catalog still said "not a price"
    f = tmp_path / "f.csv"
    f.write_text("date,PX\n2024-01-02,10\n2024-01-03,0\n2024-01-04,-1\n2024-01-05,11\n")
    import_path(f, store, mapping=CsvMapping.from_options(maps=["PX=csv:FUND"]))
    assert not bool(store.series().set_index("series_id").loc["csv:FUND", "positive"])
    rep = import_path(f, store, mapping=CsvMapping.from_options(
        maps=["PX=csv:FUND"], positive=True))
    cat = store.series().set_index("series_id").loc["csv:FUND"]
    assert bool(cat["positive"])
    assert any("csv:FUND is now a price (positive); its 2 stored value(s) at or below zero "
               "moved to the quarantine" in n for f_ in rep.files for n in f_.notes)
    kept = store.query("SELECT value FROM observations WHERE series_id = 'csv:FUND' "
                       "ORDER BY ts")["value"].tolist()
    assert kept == [10.0, 11.0]
    moved = store.quarantine("csv:FUND")
    moved = moved[moved["source"].str.startswith("store")]
    assert sorted(moved["raw_date"]) == ["2024-01-03", "2024-01-04"]
    # a publisher's series is never made a price by a user's file: one row onto fred:T10Y2Y
    # with --positive moved its whole 2022-24 inversion to the quarantine
    spread = tmp_path / "pub" / "fred" / "T10Y2Y.csv"
    spread.parent.mkdir(parents=True)
    spread.write_text("observation_date,T10Y2Y\n2023-01-03,-0.6\n2023-01-04,-0.7\n")
    import_path(tmp_path / "pub", store)                     # the shared layout: fred:T10Y2Y
    one = tmp_path / "one.csv"
    one.write_text("date,x\n2023-01-05,0.7\n")
    rep = import_path(one, store, mapping=CsvMapping.from_options(maps=["x=fred:T10Y2Y"],
                                                                  positive=True))
    assert any("fred:T10Y2Y is a publisher's series: it stays as published" in n
               for f_ in rep.files for n in f_.notes)
    assert not bool(store.series().set_index("series_id").loc["fred:T10Y2Y", "positive"])
    assert store.query("SELECT count(*) AS n FROM observations WHERE series_id = "
                       "'fred:T10Y2Y' AND value < 0")["n"].iloc[0] == 2
    # a unit given later fills an empty one; a different one is kept and said
    u = tmp_path / "m.toml"
    u.write_text('[columns.PX]\nseries_id = "csv:FUND"\nunit = "usd"\npositive = true\n')
    import_path(f, store, mapping=CsvMapping.from_toml(u))
    assert store.series().set_index("series_id").loc["csv:FUND", "unit"] == "usd"
    u.write_text('[columns.PX]\nseries_id = "csv:FUND"\nunit = "eur"\n')
    rep = import_path(f, store, mapping=CsvMapping.from_toml(u))
    assert any("in 'usd': its unit is kept (not changed to 'eur')" in n
               for f_ in rep.files for n in f_.notes)


def test_column_options_that_would_be_ignored_are_refused(tmp_path):
    from typer.testing import CliRunner

    from spillwatch.cli import app

    f = tmp_path / "f.csv"
    f.write_text("date,PX\n2024-01-02,10\n2024-01-03,-1\n")
    db = tmp_path / "s.duckdb"
    res = CliRunner().invoke(app, ["import", str(f), "--db", str(db), "--positive"])
    assert res.exit_code == 2 and "--positive marks the columns --map names" in res.stderr
    m = tmp_path / "m.toml"
    m.write_text('provider = "desk"\n')
    res = CliRunner().invoke(app, ["import", str(f), "--db", str(db), "--mapping", str(m),
                                   "--date-format", "%d/%m/%Y", "--map", "PX=desk:PX"])
    assert res.exit_code == 2
    assert "not both (--date-format, --map given with --mapping" in res.stderr
    assert not db.exists()


def test_two_files_of_a_folder_that_would_share_ids_are_refused(tmp_path):
    # a.b.csv and a/b.csv both named their column X 'csv:a.b.X': one series of two files
    from typer.testing import CliRunner

    from spillwatch.cli import app

    folder = tmp_path / "f"
    (folder / "a").mkdir(parents=True)
    (folder / "a.b.csv").write_text("date,X\n2024-01-02,10\n")
    (folder / "a" / "b.csv").write_text("date,X\n2024-01-02,500\n")
    db = tmp_path / "s.duckdb"
    res = CliRunner().invoke(app, ["import", str(folder), "--db", str(db)])
    assert res.exit_code == 2
    assert "would both name their columns 'a.b.<column>'" in res.stderr
    assert not db.exists()                       # nothing written, not even an empty store


def test_a_dotted_column_that_meets_another_files_id_is_refused(store, tmp_path):
    # a.csv's column b.X and a/b.csv's X both gave csv:a.b.X: one series of two files (the
    # stems differ, so only the ids can tell)
    folder = tmp_path / "f"
    (folder / "a").mkdir(parents=True)
    (folder / "a.csv").write_text("date,b.X\n2024-01-02,10\n")
    (folder / "a" / "b.csv").write_text("date,X\n2024-01-02,500\n")
    with pytest.raises(ImportFileError, match=r"its column gives the series id csv:a\.b\.X, "
                                              r"which .* already gave"):
        import_path(folder, store)
    assert store.query("SELECT count(*) AS n FROM observations WHERE series_id = "
                       "'csv:a.b.X'")["n"].iloc[0] == 1          # one file's point, not two


def test_mapping_text_keys_read_as_strings(tmp_path):
    toml = write(tmp_path, "m.toml", 'date_column = "Day"\n[columns.NAV]\nseries_id = '
                 '"csv:FUND"\nunit = "usd"\nblock = "funds"\n')
    spec = CsvMapping.from_toml(toml).columns["NAV"]
    assert (spec.unit, spec.block) == ("usd", "funds")
