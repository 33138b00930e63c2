"""--out a link whose file would sit inside a regular file: refused at once (h_mut9).

The folder checked is the link's target's, not the link's own (which is writable).
"""

from __future__ import annotations

import pytest

from spillwatch.exceptions import ConfigError
from spillwatch.report.html import report_target


def test_a_link_into_a_file_is_refused(tmp_path):
    (tmp_path / "afile").write_text("x")
    link = tmp_path / "r.html"
    link.symlink_to(tmp_path / "afile" / "report.html")
    with pytest.raises(ConfigError, match="afile is a file"):
        report_target(link)
