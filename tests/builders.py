"""Small builders of stack config for tests: no files, no AWS."""

from __future__ import annotations

import copy
import json
from typing import Any

NAMESPACE = "landing-zone"
# Trusted access for everything a stack can ask for (spelled out: tests are independent witnesses).
ALL_PRINCIPALS = [
    "account.amazonaws.com",
    "sso.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "access-analyzer.amazonaws.com",
    "config.amazonaws.com",
]


def contact(name: str) -> dict[str, str]:
    return {"name": name, "title": f"{name} team", "phone": "+1 555 0100"}


def organization(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "acme",
        "domain": "acme-corp.io",
        "notificationEmail": "aws-notifications@acme-corp.io",
        "contacts": {
            "billing": contact("Finance"),
            "security": contact("Security"),
            "operations": contact("Platform"),
        },
    }
    base.update(changes)
    return base


def stack_values(
    *,
    organization_changes: dict[str, Any] | None = None,
    organizational_units: list[dict[str, Any]] | None = None,
    accounts: list[dict[str, Any]] | None = None,
    **extra_keys: Any,
) -> dict[str, Any]:
    """A valid stack's config mapping (as read from Pulumi.<stack>.yaml), with changes."""
    values: dict[str, Any] = {
        "aws:region": "eu-west-1",
        f"{NAMESPACE}:organization": organization(**(organization_changes or {})),
        f"{NAMESPACE}:organizationalUnits": organizational_units
        if organizational_units is not None
        else [{"path": "Security"}, {"path": "Workloads"}, {"path": "Workloads/Production"}],
        f"{NAMESPACE}:accounts": accounts
        if accounts is not None
        else [
            {"name": "audit", "ou": "Security"},
            {"name": "production", "ou": "Workloads/Production"},
        ],
    }
    for key, value in extra_keys.items():
        values[f"{NAMESPACE}:{key}"] = value
    return copy.deepcopy(values)


# Minimal custom policies of each grammar, to fill targets up to a type's per-target limit.
POLICY_DOCUMENTS = {
    "iam": {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "DenyLeaving", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}],
    },
    "rcp": {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
             "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}
        ],
    },
    "AISERVICES_OPT_OUT_POLICY": {"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}},
    "TAG_POLICY": {"tags": {"team": {"tag_key": {"@@assign": "Team"}}}},
}  # fmt: skip


def custom_policies(
    count: int, policy_type: str = "SERVICE_CONTROL_POLICY", **targets: Any
) -> list[dict[str, Any]]:
    """`count` guardrails entries with custom documents named `<type prefix>-<n>`, on `targets`."""
    grammar = {"SERVICE_CONTROL_POLICY": "iam", "RESOURCE_CONTROL_POLICY": "rcp"}.get(
        policy_type, policy_type
    )
    prefix = policy_type.split("_")[0].lower()
    return [
        {
            "name": f"{prefix}-{n}",
            "type": policy_type,
            "document": json.dumps(POLICY_DOCUMENTS[grammar]),
            **targets,
        }
        for n in range(1, count + 1)
    ]
