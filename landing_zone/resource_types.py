"""The pulumi-aws type tokens the landing zone registers, as the engine and the pack see them.

The one home of these strings in the program; the policy pack keeps its own copy (it cannot
import the program), pinned to this one by tests/test_shared_rules.py.
"""

from __future__ import annotations

ORGANIZATION = "aws:organizations/organization:Organization"
ORGANIZATIONAL_UNIT = "aws:organizations/organizationalUnit:OrganizationalUnit"
ACCOUNT = "aws:organizations/account:Account"
POLICY = "aws:organizations/policy:Policy"
POLICY_ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment"
DELEGATED_ADMINISTRATOR = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
ALTERNATE_CONTACT = "aws:account/alternativeContact:AlternativeContact"
PRIMARY_CONTACT = "aws:account/primaryContact:PrimaryContact"
ACCOUNT_REGION = "aws:account/region:Region"
ORGANIZATIONS_FEATURES = "aws:iam/organizationsFeatures:OrganizationsFeatures"

PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
MANAGED_POLICY_ATTACHMENT = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
CUSTOMER_MANAGED_POLICY_ATTACHMENT = (
    "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment"
)
PERMISSION_SET_INLINE_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
PERMISSIONS_BOUNDARY_ATTACHMENT = "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment"
ACCOUNT_ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
IDENTITY_STORE_GROUP = "aws:identitystore/group:Group"
IDENTITY_STORE_USER = "aws:identitystore/user:User"
IDENTITY_STORE_MEMBERSHIP = "aws:identitystore/groupMembership:GroupMembership"
# A group the identity provider owns, as the stack looked it up (a component: nothing in AWS).
EXTERNAL_GROUP = "landing-zone:identity-center:ExternalGroup"
# An account stack's view of its organization stack (a component: nothing in AWS): the OUs,
# permission sets and groups of the organization stack its resources refer to, by name.
ORGANIZATION_STACK = "landing-zone:organization-reference:OrganizationStack"

BUDGET = "aws:budgets/budget:Budget"
ANOMALY_MONITOR = "aws:costexplorer/anomalyMonitor:AnomalyMonitor"
ANOMALY_SUBSCRIPTION = "aws:costexplorer/anomalySubscription:AnomalySubscription"

BUCKET = "aws:s3/bucket:Bucket"
TRAIL = "aws:cloudtrail/trail:Trail"

ACCOUNT_ALIAS = "aws:iam/accountAlias:AccountAlias"
ACCESS_ANALYZER = "aws:accessanalyzer/analyzer:Analyzer"
GUARDDUTY_ADMIN_ACCOUNT = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
SECURITY_HUB_ADMIN_ACCOUNT = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
