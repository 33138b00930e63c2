"""Alerts: rules over facts, a Prometheus/Alertmanager-style lifecycle, a durable outbox, delivery.

``spillwatch monitor`` runs :func:`~spillwatch.alerts.monitor.run_monitor`; one cycle is
:func:`~spillwatch.alerts.monitor.run_cycle` (fetch → facts → rules → delivery). Import from
the modules: :mod:`.rules` (the rule language), :mod:`.facts` (what rules read),
:mod:`.engine` (lifecycle, silences), :mod:`.outbox` and :mod:`.notify`, :mod:`.admin` (rule
and silence administration for the CLI and the API), :mod:`.monitor`, :mod:`.backtest`. The
package itself imports none of them, so that ``spillwatch alerts list`` does not load the
analytics.
"""
