"""Alerts: rules over facts, a Prometheus/Alertmanager-style lifecycle, a durable outbox, delivery.

``spillwatch monitor`` runs :func:`~spillwatch.alerts.monitor.run_monitor`; one cycle is
:func:`~spillwatch.alerts.monitor.run_cycle` (fetch → facts → rules → delivery).
"""

from spillwatch.alerts.engine import Engine, add_silence, expire_silence, fingerprint
from spillwatch.alerts.facts import Fact, FactSet, compute_facts
from spillwatch.alerts.monitor import run_cycle, run_monitor
from spillwatch.alerts.outbox import DeliveryError, Outbox
from spillwatch.alerts.rules import Rule, RuleSet, load_rules, parse_rules

__all__ = [
    "DeliveryError",
    "Engine",
    "Fact",
    "FactSet",
    "Outbox",
    "Rule",
    "RuleSet",
    "add_silence",
    "compute_facts",
    "expire_silence",
    "fingerprint",
    "load_rules",
    "parse_rules",
    "run_cycle",
    "run_monitor",
]
