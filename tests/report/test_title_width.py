"""A wrapped figure title fits the printed chart's width, measured by its letters, not counted."""

from __future__ import annotations

import pytest

from spillwatch.plotting.style import wrap_title

#: Arial / Liberation Sans advance widths (thousandths of the size) of the characters below:
#: the face Chromium prints the report's titles in. Written out here, apart from the module's.
_W = {" ": 278, "(": 333, ")": 333, "-": 333, ";": 278, ":": 278, ".": 278, ",": 278,
      "/": 278, "%": 889, "$": 556, "+": 584, "=": 584, "'": 191, "–": 556, "—": 1000}
_W.update(dict.fromkeys("0123456789", 556))
_W.update({**dict.fromkeys("ijl", 222), **dict.fromkeys("ft", 278), "r": 333,
           **dict.fromkeys("ckszvxy", 500), **dict.fromkeys("abdeghnopqu", 556), "w": 722,
           "m": 833, **dict.fromkeys("IJ", 278), **dict.fromkeys("ABEKPSVXY", 667),
           **dict.fromkeys("FTZL", 611), **dict.fromkeys("CDHNRU", 722),
           **dict.fromkeys("GOQ", 778), "M": 833, "W": 944})

#: The chart is 662 px wide in the report's print layout, its title 6.6 px in.
ROOM_PX = 655.0


def _px(line: str) -> float:
    return sum(_W[c] for c in line) * 15 / 1000


@pytest.mark.parametrize("title", [
    # 92 characters before its ';': 676 px in Chromium's print, 14 px past the chart
    "FOMC cuts 50 bp and the BoJ hikes to 0.25% as USD/JPY breaks 140 (2024-09-18 14:00 New "
    "York; day 0 = 2024-09-18)",
    "Fan charts (1–99%, 5–95%, 25–75%, median) — custom: JAPAN $100bn / 4w, CHINA 10% / 8w "
    "after 2w",
    "'Liberation Day' reciprocal tariffs announced (2025-04-02 16:00 New York; day 0 = "
    "2025-04-02 or 2025-04-03 (the first close after it))",
])
def test_each_line_of_a_wrapped_title_fits_the_printed_chart(title):
    """Titles were wrapped at 95 characters, which fits lower-case prose (94 of them took 655 of
    the chart's 655 px) but not a line with digits and capitals: an event's first line of 92
    characters ran 676 px, cut at the chart's edge in the PDF. Every line fits, and the words
    and their order are kept."""
    lines = wrap_title(title)
    assert all(_px(ln) <= ROOM_PX for ln in lines), [(round(_px(ln)), ln) for ln in lines]
    assert " ".join(lines).split() == title.split()


def test_a_short_title_is_left_on_one_line():
    """Wrapping by width does not break a title that fits."""
    t = "Composite stress index (CISS-style) and regimes"
    assert wrap_title(t) == [t]
