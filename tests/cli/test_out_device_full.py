"""--out on a device that refuses the bytes is an error, not "wrote N rows" (h_mut9).

A private node of the full device (major 1, minor 7) in the test's folder, never the system's
``/dev/full``: a regression that moved a file over the target would replace it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from spillwatch.cli._common import write_dated_csv
from spillwatch.exceptions import ConfigError


def _full_device(folder: Path) -> Path:
    node = folder / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        with open(node, "wb") as fh:       # a node the system does not back is no device
            fh.write(b"x")
    except OSError as exc:
        if exc.errno == 28:                # ENOSPC: the full device, as wanted
            return node
        pytest.skip(f"no private full device here ({exc.strerror})")
    pytest.skip("the node accepts bytes: not the full device")


def test_a_full_device_is_a_config_error(tmp_path):
    node = _full_device(tmp_path)
    frame = pd.DataFrame({"x": [1.0, 2.0]}, index=pd.DatetimeIndex(["2025-01-02", "2025-01-03"],
                                                                   name="date"))
    with pytest.raises(ConfigError, match=f"cannot write {node}"):
        write_dated_csv(frame, node, True)
    assert stat.S_ISCHR(node.stat().st_mode)          # still the device, not a file
