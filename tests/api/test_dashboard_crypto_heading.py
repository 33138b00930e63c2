"""The dashboard's crypto card is not headed with a coin the evening shown may not have."""

from __future__ import annotations

import re
from importlib import resources


def test_the_crypto_card_heading_names_no_coin():
    """/?as_of=2020-03-18 on ../shared/data drew "Crypto: BTC and ETH" (TRUMP was launched in
    2025) under the card's fixed heading "Crypto: BTC, ETH and TRUMP": the page's own heading
    named a coin the chart below it, and the data of that evening, did not hold. The figure's
    title names the coins drawn; the heading (and the API's title of the view) names none."""
    from spillwatch.api.views import FIGURES

    page = resources.files("spillwatch.api").joinpath("static/index.html").read_text("utf-8")
    card = re.search(r'<section[^>]*data-figure="crypto"[^>]*>\s*<h2>(.*?)</h2>', page, re.S)
    assert card, "the page has a crypto card"
    for heading in (card.group(1), FIGURES["crypto"].title):
        assert not re.search(r"\b(BTC|ETH|TRUMP)\b", heading), heading
        assert heading.startswith("Crypto")
