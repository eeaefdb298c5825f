"""The management account holds organization-level things only; workloads go to member accounts.

A resource is in the management account when its provider assumes no role (the default
provider, or an explicit one on the management credentials), or assumes a role in an account
listed as a management account.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyProviderResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from .program_rules import TRAIL
from .props import UNKNOWN, arn_account, as_list, is_unknown, json_value, plain
from .schema import string_list

# Cloud packages whose resources live in an account; components and other packages do not.
ACCOUNT_SCOPED_PACKAGES = ("aws", "aws-native")
DEFAULT_ALLOWED_TYPES = [
    "aws:organizations/*",
    "aws:ssoadmin/*",
    "aws:identitystore/*",
    "aws:account/*",
    "aws:budgets/*",
    "aws:costexplorer/*",
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    "aws:iam/accountAlias:AccountAlias",
    # Delegating a security service's administration is done from the management account.
    "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
    "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
]


def assumed_role_accounts(provider: PolicyProviderResource | None) -> list[str] | Any:
    """Account ids the provider's assumeRoles point at: [] for none, UNKNOWN if not known yet."""
    if provider is None:
        return []
    props = plain(provider.props)
    roles = props.get("assumeRoles", props.get("assumeRole"))
    if roles is None:
        return []
    # Provider inputs carry nested values as JSON text.
    roles = json_value(roles)
    if is_unknown(roles):
        return UNKNOWN
    accounts: list[str] = []
    for role in as_list(roles):
        if not isinstance(role, dict):
            continue
        role_arn = role.get("roleArn")
        if is_unknown(role_arn):
            return UNKNOWN
        account = arn_account(role_arn)
        if account:
            accounts.append(account)
    return accounts


def _check_management_account(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    package = args.resource_type.split(":", 1)[0]
    if package not in ACCOUNT_SCOPED_PACKAGES:
        return
    config = args.get_config()
    accounts = assumed_role_accounts(args.provider)
    if is_unknown(accounts):
        return  # a member account created in this update: its id comes later
    management_ids = set(config.get("managementAccountIds", []))
    if accounts and not set(accounts) & management_ids:
        return
    allowed = config.get("allowedTypes", DEFAULT_ALLOWED_TYPES)
    if any(fnmatchcase(args.resource_type, pattern) for pattern in allowed):
        return
    if args.resource_type == TRAIL:
        is_org_trail = plain(args.props).get("isOrganizationTrail")
        if is_org_trail is True or is_unknown(is_org_trail):
            return
    provider = "the default provider" if args.provider is None else f"provider '{args.provider.name}'"
    report_violation(
        f"{args.resource_type} '{args.name}' would be created in the management account "
        f"through {provider}; give it a provider that assumes a role in a member account",
        None,
    )


no_resources_in_management_account = ResourceValidationPolicy(
    name="no-resources-in-management-account",
    description=(
        "The management account holds only organization-level resources; workloads go to member accounts."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_management_account,
    config_schema=PolicyConfigSchema(
        properties={
            "allowedTypes": string_list(
                "type tokens (shell patterns) allowed in the management account", DEFAULT_ALLOWED_TYPES
            ),
            "managementAccountIds": string_list(
                "ids of the management account, for providers that assume a role in it"
            ),
        }
    ),
)
