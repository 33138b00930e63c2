"""The rule pair the inhibition tests share: bitcoin's -8% rule and every coin's shock.

``RULES``: ``shock`` is inhibited by ``drop`` on the same ``asset``; ``DESK_RULES`` gives both a
``desk`` label as well.
"""

from __future__ import annotations

RULES = """
[[rule]]
name = "drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
severity = "critical"
labels = { asset = "btc" }
summary = "BTC {btc.chg_1d_pct:.1f}%"

[[rule]]
name = "shock"
fact = "*.z_1d"
op = "<="
value = -4
match = { block = "crypto" }
summary = "{asset} z {value:.1f}"
inhibited_by = [{ rule = "drop", equal = ["asset"] }]
"""

DESK_RULES = RULES.replace('labels = { asset = "btc" }',
                           'labels = { asset = "btc", desk = "crypto" }').replace(
    'match = { block = "crypto" }', 'match = { block = "crypto" }\nlabels = { desk = "crypto" }')
