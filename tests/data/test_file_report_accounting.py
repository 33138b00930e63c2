"""FileReport.check: read must equal stored + unchanged + revised + quarantined + merged.

A surviving mutant (h_mut2, DI04: ``got != self.read`` -> ``got > self.read``) let a report
that lost points (read 10, accounted for 9) pass silently: the one guard that "nothing is
dropped without a quarantine row" (module docstring) only caught over-counting, and every
test's import closed exactly.
"""
import pytest

from spillwatch.data.ingest import FileReport
from spillwatch.exceptions import AccountingError


def test_a_lost_point_and_an_extra_one_both_fail_the_check():
    FileReport("f.csv", read=10, stored=5, unchanged=2, revised=1, quarantined=1,
               duplicates=1).check()
    with pytest.raises(AccountingError, match="read 10 but stored 5"):
        FileReport("f.csv", read=10, stored=5, unchanged=2, revised=1, quarantined=1).check()
    with pytest.raises(AccountingError, match="read 10 but stored 6"):
        FileReport("f.csv", read=10, stored=6, unchanged=2, revised=1, quarantined=1,
                   duplicates=1).check()
