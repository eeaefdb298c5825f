"""The guardrails and budgets part of the plan report: which policy of which type is attached
where, what is budgeted.

Read from the registered resources (policy attachments, budgets), like the rest of the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from landing_zone.guardrails.policy_types import AWS_POLICY_TYPES, SERVICE_CONTROL_POLICY
from landing_zone.resource_types import BUDGET, POLICY, POLICY_ATTACHMENT

from .runner import PlanResult

TargetType = Literal["ROOT", "ORGANIZATIONAL_UNIT", "ACCOUNT"]
TARGET_ORDER: dict[TargetType, int] = {"ROOT": 0, "ORGANIZATIONAL_UNIT": 1, "ACCOUNT": 2}


@dataclass(frozen=True)
class GuardrailAttachment:
    """A policy of a type attached to the root, an OU (by path) or an account (by name)."""

    policy: str
    target: str  # "Root", an OU path or an account name (an id when unknown)
    target_type: TargetType
    policy_type: str = SERVICE_CONTROL_POLICY  # as AWS spells it; unknown policies count as SCPs

    def to_json(self) -> dict[str, str]:
        return {
            "policy": self.policy,
            "policyType": self.policy_type,
            "target": self.target,
            "targetType": self.target_type,
        }


def _type_order(policy_type: str) -> int:
    return AWS_POLICY_TYPES.index(policy_type) if policy_type in AWS_POLICY_TYPES else len(AWS_POLICY_TYPES)


@dataclass(frozen=True)
class BudgetNotification:
    type: str | None  # ACTUAL or FORECASTED
    threshold: float | None  # percent of the limit

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, "threshold": self.threshold}


@dataclass(frozen=True)
class BudgetEntry:
    name: str
    limit_amount: str | None  # as the budget's input: a decimal string
    limit_unit: str | None
    time_unit: str | None
    account: str | None  # the account it covers by name; None: the whole organization
    notifications: tuple[BudgetNotification, ...]
    subscribers: tuple[str, ...]  # every address any notification goes to, sorted

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "limitAmount": self.limit_amount,
            "limitUnit": self.limit_unit,
            "timeUnit": self.time_unit,
            "account": self.account,
            "notifications": [n.to_json() for n in self.notifications],
            "subscribers": list(self.subscribers),
        }


def guardrail_entries(result: PlanResult, ou_paths: dict[str, str]) -> tuple[GuardrailAttachment, ...]:
    """One entry per attachment, sorted by policy type (AWS's order), target, then policy name.

    Registration order under mocks is not stable.
    """
    policies = {p.id: p.inputs.get("name", p.name) for p in result.of_type(POLICY)}
    # The provider's default type is a service control policy.
    types = {p.id: str(p.inputs.get("type") or SERVICE_CONTROL_POLICY) for p in result.of_type(POLICY)}
    accounts = result.account_names()
    root_id = result.outputs.get("rootId")
    entries = []
    for attachment in result.of_type(POLICY_ATTACHMENT):
        target_id = str(attachment.inputs.get("targetId"))
        target_type: TargetType
        if target_id == root_id:
            target, target_type = "Root", "ROOT"
        elif target_id in ou_paths:
            target, target_type = ou_paths[target_id], "ORGANIZATIONAL_UNIT"
        else:
            target, target_type = accounts.get(target_id, target_id), "ACCOUNT"
        policy_id = attachment.inputs["policyId"]
        entries.append(
            GuardrailAttachment(
                policy=policies.get(policy_id, policy_id),
                target=target,
                target_type=target_type,
                policy_type=types.get(policy_id, SERVICE_CONTROL_POLICY),
            )
        )
    return tuple(
        sorted(
            entries,
            key=lambda e: (_type_order(e.policy_type), TARGET_ORDER[e.target_type], e.target, e.policy),
        )
    )


def budget_entries(result: PlanResult) -> tuple[BudgetEntry, ...]:
    """One entry per budget: organization-wide ones first, then by account and name."""
    accounts = result.account_names()
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
            BudgetEntry(
                name=budget.inputs.get("name", budget.name),
                limit_amount=budget.inputs.get("limitAmount"),
                limit_unit=budget.inputs.get("limitUnit"),
                time_unit=budget.inputs.get("timeUnit"),
                account=accounts.get(linked[0], linked[0]) if linked else None,
                notifications=tuple(
                    BudgetNotification(type=n.get("notificationType"), threshold=n.get("threshold"))
                    for n in notifications
                ),
                subscribers=tuple(
                    sorted(
                        {
                            address
                            for n in notifications
                            for address in n.get("subscriberEmailAddresses") or []
                        }
                    )
                ),
            )
        )
    return tuple(sorted(entries, key=lambda e: (e.account is not None, e.account or "", e.name)))
