"""A store of some of ../shared/data's real files, each cut to a span of dates, by the
project's own import (an early evening of the data without building the whole store)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spillwatch.data.source import open_source


def cut_files(shared_data: Path, tmp_path: Path, files: Sequence[str], *,
              first: str = "0000", last: str = "9999",
              ends: Mapping[str, str] | None = None,
              starts: Mapping[str, str] | None = None) -> Path:
    """A folder (``tmp_path / "data"``) of ``files`` (paths under ../shared/data) with the rows
    dated ``first`` (or ``starts[file]``) to ``last`` (or to ``ends[file]``), kept as the files
    write them (header, then one row per line, each beginning with its date)."""
    folder = tmp_path / "data"
    for rel in files:
        end = (ends or {}).get(rel, last)
        begin = (starts or {}).get(rel, first)
        lines = (shared_data / rel).read_text().splitlines(keepends=True)
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(lines[0] + "".join(x for x in lines[1:]
                                                     if begin <= x[:10] <= end))
    return folder


def cut_store(shared_data: Path, tmp_path: Path, files: Sequence[str], *,
              first: str = "0000", last: str = "9999",
              ends: Mapping[str, str] | None = None,
              starts: Mapping[str, str] | None = None) -> Path:
    """The store of :func:`cut_files`' folder, by the project's own import."""
    folder = cut_files(shared_data, tmp_path, files, first=first, last=last, ends=ends,
                       starts=starts)
    db = tmp_path / "cut.duckdb"
    open_source(folder, db=db).close()
    return db


@contextmanager
def cut_workspace(shared_data: Path, tmp_path: Path, files: Sequence[str], *,
                  first: str = "0000", last: str = "9999") -> Iterator[Any]:
    """A workspace on :func:`cut_files`' folder (imported by the project), closed after."""
    from spillwatch.service.workspace import Workspace

    w = Workspace(open_source(cut_files(shared_data, tmp_path, files, first=first, last=last)))
    try:
        yield w
    finally:
        w.close()


#: The clock of :func:`facts_on`: the evenings asked are past ones, read as such.
FACTS_TODAY = dt.date(2026, 12, 6)


def facts_on(db: Path, *days: dt.date, **groups: bool) -> list[Any]:
    """The monitor's facts (``compute_facts``) of the store ``db`` on each evening of ``days``;
    ``groups``: the groups left out (``stress=False``, ``spillover=False``, ...)."""
    from spillwatch.alerts.facts import compute_facts

    with open_source(db) as src:
        return [compute_facts(src, as_of=d, today=FACTS_TODAY, **groups) for d in days]
