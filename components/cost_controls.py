"""Budgets with email notifications and Cost Anomaly Detection, in the management account.

The organization stack holds the organization-wide ones; each stack holds its own accounts' budgets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pulumi
from pulumi_aws.budgets._inputs import BudgetCostFilterArgs, BudgetNotificationArgs
from pulumi_aws.budgets.budget import Budget
from pulumi_aws.costexplorer._inputs import (
    AnomalySubscriptionSubscriberArgs,
    AnomalySubscriptionThresholdExpressionArgs,
    AnomalySubscriptionThresholdExpressionDimensionArgs,
)
from pulumi_aws.costexplorer.anomaly_monitor import AnomalyMonitor
from pulumi_aws.costexplorer.anomaly_subscription import AnomalySubscription

from landing_zone.config.cost_controls import (
    AnomalyDetectionConfig,
    BudgetNotification,
    BudgetsConfig,
    account_budget_name,
    anomaly_monitor_name,
    anomaly_subscription_name,
    organization_budget_name,
    zero_spend_budget_name,
)

# AWS's zero-spend template: told as soon as actual spend passes one cent.
ZERO_SPEND_LIMIT = Decimal("0.01")
ZERO_SPEND_NOTIFICATIONS = (BudgetNotification(type="ACTUAL", threshold=Decimal(100)),)


@dataclass(frozen=True)
class CostControlsArgs:
    config: BudgetsConfig
    # Who is notified (landing_zone.config.cost_controls.subscribers_of).
    subscribers: Sequence[str]
    # Member account ids by name, for per-account budgets: this stack's accounts, whose budgets it holds.
    account_ids: Mapping[str, pulumi.Input[str]]
    # The organization's budgets and anomaly detection too (the organization stack's, or a single stack's).
    organization_wide: bool = True


class CostControls(pulumi.ComponentResource):
    """`name` is the organization's code: the names AWS gets derive from it
    (landing_zone.config.cost_controls)."""

    def __init__(self, name: str, args: CostControlsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:cost-controls:CostControls", name, None, opts)
        config = args.config
        if config.monthly_limit is not None and args.organization_wide:
            self._create_budget(
                organization_budget_name(name), config.monthly_limit, config.notifications, args
            )
        for budget in config.accounts:
            if budget.account not in args.account_ids:
                continue  # another stack's account
            self._create_budget(
                account_budget_name(name, budget.account),
                budget.monthly_limit,
                config.notifications,
                args,
                account_id=args.account_ids[budget.account],
            )
        if config.zero_spend and args.organization_wide:
            self._create_budget(
                zero_spend_budget_name(name), ZERO_SPEND_LIMIT, ZERO_SPEND_NOTIFICATIONS, args
            )
        if config.anomaly_detection is not None and args.organization_wide:
            self._create_anomaly_detection(name, config.anomaly_detection, args.subscribers)
        self.register_outputs({})

    def _create_budget(
        self,
        name: str,
        limit: Decimal,
        notifications: Sequence[BudgetNotification],
        args: CostControlsArgs,
        account_id: pulumi.Input[str] | None = None,
    ) -> None:
        """A monthly cost budget in USD; only `account_id`'s costs when given, else the organization's."""
        cost_filters = (
            [BudgetCostFilterArgs(name="LinkedAccount", values=[account_id])]
            if account_id is not None
            else None
        )
        Budget(
            # The budget's name in AWS is also its logical name.
            name,
            name=name,
            budget_type="COST",
            time_unit="MONTHLY",
            limit_amount=f"{limit:f}",
            limit_unit="USD",
            cost_filters=cost_filters,
            notifications=[
                BudgetNotificationArgs(
                    comparison_operator="GREATER_THAN",
                    notification_type=notification.type,
                    threshold=float(notification.threshold),
                    threshold_type="PERCENTAGE",
                    subscriber_email_addresses=list(args.subscribers),
                )
                for notification in notifications
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_anomaly_detection(
        self, org_name: str, config: AnomalyDetectionConfig, subscribers: Sequence[str]
    ) -> None:
        name = anomaly_subscription_name(org_name)
        monitor_arn: pulumi.Input[str]
        if config.monitor_arn is not None:
            monitor_arn = config.monitor_arn
        else:
            # An AWS managed monitor of member accounts: each account evaluated on its own, new
            # accounts included as they come. Never a second "AWS services" (SERVICE) monitor:
            # AWS allows one per account and creates it by itself in most accounts, so creating
            # one fails the first `pulumi up`. Member-account monitors are made in the management
            # account only. https://docs.aws.amazon.com/cost-management/latest/userguide/getting-started-ad.html
            monitor_arn = AnomalyMonitor(
                anomaly_monitor_name(org_name),
                name=anomaly_monitor_name(org_name),
                monitor_type="DIMENSIONAL",
                monitor_dimension="LINKED_ACCOUNT",
                opts=pulumi.ResourceOptions(parent=self),
            ).arn
        AnomalySubscription(
            name,
            name=name,
            frequency=config.frequency,
            monitor_arn_lists=[monitor_arn],
            subscribers=[
                AnomalySubscriptionSubscriberArgs(type="EMAIL", address=address) for address in subscribers
            ],
            threshold_expression=AnomalySubscriptionThresholdExpressionArgs(
                dimension=AnomalySubscriptionThresholdExpressionDimensionArgs(
                    key="ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                    match_options=["GREATER_THAN_OR_EQUAL"],
                    values=[f"{config.threshold:f}"],
                )
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
