"""``alerts facts PATTERN --as-of D`` of an asset the evening lacks says when its figures begin.

``spillwatch alerts facts 'btc.*' --as-of 2004-04-02 --db <real store>`` said only "no fact
matches 'btc.*'" of a store whose bitcoin begins on 2018-01-01 (crypto/BTCUSDT.csv's first
row), where ``alerts test`` of the same evening says "no data for series 'btc' published by
2004-04-02: the store's figures of it begin later: btc 2018-01-01" (h_verify24). The store
here holds a few months of those real files, imported with the project's own import.
"""

from __future__ import annotations

import pytest

from _cut_store import cut_files
from spillwatch.cli import main

pytestmark = pytest.mark.realdata

FILES = {"fred/DGS10.csv": ("2004-02-01", "2004-04-30"),
         "crypto/BTCUSDT.csv": ("2018-01-01", "2018-01-10")}


def _cut(shared_data, tmp_path):
    return cut_files(shared_data, tmp_path, list(FILES),
                     starts={k: v[0] for k, v in FILES.items()},
                     ends={k: v[1] for k, v in FILES.items()})


def run(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    got = capsys.readouterr()
    return int(exc.value.code or 0), got.out, got.err


def test_no_fact_of_an_asset_the_evening_lacks_says_when_its_figures_begin(shared_data,
                                                                          tmp_path, capsys):
    folder = _cut(shared_data, tmp_path)
    first_btc = (folder / "crypto" / "BTCUSDT.csv").read_text().splitlines()[1][:10]
    assert first_btc == "2018-01-01"
    code, _out, err = run(["alerts", "facts", "btc.*", "--data", str(folder),
                           "--as-of", "2004-04-02"], capsys)
    assert code == 2
    said = " ".join(err.split())
    assert ("no fact matches 'btc.*' (no data for series 'btc' published by 2004-04-02: the "
            f"store's figures of it begin later: btc {first_btc})") in said


@pytest.mark.slow
def test_the_full_list_of_such_an_evening_names_the_assets_it_leaves_out(shared_data,
                                                                         tmp_path, capsys):
    """The unfiltered list of 2004-04-02 gave the 10-year's facts and no word of bitcoin."""
    import json

    folder = _cut(shared_data, tmp_path)
    code, out, _err = run(["alerts", "facts", "--data", str(folder), "--as-of", "2004-04-02"],
                          capsys)
    assert code == 0
    said = " ".join(out.split())
    assert ("not listed (the store's figures of it begin later; --json gives each one's "
            "first date): btc") in said
    code, out, _err = run(["alerts", "facts", "--data", str(folder), "--as-of", "2004-04-02",
                           "--json"], capsys)
    got = json.loads(out)
    assert got["absent"] == {"btc": "published by 2004-04-02: the store's figures of it begin "
                                    "later: btc 2018-01-01"}
    assert not any(r["fact"].startswith("btc.") for r in got["rows"])
    # a pattern that names only the 10-year does not list bitcoin as left out
    code, out, _err = run(["alerts", "facts", "ust10y.*", "--data", str(folder), "--as-of",
                           "2004-04-02", "--json"], capsys)
    assert json.loads(out)["absent"] == {}
