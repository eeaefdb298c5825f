"""`landing-zone:budgets`: budgets, a zero-spend budget and Cost Anomaly Detection.

All of them live in the management account (consolidated billing sees every account);
notifications go to `subscribers`, by default the organization's notification list.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from .base import ConfigModel

if TYPE_CHECKING:
    from .model import LandingZoneConfig
    from .validation import _Checker

MAX_NOTIFICATIONS_PER_BUDGET = 5  # AWS Budgets quota
MAX_EMAIL_SUBSCRIBERS = 10  # per budget notification, and per anomaly subscription

MONITOR_ARN_PATTERN = r"^arn:aws:ce::\d{12}:anomalymonitor/[0-9a-f-]{36}$"

Amount = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2)]


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
    # Subscribe to an existing monitor: AWS allows one services monitor per account and
    # creates one by itself in new accounts. None: this stack creates it.
    monitor_arn: Annotated[str, StringConstraints(pattern=MONITOR_ARN_PATTERN)] | None = None


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


def subscribers_of(config: LandingZoneConfig) -> tuple[str, ...]:
    """Who receives budget and anomaly notifications."""
    budgets = config.budgets
    if budgets is not None and budgets.subscribers is not None:
        return budgets.subscribers
    return (config.organization.notification_email,)


def check_budgets(checker: _Checker) -> None:
    """Budget accounts exist, AWS's notification and subscriber limits, valid addresses."""
    budgets = checker.config.budgets
    if budgets is None:
        return
    report = checker.report
    if not (budgets.monthly_limit or budgets.accounts or budgets.zero_spend or budgets.anomaly_detection):
        report(("budgets",), "configures nothing: set monthlyLimit, accounts, zeroSpend or anomalyDetection")
    seen: dict[str, int] = {}
    for index, budget in enumerate(budgets.accounts):
        key = ("budgets", "accounts", index, "account")
        if not checker.check_account_defined(key, budget.account):
            continue
        if budget.account in seen:
            report(
                key, f"'{budget.account}' already has a budget at budgets.accounts[{seen[budget.account]}]"
            )
        else:
            seen[budget.account] = index
    if len(budgets.notifications) > MAX_NOTIFICATIONS_PER_BUDGET:
        report(
            ("budgets", "notifications"),
            f"has {len(budgets.notifications)} entries; "
            f"AWS allows at most {MAX_NOTIFICATIONS_PER_BUDGET} notifications per budget",
        )
    thresholds: dict[tuple[str, Decimal], int] = {}
    for index, notification in enumerate(budgets.notifications):
        same = (notification.type, notification.threshold)
        if same in thresholds:
            report(
                ("budgets", "notifications", index),
                f"same type and threshold as budgets.notifications[{thresholds[same]}]",
            )
        else:
            thresholds[same] = index
    if budgets.subscribers is not None:
        if not budgets.subscribers:
            report(("budgets", "subscribers"), "must list at least one email address (or be left out)")
        if len(budgets.subscribers) > MAX_EMAIL_SUBSCRIBERS:
            report(
                ("budgets", "subscribers"),
                f"has {len(budgets.subscribers)} addresses; "
                f"AWS allows at most {MAX_EMAIL_SUBSCRIBERS} email subscribers per notification",
            )
        for index, address in enumerate(budgets.subscribers):
            checker.check_email(("budgets", "subscribers", index), address)
