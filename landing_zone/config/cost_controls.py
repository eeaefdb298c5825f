"""`landing-zone:budgets`: budgets, a zero-spend budget and Cost Anomaly Detection.

All of them live in the management account (consolidated billing sees every account);
notifications go to `subscribers`, by default the organization's notification list.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from .base import ConfigModel, Matching
from .checker import Checker, repeats
from .organization import OrganizationConfig, OrganizationStructure

MAX_NOTIFICATIONS_PER_BUDGET = 5  # AWS Budgets quota
MAX_EMAIL_SUBSCRIBERS = 10  # per budget notification, and per anomaly subscription

MonitorArn = Annotated[
    str,
    Matching(
        r"arn:aws:ce::\d{12}:anomalymonitor/[0-9a-f-]{36}",
        "a cost anomaly monitor ARN like arn:aws:ce::123456789012:anomalymonitor/<uuid>",
    ),
]

Amount = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2)]

# AWS Budgets' BudgetName: 1-100 characters, no colon or backslash, never containing "/action/"
# (Budgets API reference; botocore's budgets model).
BUDGET_NAME = Matching(
    r"(?![^:\\]*/action/)[^:\\]{1,100}",
    "a budget name of 1 to 100 characters without a colon, a backslash or '/action/'",
)
# Cost Explorer's MonitorName and SubscriptionName: at most 1,024 characters of any kind.
ANOMALY_NAME = Matching(r"[\s\S]{1,1024}", "a name of 1 to 1,024 characters")


class BudgetNotification(ConfigModel):
    type: Literal["ACTUAL", "FORECASTED"]
    threshold: Annotated[Decimal, Field(gt=0, le=1000)]  # percent of the budget's limit


DEFAULT_NOTIFICATIONS = (
    BudgetNotification(type="ACTUAL", threshold=Decimal(80)),
    BudgetNotification(type="ACTUAL", threshold=Decimal(100)),
    BudgetNotification(type="FORECASTED", threshold=Decimal(100)),
)


class AccountBudget(ConfigModel):
    account: str
    monthly_limit: Amount


class AnomalyDetectionConfig(ConfigModel):
    # An anomaly is notified when its total impact reaches this many USD.
    threshold: Amount
    # IMMEDIATE needs an SNS topic: email subscribers take DAILY or WEEKLY summaries.
    frequency: Literal["DAILY", "WEEKLY"] = "DAILY"
    # Subscribe to an existing monitor (the "AWS services" one AWS made, say). None: this stack
    # creates a monitor of the member accounts, which coexists with AWS's services monitor.
    monitor_arn: MonitorArn | None = None


class BudgetsConfig(ConfigModel):
    # The whole organization's monthly cost budget, in USD; None: no organization budget.
    monthly_limit: Amount | None = None
    accounts: tuple[AccountBudget, ...] = ()
    # For free-tier-only organizations: a notification as soon as anything costs money.
    zero_spend: bool = False
    notifications: tuple[BudgetNotification, ...] = DEFAULT_NOTIFICATIONS
    # Email addresses; None: the organization's notificationEmail.
    subscribers: tuple[str, ...] | None = None
    anomaly_detection: AnomalyDetectionConfig | None = None


def subscribers_of(budgets: BudgetsConfig, organization: OrganizationConfig) -> tuple[str, ...]:
    """Who receives budget and anomaly notifications."""
    if budgets.subscribers is not None:
        return budgets.subscribers
    return (organization.notification_email,)


# The names of what lives in AWS (each budget's name is also its logical name).


def organization_budget_name(org_name: str) -> str:
    return f"{org_name}-monthly"


def account_budget_name(org_name: str, account_name: str) -> str:
    return f"{org_name}-{account_name}-monthly"


def zero_spend_budget_name(org_name: str) -> str:
    return f"{org_name}-zero-spend"


def anomaly_subscription_name(org_name: str) -> str:
    return f"{org_name}-cost-anomalies"


def anomaly_monitor_name(org_name: str) -> str:
    """The member-accounts monitor this stack creates (never a services monitor)."""
    return f"{anomaly_subscription_name(org_name)}-accounts"


# Checks: `checker` reports under `budgets`.


def check_budgets(budgets: BudgetsConfig, structure: OrganizationStructure, checker: Checker) -> None:
    """Budget accounts exist, AWS's notification and subscriber limits, valid addresses and names."""
    if not (budgets.monthly_limit or budgets.accounts or budgets.zero_spend or budgets.anomaly_detection):
        checker.report((), "configures nothing: set monthlyLimit, accounts, zeroSpend or anomalyDetection")
    _check_account_budgets(budgets, checker)
    _check_names(budgets, structure, checker)
    _check_notifications(budgets, checker)
    if budgets.subscribers is not None:
        _check_subscribers(budgets.subscribers, checker)


def _check_account_budgets(budgets: BudgetsConfig, checker: Checker) -> None:
    defined = [
        budget.account if checker.account_defined(("accounts", index, "account"), budget.account) else None
        for index, budget in enumerate(budgets.accounts)
    ]
    for index, first in repeats(defined):
        checker.report(
            ("accounts", index, "account"),
            f"'{defined[index]}' already has a budget at budgets.accounts[{first}]",
        )


def _check_names(budgets: BudgetsConfig, structure: OrganizationStructure, checker: Checker) -> None:
    """Each name AWS gets is valid; reported under the key whose value broke it."""
    org_name = structure.organization.name
    derived: list[tuple[str, str, Matching]] = []
    if budgets.monthly_limit is not None:
        derived.append(("budget", organization_budget_name(org_name), BUDGET_NAME))
    if budgets.zero_spend:
        derived.append(("budget", zero_spend_budget_name(org_name), BUDGET_NAME))
    if budgets.anomaly_detection is not None:
        derived.append(("anomaly subscription", anomaly_subscription_name(org_name), ANOMALY_NAME))
        if budgets.anomaly_detection.monitor_arn is None:
            derived.append(("anomaly monitor", anomaly_monitor_name(org_name), ANOMALY_NAME))
    for kind, name, rule in derived:
        if not rule.matches(name):
            checker.at("organization", "name").report(
                (), f"'{org_name}' gives the {kind} name '{name}', which is not {rule.words}"
            )
    positions = {account.name: index for index, account in enumerate(structure.accounts)}
    for index, budget in enumerate(budgets.accounts):
        name = account_budget_name(org_name, budget.account)
        if budget.account in positions and not BUDGET_NAME.matches(name):
            checker.at("accounts", positions[budget.account], "name").report(
                (),
                f"gives the budget name '{name}' (budgets.accounts[{index}]), "
                f"which is not {BUDGET_NAME.words}",
            )


def _check_notifications(budgets: BudgetsConfig, checker: Checker) -> None:
    if len(budgets.notifications) > MAX_NOTIFICATIONS_PER_BUDGET:
        checker.report(
            ("notifications",),
            f"has {len(budgets.notifications)} entries; "
            f"AWS allows at most {MAX_NOTIFICATIONS_PER_BUDGET} notifications per budget",
        )
    for index, first in repeats((n.type, n.threshold) for n in budgets.notifications):
        checker.report(("notifications", index), f"same type and threshold as budgets.notifications[{first}]")


def _check_subscribers(subscribers: tuple[str, ...], checker: Checker) -> None:
    if not subscribers:
        checker.report(("subscribers",), "must list at least one email address (or be left out)")
    if len(subscribers) > MAX_EMAIL_SUBSCRIBERS:
        checker.report(
            ("subscribers",),
            f"has {len(subscribers)} addresses; "
            f"AWS allows at most {MAX_EMAIL_SUBSCRIBERS} email subscribers per notification",
        )
    for index, address in enumerate(subscribers):
        checker.email(("subscribers", index), address)
