"""Cost Anomaly Detection: the monitor the stack subscribes to, or the one it would create.

AWS allows one AWS managed monitor per dimension and account, and makes the AWS services one
(DIMENSIONAL/SERVICE) by itself in most accounts (Cost Management User Guide, "Creating your
cost monitors"); the stack creates a member-accounts (LINKED_ACCOUNT) monitor unless
`monitorArn` names an existing one.
"""

from __future__ import annotations

from typing import Any

from landing_zone.config.cost_controls import anomaly_monitor_name

from ..audit.costs import COST_REGION, all_pages
from .model import Check, Preflight, Prerequisite, blocked, ready

KEY = "budgets.anomalyDetection.monitorArn"


def _dimension(monitor: dict[str, Any]) -> str | None:
    if monitor.get("MonitorType") != "DIMENSIONAL":
        return None
    return str(monitor.get("MonitorDimension") or "") or None


def anomaly_monitor(preflight: Preflight) -> list[Prerequisite]:
    budgets = preflight.config.budgets
    anomaly = budgets.anomaly_detection if budgets else None
    if anomaly is None:
        return []
    ce = preflight.clients.client("ce", COST_REGION)
    monitors = all_pages(ce, "get_anomaly_monitors", "AnomalyMonitors")
    services = next((m for m in monitors if _dimension(m) == "SERVICE"), None)
    if anomaly.monitor_arn is not None:
        if any(m.get("MonitorArn") == anomaly.monitor_arn for m in monitors):
            return [
                ready(
                    "costs.anomaly-monitor", KEY, f"{anomaly.monitor_arn} exists; the stack subscribes to it"
                )
            ]
        fix = (
            f"set {KEY} to {services['MonitorArn']}"
            if services
            else f"remove {KEY} (the stack creates a monitor)"
        )
        return [blocked("costs.anomaly-monitor", KEY, f"{anomaly.monitor_arn} does not exist", fix)]
    ours = anomaly_monitor_name(preflight.config.organization.name)
    linked = next(
        (m for m in monitors if _dimension(m) == "LINKED_ACCOUNT" and m.get("MonitorName") != ours), None
    )
    if linked is not None:
        return [
            blocked(
                "costs.anomaly-monitor",
                "member-accounts monitor",
                f"the account already has a LINKED_ACCOUNT monitor '{linked.get('MonitorName')}'; "
                "AWS allows one per dimension",
                f"set {KEY}: {linked.get('MonitorArn')}",
            )
        ]
    if services is not None:
        return [
            ready(
                "costs.anomaly-monitor",
                "AWS services monitor",
                f"'{services.get('MonitorName')}' exists; the stack creates '{ours}' beside it; "
                f"to be notified by the services monitor instead, set {KEY}: {services.get('MonitorArn')}",
            )
        ]
    return [ready("costs.anomaly-monitor", "member-accounts monitor", f"the stack creates '{ours}'")]


CHECKS = (Check("costs.anomaly-monitor", anomaly_monitor, "Cost Anomaly Detection"),)
