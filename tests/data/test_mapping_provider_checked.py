"""A generic CSV's provider is the first part of its series ids: one it cannot be is refused.

``provider = ""`` in a mapping file stored the series ``:a``, ``"a:b"`` the series ``a:b:a``
(read as provider ``a``, symbol ``b:a`` outside the catalog), and ``--provider ' '`` the series
`` :a`` (h_fuzz4).
"""

from pathlib import Path

import pytest

from spillwatch.data.ingest import CsvMapping, import_path
from spillwatch.exceptions import ConfigError
from spillwatch.store import Store


@pytest.mark.parametrize("provider", ["", " ", "a:b", " desk"])
def test_a_bad_provider_is_refused_naming_the_file(tmp_path: Path, provider: str):
    path = tmp_path / "map.toml"
    path.write_text(f'provider = "{provider}"\n')
    with pytest.raises(ConfigError, match=r"map\.toml: provider must be a name without ':'"):
        CsvMapping.from_toml(path)
    with pytest.raises(ConfigError, match="--provider must be a name"):
        CsvMapping.from_options(provider=provider)


def test_a_good_provider_still_names_the_series(tmp_path: Path):
    path = tmp_path / "map.toml"
    path.write_text('provider = "desk"\n')
    data = tmp_path / "t.csv"
    data.write_text("date,a\n2024-01-02,1.5\n2024-01-03,1.6\n")
    store = Store()
    try:
        import_path(data, store, mapping=CsvMapping.from_toml(path))
        assert store.observations(["desk:a"])["value"].tolist() == [1.5, 1.6]
    finally:
        store.close()
