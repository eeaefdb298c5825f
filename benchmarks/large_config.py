"""Large, valid stack configs for benchmarks and scale tests.

`large_stack_values(500)` spreads 500 accounts over nested OUs (business units with
Production and NonProduction below them, a Sandbox OU, a Security OU), the shape of an agency
or a platform team, and gives them Identity Center access the way such organizations do:
organization-wide groups on all member accounts, one developer and one operator group per
business unit on its OUs, so that N=500 gives several thousand account assignments.
"""

from __future__ import annotations

from typing import Any

NAMESPACE = "landing-zone"
BUSINESS_UNITS = 10
ORGANIZATION = "scale"
DOMAIN = "scale-corp.io"

# (name, AWS managed policy, session duration)
PERMISSION_SETS = (
    ("AdministratorAccess", "AdministratorAccess", "PT4H"),
    ("ReadOnlyAccess", "ReadOnlyAccess", "PT8H"),
    ("SecurityAudit", "SecurityAudit", "PT8H"),
    ("ViewOnlyAccess", "job-function/ViewOnlyAccess", "PT8H"),
    ("Developer", "PowerUserAccess", "PT8H"),
    ("Billing", "job-function/Billing", "PT8H"),
)
ORGANIZATION_GROUPS = ("Platform", "Security", "Auditors", "Finance")
USERS_PER_GROUP = 2


def _contact(name: str) -> dict[str, str]:
    return {"name": name, "title": f"{name} team", "phone": "+1 555 0100"}


def business_unit_groups() -> list[str]:
    return [f"bu{bu:02d}-{role}" for bu in range(BUSINESS_UNITS) for role in ("developers", "operators")]


def group_names() -> list[str]:
    return [*ORGANIZATION_GROUPS, *business_unit_groups()]


def _organizational_units() -> list[str]:
    units = ["Security", "Sandbox", "Workloads"]
    for bu in range(BUSINESS_UNITS):
        units += [
            f"Workloads/bu{bu:02d}",
            f"Workloads/bu{bu:02d}/Production",
            f"Workloads/bu{bu:02d}/NonProduction",
        ]
    return units


def _accounts(accounts: int) -> list[dict[str, Any]]:
    account_list: list[dict[str, Any]] = [
        {"name": "audit", "ou": "Security"},
        {"name": "log-archive", "ou": "Security"},
    ]
    index = 0
    while len(account_list) < accounts:
        bu, kind = divmod(index, 3)
        bu %= BUSINESS_UNITS
        if kind == 2:
            account_list.append(
                {
                    "name": f"sandbox-{index:04d}",
                    "ou": "Sandbox",
                    "closeOnDeletion": True,
                    "tags": {"environment": "sandbox"},
                }
            )
        else:
            env = "Production" if kind == 0 else "NonProduction"
            account_list.append(
                {
                    "name": f"app{index:04d}-{env.lower()}",
                    "ou": f"Workloads/bu{bu:02d}/{env}",
                    "tags": {"environment": env.lower()},
                }
            )
        index += 1
    return account_list[:accounts]


def organization_access() -> list[dict[str, Any]]:
    """The organization-wide access rules: Platform and Security on every member account, Auditors
    view-only everywhere, Platform and Finance in the management account."""
    return [
        {
            "group": "Platform",
            "permissionSets": ["AdministratorAccess", "ReadOnlyAccess"],
            "allMemberAccounts": True,
        },
        {"group": "Platform", "permissionSets": ["AdministratorAccess"], "accounts": ["management"]},
        {
            "group": "Security",
            "permissionSets": ["SecurityAudit", "ReadOnlyAccess"],
            "allMemberAccounts": True,
        },
        {"group": "Auditors", "permissionSets": ["ViewOnlyAccess"], "allMemberAccounts": True},
        {"group": "Finance", "permissionSets": ["Billing"], "accounts": ["management"]},
    ]


def _identity_center() -> dict[str, Any]:
    groups = group_names()
    users = [
        {
            "userName": f"{group.lower()}-{n}@{DOMAIN}",
            "givenName": group,
            "familyName": f"Member{n}",
            "email": f"{group.lower()}-{n}@{DOMAIN}",
        }
        for group in groups
        for n in range(USERS_PER_GROUP)
    ]
    access: list[dict[str, Any]] = [
        *organization_access(),
        {"group": "Auditors", "permissionSets": ["ReadOnlyAccess"], "organizationalUnits": ["Security"]},
    ]
    for bu in range(BUSINESS_UNITS):
        prefix = f"Workloads/bu{bu:02d}"
        access += [
            {
                "group": f"bu{bu:02d}-developers",
                "permissionSets": ["Developer", "ReadOnlyAccess"],
                "organizationalUnits": [f"{prefix}/NonProduction", "Sandbox"],
            },
            {
                "group": f"bu{bu:02d}-developers",
                "permissionSets": ["ViewOnlyAccess"],
                "organizationalUnits": [prefix],
            },
            {
                "group": f"bu{bu:02d}-operators",
                "permissionSets": ["ReadOnlyAccess", "ViewOnlyAccess"],
                "organizationalUnits": [f"{prefix}/Production"],
            },
        ]
    return {
        "managementAccountName": "management",
        "managementAdminGroups": ["Platform"],
        "permissionSets": [
            {
                "name": name,
                "description": f"{name} ({policy})",
                "sessionDuration": duration,
                "managedPolicies": [f"arn:aws:iam::aws:policy/{policy}"],
            }
            for name, policy, duration in PERMISSION_SETS
        ],
        "users": users,
        "groups": [
            {
                "name": group,
                "description": f"The {group} group",
                "members": [u["userName"] for u in users if u["givenName"] == group],
            }
            for group in groups
        ],
        "access": access,
    }


def organization_settings() -> dict[str, Any]:
    """The `organization` key: the organization's code, domain, notification list and contacts."""
    return {
        "name": ORGANIZATION,
        "domain": DOMAIN,
        "notificationEmail": f"aws-notifications@{DOMAIN}",
        "contacts": {
            "billing": _contact("Finance"),
            "security": _contact("Security"),
            "operations": _contact("Platform"),
        },
    }


def large_stack_values(accounts: int) -> dict[str, Any]:
    """A stack config mapping (as read from Pulumi.<stack>.yaml) with `accounts` accounts."""
    return {
        "aws:region": "eu-west-1",
        f"{NAMESPACE}:organization": organization_settings(),
        f"{NAMESPACE}:organizationalUnits": [{"path": path} for path in _organizational_units()],
        f"{NAMESPACE}:accounts": _accounts(accounts),
        f"{NAMESPACE}:identityCenter": _identity_center(),
    }


def policy_enforcement() -> dict[str, Any]:
    """The `--policy-pack-config` document that fits these stacks (a clean run has no violations)."""
    return {
        "all": "mandatory",
        "account-email-convention": {"pattern": rf"^aws-{ORGANIZATION}\+{{account}}@scale-corp\.io$"},
        "production-admin-restricted": {"productionOus": ["Production"], "allowedGroups": ["Platform"]},
        "management-admin-restricted": {"allowedGroups": ["Platform"]},
    }
