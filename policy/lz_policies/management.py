"""The management account holds organization-level things only; workloads go to member accounts.

Two policies hold that promise. `resources-in-member-accounts` decides positively, on the whole
stack: a resource outside the allow-list is allowed only when its provider's last assumed role
is in an account the stack itself manages as a member. `no-resources-in-management-account`
refuses the plain cases (no role assumed, or a role in a listed management account) resource by
resource, so that they are stopped before any resource is created, even by `pulumi up
--skip-preview`; the stack policy leaves those to it, so a resource is reported once.

Service control policies never restrict the management account, so nothing there is fenced
by the guardrails: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
("SCPs don't affect users or roles in the management account").
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyProviderResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from .native import normalized
from .organization_view import OrganizationView, last_role_account
from .program_rules import TRAIL
from .props import is_unknown, plain, undecided
from .schema import string_list
from .stack import Provider, resources_of

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
    # IAM's centralized root access of member accounts: an organization setting, made by the
    # management account only (IAM refuses it elsewhere: CallerIsNotManagementAccountException).
    "aws:iam/organizationsFeatures:OrganizationsFeatures",
    # Delegating a security service's administration is done from the management account.
    "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
    "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
    # The same services through pulumi-aws-native (its tokens: aws-native:<module>:<Type>), for the
    # types native.py has no classic twin for (an identity store membership, an SSO instance).
    "aws-native:organizations:*",
    "aws-native:sso:*",
    "aws-native:identitystore:*",
    "aws-native:account:*",
    "aws-native:budgets:*",
    "aws-native:ce:*",
]
# A break-glass role is the way back in when Identity Center is down; it lives in the management
# account. The role and what grants it permissions may be there, nothing else of IAM.
IAM_ROLE = "aws:iam/role:Role"
IAM_POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
ROLE_PERMISSION_TYPES = (
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/rolePolicy:RolePolicy",
)


def account_scoped(resource_type: str) -> bool:
    return resource_type.split(":", 1)[0] in ACCOUNT_SCOPED_PACKAGES


def allowed_in_management(
    resource_type: str, props: Mapping[str, Any], config: Mapping[str, Any], declared_type: str = ""
) -> Any:
    """Whether the resource may live in the management account: True, False, or the key whose
    unknown value keeps the verdict open.

    `resource_type` and `props` are the classic twin's for an aws-native resource (`native`), so
    the allow-list of classic types covers both; `declared_type`, the native token, may be listed too.
    """
    allowed = config.get("allowedTypes", DEFAULT_ALLOWED_TYPES)
    types = {resource_type, declared_type or resource_type}
    if any(fnmatchcase(t, pattern) for t in types for pattern in allowed):
        return True
    if resource_type == TRAIL:
        is_org_trail = props.get("isOrganizationTrail")
        return "isOrganizationTrail" if is_unknown(is_org_trail) else is_org_trail is True
    break_glass = config.get("breakGlassRoles", [])
    if resource_type == IAM_ROLE:
        return _named(props.get("name"), break_glass)
    if resource_type in ROLE_PERMISSION_TYPES:
        return _named(props.get("role"), break_glass)
    if resource_type == IAM_POLICY_ATTACHMENT:
        # Exclusive attachment of one policy to users, groups and roles: break-glass roles only.
        roles, others = props.get("roles"), [props.get("users"), props.get("groups")]
        return (
            isinstance(roles, list)
            and bool(roles)
            and all(_named(r, break_glass) for r in roles)
            and not any(others)
        )
    return False


def _named(role: Any, names: list[str]) -> bool:
    # A role given by ARN names it after the last `/`; an unknown name is not a listed one.
    return isinstance(role, str) and not is_unknown(role) and role.rsplit("/", 1)[-1] in names


def _provider_label(provider: Provider | PolicyProviderResource | None) -> str:
    return "the default provider" if provider is None else f"provider '{provider.name}'"


def _check_management_account(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if not account_scoped(args.resource_type):
        return
    config = args.get_config()
    provider = args.provider
    account = last_role_account(plain(provider.props)) if provider is not None else None
    # Only the plain cases; resources-in-member-accounts decides every other one on the stack.
    if account is not None and account not in config.get("managementAccountIds", []):
        return
    resource_type, props = normalized(args)
    allowed = allowed_in_management(resource_type, props, config, args.resource_type)
    if allowed is True:
        return
    subject = f"{args.resource_type} '{args.name}'"
    if isinstance(allowed, str):
        report_violation(undecided(subject, allowed), None)
        return
    report_violation(
        f"{subject} would be created in the management account through {_provider_label(provider)}; "
        "give it a provider that assumes a role in a member account",
        None,
    )


SHARED_SCHEMA = {
    "allowedTypes": string_list(
        "type tokens (shell patterns) allowed in the management account", DEFAULT_ALLOWED_TYPES
    ),
    "managementAccountIds": string_list(
        "ids of the management account (the stack's own resources also tell it)"
    ),
    "breakGlassRoles": string_list(
        "names of break-glass IAM roles that may live in the management account, with their policies"
    ),
}

no_resources_in_management_account = ResourceValidationPolicy(
    name="no-resources-in-management-account",
    description=(
        "The management account holds only organization-level resources; workloads go to member accounts."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_management_account,
    config_schema=PolicyConfigSchema(properties=SHARED_SCHEMA),
)


def _check_member_accounts(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    listed_management = set(config.get("managementAccountIds", []))
    resources = resources_of(args)
    view = OrganizationView(resources, listed_management)
    members = view.member_ids()
    for resource in resources:
        if not account_scoped(resource.type):
            continue
        provider = resource.provider
        account = last_role_account(provider.props) if provider is not None else None
        if account is None or account in listed_management or account in members:
            continue  # None and listed ones: no-resources-in-management-account reports them
        subject = f"{resource.declared_type} '{resource.name}'"
        through = _provider_label(provider)
        if account in view.management_ids:
            # The allow-list is what may live in the management account, not in any account.
            allowed = allowed_in_management(resource.type, resource.props, config, resource.declared_type)
            if allowed is True:
                continue
            if isinstance(allowed, str):
                report_violation(undecided(subject, allowed), resource.urn)
                continue
            report_violation(
                f"{subject} would be created in the management account ({account}) through {through}, "
                "whose last assumed role is there; give it a provider that assumes a role in a member "
                "account this stack manages",
                resource.urn,
            )
        elif is_unknown(account):
            if not _provider_for_new_member(view, provider):
                report_violation(undecided(subject, f"the role {through} assumes"), resource.urn)
        elif not account:
            report_violation(
                f"{subject} goes through {through}, whose last assumed role is not an IAM role ARN, so "
                "its account cannot be told; give it a provider that assumes a role in a member account "
                "this stack manages",
                resource.urn,
            )
        else:
            report_violation(
                f"{subject} would be created in account {account} through {through}, which is not a "
                "member account this stack manages; give it a provider that assumes a role in one of "
                f"the stack's member accounts (if {account} is the management account, list it in "
                "managementAccountIds)",
                resource.urn,
            )


def _provider_for_new_member(view: OrganizationView, provider: Provider | None) -> bool:
    """Whether a provider whose role is not known yet acts in one member account of the stack.

    A member account created in this update has no id until CreateAccount has run; its provider's
    role ARN is built from that id, so the provider depends on that account (and on no other).
    """
    found = view.resource(provider.urn) if provider is not None else None
    account = view.depends_on_account(found) if found is not None else None
    if account is None:
        return False
    account_id = view.account_id(account)
    return is_unknown(account_id) or account_id in view.member_ids()


resources_in_member_accounts = StackValidationPolicy(
    name="resources-in-member-accounts",
    description=(
        "A resource outside the management account's allow-list goes through a provider whose last "
        "assumed role is in a member account this stack manages."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_member_accounts,
    config_schema=PolicyConfigSchema(properties=SHARED_SCHEMA),
)
