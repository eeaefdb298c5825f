"""Cost controls of the management (payer) account: budgets with subscribers, anomaly detection.

moto has no Cost Anomaly Detection and cannot list budget subscribers: those two checks are
unit-tested with botocore's Stubber.
"""

from __future__ import annotations

from typing import Any

from ..session import Clients, PageBound, paginate
from .model import Check, Finding

COST_REGION = "us-east-1"  # Budgets and Cost Explorer answer in us-east-1


def _budget_names(budgets: Any, account_id: str) -> list[str]:
    try:
        return [
            b["BudgetName"] for b in paginate(budgets, "describe_budgets", "Budgets", AccountId=account_id)
        ]
    except budgets.exceptions.NotFoundException:
        return []


def budgets_exist(clients: Clients, account_id: str) -> Finding:
    names = _budget_names(clients.client("budgets", COST_REGION), account_id)
    if not names:
        return Finding.failed(f"no budgets in account {account_id}")
    return Finding.passed(f"{len(names)} budgets: {', '.join(sorted(names))}")


def budget_subscribers(clients: Clients, account_id: str) -> Finding:
    budgets = clients.client("budgets", COST_REGION)
    names = _budget_names(budgets, account_id)
    if not names:
        return Finding.failed(f"no budgets in account {account_id}")
    lines, unsubscribed = [], []
    for name in sorted(names):
        subscribers = _subscribers(budgets, account_id, name)
        if subscribers:
            lines.append(f"budget {name}: {len(subscribers)} subscribers ({', '.join(sorted(subscribers))})")
        else:
            unsubscribed.append(f"budget {name}: no notification with a subscriber")
    return Finding("fail" if unsubscribed else "pass", (*unsubscribed, *lines))


def _subscribers(budgets: Any, account_id: str, name: str) -> set[str]:
    addresses: set[str] = set()
    try:
        notifications = list(
            paginate(
                budgets,
                "describe_notifications_for_budget",
                "Notifications",
                AccountId=account_id,
                BudgetName=name,
            )
        )
    except budgets.exceptions.NotFoundException:
        return addresses
    for notification in notifications:
        try:
            for subscriber in paginate(
                budgets,
                "describe_subscribers_for_notification",
                "Subscribers",
                AccountId=account_id,
                BudgetName=name,
                Notification=notification,
            ):
                addresses.add(subscriber["Address"])
        except budgets.exceptions.NotFoundException:
            continue
    return addresses


def anomaly_detection(clients: Clients) -> Finding:
    ce = clients.client("ce", COST_REGION)
    monitors = all_pages(ce, "get_anomaly_monitors", "AnomalyMonitors")
    subscriptions = all_pages(ce, "get_anomaly_subscriptions", "AnomalySubscriptions")
    subscribed = [s for s in subscriptions if s.get("Subscribers")]
    evidence = [f"monitor {m.get('MonitorName')} ({m.get('MonitorType')})" for m in monitors]
    evidence += [
        f"subscription {s.get('SubscriptionName')}: {', '.join(x['Address'] for x in s['Subscribers'])}"
        for s in subscribed
    ]
    if not monitors:
        return Finding.failed("no cost anomaly monitor")
    if not subscribed:
        return Finding.failed(*evidence, "no anomaly subscription with a subscriber")
    return Finding.passed(*evidence)


def all_pages(client: Any, method: str, key: str) -> list[dict[str, Any]]:
    """Cost Explorer has no paginators for these calls: follow NextPageToken by hand (bounded)."""
    items: list[dict[str, Any]] = []
    bound = PageBound(client.meta.method_to_api_mapping.get(method, method))
    token = None
    while True:
        page = getattr(client, method)(**({"NextPageToken": token} if token else {}))
        items += page.get(key) or []
        token = page.get("NextPageToken")
        bound.next(token)
        if not token:
            return items


BUDGETS = Check("costs.budgets", "At least one budget exists", budgets_exist)
BUDGET_SUBSCRIBERS = Check(
    "costs.budget-subscribers", "Every budget notifies at least one subscriber", budget_subscribers
)
ANOMALY_DETECTION = Check(
    "costs.anomaly-detection", "Cost anomaly detection monitors with a subscriber", anomaly_detection
)
