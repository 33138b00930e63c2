"""A column mapped onto a publisher's id is read in the publisher's unit (h_meta2).

FRED prints the custody holdings (``WMTSECL1``) in millions of US dollars and the store keeps
billions (``rules.SCALE``). ``fred/WMTSECL1.csv`` was converted, but the same file imported
with ``--map WMTSECL1=fred:WMTSECL1`` (FRED's own download, saved anywhere) stored 2,903,537
"USD bn" for 2,903.537: the same lines under the same id gave values 1,000 apart.
"""

from pathlib import Path

import pytest

from spillwatch.data.ingest import CsvMapping, import_path
from spillwatch.store import Store

# lines of ../shared/data's fred/WMTSECL1.csv (millions of USD), FRED's download header
FRED = "observation_date,WMTSECL1\n2024-12-18,2919184\n2024-12-25,2903537\n2025-01-01,2879873\n"
BILLIONS = [2919.184, 2903.537, 2879.873]


def custody(store: Store) -> list[float]:
    return store.observations(["fred:WMTSECL1"])["value"].tolist()


def test_fred_custody_mapped_by_hand_is_stored_in_billions(tmp_path: Path, store):
    (tmp_path / "fred").mkdir()
    laid_out = tmp_path / "fred" / "WMTSECL1.csv"
    laid_out.write_text(FRED)
    import_path(laid_out, store)
    assert custody(store) == pytest.approx(BILLIONS, abs=1e-9)

    download = tmp_path / "WMTSECL1 (1).csv"
    download.write_text(FRED)
    mapped = Store()
    try:
        rep = import_path(download, mapped, mapping=CsvMapping.from_options(
            maps=["WMTSECL1=fred:WMTSECL1"]))
        assert rep.totals["stored"] == 3
        assert custody(mapped) == pytest.approx(BILLIONS, abs=1e-9)
        # an own id keeps the file's numbers
        import_path(download, mapped, mapping=CsvMapping.from_options(
            maps=["WMTSECL1=desk:custody_musd"]))
        got = mapped.observations(["desk:custody_musd"])["value"].tolist()
        assert got == [2919184.0, 2903537.0, 2879873.0]
    finally:
        mapped.close()


def test_fred_custody_named_by_provider_is_stored_in_billions(tmp_path: Path):
    """``--provider fred`` on FRED's download gives the column the id ``fred:WMTSECL1`` too.

    Unmapped, it stored 2,919,184 under that id (h_fuzz4): the millions read as billions, where
    ``--map WMTSECL1=fred:WMTSECL1`` of the same file stores 2,919.184.
    """
    download = tmp_path / "fredgraph.csv"
    download.write_text(FRED)
    store = Store()
    try:
        rep = import_path(download, store, mapping=CsvMapping.from_options(provider="fred"))
        assert rep.totals["stored"] == 3
        assert custody(store) == pytest.approx(BILLIONS, abs=1e-9)
    finally:
        store.close()


def test_a_file_mapped_onto_fred_custody_is_weekly_as_its_laid_out_file(tmp_path: Path, store):
    # --map takes no frequency: the same lines mapped by hand were catalogued daily, where
    # fred/WMTSECL1.csv is weekly, and the import advised "give it its frequency in a mapping
    # file" (h_data1)
    download = tmp_path / "WMTSECL1 (1).csv"
    download.write_text(FRED)
    rep = import_path(download, store, mapping=CsvMapping.from_options(
        maps=["WMTSECL1=fred:WMTSECL1"]))
    assert rep.totals["stored"] == 3
    cat = store.series().set_index("series_id")
    assert cat.loc["fred:WMTSECL1", "frequency"] == "weekly"
    assert not [n for n in rep.files[0].notes if "catalogued as daily" in n], rep.files[0].notes
    # a daily FRED series mapped by hand stays daily
    tens = tmp_path / "ten.csv"
    tens.write_text("observation_date,DGS10\n2025-01-02,4.57\n2025-01-03,4.60\n")
    import_path(tens, store, mapping=CsvMapping.from_options(maps=["DGS10=fred:DGS10"]))
    assert store.series().set_index("series_id").loc["fred:DGS10", "frequency"] == "daily"
