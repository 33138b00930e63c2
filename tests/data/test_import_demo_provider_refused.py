"""A user's CSV may not write series of the demo provider (h_fuzz4).

``holds_demo`` reads any series of provider ``demo`` as the simulated market: one column
imported with ``--provider demo`` (or ``--map X=demo:btc``) into a store of real data labelled
it "the simulated demo market" everywhere, its analyses read the demo's absent series
(``stress``: "needs the 10-year yield (ust10y), which store … (the simulated demo market)
lacks") and ``fetch`` refused it.
"""

from pathlib import Path

import pandas as pd
import pytest

from spillwatch.data.ingest import CsvMapping, holds_demo, import_path
from spillwatch.exceptions import ImportFileError
from spillwatch.store import Store

REAL = "date,DGS10\n2024-01-02,3.95\n2024-01-03,3.91\n"
MINE = "date,x\n2024-01-02,1.5\n2024-01-03,1.6\n"


@pytest.mark.parametrize("mapping", [CsvMapping.from_options(provider="demo"),
                                     CsvMapping.from_options(maps=["x=demo:btc"])],
                         ids=["provider", "map"])
def test_a_demo_id_is_refused_and_the_store_is_unchanged(tmp_path: Path, mapping: CsvMapping):
    real, mine = tmp_path / "real.csv", tmp_path / "mine.csv"
    real.write_text(REAL)
    mine.write_text(MINE)
    store = Store()
    try:
        import_path(real, store, mapping=CsvMapping.from_options(maps=["DGS10=fred:DGS10"]))
        before = store.query("SELECT series_id, ts, value FROM observations ORDER BY ALL")
        with pytest.raises(ImportFileError, match="demo provider"):
            import_path(mine, store, mapping=mapping)
        assert not holds_demo(store)
        after = store.query("SELECT series_id, ts, value FROM observations ORDER BY ALL")
        pd.testing.assert_frame_equal(after, before)
        assert after["value"].tolist() == [3.95, 3.91]
    finally:
        store.close()
