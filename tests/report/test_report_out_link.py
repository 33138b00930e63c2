"""``report --out`` onto a symbolic link writes the file it names and keeps the link.

The report was written beside the link and moved over it: ``report --demo --out link.html``
(link.html -> real.html) left link.html a 6.6 MB file of its own and real.html the old report
(found with the --out cases of the CLI fuzz). :func:`report_target` gives the file
:func:`write_report` moves the report onto.
"""

from __future__ import annotations

from spillwatch.report.html import report_target


def test_a_linked_report_file_is_the_file_it_names(tmp_path):
    real = tmp_path / "desk" / "real.html"
    real.parent.mkdir()
    real.write_text("old report")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    assert report_target(link) == real
    assert report_target(str(link)) == real


def test_a_linked_report_html_in_a_folder_is_the_file_it_names(tmp_path):
    real = tmp_path / "real.html"
    real.write_text("old report")
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "report.html").symlink_to(real)
    assert report_target(folder) == real
    assert report_target(tmp_path / "plain.html") == tmp_path / "plain.html"   # no link: as was
