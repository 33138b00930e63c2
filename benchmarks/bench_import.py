"""Import of all of ../shared/data vs a bare DuckDB insert of the same frames.

ours      : ``spillwatch.data.ingest.import_path`` into a fresh in-memory store: CSV parsing,
            validation and quarantine, catalog, the revision-aware upsert, run records.
baseline  : for each file, pandas ``read_csv`` + its numeric columns melted to ``(series_id, ts,
            value)`` (text columns such as the auctions' tenor/term/CUSIP are left out) + one
            ``INSERT INTO observations SELECT * FROM frame`` into a fresh in-memory DuckDB table
            with the same primary key — the bare cost of getting the same frames into DuckDB.
            (Ours stores the event files, auctions and interventions, as events instead.)
insert-only (printed too): the bare INSERT alone, frames already in memory.
Target: ours within 2x of the baseline.
"""

from __future__ import annotations

import duckdb
import pandas as pd
from _util import best_of, line, shared_data_or_exit

from spillwatch.data.ingest import import_path
from spillwatch.store import Store

#: The docstring's target: ours within this many times the baseline.
TARGET = 2.0
#: The store's tables an import writes values to (observations; auctions and interventions).
STORED_IN = ("observations", "auctions", "fx_interventions")

DDL = ("CREATE TABLE observations (series_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, "
       "value DOUBLE NOT NULL, PRIMARY KEY (series_id, ts))")


def read_frames(root) -> list[pd.DataFrame]:
    frames = []
    for path in sorted(root.rglob("*.csv")):
        wide = pd.read_csv(path)
        values = wide.drop(columns="date").select_dtypes("number")
        values = values.loc[:, values.notna().any()]
        values.insert(0, "date", wide["date"])
        long = values.melt(id_vars="date", var_name="series_id", value_name="value").dropna()
        long["ts"] = pd.to_datetime(long["date"])
        long["series_id"] = f"{path.parent.name}/{path.stem}:" + long["series_id"]
        frames.append(long[["series_id", "ts", "value"]].drop_duplicates(["series_id", "ts"]))
    return frames


def bare_insert(frames: list[pd.DataFrame]) -> int:
    con = duckdb.connect()
    con.execute(DDL)
    for f in frames:
        con.register("f", f)
        con.execute("INSERT INTO observations SELECT * FROM f")
        con.unregister("f")
    n = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    con.close()
    return int(n)


def ours(root) -> int:
    """Import ``root`` into a fresh store; check that every value read is accounted for."""
    with Store() as store:
        rep = import_path(root, store)
        t = rep.totals
        # a fresh store: every value read is stored, quarantined with its reason or a
        # duplicate of the same date and value; the store holds exactly what was stored (the
        # event files' rows in their own tables)
        if t["read"] != t["stored"] + t["quarantined"] + t["duplicates"]:
            raise SystemExit(f"import does not account for its values: {t}")
        held = sum(store.count(table) for table in STORED_IN)
        if held != t["stored"]:
            raise SystemExit(f"the store holds {held} rows ({', '.join(STORED_IN)}), the "
                             f"import says it stored {t['stored']}")
        return t["stored"]


def main() -> None:
    root = shared_data_or_exit()
    t_base, n_base = best_of(lambda: bare_insert(read_frames(root)))
    frames = read_frames(root)
    t_insert, _ = best_of(lambda: bare_insert(frames))
    t_ours, n_ours = best_of(lambda: ours(root))
    # the baseline melts every numeric column, the event files' (auctions, interventions)
    # too, and quarantines nothing: its count is the upper bound of ours
    if not 0 < n_ours <= n_base:
        raise SystemExit(f"stored {n_ours} values, the baseline {n_base}: ours must be "
                         "positive and at most the baseline's")
    print(f"rows: ours={n_ours} baseline={n_base} (ours: read = stored + quarantined + "
          "duplicates, checked)")
    print(line("import_shared_data", t_ours, t_base,
               f"insert_only={t_insert:.3f}s ratio_vs_insert_only={t_ours / t_insert:.2f}x",
               target=TARGET))


if __name__ == "__main__":
    main()
