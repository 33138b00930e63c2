"""``--out`` onto a link, a pipe or a device writes into it; it is never replaced by a file.

The CSV was written beside ``--out`` and moved over it: ``stress --out /dev/full`` said
"wrote 12008 rows to /dev/full" (exit 0) and, run as root, left a regular CSV file in place of
the device; a symbolic link was replaced by a file, its target left stale (found by fuzzing the
CLI's --out paths).
"""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from spillwatch.cli._common import write_dated_csv

FRAME = pd.DataFrame({"stress": [0.25, -0.5]},
                     index=pd.DatetimeIndex(["2025-04-08", "2025-04-09"], name="date"))
ROWS = "date,stress\n2025-04-08,0.25\n2025-04-09,-0.5\n"


def test_a_link_keeps_its_place_and_its_target_is_written(tmp_path):
    target = tmp_path / "desk.csv"
    target.write_text("old rows\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    write_dated_csv(FRAME, link, json_out=True)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == ROWS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.csv", "latest.csv"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_written_into_not_replaced(tmp_path):
    pipe = tmp_path / "rows.csv"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)   # the other end, as `cat pipe` is
    try:
        write_dated_csv(FRAME, pipe, json_out=True)
        got = os.read(reader, 65536).decode()
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert got == ROWS
    assert [p.name for p in tmp_path.iterdir()] == ["rows.csv"]
