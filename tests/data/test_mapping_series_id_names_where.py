"""A malformed series id in a mapping names the file and the table, or the --map item.

``[columns.a] series_id = "nocolon"`` was refused as "series id must look like
'provider:symbol', got 'nocolon'", naming neither the mapping file nor the column (h_fuzz4).
"""

from pathlib import Path

import pytest

from spillwatch.data.ingest import CsvMapping
from spillwatch.exceptions import ConfigError


@pytest.mark.parametrize("sid", ["nocolon", ":x", "x:"])
def test_the_file_and_the_column_are_named(tmp_path: Path, sid: str):
    path = tmp_path / "map.toml"
    path.write_text(f'[columns.Close]\nseries_id = "{sid}"\n')
    with pytest.raises(ConfigError) as info:
        CsvMapping.from_toml(path)
    assert info.value.message == (f"{path}: [columns.Close] series id must look like "
                                  f"'provider:symbol', got {sid!r}")
    with pytest.raises(ConfigError) as info:
        CsvMapping.from_options(maps=[f"Close={sid}"])
    assert info.value.message == (f"--map 'Close={sid}': series id must look like "
                                  f"'provider:symbol', got {sid!r}")
