"""Budgets with email notifications and Cost Anomaly Detection, in the management account."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class NotificationSpec:
    notification_type: str  # ACTUAL or FORECASTED
    threshold: float  # percent of the limit


@dataclass(frozen=True)
class BudgetSpec:
    name: str  # the budget's name in AWS, also its logical name
    limit_amount: str  # USD per month, as AWS Budgets takes it
    notifications: Sequence[NotificationSpec]
    # Only this member account's costs; None: the whole organization.
    account_id: pulumi.Input[str] | None = None


@dataclass(frozen=True)
class AnomalyDetectionSpec:
    name: str
    threshold: str  # USD of an anomaly's total impact
    frequency: str  # DAILY or WEEKLY
    # Subscribe to this existing monitor instead of creating one (AWS allows one services monitor).
    monitor_arn: str | None = None


@dataclass(frozen=True)
class CostControlsArgs:
    budgets: Sequence[BudgetSpec]
    subscribers: Sequence[str]
    anomaly_detection: AnomalyDetectionSpec | None = None


class CostControls(pulumi.ComponentResource):
    def __init__(self, name: str, args: CostControlsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:cost-controls:CostControls", name, None, opts)
        for budget in args.budgets:
            self._create_budget(budget, args.subscribers)
        if args.anomaly_detection is not None:
            self._create_anomaly_detection(args.anomaly_detection, args.subscribers)
        self.register_outputs({})

    def _create_budget(self, spec: BudgetSpec, subscribers: Sequence[str]) -> None:
        cost_filters = (
            [aws.budgets.BudgetCostFilterArgs(name="LinkedAccount", values=[spec.account_id])]
            if spec.account_id is not None
            else None
        )
        aws.budgets.Budget(
            spec.name,
            name=spec.name,
            budget_type="COST",
            time_unit="MONTHLY",
            limit_amount=spec.limit_amount,
            limit_unit="USD",
            cost_filters=cost_filters,
            notifications=[
                aws.budgets.BudgetNotificationArgs(
                    comparison_operator="GREATER_THAN",
                    notification_type=notification.notification_type,
                    threshold=notification.threshold,
                    threshold_type="PERCENTAGE",
                    subscriber_email_addresses=list(subscribers),
                )
                for notification in spec.notifications
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_anomaly_detection(self, spec: AnomalyDetectionSpec, subscribers: Sequence[str]) -> None:
        monitor_arn: pulumi.Input[str]
        if spec.monitor_arn is not None:
            monitor_arn = spec.monitor_arn
        else:
            monitor_arn = aws.costexplorer.AnomalyMonitor(
                f"{spec.name}-services",
                name=f"{spec.name}-services",
                monitor_type="DIMENSIONAL",
                monitor_dimension="SERVICE",
                opts=pulumi.ResourceOptions(parent=self),
            ).arn
        aws.costexplorer.AnomalySubscription(
            spec.name,
            name=spec.name,
            frequency=spec.frequency,
            monitor_arn_lists=[monitor_arn],
            subscribers=[
                aws.costexplorer.AnomalySubscriptionSubscriberArgs(type="EMAIL", address=address)
                for address in subscribers
            ],
            threshold_expression=aws.costexplorer.AnomalySubscriptionThresholdExpressionArgs(
                dimension=aws.costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs(
                    key="ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                    match_options=["GREATER_THAN_OR_EQUAL"],
                    values=[spec.threshold],
                )
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
