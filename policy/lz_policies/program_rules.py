"""Copies of the program's rules the pack reasons with (the pack cannot import the program).

Each is pinned to the program's own by tests/test_shared_rules.py: change them together.
"""

from __future__ import annotations

import re

# landing_zone/resource_types.py
ORGANIZATION = "aws:organizations/organization:Organization"
ORGANIZATIONAL_UNIT = "aws:organizations/organizationalUnit:OrganizationalUnit"
ACCOUNT = "aws:organizations/account:Account"
POLICY = "aws:organizations/policy:Policy"
POLICY_ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
DELEGATED_ADMINISTRATOR = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
GUARDDUTY_ADMIN_ACCOUNT = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
SECURITY_HUB_ADMIN_ACCOUNT = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
ALTERNATE_CONTACT = "aws:account/alternativeContact:AlternativeContact"
PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
ACCOUNT_ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
PERMISSION_SET_INLINE_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
IDENTITY_STORE_GROUP = "aws:identitystore/group:Group"
IDENTITY_STORE_USER = "aws:identitystore/user:User"
IDENTITY_STORE_MEMBERSHIP = "aws:identitystore/groupMembership:GroupMembership"
EXTERNAL_GROUP = "landing-zone:identity-center:ExternalGroup"
ORGANIZATION_STACK = "landing-zone:organization-reference:OrganizationStack"
MANAGED_POLICY_ATTACHMENT = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
CUSTOMER_MANAGED_POLICY_ATTACHMENT = (
    "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment"
)
TRAIL = "aws:cloudtrail/trail:Trail"

# landing_zone/guardrails/policy_types.py: the authorization policy types (IAM's grammar), which
# restrict what principals may do and what may be done to resources; the provider's default.
AUTHORIZATION_POLICY_TYPES = ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY")
DEFAULT_POLICY_TYPE = "SERVICE_CONTROL_POLICY"

# landing_zone/config/base.py: AWS_CONTACT_TYPES and ACCOUNT_ID
CONTACT_TYPES = ("BILLING", "OPERATIONS", "SECURITY")
ACCOUNT_ID = re.compile(r"\d{12}", re.ASCII)

# landing_zone/config/checker.py: MAX_EMAIL_LENGTH
MAX_EMAIL_LENGTH = 64


def account_slug(name: str) -> str:
    """landing_zone/config/naming.py: how an account's name reads in its root email."""
    return name.lower().replace(" ", "-")


def names_admin_identity(pattern: str | None, user_name: str) -> bool:
    """landing_zone/config/admin_identities.py: whether a user name follows the admin naming
    convention (`*` is any text; case-insensitive, as identity store user names are)."""
    if not pattern:
        return False
    body = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(body, user_name, re.IGNORECASE | re.DOTALL) is not None
