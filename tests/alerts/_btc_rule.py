"""One console rule on bitcoin's daily fall, for the monitor's and the outbox's edge tests."""

BTC_DROP_RULES = """
[defaults]
receivers = ["desk"]

[[receiver]]
name = "desk"
type = "console"

[[rule]]
name = "btc_drop"
fact = "btc.chg_1d_pct"
op = "<="
value = -8
repeat_interval = "1d"
"""
