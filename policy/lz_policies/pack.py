"""The pack's explicit list of policies, and the check that no two share a name."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pulumi_policy import Policy

from . import accounts, iam, identities, identity_center, management, organization

PACK_NAME = "landing-zone-policies"
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

POLICIES: list[Policy] = [
    management.no_resources_in_management_account,
    management.resources_in_member_accounts,
    iam.iam_users_require_mfa,
    iam.no_iam_user_access_keys,
    iam.human_roles_require_mfa,
    iam.no_wildcard_inline_admin,
    accounts.account_lifecycle_safe,
    accounts.account_emails_unique,
    accounts.account_email_convention,
    accounts.alternate_contacts_complete,
    accounts.disposable_accounts_in_sandbox,
    identity_center.permission_set_session_limit,
    identity_center.production_admin_restricted,
    identity_center.management_admin_restricted,
    identities.admin_identities_separate,
    organization.delegated_administrators_designated,
    organization.guardrails_stay_attached,
    organization.suspended_accounts_contained,
    organization.production_accounts_in_production_ous,
    organization.management_account_not_a_member,
]


class PackDefinitionError(Exception):
    """The list of policies cannot make a pack."""


def checked(policies: Sequence[Policy]) -> list[Policy]:
    """`policies` as a list, after checking their names are kebab-case and unique."""
    seen: set[str] = set()
    for policy in policies:
        if not _KEBAB.match(policy.name):
            raise PackDefinitionError(f"policy name '{policy.name}' is not kebab-case")
        if policy.name in seen:
            raise PackDefinitionError(f"two policies are named '{policy.name}'")
        seen.add(policy.name)
    return list(policies)
