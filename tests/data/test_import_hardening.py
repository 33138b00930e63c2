"""Every awkward file either imports with the right values or fails with our own error naming the
file and line; the counts always close (read = stored + unchanged + revised + quarantined +
merged)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app
from spillwatch.data.ingest import CsvMapping, import_path
from spillwatch.exceptions import ConfigError, ImportFileError

runner = CliRunner()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def closes(rep) -> None:
    for f in rep.files:
        assert f.read == f.stored + f.unchanged + f.revised + f.quarantined + f.duplicates


def values(store, sid: str) -> list[float]:
    return store.observations([sid])["value"].tolist()


@pytest.mark.parametrize("text", [
    "date,A\r2024-01-01,1\r2024-01-02,2\r",               # CR only (old Mac)
    "date,A\r\n2024-01-01,1\n2024-01-02,2\r",             # mixed
    "\n\n date,A\n\n2024-01-01,1\n\n2024-01-02,2\n\n",     # blank lines, a leading one too
    "date,A,\n2024-01-01,1,\n2024-01-02,2,\n",            # trailing delimiters everywhere
    "date,A\n2024-01-01,1,\n2024-01-02,2,,\n",            # trailing delimiters on data lines
    "date;A\n2024-01-01;1,0\n2024-01-02;2\n",             # semicolons with a decimal comma
    "date\tA\n2024-01-01\t1\n2024-01-02\t2\n",            # tabs
])
def test_line_endings_blank_lines_delimiters(store, tmp_path, text):
    rep = import_path(write(tmp_path, "a.csv", text), store)
    closes(rep)
    assert values(store, "csv:A") == [1.0, 2.0]
    assert rep.totals["read"] == 2 and rep.totals["stored"] == 2


def test_a_european_column_reads_dots_as_thousands(store, tmp_path):
    """In a semicolon file whose column has decimal commas, "2.000" is 2000 (it was stored as
    2) and "1.000,25" is 1000.25. A column that also has an English decimal ("2.5") shows both
    conventions: each cell reads as its own form says and "2.000" is ambiguous."""
    text = "date;Eu\n2024-01-02;1,5\n2024-01-03;2.000\n2024-01-04;1.000,25\n"
    rep = import_path(write(tmp_path, "eu.csv", text), store)
    closes(rep)
    assert values(store, "csv:Eu") == [1.5, 2000.0, 1000.25]
    both = text.replace("Eu", "Mix") + "2024-01-05;2.5\n"
    rep = import_path(write(tmp_path, "both.csv", both), store)
    closes(rep)
    assert values(store, "csv:Mix") == [1.5, 1000.25, 2.5]
    q = store.quarantine()
    assert q["raw_value"].tolist() == ["2.000"]
    assert q["reason"].str.startswith("ambiguous number").all()
    # a plain semicolon file (no decimal comma anywhere) keeps the dot as the decimal mark
    import_path(write(tmp_path, "plain.csv", "date;P\n2024-01-02;2.000\n2024-01-03;2.5\n"),
                store)
    assert values(store, "csv:P") == [2.0, 2.5]


def test_trailing_comma_is_not_data_loss(store, tmp_path):
    # pandas used to make the date column the index here: read 0, stored 0
    rep = import_path(write(tmp_path, "t.csv", "date,A\n2024-01-02,100.5,\n"), store)
    assert (rep.totals["read"], rep.totals["stored"]) == (1, 1)
    assert values(store, "csv:A") == [100.5]


@pytest.mark.parametrize(("data", "note"), [
    (codecs.BOM_UTF8 + b"date,A\n2024-01-01,1\n", None),
    (codecs.BOM_UTF16_LE + "date,A\n2024-01-01,1\n".encode("utf-16-le"), "UTF-16"),
    ("date,A\n2024-01-01,1\n".encode("utf-16-le"), "UTF-16-LE"),
    ("date,Prix \xe9t\xe9\n2024-01-01,1\n".encode("latin-1"), "Latin-1"),
    # the euro sign of a European Excel "ANSI" export (0x80) was refused as "not UTF-8"
    ("date,Preis \u20ac\n2024-01-01,1\n".encode("cp1252"), "Windows-1252"),
])
def test_encodings(store, tmp_path, data, note):
    rep = import_path(write(tmp_path, "e.csv", data), store)
    assert rep.totals["stored"] == 1
    if note:
        assert any(note in n for n in rep.files[0].notes)
    if b"\xe9" in data:
        assert store.series()["series_id"].tolist() == ["csv:Prix été"]
    if b"\x80" in data:
        assert store.series()["series_id"].tolist() == ["csv:Preis €"]


def test_not_utf8_is_a_clear_error_with_line_and_column(store, tmp_path):
    data = "date,A\n2024-01-01,1\n2024-01-02,週次\n".encode("cp932")
    f = write(tmp_path, "jp.csv", data)
    with pytest.raises(ImportFileError, match=r"jp\.csv:3: not UTF-8 text \(byte 0x.. at "
                       r"column 12\)") as e:
        import_path(f, store)
    assert "save the file as UTF-8" in str(e.value)
    # a compressed file named .csv read as text failed at its second byte, naming neither
    import gzip
    import io
    import zipfile

    g = write(tmp_path, "btc.csv", gzip.compress(b"date,A\n2024-01-01,1\n"))
    with pytest.raises(ImportFileError, match=r"btc\.csv:1: the file is gzip-compressed, not "
                       r"CSV text; gunzip it and import the CSV"):
        import_path(g, store)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("sheet.csv", "date,A\n2024-01-01,1\n")
    z_file = write(tmp_path, "sheet.csv", buf.getvalue())
    with pytest.raises(ImportFileError, match=r"the file is a zip archive \(or an \.xlsx "
                       r"workbook\), not CSV text; unzip it, or save the sheet as CSV"):
        import_path(z_file, store)
    assert store.series().empty


@pytest.mark.parametrize(("name", "data", "match"), [
    ("blank.csv", b"  \n\t\n", "the file is empty"),
    ("bom.csv", codecs.BOM_UTF8, "the file is empty"),
    ("bom16.csv", codecs.BOM_UTF16_LE, "the file is empty"),
    ("nul.csv", b"date,A\n2024\x00-01-01,1\n" + b"x" * 40, "NUL"),
    ("long_header.csv", b"date," + b"A" * (200 * 1024) + b"\n2024-01-01,1\n",
     r"long_header\.csv:1: column 2 of the header has a name of 204,800 characters"),
    ("huge_field.csv", b"date,A\n2024-01-01," + b"9" * (1 << 21) + b"\n",
     r"huge_field\.csv:2: a field longer than 1,048,576 characters"),
    ("ragged.csv", b"date,A\n2024-01-01,1\n2024-01-02,2,3\n",
     r"ragged\.csv:3: malformed CSV: 3 fields, the header has 2"),
    ("noname.csv", b"date,,A\n2024-01-01,1,2\n", r"noname\.csv:1: column 2 of the header has no"),
])
def test_whole_file_errors_name_file_and_line(store, tmp_path, name, data, match):
    f = write(tmp_path, name, data)
    with pytest.raises(ImportFileError, match=match):
        import_path(f, store)
    assert store.count() == 0


def test_quoted_comma_in_header_and_large_text_field(store, tmp_path):
    big = "x" * (300 * 1024)  # over the csv module's 128 KiB default, under our 1 MiB limit
    f = write(tmp_path, "q.csv", f'date,"Close, USD"\n2024-01-01,1\n2024-01-02,"{big}"\n')
    rep = import_path(f, store)
    closes(rep)
    assert store.series()["series_id"].tolist() == ["csv:Close, USD"]
    q = store.quarantine()
    assert q.loc[0, "line"] == 3 and q.loc[0, "reason"].startswith("non-numeric value 'xxx")
    assert len(q.loc[0, "raw_value"]) < 300  # the quarantine row keeps a clipped copy


def test_mixed_utc_offsets_are_normalised_to_utc(store, tmp_path):
    f = write(tmp_path, "tz.csv", "ts,A\n2024-01-02T00:00:00Z,1\n2024-01-03T01:00:00+01:00,2\n"
              "2024-01-04T00:00:00-00:00,3\n2024-01-05,4\n")
    rep = import_path(f, store)
    closes(rep)
    got = store.observations(["csv:A"])
    assert got["ts"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02", "2024-01-03",
                                                          "2024-01-04", "2024-01-05"]


def test_non_iso_dates_error_with_a_format_hint(store, tmp_path):
    f = write(tmp_path, "us.csv", "date,A\n04/11/2025,1\n04/14/2025,2\n")
    with pytest.raises(ImportFileError, match=r"us\.csv:2: no date in column 'date' parses as "
                       r"ISO 8601.*--date-format '%m/%d/%Y'") as e:
        import_path(f, store)
    assert "Nothing was imported" in str(e.value)
    assert store.series().empty  # no empty csv: series left behind
    rep = import_path(f, store, mapping=CsvMapping.from_options(date_format="%m/%d/%Y"))
    assert rep.totals["stored"] == 2


def test_some_bad_dates_are_quarantined_with_a_note(store, tmp_path):
    f = write(tmp_path, "d.csv", "date,A\n2024-01-01,1\n01/02/2024,2\n0000-01-01,3\n"
              "99999-01-01,4\n2024-01-05,5\n")
    rep = import_path(f, store)
    closes(rep)
    assert values(store, "csv:A") == [1.0, 5.0]
    reasons = store.quarantine()["reason"].tolist()
    assert reasons[0] == "unparseable date '01/02/2024' (see --date-format)"
    assert "out of range" in reasons[1] and len(reasons) == 3
    assert any("--date-format" in n for n in rep.files[0].notes)


def test_a_file_imported_by_another_spelling_of_its_path_is_quarantined_once(store, tmp_path,
                                                                              monkeypatch):
    # the shared folder imported as `full`, then as `$PWD/full`, doubled the quarantine: 474
    # rows where `data health` said 237 (a copy in another folder is listed per file)
    text = "date,A\n2024-01-01,1\n2024-01-02,abc\n2024-01-03,3\n"
    (tmp_path / "one").mkdir()
    write(tmp_path / "one", "a.csv", text)
    monkeypatch.chdir(tmp_path)
    for path in ("one", tmp_path / "one", "one/../one", "./one/"):
        rep = import_path(path, store)
        closes(rep)
        assert rep.files[0].quarantined == 1          # what this read rejected, as before
    q = store.quarantine()
    assert len(q) == 1 and q["raw_value"].tolist() == ["abc"]
    assert q["source"].tolist() == [str(tmp_path / "one" / "a.csv")]


def test_bad_date_format_option_is_a_config_error(store, tmp_path):
    f = write(tmp_path, "d.csv", "date,A\n2024-01-01,1\n")
    with pytest.raises(ConfigError, match="invalid date format"):
        import_path(f, store, mapping=CsvMapping.from_options(date_format="%Q-%m"))


def test_two_columns_mapped_to_one_series_is_an_error(store, tmp_path):
    with pytest.raises(ConfigError, match="'a' and 'b' are both mapped to m:x"):
        CsvMapping.from_options(maps=["a=m:x", "b=m:x"])
    toml = write(tmp_path, "m.toml", '[columns.a]\nseries_id = "m:x"\n[columns.b]\n'
                 'series_id = "m:x"\n')
    with pytest.raises(ConfigError, match="both mapped to m:x"):
        CsvMapping.from_toml(toml)


def test_mapping_never_renames_an_existing_catalog_entry(store, tmp_path):
    fred = tmp_path / "fred"
    fred.mkdir()
    write(fred, "DEXJPUS.csv", "date,DEXJPUS\n2025-04-21,140.81\n")
    import_path(tmp_path, store)
    before = store.series().set_index("series_id").loc["fred:DEXJPUS"].to_dict()
    desk = write(tmp_path, "desk.csv", "date,USDJPY\n2025-04-22,141.5\n")
    rep = import_path(desk, store, mapping=CsvMapping.from_options(
        maps=["USDJPY=fred:DEXJPUS"]))
    after = store.series().set_index("series_id").loc["fred:DEXJPUS"].to_dict()
    assert after["name"] == before["name"] == "Yen per US dollar"
    assert after["unit"] == before["unit"]
    assert values(store, "fred:DEXJPUS") == [140.81, 141.5]
    assert rep.totals["stored"] == 1
    # a mapping file that names it otherwise does not rename it either, and says so
    toml = write(tmp_path, "m.toml", '[columns.USDJPY]\nseries_id = "fred:DEXJPUS"\n'
                 'name = "USDJPY"\nunit = "yen"\n')
    rep = import_path(desk, store, mapping=CsvMapping.from_toml(toml))
    assert store.series().set_index("series_id").loc["fred:DEXJPUS", "name"] == (
        "Yen per US dollar")
    assert any("is already in the catalog" in n for n in rep.files[0].notes)


def test_mapping_to_a_known_id_takes_the_known_catalog_entry(store, tmp_path):
    desk = write(tmp_path, "desk.csv", "date,USDJPY\n2025-04-22,141.5\n")
    import_path(desk, store, mapping=CsvMapping.from_options(maps=["USDJPY=fred:DEXJPUS"]))
    cat = store.series().set_index("series_id")
    assert cat.loc["fred:DEXJPUS", "name"] == "Yen per US dollar"


def test_folder_import_never_merges_same_named_columns(store, tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "a.csv", "date,TCI\n2024-01-01,1\n2024-01-02,2\n")
    write(tmp_path / "sub", "b.csv", "date,TCI\n2024-01-01,10\n2024-01-02,20\n")
    rep = import_path(tmp_path, store)
    assert rep.totals["revised"] == 0 and rep.totals["stored"] == 4
    assert sorted(store.series()["series_id"]) == ["csv:a.TCI", "csv:sub.b.TCI"]
    assert values(store, "csv:sub.b.TCI") == [10.0, 20.0]


def test_empty_column_is_not_registered(store, tmp_path):
    rep = import_path(write(tmp_path, "e.csv", "date,A,B\n2024-01-01,1,\n2024-01-02,2,.\n"),
                      store)
    assert store.series()["series_id"].tolist() == ["csv:A"]
    assert "column 'B' has no value: not imported" in rep.files[0].notes
    assert rep.totals["empty"] == 2


def test_cli_prints_error_file_line_and_exits_2(tmp_path):
    bad = write(tmp_path, "bad.csv", "date,A\n2024-01-01,1\n2024-01-02,2,3\n")
    res = runner.invoke(app, ["import", str(bad), "--db", str(tmp_path / "s.duckdb")])
    assert res.exit_code == 2
    assert "error:" in res.output and "bad.csv:3: malformed CSV" in res.output
    assert "Traceback" not in res.output
    semi = write(tmp_path, "semi.csv", "date;Close\n2024-01-01;1,5\n")
    res = runner.invoke(app, ["import", str(semi), "--db", str(tmp_path / "s.duckdb"),
                              "--json"])
    assert res.exit_code == 0, res.output


def test_symlinked_files_in_a_folder_keep_their_own_ids(store, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    write(outside, "basic.csv", "date,Close\n2024-01-02,100.5\n2024-01-03,101\n")
    write(outside, "neg.csv", "date,Close\n2024-01-02,-5\n2024-01-03,0\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "l1.csv").symlink_to(outside / "basic.csv")
    (folder / "l2.csv").symlink_to(outside / "neg.csv")
    rep = import_path(folder, store)
    closes(rep)
    assert rep.totals["revised"] == 0 and rep.totals["stored"] == 4
    assert sorted(store.series()["series_id"]) == ["csv:l1.Close", "csv:l2.Close"]
    assert values(store, "csv:l2.Close") == [-5.0, 0.0]


def test_a_publisher_folder_imported_itself_keeps_the_publisher_ids(store, tmp_path):
    fred = tmp_path / "fred"
    fred.mkdir()
    write(fred, "DGS10.csv", "date,DGS10\n2024-01-02,3.95\n2024-01-03,3.91\n")
    import_path(fred, store)                         # `spillwatch import data/fred`
    assert store.series()["series_id"].tolist() == ["fred:DGS10"]


def _without_root_privileges() -> list[str]:
    """A prefix that drops root's permission bypass (root reads a chmod-000 folder)."""
    import os
    import shutil

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


def _cli(args: list[str]) -> tuple[int, str]:
    import subprocess
    import sys

    res = subprocess.run([*_without_root_privileges(), sys.executable, "-m", "spillwatch",
                          *args], capture_output=True, text=True, timeout=120)
    return res.returncode, res.stdout + res.stderr


def test_an_unreadable_subfolder_is_an_error_not_a_silent_skip(tmp_path):
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    write(folder, "a.csv", "date,A\n2024-01-02,1\n")
    write(folder / "sub", "c.csv", "date,C\n2024-01-02,1\n")
    (folder / "sub").chmod(0)
    try:
        code, out = _cli(["import", str(folder), "--db", str(tmp_path / "s.duckdb"), "--json"])
    finally:
        (folder / "sub").chmod(0o755)
    assert code == 2, out
    assert "error:" in out and "sub: cannot be read" in out and "Traceback" not in out


@pytest.mark.slow
def test_a_store_in_a_read_only_folder_reads_and_refuses_writes_clearly(tmp_path):
    src = write(tmp_path, "a.csv", "date,A\n2024-01-02,1\n")
    ro = tmp_path / "ro"
    ro.mkdir()
    code, out = _cli(["import", str(src), "--db", str(ro / "s.duckdb")])
    assert code == 0, out
    (ro / "s.duckdb.lock").unlink(missing_ok=True)
    ro.chmod(0o555)
    try:
        code, out = _cli(["data", "health", "--db", str(ro / "s.duckdb"), "--json"])
        assert code == 0 and "csv:A" in out, out                  # reading needs no lock here
        code, out = _cli(["import", str(src), "--db", str(ro / "s.duckdb")])
        assert code == 2 and "cannot create the lock file" in out and "Traceback" not in out
        code, out = _cli(["import", str(src), "--db", str(ro / "new" / "s.duckdb")])
        assert code == 2 and "cannot create the folder of the store" in out, out
    finally:
        ro.chmod(0o755)


def test_awkward_values_get_reasons_that_say_what_is_wrong(store, tmp_path):
    f = write(tmp_path, "v.csv", "date,A\n2024-01-02 09:00,100\n2024-01-02 15:00,101\n"
                                 "2024-01-03,1e400\n2024-01-04,1_000\n2024-01-05,7\n")
    rep = import_path(f, store)
    closes(rep)
    q = store.quarantine().set_index("raw_value")["reason"]
    assert "several times of day" in q["100"] and "frequency" in q["100"]
    assert q["1e400"].startswith("non-finite value")
    assert q["1_000"].startswith("non-numeric value")
    assert values(store, "csv:A") == [7.0]
    # the same rejected points from a copy of the file elsewhere count once in health
    (tmp_path / "copy").mkdir()
    import_path(write(tmp_path / "copy", "v.csv", f.read_text()), store)
    assert len(store.quarantine()) == 8                  # each source's rows are listed
    h = store.health().set_index("series_id")
    assert h.loc["csv:A", "quarantined"] == 4


def test_mapped_column_missing_and_spreadsheet_serial_dates(store, tmp_path):
    f = write(tmp_path, "a.csv", "date,Close\n2024-01-02,1\n")
    with pytest.raises(ImportFileError, match=r"mapped column 'Nope' not in the header; its "
                                              r"columns are: date, Close"):
        import_path(f, store, mapping=CsvMapping(columns={"Nope": _spec("csv:X")},
                                                 only_mapped=True))
    xl = write(tmp_path, "xl.csv", "date,A\n45293,1\n45294,2\n")
    with pytest.raises(ImportFileError, match="spreadsheet serial day numbers"):
        import_path(xl, store)


def _spec(sid: str):
    from spillwatch.data.ingest import make_spec

    return make_spec(sid)


def test_a_future_date_is_quarantined_and_never_reads_as_fresh(store, tmp_path):
    import datetime as dt

    from spillwatch.data.providers.csvfile import parse_csv

    # the newest date anywhere now is UTC+14's (Kiribati); the day after it exists nowhere yet
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()
    later = tomorrow + dt.timedelta(days=1)
    f = write(tmp_path, "f.csv", f"date,A\n2024-01-02,1\n{tomorrow},2\n{later},3\n2099-01-01,4\n")
    rep = import_path(f, store)
    closes(rep)
    assert values(store, "csv:A") == [1.0, 2.0]          # UTC+14's today is kept
    q = store.quarantine().set_index("raw_value")["reason"]
    assert set(q.index) == {"3", "4"}
    assert q["4"] == "date '2099-01-01' is in the future (a typo or a forecast; only " \
                     "observations are stored)"
    assert store.health().set_index("series_id").loc["csv:A", "last_ts"].date() == tomorrow
    # the clock is a parameter: the same file read as of 2098-12-31 keeps 2099-01-01
    assert len(parse_csv(f, today="2098-12-31").quarantine) == 0


def test_quarantine_and_runs_show_every_column_with_wide(tmp_path):
    db = tmp_path / "q.duckdb"
    f = write(tmp_path, "f.csv", "date,A\n2024-01-02,1\n2099-01-01,4\n")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(f), "--db", str(db)]).exit_code == 0
    narrow = runner.invoke(app, ["data", "quarantine", "--db", str(db)], env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.output
    assert "--wide shows them" in narrow.output     # the reason does not fit 80 columns ...
    for cmd in (["data", "quarantine"], ["data", "runs"]):   # ... and --wide exists
        res = runner.invoke(app, [*cmd, "--db", str(db), "--wide"], env={"COLUMNS": "80"})
        assert res.exit_code == 0, res.output
        assert "not shown" not in res.output
    res = runner.invoke(app, ["data", "quarantine", "--db", str(db), "--wide"])
    # the last column's folded lines, joined again
    reason = " ".join(line.split("│")[-2].strip() for line in res.output.splitlines()
                      if line.count("│") > 2)
    assert "is in the future (a typo or a forecast" in reason.replace("0 1'", "01'"), res.output


def test_the_import_summary_closes_its_count_on_screen(tmp_path):
    f = write(tmp_path, "d.csv", "date,A\n2024-01-02,1\n2024-01-02,1\n2024-01-03,x\n"
                                 "2024-01-04,\n2024-01-05,2\n")
    res = CliRunner().invoke(app, ["import", str(f), "--db", str(tmp_path / "d.duckdb")])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert ("read 4, stored 2, unchanged 0, revised 0, quarantined 1, repeated rows merged 1 "
            "(read = stored + unchanged + revised + quarantined + merged); empty cells 1") in text


@pytest.mark.parametrize("name, text, stored, ambiguous", [
    # a semicolon file with integers: "1.001" may be 1.001 or 1001 and nothing in the column
    # says which (it was stored as 1.001 next to 998); several dot groups say European
    ("a.csv", "date;Schluss;Volumen\n2024-01-02;998;1.250.000\n2024-01-03;1.001;980.500\n",
     {"csv:Schluss": [998.0], "csv:Volumen": [1_250_000.0, 980_500.0]}, ["1.001"]),
    # both conventions in one column: "4.350" was stored as 4350
    ("b.csv", "date;Yield\n2024-01-02;4.25\n2024-01-03;4,30\n2024-01-04;4.350\n",
     {"csv:Yield": [4.25, 4.30]}, ["4.350"]),
    # quoted decimal commas in a comma file: "4,125" was 4125 and "0,500" was 500
    ("c.csv", 'date,Y\n2024-01-02,"4,25"\n2024-01-03,"4,125"\n2024-01-04,"0,500"\n'
     '2024-01-05,"4,3"\n', {"csv:Y": [4.25, 4.125, 0.5, 4.3]}, []),
    # English thousands stay English; European stays European
    ("d.csv", 'date,P\n2024-01-02,"42,123.50"\n2024-01-03,"4,125"\n2024-01-04,99.5\n',
     {"csv:P": [42_123.5, 4_125.0, 99.5]}, []),
    ("e.csv", "date;P\n2024-01-02;1.000,25\n2024-01-03;2.000\n", {"csv:P": [1000.25, 2000.0]},
     []),
    # an English column of a semicolon file: "4,125" is four thousand (it was read 4.125)
    ("f.csv", 'date;P\n2024-01-02;"1,234.50"\n2024-01-03;4,125\n', {"csv:P": [1234.5, 4125.0]},
     []),
    # tab and pipe files: nothing in these columns decides (they were read as 4125 and 1.001)
    ("g.csv", "date\tP\n2024-01-02\t4,125\n2024-01-03\t4,130\n", {}, ["4,125", "4,130"]),
    ("h.csv", "date|P\n2024-01-02|1.001\n2024-01-03|1.002\n", {}, ["1.001", "1.002"]),
    ("i.csv", "date\tP\n2024-01-02\t4.25\n2024-01-03\t4,125\n", {"csv:P": [4.25, 4125.0]}, []),
])
def test_a_number_is_never_read_a_thousand_times_off(tmp_path, store, name, text, stored,
                                                     ambiguous):
    rep = import_path(write(tmp_path, name, text), store)
    closes(rep)
    for sid, want in stored.items():
        assert values(store, sid) == pytest.approx(want), sid
    q = store.quarantine()
    assert sorted(q["raw_value"].str.strip()) == sorted(ambiguous)
    assert q["reason"].str.startswith("ambiguous number").all()



def test_a_daily_file_with_utc_offsets_keeps_the_dates_as_written(store, tmp_path):
    # a Berlin export of daily closes (midnight +02:00) and a New York one (20:00 -04:00): in
    # UTC the first were a day early (Monday's close on Sunday) and the second a day late
    # (Friday's on Saturday), and the weekend rows then fell out of the panel
    f = write(tmp_path, "cet.csv", "date,A\n2025-06-02 00:00:00+02:00,1\n"
              "2025-06-03 00:00:00+02:00,2\n2025-06-06T20:00:00-04:00,3\n"
              "2025-06-09T20:00:00-0400,4\n2025-06-10T00:00:00Z,5\n")
    rep = import_path(f, store)
    closes(rep)
    got = store.observations(["csv:A"])
    assert got["ts"].dt.strftime("%Y-%m-%d").tolist() == ["2025-06-02", "2025-06-03",
                                                          "2025-06-06", "2025-06-09",
                                                          "2025-06-10"]
    assert got["value"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    # ... and says so: an exchange's UTC-day bars written in New York time were stored a day
    # early and revised the closes already held, without a word
    (note,) = [n for n in rep.files[0].notes if "UTC offset" in n]
    assert note.startswith("column 'date': 4 timestamp(s) carry a UTC offset that puts them "
                           "on another day in UTC (line 2: '2025-06-02 00:00:00+02:00' is "
                           "stored on 2025-06-02, the date written; in UTC it is 2025-06-01)")
    plain = write(tmp_path, "utc.csv", "date,B\n2025-06-02T00:00:00Z,1\n2025-06-03,2\n"
                  "2025-06-04T09:00:00+09:00,3\n")
    assert not [n for n in import_path(plain, store).files[0].notes if "UTC offset" in n]


def test_a_folder_import_names_the_files_it_does_not_read(store, tmp_path):
    folder = tmp_path / "fold"
    folder.mkdir()
    write(folder, "wide.csv", "date,A\n2024-01-02,1\n")
    write(folder, "stopper.txt", "date,B\n2024-01-02,2\n")     # CSV text, not a .csv
    write(folder, "wide_copy.csv.bak", "date,C\n2024-01-02,3\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "book.xlsx").write_bytes(b"PK\x03\x04")
    rep = import_path(folder, store)
    closes(rep)
    assert rep.skipped == ["stopper.txt", "sub/book.xlsx", "wide_copy.csv.bak"]
    assert rep.to_dict()["skipped"] == rep.skipped
    assert "not read (not .csv): 3 file(s)" in "\n".join(rep._summary_lines())


def test_a_date_format_with_day_and_month_swapped_is_an_error(store, tmp_path):
    # %m/%d/%Y on a DD/MM/YYYY file: the days past the 12th were quarantined and the rest
    # stored on swapped dates (2021-01-02, a Saturday, for 1 February) with exit 0
    rows = "".join(f"{d:%d/%m/%Y},{i}\n" for i, d in
                   enumerate(pd.bdate_range("2021-01-01", "2021-03-31"), start=1))
    f = write(tmp_path, "euro.csv", "Datum,A\n" + rows)
    with pytest.raises(ImportFileError, match=r"euro\.csv:10: 36 of 64 dates in column "
                       r"'Datum' do not parse as '%m/%d/%Y' \(first: '13/01/2021'\) and every "
                       r"date parses as '%d/%m/%Y'"):
        import_path(f, store, mapping=CsvMapping(date_column="Datum",
                                                 date_format="%m/%d/%Y"))
    assert store.series().empty
    rep = import_path(f, store, mapping=CsvMapping(date_column="Datum", date_format="%d/%m/%Y"))
    closes(rep)
    assert rep.totals["stored"] == 64
    # a few junk dates under the right format are still quarantined, not an error
    g = write(tmp_path, "junk.csv", "date,B\n01/02/2021,1\nN/A,2\n01/03/2021,3\n")
    rep = import_path(g, store, mapping=CsvMapping(date_format="%m/%d/%Y"))
    assert rep.totals["quarantined"] == 1


def test_dates_that_read_both_ways_are_not_given_one_of_them(store, tmp_path):
    """A monthly file written days first (01/02/2020 is 1 February): every date reads as
    '%m/%d/%Y' too, and the hint said "pass --date-format '%m/%d/%Y'"; taken, five years of
    monthly values were stored on 1 to 12 January of each year, exit 0. The hint names both
    with a date they read differently; a format given that another reads on other days is
    followed, with a note saying so."""
    months = pd.date_range("2020-01-01", "2024-12-01", freq="MS")
    rows = "".join(f"{d:%d/%m/%Y},{i}\n" for i, d in enumerate(months, start=1))
    f = write(tmp_path, "jp3m.csv", "date,A\n" + rows)
    with pytest.raises(ImportFileError) as e:
        import_path(f, store)
    msg = str(e.value)
    assert ("every date reads both as '%m/%d/%Y' and as '%d/%m/%Y', and nothing in the file "
            "says which ('01/02/2020' is 2020-01-02 one way, 2020-02-01 the other): pass "
            "--date-format with the one your file uses") in msg
    assert "pass --date-format '%m/%d/%Y'" not in msg and store.series().empty
    rep = import_path(f, store, mapping=CsvMapping.from_options(date_format="%m/%d/%Y"))
    closes(rep)
    (note,) = [n for n in rep.files[0].notes if "also reads as" in n]
    assert note == ("column 'date': every date also reads as '%d/%m/%Y' ('01/02/2020' is "
                    "2020-01-02 as --date-format '%m/%d/%Y' reads it, 2020-02-01 as "
                    "'%d/%m/%Y'): they were read as given; check that it is your file's order")
    # the right order: stored on the first of each month, with the same note (the file
    # alone cannot tell; the user's choice is followed and said)
    g = write(tmp_path, "jp3m_b.csv", "date,B\n" + rows)
    rep = import_path(g, store, mapping=CsvMapping.from_options(date_format="%d/%m/%Y"))
    assert store.observations(["csv:B"])["ts"].tolist() == list(months)
    assert [n for n in rep.files[0].notes if "also reads as" in n] == [
        "column 'date': every date also reads as '%m/%d/%Y' ('01/02/2020' is 2020-02-01 as "
        "--date-format '%d/%m/%Y' reads it, 2020-01-02 as '%m/%d/%Y'): they were read as "
        "given; check that it is your file's order"]
    # a file with a day past the 12th reads one way only: the hint names it (a blank date
    # among them made it a quarantine of every row, exit 0)
    h = write(tmp_path, "us.csv", "date,C\n,0\n04/11/2025,1\n04/14/2025,2\n")
    with pytest.raises(ImportFileError, match=r"us\.csv:3: no date .* \(first: '04/11/2025'\); "
                       r"it looks like '%m/%d/%Y': pass --date-format '%m/%d/%Y'"):
        import_path(h, store)
    # a format with a time: its day and month the other way round are checked too
    t = write(tmp_path, "t.csv", "date,D\n01/02/2020 10:00,1\n03/02/2020 10:00,2\n")
    rep = import_path(t, store, mapping=CsvMapping.from_options(date_format="%d/%m/%Y %H:%M"))
    assert [n for n in rep.files[0].notes if "also reads as '%m/%d/%Y %H:%M'" in n]


def test_a_day_past_the_twelfth_settles_the_order_and_no_note_says_otherwise(store, tmp_path):
    """A fund's NAV written days first with --date-format '%d/%m/%Y', newest first, with
    days past the 12th (31/12/2025): only '%d/%m/%Y' reads them all, yet the import noted
    "every date also reads as '%m/%d/%Y' ... check that it is your file's order", which is
    false of this file (31/12/2025 is no month-first date). The note is for files every date
    of which reads both ways; here the dates are stored and nothing is noted."""
    f = write(tmp_path, "nav.csv", "date,NAV\n31/12/2025,684.55\n11/12/2025,689.17\n"
              "01/12/2025,680.0\n")
    rep = import_path(f, store, mapping=CsvMapping.from_options(
        maps=["NAV=csv:MYFUND"], date_format="%d/%m/%Y"))
    closes(rep)
    assert store.observations(["csv:MYFUND"])["ts"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-12-01", "2025-12-11", "2025-12-31"]
    assert [n for n in rep.files[0].notes if "also reads as" in n] == []


def test_values_written_with_a_percent_sign_are_read_in_percent(store, tmp_path):
    """An Excel export of a column formatted as percent writes "3.95%": every value was
    quarantined as non-numeric, nothing stored, exit 0. A column whose every value carries
    the sign is read without it, with a note; a column mixing the two forms is not guessed."""
    f = write(tmp_path, "dgs10_pct.csv", "date,DGS10\n2024-01-02,3.95%\n2024-01-03,3.91 %\n"
              "2024-01-04,#N/A\n2024-01-05,\"-0,10%\"\n")
    rep = import_path(f, store, mapping=CsvMapping.from_options(maps=["DGS10=csv:TEN"]))
    closes(rep)
    assert values(store, "csv:TEN") == [3.95, 3.91, -0.10]
    assert rep.files[0].quarantined == 0 and rep.files[0].empty == 1
    assert ("column 'DGS10': its 3 value(s) are written with a percent sign (first '3.95%'): "
            "read as the number before it, in percent") in rep.files[0].notes
    g = write(tmp_path, "mixed.csv", "date,M\n2024-01-02,3.95%\n2024-01-03,3.91\n")
    rep = import_path(g, store)
    closes(rep)
    assert values(store, "csv:M") == [3.91]
    assert store.quarantine("csv:M")["reason"].tolist() == ["non-numeric value '3.95%'"]
    # a stray text cell is quarantined alone (it made the whole column non-numeric)
    h = write(tmp_path, "stray.csv", "date,S\n2024-01-02,4.25%\n2024-01-03,abc\n"
              "2024-01-04,4.31%\n")
    rep = import_path(h, store)
    closes(rep)
    assert values(store, "csv:S") == [4.25, 4.31]
    assert store.quarantine("csv:S")["reason"].tolist() == ["non-numeric value 'abc'"]
    # the series' unit decides: basis points are stored x100; a price is not read from "%"
    cells = "date,A\n2024-01-02,1.25%\n2024-01-03,1.30%\n"
    for unit, want in (("bp", [125.0, 130.0]), ("usd", [])):
        m = write(tmp_path, f"{unit}.toml", f'[columns.A]\nseries_id = "desk:{unit}"\n'
                  f'unit = "{unit}"\n')
        rep = import_path(write(tmp_path, f"{unit}.csv", cells), store,
                          mapping=CsvMapping.from_toml(m))
        closes(rep)
        assert values(store, f"desk:{unit}") == pytest.approx(want), unit
    (note,) = [n for n in rep.files[0].notes if "percent sign" in n]
    assert note == ("column 'A': its 2 value(s) are written with a percent sign but desk:usd "
                    "is in 'usd': not read (quarantined); map the column to a series in "
                    "percent")


def test_a_long_file_is_refused_with_how_to_pivot_it(store, tmp_path):
    # date,series,value read as a wide file: 'csv:series' (text, every cell quarantined) and
    # 'csv:value' (each date twice: thousands of "date twice" quarantines), exit 0
    f = write(tmp_path, "long.csv", "date,series,value\n2024-01-02,ACME,1\n"
              "2024-01-02,MYTOKEN,2\n2024-01-03,ACME,3\n2024-01-03,MYTOKEN,4\n")
    with pytest.raises(ImportFileError, match=r"long\.csv:3: a long file .* column 'series' "
                       r"holds names \('ACME', 'MYTOKEN', \.\.\.\) .* df\.pivot\(index='date', "
                       r"columns='series', values='value'\)"):
        import_path(f, store)
    assert store.series().empty
    # a wide file with a text column and one repeated date is not a long file
    g = write(tmp_path, "wide.csv", "date,A,comment\n2024-01-02,1,ok\n2024-01-03,2,late\n"
              "2024-01-04,3,x\n2024-01-05,4,y\n2024-01-08,5,z\n2024-01-08,5,z\n")
    rep = import_path(g, store)
    assert rep.totals["stored"] == 5


@pytest.mark.slow
def test_a_big_file_is_parsed_with_the_store_free(tmp_path):
    """An hourly CSV of 95 MB held the store for its whole parse (59 s): a monitor waiting on
    it gave up and exited. A file over PARSE_FREE_BYTES is parsed with the file free; another
    process gets in during the parse, and the import still accounts for every row."""
    import threading
    import time

    import numpy as np

    from spillwatch.data import ingest
    from spillwatch.exceptions import StoreError
    from spillwatch.store import Store

    days = pd.date_range("1901-01-01", "2023-12-31", freq="D")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"v{j}": np.round(rng.random(len(days)) * 1e6, 6) for j in range(13)})
    frame.insert(0, "date", days.strftime("%Y-%m-%d"))
    n = len(days) * 13
    folder = tmp_path / "in"
    folder.mkdir()
    big = folder / "big.csv"
    frame.to_csv(big, index=False)
    assert big.stat().st_size > ingest.PARSE_FREE_BYTES
    frame.head(3).to_csv(folder / "a.csv", index=False)       # read first, with the store held
    db = tmp_path / "s.duckdb"
    writer, other = Store(db), Store(db, timeout=0.05)
    got: list[float] = []
    window: dict[str, float] = {}
    done = threading.Event()

    def on_file(path, rep) -> None:
        window[path.name] = time.monotonic()

    def poke() -> None:
        while not done.is_set():
            try:
                other.count()
                got.append(time.monotonic())
            except StoreError:
                pass
            time.sleep(0.01)

    t = threading.Thread(target=poke)
    t.start()
    try:
        rep = import_path(folder, writer, on_file=on_file)
    finally:
        done.set()
        t.join(5)
    during = [g for g in got if window["a.csv"] < g < window["big.csv"]]
    assert during, "no other session got the store while the big file was parsed"
    closes(rep)
    assert rep.totals["read"] == n + 39 and rep.totals["stored"] == n + 39


def test_a_wholly_intraday_file_is_refused_and_long_listings_are_cut(store, tmp_path):
    """An hourly file stored every value in quarantine with a reason listing the whole day's
    values (6m values grew a store from 50 MB to 2.2 GB, and nothing was kept): it is
    refused whole, nothing written; a day with some intraday rows among daily ones is still
    quarantined, its reason listing at most six values and the count."""
    hours = pd.date_range("2024-01-01", periods=24 * 3, freq="h")
    body = "time,price\n" + "".join(f"{t:%Y-%m-%d %H:%M},{i + 1}\n" for i, t in enumerate(hours))
    f = write(tmp_path, "hourly.csv", body)
    with pytest.raises(ImportFileError, match=r"hourly.csv:2: every date has several times "
                                              r"of day \(72 rows on 3 dates\): an intraday "
                                              "file"):
        import_path(f, store)
    assert store.count() == 0 and store.quarantine().empty
    # told from the dates alone, before a value is read: a day whose hours all print the same
    # price (a holiday) was stored as that day's close, and the other days' 48 rows
    # quarantined one by one with their listings
    flat = "time,price\n" + "".join(
        f"{t:%Y-%m-%d %H:%M},{7 if t.day == 2 else i + 1}\n" for i, t in enumerate(hours))
    f = write(tmp_path, "holiday.csv", flat)
    with pytest.raises(ImportFileError, match=r"holiday.csv:2: every date has several times "):
        import_path(f, store)
    assert store.count() == 0 and store.quarantine().empty
    one = write(tmp_path, "one.csv", "time,price\n2024-01-02 09:00,1\n2024-01-02 16:00,2\n")
    with pytest.raises(ImportFileError, match=r"\(2 rows on 1 date\): an intraday file"):
        import_path(one, store)
    mixed = write(tmp_path, "mixed.csv", "date,A\n2024-01-01,5\n" + "".join(
        f"2024-01-02 {h:02d}:00,{h + 10}\n" for h in range(8)))
    rep = import_path(mixed, store)
    closes(rep)
    reasons = set(store.quarantine()["reason"])
    assert reasons == {"date twice with different values (10, 11, 12, 13, 14, 15, … (8 "
                       "values)); the file has several times of day on this date and generic "
                       "CSVs are stored as daily values (a --mapping file can set frequency = "
                       "\"intraday\")"}
    assert values(store, "csv:A") == [5.0]


def test_a_fixed_file_s_old_quarantine_rows_are_resolved_on_its_next_import(store, tmp_path):
    """A file fixed by hand (or read by a release that now reads what an older one rejected)
    left its old rows in the quarantine for ever; its next import removes those it no longer
    rejects, says how many, and keeps the rows of other files and the ones still rejected."""
    f = write(tmp_path, "a.csv", "date,A\n2024-01-02,1\n2024-01-03,x\n2024-01-04,y\n")
    other = write(tmp_path, "b.csv", "date,B\n2024-01-02,z\n")
    import_path(f, store)
    import_path(other, store)
    assert len(store.quarantine()) == 3
    f.write_text("date,A\n2024-01-02,1\n2024-01-03,2\n2024-01-04,y\n")
    rep = import_path(f, store)
    closes(rep)
    assert "1 quarantined point(s) of earlier imports of this file are no longer rejected: " \
        "removed from the quarantine" in rep.files[0].notes
    q = store.quarantine()
    assert sorted(q["raw_value"]) == ["y", "z"]
    assert values(store, "csv:A") == [1.0, 2.0]
    again = import_path(f, store)                       # the same file again: nothing to do
    assert not any("no longer rejected" in n for n in again.files[0].notes)
    assert len(store.quarantine()) == 2


def test_a_monthly_file_imported_as_daily_says_so(store, tmp_path):
    """``--map`` catalogs daily: a monthly file read so has no daily changes, and said nothing.

    A spillover on it then failed with "csv_eur_chg has no change"; the import now names the
    series, the spacing of its dates and how to give its frequency. A weekly one too; a daily
    file with holidays and weekends (median spacing one day) does not.
    """
    months = pd.date_range("2020-01-31", periods=24, freq="ME")
    weeks = pd.date_range("2020-01-03", periods=30, freq="W-FRI")
    days = pd.bdate_range("2020-01-01", periods=40)
    for name, idx, kind in (("m.csv", months, "monthly"), ("w.csv", weeks, "weekly"),
                            ("d.csv", days, None)):
        path = write(tmp_path, name, "date,X\n" + "".join(
            f"{d:%Y-%m-%d},{i + 1}\n" for i, d in enumerate(idx)))
        rep = import_path(path, store, mapping=CsvMapping.from_options(
            maps=[f"X=csv:{name[0].upper()}"]))
        closes(rep)
        notes = [n for n in rep.files[0].notes if "catalogued as daily" in n]
        if kind is None:
            assert notes == []
        else:
            (note,) = notes
            assert f"csv:{name[0].upper()}" in note and f'frequency = "{kind}"' in note


def test_a_watched_series_file_without_its_column_says_so(store, tmp_path):
    # fred/VIXCLS.csv with its value column renamed was stored as fred:VIX_CLOSE without a
    # word, and `stress` then read "missing inputs: vix" (h_data1)
    (tmp_path / "fred").mkdir()
    write(tmp_path / "fred", "VIXCLS.csv", "date,VIX_CLOSE\n2024-01-02,13.2\n2024-01-03,14.0\n")
    write(tmp_path / "fred", "DGS10.csv", "date,DGS10\n2024-01-02,3.95\n2024-01-03,3.91\n")
    write(tmp_path / "fred", "DGS2.csv", "date,DGS2\n")          # the column, without a value
    rep = import_path(tmp_path, store)
    closes(rep)
    notes = {Path(f.source).name: f.notes for f in rep.files}
    assert notes["VIXCLS.csv"] == [
        "no column VIXCLS, the series fred:VIXCLS the file's name is of (stored: "
        "fred:VIX_CLOSE, which no analytic reads); name its value column VIXCLS"]
    assert values(store, "fred:VIX_CLOSE") == [13.2, 14.0]      # stored as before
    assert not [n for n in notes["DGS10.csv"] if "no column" in n]
    assert notes["DGS2.csv"] == ["column 'DGS2' has no value: not imported"]


def test_the_missing_column_note_is_of_watched_series_whose_column_is_absent(store, tmp_path):
    """Only a file named after a watched series, and without that column, is noted: not one
    whose column was read and every value refused, nor a file of a series no analytic watches
    (h_mut30: mutants noting either, or saying "stored: " of nothing, passed every test)."""
    (tmp_path / "fred").mkdir()
    write(tmp_path / "fred", "VIXCLS.csv", "date,VIXCLS\n2024-01-02,-1\n2024-01-03,0\n")
    write(tmp_path / "fred", "DGS10.csv", "date,DGS10_X\n")
    write(tmp_path / "fred", "MYRATE.csv", "date,rate\n2024-01-02,1.5\n")
    rep = import_path(tmp_path, store)
    closes(rep)
    files = {Path(f.source).name: f for f in rep.files}
    assert files["VIXCLS.csv"].notes == []                  # its column, quarantined
    assert values(store, "fred:VIXCLS") == []
    assert files["MYRATE.csv"].notes == []                  # no series of the watch list
    assert values(store, "fred:rate") == [1.5]
    assert files["DGS10.csv"].notes == [
        "column 'DGS10_X' has no value: not imported",
        "no column DGS10, the series fred:DGS10 the file's name is of (stored: nothing, which "
        "no analytic reads); name its value column DGS10"]
