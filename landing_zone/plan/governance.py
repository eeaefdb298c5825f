"""The guardrails and budgets part of `lz plan`: which policy is attached where, what is budgeted.

Read from the registered resources (policy attachments, budgets), like the rest of the report.
"""

from __future__ import annotations

from typing import Any

from landing_zone.resource_types import ACCOUNT, BUDGET, POLICY, POLICY_ATTACHMENT

from .runner import PlanResult

TARGET_ORDER = {"ROOT": 0, "ORGANIZATIONAL_UNIT": 1, "ACCOUNT": 2}


def guardrail_entries(result: PlanResult, ou_paths: dict[str, str]) -> list[dict[str, Any]]:
    """One entry per attachment: policy name, target (Root, OU path or account name), target type.

    Sorted by target, then policy name: registration order under mocks is not stable.
    """
    policies = {p.id: p.inputs.get("name", p.name) for p in result.of_type(POLICY)}
    accounts = _account_names(result)
    root_id = result.outputs.get("rootId")
    entries = []
    for attachment in result.of_type(POLICY_ATTACHMENT):
        target_id = str(attachment.inputs.get("targetId"))
        if target_id == root_id:
            target, target_type = "Root", "ROOT"
        elif target_id in ou_paths:
            target, target_type = ou_paths[target_id], "ORGANIZATIONAL_UNIT"
        else:
            target, target_type = accounts.get(target_id, target_id), "ACCOUNT"
        entries.append(
            {
                "policy": policies.get(attachment.inputs.get("policyId"), attachment.inputs.get("policyId")),
                "target": target,
                "targetType": target_type,
            }
        )
    return sorted(entries, key=lambda e: (TARGET_ORDER[e["targetType"]], e["target"], e["policy"]))


def budget_entries(result: PlanResult) -> list[dict[str, Any]]:
    """One entry per budget: limit, the account it covers (None: all), notifications, subscribers."""
    accounts = _account_names(result)
    entries = []
    for budget in result.of_type(BUDGET):
        linked = [
            value
            for cost_filter in budget.inputs.get("costFilters") or []
            if cost_filter.get("name") == "LinkedAccount"
            for value in cost_filter.get("values", [])
        ]
        notifications = budget.inputs.get("notifications") or []
        entries.append(
            {
                "name": budget.inputs.get("name", budget.name),
                "limitAmount": budget.inputs.get("limitAmount"),
                "limitUnit": budget.inputs.get("limitUnit"),
                "timeUnit": budget.inputs.get("timeUnit"),
                "account": accounts.get(linked[0], linked[0]) if linked else None,
                "notifications": [
                    {"type": n.get("notificationType"), "threshold": n.get("threshold")}
                    for n in notifications
                ],
                "subscribers": sorted(
                    {address for n in notifications for address in n.get("subscriberEmailAddresses") or []}
                ),
            }
        )
    return sorted(entries, key=lambda e: (e["account"] is not None, e["account"] or "", e["name"]))


def render_governance(report: dict[str, Any]) -> list[str]:
    """Text lines for the guardrails per target and the budgets (none when there are none)."""
    lines: list[str] = []
    by_target: dict[str, list[str]] = {}
    for entry in report.get("guardrails", []):
        label = {"ROOT": "Root", "ORGANIZATIONAL_UNIT": "OU ", "ACCOUNT": "account "}[entry["targetType"]]
        label += entry["target"] if entry["targetType"] != "ROOT" else ""
        by_target.setdefault(label, []).append(entry["policy"])
    if by_target:
        width = max(len(label) for label in by_target)
        lines += ["", "Guardrails (service control policies; FullAWSAccess stays attached to every target):"]
        lines += [f"  {label:<{width}}  {', '.join(policies)}" for label, policies in by_target.items()]
    budgets = report.get("budgets", [])
    if budgets:
        rows = [
            (
                budget["name"],
                f"{budget['limitAmount']} {budget['limitUnit']}/month",
                budget["account"] or "whole organization",
                ", ".join(f"{n['type']} {n['threshold']:g}%" for n in budget["notifications"]),
            )
            for budget in budgets
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines += ["", "Budgets:"]
        lines += [
            f"  {name:<{widths[0]}}  {limit:>{widths[1]}}  {scope:<{widths[2]}}  {alerts}"
            for name, limit, scope, alerts in rows
        ]
        subscribers = sorted({address for budget in budgets for address in budget["subscribers"]})
        lines.append(f"  notifications to {', '.join(subscribers)}")
    return lines


def _account_names(result: PlanResult) -> dict[str | None, str]:
    return {account.id: account.inputs.get("name", account.name) for account in result.of_type(ACCOUNT)}
