"""Issue 11, "the same thing under another name": every policy whose classic resource has an
aws-native twin judges the twin alike. One table per policy: the bypass through aws-native
fires with its exact message (today's main let each of these through), its legitimate twin
stays quiet. Type tokens and inputs are pulumi-aws-native's (see policy/lz_policies/native.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.policy_builders import UNKNOWN, check_resource, check_stack, provider, stack_resource, urn_of

from lz_policies import accounts, iam, identity_center, management, native, organization, program_rules  # isort: skip
from landing_zone.resource_types import ALTERNATE_CONTACT

N_ASSIGNMENT = "aws-native:sso:Assignment"
N_PERMISSION_SET = "aws-native:sso:PermissionSet"
N_GROUP = "aws-native:identitystore:Group"
N_ACCOUNT = "aws-native:organizations:Account"
N_OU = "aws-native:organizations:OrganizationalUnit"
N_ORGANIZATION = "aws-native:organizations:Organization"
N_POLICY = "aws-native:organizations:Policy"
N_SECURITY_HUB_ADMIN = "aws-native:securityhub:DelegatedAdmin"
N_DETECTIVE_ADMIN = "aws-native:detective:OrganizationAdmin"
N_ROLE = "aws-native:iam:Role"
N_USER = "aws-native:iam:User"
N_IAM_GROUP = "aws-native:iam:Group"
N_MANAGED_POLICY = "aws-native:iam:ManagedPolicy"
N_ROLE_POLICY = "aws-native:iam:RolePolicy"
N_GROUP_POLICY = "aws-native:iam:GroupPolicy"
N_USER_POLICY = "aws-native:iam:UserPolicy"

ROOT = "r-abcd"
MANAGEMENT_ID, AUDIT_ID, PRODUCTION_ID, DEV_ID, STRANGER_ID = (
    "444444444444",
    "111111111111",
    "333333333333",
    "555555555555",
    "999999999999",
)
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
ADMIN_SET_ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-admin"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    """A policy document as CloudFormation shapes carry it: an object."""
    return {"Version": "2012-10-17", "Statement": list(statements)}


EVERYTHING = doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
READ = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
FORCE_MFA = doc(
    {
        "Effect": "Deny",
        "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    }
)
STAR = "it allows '*', which includes iam:addusertogroup"
ADMIN_TAIL = (
    "; attach the AdministratorAccess managed policy where admin is meant, narrow the policy, or allow-list the "
    "name in allowedNames"
)


def tags(**pairs: str) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in pairs.items()]


def native_ou(name: str, parent: str, ou_id: str) -> Any:
    return stack_resource(N_OU, name, {"name": name, "parentId": parent, "awsId": ou_id})


def native_account(name: str, account_id: Any, parent: str, **extra: Any) -> Any:
    props = {
        "accountName": name,
        "email": f"aws-acme+{name}@acme-corp.io",
        "accountId": account_id,
        "parentIds": [parent],
        "tags": tags(environment="production" if parent == "ou-prod" else "development"),
        **extra,
    }
    return stack_resource(N_ACCOUNT, name, props)


ORGANIZATION = stack_resource(
    N_ORGANIZATION, "org", {"managementAccountId": MANAGEMENT_ID, "rootId": ROOT, "awsId": "o-1"}
)
WORKLOADS = native_ou("Workloads", ROOT, "ou-work")
PRODUCTION_OU = native_ou("Production", "ou-work", "ou-prod")
SANDBOX_OU = native_ou("Sandbox", ROOT, "ou-sand")
PRODUCTION = native_account("production", PRODUCTION_ID, "ou-prod")
DEV = native_account("dev", DEV_ID, "ou-work")
AUDIT = native_account("audit", AUDIT_ID, "ou-work")
ORG = [ORGANIZATION, WORKLOADS, PRODUCTION_OU, SANDBOX_OU, PRODUCTION, DEV, AUDIT]


# --- permission-set-session-limit ---------------------------------------------------------------

SESSIONS = [
    (
        "day-long",
        "PT24H",
        ["permission set 'Admin' allows sessions of PT24H (24 hours); the maximum is 12 hours"],
    ),
    (
        "unknown",
        UNKNOWN,
        ["permission set 'Admin' cannot be checked: sessionDuration is not known until the update runs"],
    ),
    ("eight-hours", "PT8H", []),
]


@pytest.mark.parametrize(("duration", "expected"), [c[1:] for c in SESSIONS], ids=[c[0] for c in SESSIONS])
def test_native_permission_set_session(duration, expected):
    props = {"name": "Admin", "instanceArn": "arn:aws:sso:::instance/ssoins-1", "sessionDuration": duration}
    assert check_resource(identity_center.permission_set_session_limit, N_PERMISSION_SET, props) == expected


# --- account-lifecycle-safe ---------------------------------------------------------------------

LIFECYCLE = [
    (
        "production-protected",
        {"accountName": "prod", "tags": tags(environment="production")},
        True,
        [
            "account 'prod' is an aws-native account (closed when deleted) but is not disposable: deleting it "
            "would close the account; list it in disposableAccounts or tag it environment=sandbox"
        ],
    ),
    (
        "tags-unknown",
        {"accountName": "prod", "tags": [{"key": "environment", "value": UNKNOWN}]},
        True,
        ["account 'prod' cannot be checked: tags is not known until the update runs"],
    ),
    ("sandbox-unprotected", {"accountName": "play", "tags": tags(environment="sandbox")}, False, []),
]


@pytest.mark.parametrize(
    ("props", "protect", "expected"), [c[1:] for c in LIFECYCLE], ids=[c[0] for c in LIFECYCLE]
)
def test_native_account_lifecycle(props, protect, expected):
    assert check_resource(accounts.account_lifecycle_safe, N_ACCOUNT, props, protect=protect) == expected


# --- human-roles-require-mfa --------------------------------------------------------------------

ANY_ACCOUNT_ROOT = {"AWS": "arn:aws:iam::111122223333:root"}


def trust(principal: Any, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    return doc({**statement, **({"Condition": condition} if condition else {})})


TRUSTS = [
    (
        "principal-unknown",
        trust({"AWS": UNKNOWN}),
        ["role 'admin' cannot be checked: assumeRolePolicyDocument is not known until the update runs"],
    ),
    (
        "without-mfa",
        trust(ANY_ACCOUNT_ROOT),
        [
            "role 'admin' lets arn:aws:iam::111122223333:root assume it without MFA; add the condition "
            '"Bool": {"aws:MultiFactorAuthPresent": "true"} to its trust statement, or, for a vendor, list its '
            "accountId and externalId in vendorRoles and require sts:ExternalId with StringEquals"
        ],
    ),
    ("with-mfa", trust(ANY_ACCOUNT_ROOT, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}), []),
]


@pytest.mark.parametrize(("document", "expected"), [c[1:] for c in TRUSTS], ids=[c[0] for c in TRUSTS])
def test_native_role_trust(document, expected):
    props = {"roleName": "admin", "assumeRolePolicyDocument": document}
    assert check_resource(iam.human_roles_require_mfa, N_ROLE, props) == expected


# --- no-resources-in-management-account ---------------------------------------------------------

IN_MANAGEMENT = [
    (
        "workload-policy",
        N_ROLE_POLICY,
        {"roleName": "ops", "policyName": "p", "policyDocument": READ},
        [
            "aws-native:iam:RolePolicy 'res' would be created in the management account through the default "
            "provider; give it a provider that assumes a role in a member account"
        ],
    ),
    # Organization-level resources, as their classic twins are, whatever the provider package.
    ("account", N_ACCOUNT, {"accountName": "dev", "email": "a@b.c"}, []),
    ("assignment", N_ASSIGNMENT, {"targetId": DEV_ID, "principalType": "GROUP"}, []),
    ("scp", N_POLICY, {"name": "deny-root", "content": READ, "targetIds": [ROOT]}, []),
    ("break-glass-policy", N_ROLE_POLICY, {"roleName": "BreakGlass", "policyDocument": EVERYTHING}, []),
    # Organization-level types with no classic twin: allowed by their own token.
    (
        "group-membership",
        "aws-native:identitystore:GroupMembership",
        {"groupId": "g-1", "identityStoreId": "d-1", "memberId": {"userId": "u-1"}},
        [],
    ),
    ("sso-instance", "aws-native:sso:Instance", {"name": "acme"}, []),
    (
        "workload-without-twin",
        "aws-native:ec2:Instance",
        {"instanceType": "t3.micro"},
        [
            "aws-native:ec2:Instance 'res' would be created in the management account through the default "
            "provider; give it a provider that assumes a role in a member account"
        ],
    ),
]


@pytest.mark.parametrize(
    ("type_", "props", "expected"), [c[1:] for c in IN_MANAGEMENT], ids=[c[0] for c in IN_MANAGEMENT]
)
def test_native_resources_in_the_management_account(type_, props, expected):
    policy = management.no_resources_in_management_account
    assert check_resource(policy, type_, props, config={"breakGlassRoles": ["BreakGlass"]}) == expected


def test_native_resources_through_a_member_provider_of_a_native_account():
    """resources-in-member-accounts: a native account's id makes its provider a member's."""
    member = provider(f"arn:aws:iam::{DEV_ID}:role/OrganizationAccountAccessRole", name="dev")
    stranger = provider(f"arn:aws:iam::{STRANGER_ID}:role/OrganizationAccountAccessRole", name="x")
    quiet = stack_resource(N_ROLE, "app", {"roleName": "app"}, provider=member)
    # Reported once, on the resource: not again for the attachment its `roles` stand for.
    firing = stack_resource(
        N_MANAGED_POLICY, "other", {"policyDocument": READ, "roles": ["app"]}, provider=stranger
    )
    assert check_stack(management.resources_in_member_accounts, [*ORG, quiet, firing]) == [
        (
            f"aws-native:iam:ManagedPolicy 'other' would be created in account {STRANGER_ID} through provider 'x', which "
            "is not a member account this stack manages; give it a provider that assumes a role in one of the "
            f"stack's member accounts (if {STRANGER_ID} is the management account, list it in "
            "managementAccountIds)",
            urn_of(N_MANAGED_POLICY, "other"),
        )
    ]


# --- production-admin-restricted and management-admin-restricted --------------------------------

GROUPS = [
    stack_resource(N_GROUP, "developers", {"displayName": "Developers", "groupId": "g-dev"}),
    stack_resource(N_GROUP, "platform", {"displayName": "Platform", "groupId": "g-plat"}),
]


def permission_set(**props: Any) -> Any:
    return stack_resource(
        N_PERMISSION_SET, "admin-set", {"name": "Admin", "permissionSetArn": ADMIN_SET_ARN, **props}
    )


def assignment(
    target: str, group: str = "g-dev", permission_set_arn: Any = ADMIN_SET_ARN, **kwargs: Any
) -> Any:
    props = {
        "instanceArn": "arn:aws:sso:::instance/ssoins-1",
        "permissionSetArn": permission_set_arn,
        "principalId": group,
        "principalType": "GROUP",
        "targetId": target,
        "targetType": "AWS_ACCOUNT",
    }
    return stack_resource(N_ASSIGNMENT, "grant", props, **kwargs)


def on_production(why: str, who: str = "group 'Developers', which is not in allowedGroups") -> list[Any]:
    return [
        (
            f"permission set 'Admin' is admin ({why}) and is assigned on production account 'production' to {who}",
            urn_of(N_ASSIGNMENT, "grant"),
        )
    ]


NEW_SET = stack_resource(N_PERMISSION_SET, "admin-set", {"name": "Admin", "managedPolicies": [ADMIN_POLICY]})
PRODUCTION_ADMIN = [
    (
        "managed-policies",
        [permission_set(managedPolicies=[ADMIN_POLICY]), assignment(PRODUCTION_ID)],
        on_production("it carries the AWS managed policy AdministratorAccess"),
    ),
    (
        "inline-policy-object",
        [permission_set(inlinePolicy=EVERYTHING), assignment(PRODUCTION_ID)],
        on_production(f"its inline policy is admin: {STAR}"),
    ),
    (
        "managed-policies-unknown",
        [permission_set(managedPolicies=UNKNOWN), assignment(PRODUCTION_ID)],
        on_production("its managed policy ARN is not known yet, so it counts as admin"),
    ),
    (
        "customer-managed-policy",
        [permission_set(customerManagedPolicyReferences=[{"name": "ops"}]), assignment(PRODUCTION_ID)],
        on_production("the pack cannot read its customer managed policy 'ops', so it counts as admin"),
    ),
    # Created in the same update: its ARN is not known, the assignment is computed from it.
    (
        "permission-set-created-with-it",
        [
            NEW_SET,
            assignment(
                PRODUCTION_ID,
                permission_set_arn=UNKNOWN,
                property_dependencies={"permissionSetArn": [NEW_SET]},
            ),
        ],
        on_production("it carries the AWS managed policy AdministratorAccess"),
    ),
    (
        "allowed-group",
        [permission_set(managedPolicies=[ADMIN_POLICY]), assignment(PRODUCTION_ID, "g-plat")],
        [],
    ),
    (
        "read-only",
        [
            permission_set(managedPolicies=["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
            assignment(PRODUCTION_ID),
        ],
        [],
    ),
    ("not-production", [permission_set(managedPolicies=[ADMIN_POLICY]), assignment(DEV_ID)], []),
]


@pytest.mark.parametrize(
    ("resources", "expected"), [c[1:] for c in PRODUCTION_ADMIN], ids=[c[0] for c in PRODUCTION_ADMIN]
)
def test_native_production_admin(resources, expected):
    config = {"allowedGroups": ["Platform"]}
    policy = identity_center.production_admin_restricted
    assert check_stack(policy, [*ORG, *GROUPS, *resources], config) == expected


MANAGEMENT_ADMIN = [
    (
        "developers",
        "g-dev",
        [
            (
                "permission set 'Admin' is admin (it carries the AWS managed policy AdministratorAccess) and is "
                f"assigned on the management account {MANAGEMENT_ID} to group 'Developers', which is not in "
                "allowedGroups; admin there is admin of the whole organization",
                urn_of(N_ASSIGNMENT, "grant"),
            )
        ],
    ),
    ("platform", "g-plat", []),
]


@pytest.mark.parametrize(
    ("group", "expected"), [c[1:] for c in MANAGEMENT_ADMIN], ids=[c[0] for c in MANAGEMENT_ADMIN]
)
def test_native_management_admin(group, expected):
    resources = [
        *ORG,
        *GROUPS,
        permission_set(managedPolicies=[ADMIN_POLICY]),
        assignment(MANAGEMENT_ID, group),
    ]
    config = {"allowedGroups": ["Platform"]}
    assert check_stack(identity_center.management_admin_restricted, resources, config) == expected


# --- no-wildcard-inline-admin -------------------------------------------------------------------

INLINE_ADMIN = [
    (
        "permission-set",
        stack_resource(N_PERMISSION_SET, "ops", {"name": "Ops", "inlinePolicy": EVERYTHING}),
        f"permission set 'Ops' has a policy that grants administrator access ({STAR})",
    ),
    (
        "managed-policy",
        stack_resource(
            N_MANAGED_POLICY, "everything", {"managedPolicyName": "everything", "policyDocument": EVERYTHING}
        ),
        f"managed policy 'everything' has a policy that grants administrator access ({STAR})",
    ),
    (
        "role-policy",
        stack_resource(
            N_ROLE_POLICY, "ops", {"roleName": "ops", "policyName": "p", "policyDocument": EVERYTHING}
        ),
        f"role 'ops' has a policy that grants administrator access ({STAR})",
    ),
    (
        "group-policy",
        stack_resource(
            N_GROUP_POLICY, "ops", {"groupName": "ops", "policyName": "p", "policyDocument": EVERYTHING}
        ),
        f"group 'ops' has a policy that grants administrator access ({STAR})",
    ),
    (
        "user-policy",
        stack_resource(
            N_USER_POLICY, "ops", {"userName": "bob", "policyName": "p", "policyDocument": EVERYTHING}
        ),
        f"user 'bob' has a policy that grants administrator access ({STAR})",
    ),
    (
        "user-inline",
        stack_resource(
            N_USER,
            "ops",
            {"userName": "bob", "policies": [{"policyName": "p", "policyDocument": EVERYTHING}]},
        ),
        f"user 'bob' has a policy that grants administrator access ({STAR})",
    ),
    (
        "document-unknown-inside",
        stack_resource(
            N_MANAGED_POLICY,
            "ops",
            {
                "managedPolicyName": "ops",
                "policyDocument": doc({"Effect": "Allow", "Action": UNKNOWN, "Resource": "*"}),
            },
        ),
        "managed policy 'ops' cannot be checked: policy is not known until the update runs",
    ),
]


@pytest.mark.parametrize(
    ("resource", "expected"), [c[1:] for c in INLINE_ADMIN], ids=[c[0] for c in INLINE_ADMIN]
)
def test_native_policy_granting_admin_fires(resource, expected):
    tail = "" if "cannot be checked" in expected else ADMIN_TAIL
    assert check_stack(iam.no_wildcard_inline_admin, [resource]) == [(expected + tail, resource.urn)]


def test_native_policies_that_do_not_grant_admin_are_quiet():
    resources = [
        stack_resource(N_PERMISSION_SET, "ops", {"name": "Ops", "inlinePolicy": READ}),
        stack_resource(N_MANAGED_POLICY, "read", {"managedPolicyName": "read", "policyDocument": READ}),
        stack_resource(
            N_GROUP_POLICY, "ops", {"groupName": "ops", "policyName": "p", "policyDocument": READ}
        ),
        stack_resource(N_USER_POLICY, "bob", {"userName": "bob", "policyName": "p", "policyDocument": READ}),
    ]
    assert check_stack(iam.no_wildcard_inline_admin, resources) == []


# --- iam-users-require-mfa ----------------------------------------------------------------------

ALICE = stack_resource(
    N_USER, "alice", {"userName": "alice", "loginProfile": {"password": "x"}, "groups": ["humans"]}
)
HUMANS = stack_resource(N_IAM_GROUP, "humans", {"groupName": "humans"})
FORCE_MFA_ARN = "arn:aws:iam::111111111111:policy/force-mfa"
NO_MFA_GROUP = (
    "IAM user 'alice' has a console login but is in no group whose policy denies everything without MFA; "
    "people should sign in through Identity Center"
)


def group_policy(document: Any) -> Any:
    props = {"groupName": "humans", "policyName": "force-mfa", "policyDocument": document}
    return stack_resource(N_GROUP_POLICY, "force-mfa", props)


USERS = [
    ("group-policy-read-only", [group_policy(READ)], [NO_MFA_GROUP]),
    (
        "group-policy-unknown",
        [group_policy(doc({**FORCE_MFA["Statement"][0], "Resource": UNKNOWN}))],
        [
            "IAM user 'alice' cannot be checked: the policy of 'force-mfa' for group 'humans' is not known until "
            "the update runs"
        ],
    ),
    ("group-policy", [group_policy(FORCE_MFA)], []),
    (
        "managed-policy-on-the-group",
        [
            stack_resource(
                N_MANAGED_POLICY,
                "force-mfa",
                {
                    "managedPolicyName": "force-mfa",
                    "policyDocument": FORCE_MFA,
                    "groups": ["humans"],
                    "policyArn": FORCE_MFA_ARN,
                },
            )
        ],
        [],
    ),
    (
        "managed-policy-arn-on-the-group",
        [
            stack_resource(
                N_MANAGED_POLICY,
                "force-mfa",
                {"managedPolicyName": "force-mfa", "policyDocument": FORCE_MFA, "policyArn": FORCE_MFA_ARN},
            ),
            stack_resource(
                N_IAM_GROUP, "humans", {"groupName": "humans", "managedPolicyArns": [FORCE_MFA_ARN]}
            ),
        ],
        [],
    ),
]


@pytest.mark.parametrize(("resources", "expected"), [c[1:] for c in USERS], ids=[c[0] for c in USERS])
def test_native_console_user_mfa(resources, expected):
    reported = check_stack(iam.iam_users_require_mfa, [ALICE, HUMANS, *resources])
    assert reported == [(message, ALICE.urn) for message in expected]


# --- account-emails-unique, account-email-convention, alternate-contacts-complete ---------------


def test_native_accounts_share_a_root_email():
    twin = native_account("dev2", "666666666666", "ou-work", email=DEV.props["email"])
    assert check_stack(accounts.account_emails_unique, [DEV, twin]) == [
        (f"account 'dev2' has the same root email as account 'dev': {DEV.props['email']}", twin.urn)
    ]


def test_native_account_email_convention():
    pattern = r"^aws-acme\+{account}@acme-corp\.io$"
    other = native_account("ops", "666666666666", "ou-work", email="ops@example.com")
    assert check_stack(accounts.account_email_convention, [DEV, other], {"pattern": pattern}) == [
        (f"account 'ops' has root email ops@example.com, which does not match {pattern}", other.urn)
    ]


def contacts_of(account_id: str) -> list[Any]:
    return [
        stack_resource(
            ALTERNATE_CONTACT, f"dev-{kind.lower()}", {"accountId": account_id, "alternateContactType": kind}
        )
        for kind in ("BILLING", "OPERATIONS", "SECURITY")
    ]


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        ([], [("account 'dev' has no BILLING, OPERATIONS, SECURITY alternate contact", DEV.urn)]),
        (contacts_of(DEV_ID), []),
    ],
    ids=["none", "all-three"],
)
def test_native_account_contacts(contacts, expected):
    assert check_stack(accounts.alternate_contacts_complete, [DEV, *contacts]) == expected


# --- disposable-accounts-in-sandbox -------------------------------------------------------------

SANDBOX_TAGS = tags(environment="sandbox")
DISPOSABLE = [
    (
        "outside-the-sandbox",
        native_account("play", "666666666666", "ou-work", tags=SANDBOX_TAGS),
        [
            "account 'play' is an aws-native account (closed when deleted) but sits in OU 'Workloads', outside the "
            "sandbox, suspended and quarantine OUs (Sandbox, Suspended, Quarantine): only sandbox and suspended "
            "accounts are closed on deletion; move it under a sandbox OU or make it with aws.organizations.Account"
        ],
    ),
    (
        "production",
        PRODUCTION,
        [
            "account 'production' is a production account but is an aws-native account (closed when deleted): "
            "removing it from the config would close it; a production account is never disposable, make it with "
            "aws.organizations.Account"
        ],
    ),
    ("in-the-sandbox", native_account("play", "666666666666", "ou-sand", tags=SANDBOX_TAGS), []),
]


@pytest.mark.parametrize(("account", "expected"), [c[1:] for c in DISPOSABLE], ids=[c[0] for c in DISPOSABLE])
def test_native_accounts_close_only_in_the_sandbox(account, expected):
    resources = [ORGANIZATION, WORKLOADS, PRODUCTION_OU, SANDBOX_OU, account]
    reported = check_stack(accounts.disposable_accounts_in_sandbox, resources)
    assert reported == [(message, account.urn) for message in expected]


# --- delegated-administrators-designated --------------------------------------------------------

DELEGATIONS = [
    (
        "security-hub",
        stack_resource(N_SECURITY_HUB_ADMIN, "hub", {"adminAccountId": DEV_ID}),
        "aws-native:securityhub:DelegatedAdmin 'hub' makes account 'dev' a delegated administrator of "
        "securityhub.amazonaws.com, which delegatedAdministrators does not allow (audit); delegate to a designated "
        "account, or designate 'dev' for securityhub.amazonaws.com in the policy config",
    ),
    (
        "detective",
        stack_resource(N_DETECTIVE_ADMIN, "graph", {"accountId": DEV_ID}),
        "aws-native:detective:OrganizationAdmin 'graph' makes account 'dev' a delegated administrator of "
        "detective.amazonaws.com, which delegatedAdministrators does not allow (no account); delegate to a "
        "designated account, or designate 'dev' for detective.amazonaws.com in the policy config",
    ),
    ("designated", stack_resource(N_SECURITY_HUB_ADMIN, "hub", {"adminAccountId": AUDIT_ID}), None),
]


@pytest.mark.parametrize(
    ("delegation", "expected"), [c[1:] for c in DELEGATIONS], ids=[c[0] for c in DELEGATIONS]
)
def test_native_delegated_administrators(delegation, expected):
    config = {"delegatedAdministrators": {"securityhub.amazonaws.com": ["audit"]}}
    reported = check_stack(organization.delegated_administrators_designated, [*ORG, delegation], config)
    assert reported == ([] if expected is None else [(expected, delegation.urn)])


# --- guardrails-stay-attached -------------------------------------------------------------------

GUARDRAILS = {
    "rootGuardrails": ["deny-leaving"],
    "productionGuardrails": ["deny-regions"],
    "productionOus": ["Workloads/Production"],
}


def scp(name: str, target_ids: Any, policy_type: str = "SERVICE_CONTROL_POLICY") -> Any:
    return stack_resource(
        N_POLICY,
        name,
        {
            "name": name,
            "type": policy_type,
            "content": READ,
            "awsId": f"p-{name}",
            "targetIds": target_ids,
        },
    )


ATTACHED = [
    (
        "detached",
        [scp("deny-leaving", []), scp("deny-regions", ["ou-sand"])],
        [
            (
                "guardrail 'deny-leaving' is not attached to the organization's root, which rootGuardrails requires; "
                "attach it to the root (guardrails: root: true) or take it out of rootGuardrails",
                None,
            ),
            (
                "guardrail 'deny-regions' does not reach production OU 'Workloads/Production', which "
                "productionGuardrails requires; attach it to that OU, an OU above it or the root, or take it out "
                "of productionGuardrails",
                PRODUCTION_OU.urn,
            ),
        ],
    ),
    ("attached", [scp("deny-leaving", [ROOT]), scp("deny-regions", ["ou-sand", "ou-prod"])], []),
    ("above-production", [scp("deny-leaving", [ROOT]), scp("deny-regions", ["ou-work"])], []),
    (
        "resource-control-policies",
        [
            scp("deny-leaving", [ROOT], "RESOURCE_CONTROL_POLICY"),
            scp("deny-regions", ["ou-prod"], "RESOURCE_CONTROL_POLICY"),
        ],
        [],
    ),
    (
        "a-backup-policy-of-the-name",
        [scp("deny-leaving", [ROOT], "BACKUP_POLICY"), scp("deny-regions", ["ou-prod"])],
        [
            (
                "guardrail 'deny-leaving' is not attached to the organization's root, which rootGuardrails requires; "
                "a BACKUP_POLICY of that name is attached, which guards nothing (only service and resource control "
                "policies do); attach it to the root (guardrails: root: true) or take it out of rootGuardrails",
                None,
            )
        ],
    ),
]


@pytest.mark.parametrize(("policies", "expected"), [c[1:] for c in ATTACHED], ids=[c[0] for c in ATTACHED])
def test_native_guardrails(policies, expected):
    assert check_stack(organization.guardrails_stay_attached, [*ORG, *policies], GUARDRAILS) == expected


# --- production-accounts-in-production-ous, management-account-not-a-member ---------------------


@pytest.mark.parametrize(
    ("parent", "expected"),
    [
        (
            "ou-sand",
            "production account 'production' sits in OU 'Sandbox', outside the production OUs (Production), whose "
            "guardrails it would lose; move it back under a production OU",
        ),
        ("ou-prod", None),
    ],
    ids=["moved-to-the-sandbox", "in-production"],
)
def test_native_production_account_placement(parent, expected):
    account = native_account("production", PRODUCTION_ID, parent, tags=tags(environment="production"))
    resources = [ORGANIZATION, WORKLOADS, PRODUCTION_OU, SANDBOX_OU, account]
    reported = check_stack(organization.production_accounts_in_production_ous, resources)
    assert reported == ([] if expected is None else [(expected, account.urn)])


@pytest.mark.parametrize(
    ("account_id", "expected"),
    [
        (
            MANAGEMENT_ID,
            f"account 'payer' is the management account ({MANAGEMENT_ID}), which cannot be managed as a member "
            "account (guardrails never restrict it); remove it from the stack's accounts",
        ),
        (DEV_ID, None),
    ],
    ids=["management", "member"],
)
def test_native_management_account_as_a_member(account_id, expected):
    account = native_account("payer", account_id, "ou-work")
    reported = check_stack(organization.management_account_not_a_member, [ORGANIZATION, account])
    assert reported == ([] if expected is None else [(expected, account.urn)])


def test_every_native_type_stands_for_a_classic_type_the_pack_reads():
    """A typo in the map would make a twin judged by nothing."""
    modules = (accounts, iam, identity_center, management, organization, program_rules)
    read = {t for m in modules for t in vars(m).values() if isinstance(t, str) and t.startswith("aws:")}
    read |= set(organization.SERVICE_ADMIN_TYPES)
    for token, translate in native.TWINS.items():
        twin = translate({}, "r")
        assert {piece.type for piece in [twin.main, *twin.embedded]} <= read, token


def test_a_native_scp_attached_to_an_ou_created_with_it():
    """`targetIds` computed from a new OU: the attachment it stands for follows the engine's
    property dependencies to that OU, as a classic PolicyAttachment's `targetId` does."""
    new_ou = native_ou("Production", "ou-work", UNKNOWN)
    policy = stack_resource(
        N_POLICY,
        "deny-regions",
        {"name": "deny-regions", "content": READ, "awsId": "p-1", "targetIds": [UNKNOWN]},
        property_dependencies={"targetIds": [new_ou]},
    )
    root = scp("deny-leaving", [ROOT])
    resources = [ORGANIZATION, WORKLOADS, new_ou, root, policy]
    assert check_stack(organization.guardrails_stay_attached, resources, GUARDRAILS) == []
    detached = stack_resource(
        N_POLICY, "deny-regions", {"name": "deny-regions", "content": READ, "targetIds": []}
    )
    assert [
        urn
        for _, urn in check_stack(
            organization.guardrails_stay_attached, [*resources[:4], detached], GUARDRAILS
        )
    ] == [new_ou.urn]
