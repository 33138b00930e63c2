"""A mapping's ``unit`` against the unit its series id names (h_meta2).

MOF's weekly flows kept in billions of yen and mapped onto the shared data's id
``mof:weekly_assets_ltdebt_net_jpy100m`` with ``unit = "jpy_bn"`` were stored as given, the
catalog saying "jpy_bn", while the demand analyses read every ``_jpy100m`` id in 100 million
yen: as of 2024-08-07 the week to 2024-08-03 read ¥67.77bn for the file's ¥677.7bn (6,777 in
¥100m), the 4-week sale $0.65bn for $6.49bn, and the alert fact
``demand.japan_bond_net1_jpy_bn`` a tenth of itself. The gauge was the same (its z-scores
ignore a scale), so nothing looked wrong.
"""

from pathlib import Path

import pytest

from spillwatch.data.ingest import CsvMapping, import_path
from spillwatch.exceptions import ConfigError

MOF = "mof:weekly_assets_ltdebt_net_jpy100m"
WEEKS = "date,net\n2024-07-27,-56.62\n2024-08-03,677.7\n"      # ¥bn: MOF's 6,777 / 10


def mapping(tmp_path: Path, series_id: str, unit: str | None) -> Path:
    m = tmp_path / "map.toml"
    m.write_text('frequency = "weekly"\n[columns.net]\n'
                 f'series_id = "{series_id}"\n' + (f'unit = "{unit}"\n' if unit else ""))
    return m


def test_a_unit_the_id_contradicts_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"map\.toml: \[columns\.net\] unit 'jpy_bn', but "
                       r"mof:weekly_assets_ltdebt_net_jpy100m is read in 'jpy100m' \(its id "
                       r"says so\) and an import does not convert values: write the column "
                       r"in jpy100m, or map it to a series id of your own"):
        CsvMapping.from_toml(mapping(tmp_path, MOF, "jpy_bn"))


def test_the_ids_own_unit_or_none_or_an_own_id_is_imported(store, tmp_path):
    f = tmp_path / "weeks.csv"
    f.write_text(WEEKS)
    for sid, unit in ((MOF, "jpy100m"), ("desk:japan_net_jpy_bn", "jpy_bn"),
                      ("desk:japan_net", "jpy_bn")):
        rep = import_path(f, store, mapping=CsvMapping.from_toml(mapping(tmp_path, sid, unit)))
        assert rep.totals["stored"] == 2, sid
        got = store.query(f"SELECT value FROM observations WHERE series_id = '{sid}' "
                          "ORDER BY ts")["value"].tolist()
        assert got == [-56.62, 677.7], sid
        assert store.series().set_index("series_id").loc[sid, "unit"] == unit
