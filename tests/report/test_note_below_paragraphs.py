"""``note_below`` starts each paragraph of a note on its own line.

The demand dial joins its freshness note, its "read in part" line and its short-history line
with newlines; wrapped as one paragraph they ran together ("...not today's reading read in
part: China without ...") and the dial's three caveats read as one sentence. No test gave the
function a note of two paragraphs.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from spillwatch.plotting.style import note_below


def test_each_paragraph_starts_a_line_and_each_is_wrapped_to_the_width():
    first = "as of 2026-01-06: not today's reading (333 days before 2026-12-05)"
    second = "read in part: China without China reserves flow vs its fit"
    fig = note_below(go.Figure(), f"{first}\n{second}", width=40)
    text = fig.layout.annotations[-1].text
    expected = textwrap.wrap(first, 40) + textwrap.wrap(second, 40)
    assert text.split("<br>") == expected
    assert text.split("<br>")[len(textwrap.wrap(first, 40))].startswith("read in part:")
    # room for each line: 15 px a line on the default 380
    assert fig.layout.height == 380 + 15 * len(expected)
