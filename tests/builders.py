"""Small builders of stack config for tests: no files, no AWS."""

from __future__ import annotations

import copy
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
