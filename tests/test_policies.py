"""Each policy called as the SDK calls it: a case that fires (message asserted) and one that stays quiet."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.policy_builders import (
    MEMBER_ROLE,
    UNKNOWN,
    check_resource,
    check_stack,
    provider,
    stack_resource,
    urn_of,
)

from lz_policies import accounts, iam, identity_center, management, pack  # isort: skip
from landing_zone.resource_types import ACCOUNT, PERMISSION_SET
from landing_zone.resource_types import ACCOUNT_ASSIGNMENT as ASSIGNMENT
from landing_zone.resource_types import ALTERNATE_CONTACT as CONTACT
from landing_zone.resource_types import IDENTITY_STORE_GROUP as GROUP
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU

INSTANCE = "aws:ec2/instance:Instance"

FORCE_MFA = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyAllWithoutMFA",
                "Effect": "Deny",
                "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            }
        ],
    }
)
ADMIN_INLINE = json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
READ_INLINE = json.dumps({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]})


def trust(principal: object, condition: dict | None = None) -> str:
    statement: dict = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


# --- no-resources-in-management-account -------------------------------------------------------

MGMT = management.no_resources_in_management_account


@pytest.mark.parametrize(
    ("type_", "props", "prov", "config", "expected"),
    [
        (
            INSTANCE,
            {"instanceType": "t3.micro"},
            None,
            None,
            [
                "aws:ec2/instance:Instance 'res' would be created in the management account through "
                "the default provider; give it a provider that assumes a role in a member account"
            ],
        ),
        (
            INSTANCE,
            {},
            provider(region="eu-west-1"),
            None,
            [
                "aws:ec2/instance:Instance 'res' would be created in the management account through "
                "provider 'p'; give it a provider that assumes a role in a member account"
            ],
        ),
        (
            "aws:cloudtrail/trail:Trail",
            {"s3BucketName": "b", "isOrganizationTrail": False},
            None,
            None,
            [
                "aws:cloudtrail/trail:Trail 'res' would be created in the management account through "
                "the default provider; give it a provider that assumes a role in a member account"
            ],
        ),
        (
            INSTANCE,
            {},
            provider(MEMBER_ROLE),
            {"managementAccountIds": ["210987654321"]},
            [
                "aws:ec2/instance:Instance 'res' would be created in the management account through "
                "provider 'p'; give it a provider that assumes a role in a member account"
            ],
        ),
    ],
    ids=["default-provider", "provider-without-role", "non-organization-trail", "role-in-management"],
)
def test_management_account_policy_fires(type_, props, prov, config, expected):
    assert check_resource(MGMT, type_, props, provider=prov, config=config) == expected


@pytest.mark.parametrize(
    ("type_", "props", "prov", "config"),
    [
        (INSTANCE, {}, provider(MEMBER_ROLE), None),
        (INSTANCE, {}, provider(UNKNOWN), None),
        (ACCOUNT, {"email": "a@b.io"}, None, None),
        (PERMISSION_SET, {"name": "Admin"}, None, None),
        ("aws:budgets/budget:Budget", {}, None, None),
        ("aws:account/alternativeContact:AlternativeContact", {}, None, None),
        ("aws:cloudtrail/trail:Trail", {"isOrganizationTrail": True}, None, None),
        ("aws:iam/accountPasswordPolicy:AccountPasswordPolicy", {}, None, None),
        ("pulumi:providers:aws", {}, None, None),
        ("landing-zone:member-account:MemberAccount", {}, None, None),
        ("aws:s3/bucket:Bucket", {}, None, {"allowedTypes": ["aws:s3/*"]}),
    ],
    ids=[
        "member-provider",
        "unknown-role",
        "account",
        "permission-set",
        "budget",
        "contact",
        "org-trail",
        "password-policy",
        "provider",
        "component",
        "allow-listed",
    ],
)
def test_management_account_policy_quiet(type_, props, prov, config):
    assert check_resource(MGMT, type_, props, provider=prov, config=config) == []


def test_management_account_reads_assume_roles_as_a_list_too():
    prov = provider()
    prov.props["assumeRoles"] = [{"roleArn": MEMBER_ROLE}]
    assert check_resource(MGMT, INSTANCE, {}, provider=prov) == []


# --- account-lifecycle-safe -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "protect", "config", "expected"),
    [
        (
            {"name": "audit", "closeOnDeletion": False},
            False,
            None,
            [
                "account 'audit' is not protected: a removed config entry or `pulumi destroy` would "
                "take it out of the organization; register it with protect=True"
            ],
        ),
        (
            {"name": "prod", "closeOnDeletion": True, "tags": {"environment": "production"}},
            True,
            None,
            [
                "account 'prod' sets closeOnDeletion but is not disposable: deleting it would close "
                "the account; list it in disposableAccounts or tag it environment=sandbox"
            ],
        ),
        ({"name": "audit"}, True, None, []),
        ({"name": "sb", "closeOnDeletion": True, "tags": {"environment": "sandbox"}}, True, None, []),
        ({"name": "sb", "closeOnDeletion": True}, True, {"disposableAccounts": ["sb"]}, []),
        # Both come from the stack's config: unknown means something else computes them.
        (
            {"name": "sb", "closeOnDeletion": True, "tags": UNKNOWN},
            True,
            None,
            ["account 'sb' cannot be checked: tags is not known until the update runs"],
        ),
        (
            {"name": "sb", "closeOnDeletion": UNKNOWN},
            True,
            None,
            ["account 'sb' cannot be checked: closeOnDeletion is not known until the update runs"],
        ),
        # Closed when removed, so necessarily unprotected: fine for a disposable account only.
        ({"name": "sb", "closeOnDeletion": True, "tags": {"environment": "sandbox"}}, False, None, []),
        ({"name": "sb", "closeOnDeletion": True}, False, {"disposableAccounts": ["sb"]}, []),
        (
            {"name": "prod", "closeOnDeletion": True, "tags": {"environment": "Sandbox"}},
            False,
            None,
            [
                "account 'prod' sets closeOnDeletion but is not disposable: deleting it would close "
                "the account; list it in disposableAccounts or tag it environment=sandbox"
            ],
        ),
        (
            {"name": "audit", "tags": {"environment": "sandbox"}},
            False,
            None,
            [
                "account 'audit' is not protected: a removed config entry or `pulumi destroy` would "
                "take it out of the organization; register it with protect=True"
            ],
        ),
    ],
    ids=[
        "unprotected",
        "closes-production",
        "protected",
        "sandbox-tag",
        "listed",
        "unknown-tags",
        "unknown-close",
        "unprotected-disposable-sandbox",
        "unprotected-disposable-listed",
        "unprotected-closing-tag-in-another-case",
        "unprotected-sandbox-that-does-not-close",
    ],
)
def test_account_lifecycle(props, protect, config, expected):
    policy = accounts.account_lifecycle_safe
    assert check_resource(policy, ACCOUNT, props, protect=protect, config=config) == expected


def test_account_lifecycle_ignores_other_types():
    assert check_resource(accounts.account_lifecycle_safe, OU, {"name": "x"}) == []


# --- account-emails-unique and account-email-convention -----------------------------------------


def account(name: str, email: str, **props) -> object:
    return stack_resource(ACCOUNT, name, {"name": name, "email": email, **props})


def test_duplicate_email_is_reported_on_the_second_account_case_insensitively():
    reported = check_stack(
        accounts.account_emails_unique,
        [account("audit", "aws+audit@acme.io"), account("dev", "AWS+Audit@acme.io"), account("x", UNKNOWN)],
    )
    assert reported == [
        (
            "account 'dev' has the same root email as account 'audit': AWS+Audit@acme.io",
            urn_of(ACCOUNT, "dev"),
        ),
        # Root emails come from the stack's config: an unknown one is not a pass.
        ("account 'x' cannot be checked: email is not known until the update runs", urn_of(ACCOUNT, "x")),
    ]


def test_unique_emails_are_quiet():
    assert (
        check_stack(
            accounts.account_emails_unique, [account("a", "x+a@acme.io"), account("b", "x+b@acme.io")]
        )
        == []
    )


def test_email_convention():
    policy = accounts.account_email_convention
    resources = [
        account("audit", "aws-acme+audit@acme-corp.io"),
        account("dev", "aws-acme+staging@acme-corp.io"),
        account("legacy", "legacy-root@acme-corp.io"),
        account("long", "aws-acme+long@" + "x" * 60 + ".io"),
        account("new", UNKNOWN),
    ]
    assert check_stack(policy, resources) == [
        (
            "account 'dev' has root email aws-acme+staging@acme-corp.io, which does not match "
            r"^[a-z0-9][a-z0-9._-]*\+{account}@[a-z0-9-]+(\.[a-z0-9-]+)+$",
            urn_of(ACCOUNT, "dev"),
        ),
        (
            "account 'legacy' has root email legacy-root@acme-corp.io, which does not match "
            r"^[a-z0-9][a-z0-9._-]*\+{account}@[a-z0-9-]+(\.[a-z0-9-]+)+$",
            urn_of(ACCOUNT, "legacy"),
        ),
        (
            "account 'long' has a root email of 77 characters (AWS allows 64): aws-acme+long@"
            + "x" * 60
            + ".io",
            urn_of(ACCOUNT, "long"),
        ),
        ("account 'new' cannot be checked: email is not known until the update runs", urn_of(ACCOUNT, "new")),
    ]
    config = {
        "pattern": r"^aws-acme\+{account}@acme-corp\.io$",
        "exemptAccounts": ["legacy", "dev", "long", "new"],
    }
    assert check_stack(policy, resources, config) == []


# --- alternate-contacts-complete --------------------------------------------------------------


def contact(owner, contact_type: str, account_id: str | None = None) -> object:
    return stack_resource(
        CONTACT,
        f"{owner.name}-{contact_type.lower()}",
        {
            "accountId": account_id if account_id is not None else owner.props["id"],
            "alternateContactType": contact_type,
        },
        dependencies=[owner],
        property_dependencies={"accountId": [owner]},
    )


def test_missing_security_contact_is_reported_on_the_account():
    audit = account("audit", "a@b.io", id="111111111111")
    dev = account("dev", "d@b.io", id="222222222222")
    resources = [audit, dev, contact(audit, "BILLING"), contact(audit, "OPERATIONS")]
    resources += [contact(dev, t) for t in ("BILLING", "OPERATIONS", "SECURITY")]
    assert check_stack(accounts.alternate_contacts_complete, resources) == [
        ("account 'audit' has no SECURITY alternate contact", urn_of(ACCOUNT, "audit"))
    ]


def test_contacts_found_by_dependency_when_the_account_id_is_unknown():
    new = account("new", "n@b.io", id=UNKNOWN)
    resources = [new] + [contact(new, t, account_id=UNKNOWN) for t in ("BILLING", "OPERATIONS", "SECURITY")]
    assert check_stack(accounts.alternate_contacts_complete, resources) == []


def test_account_without_contacts_lists_all_three():
    assert check_stack(accounts.alternate_contacts_complete, [account("lone", "l@b.io", id="3" * 12)]) == [
        ("account 'lone' has no BILLING, OPERATIONS, SECURITY alternate contact", urn_of(ACCOUNT, "lone"))
    ]


# --- iam-users-require-mfa --------------------------------------------------------------------


def iam_user_set(group_policy: str | None, member: bool = True) -> list:
    resources = [
        stack_resource(iam.USER, "alice", {"name": "alice"}),
        stack_resource(iam.LOGIN_PROFILE, "alice-login", {"user": "alice"}),
        stack_resource(iam.GROUP, "humans", {"name": "humans"}),
    ]
    if group_policy is not None:
        resources.append(
            stack_resource(iam.GROUP_POLICY, "force-mfa", {"group": "humans", "policy": group_policy})
        )
    if member:
        resources.append(
            stack_resource(iam.USER_GROUP_MEMBERSHIP, "alice-groups", {"user": "alice", "groups": ["humans"]})
        )
    return resources


@pytest.mark.parametrize(
    ("group_policy", "member"),
    [(None, True), (FORCE_MFA, False), (READ_INLINE, True)],
    ids=["group-without-policy", "not-in-group", "policy-without-mfa-deny"],
)
def test_console_user_without_mfa_group_fires(group_policy, member):
    assert check_stack(iam.iam_users_require_mfa, iam_user_set(group_policy, member)) == [
        (
            "IAM user 'alice' has a console login but is in no group whose policy denies everything "
            "without MFA; people should sign in through Identity Center",
            urn_of(iam.USER, "alice"),
        )
    ]


def test_console_user_in_mfa_group_is_quiet():
    assert check_stack(iam.iam_users_require_mfa, iam_user_set(FORCE_MFA)) == []


def test_mfa_group_through_an_attached_managed_policy_is_quiet():
    policy = stack_resource(
        iam.MANAGED_POLICY, "force-mfa", {"policy": FORCE_MFA, "arn": "arn:aws:iam::1:policy/f"}
    )
    resources = iam_user_set(None) + [
        policy,
        stack_resource(
            iam.GROUP_POLICY_ATTACHMENT,
            "attach",
            {"group": "humans", "policyArn": UNKNOWN},
            dependencies=[policy],
        ),
    ]
    assert check_stack(iam.iam_users_require_mfa, resources) == []


def test_user_without_login_and_unknown_user_are_quiet():
    resources = [
        stack_resource(iam.USER, "ci", {"name": "ci"}),
        stack_resource(iam.LOGIN_PROFILE, "x-login", {"user": UNKNOWN}),
    ]
    assert check_stack(iam.iam_users_require_mfa, resources) == []


# --- no-iam-user-access-keys ------------------------------------------------------------------


def test_access_key_is_refused_unless_allow_listed():
    policy = iam.no_iam_user_access_keys
    assert check_resource(policy, iam.ACCESS_KEY, {"user": "ci"}) == [
        "access key for IAM user 'ci': long-lived keys are refused; people use Identity Center, "
        "machines use roles (or list the user in allowedUsers)"
    ]
    assert check_resource(policy, iam.ACCESS_KEY, {"user": "ci"}, config={"allowedUsers": ["ci"]}) == []
    assert check_resource(policy, iam.ACCESS_KEY, {"user": UNKNOWN}) == []
    assert check_resource(policy, iam.USER, {"name": "ci"}) == []


# --- human-roles-require-mfa ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ({"AWS": "arn:aws:iam::111122223333:root"}, "arn:aws:iam::111122223333:root"),
        ({"AWS": ["111122223333"]}, "111122223333"),
        ({"AWS": "arn:aws:iam::111122223333:user/bob"}, "arn:aws:iam::111122223333:user/bob"),
    ],
    ids=["root", "account-id", "user"],
)
def test_human_role_without_mfa_fires(principal, expected):
    props = {"name": "admin", "assumeRolePolicy": trust(principal)}
    assert check_resource(iam.human_roles_require_mfa, iam.ROLE, props) == [
        f"role 'admin' lets {expected} assume it without aws:MultiFactorAuthPresent; "
        "add a Bool condition aws:MultiFactorAuthPresent: true to the trust policy"
    ]


@pytest.mark.parametrize(
    "policy",
    [
        trust({"AWS": "arn:aws:iam::111122223333:root"}, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
        trust({"AWS": "arn:aws:iam::111122223333:root"}, {"Bool": {"aws:MultiFactorAuthPresent": True}}),
        trust({"Service": "lambda.amazonaws.com"}),
        trust({"AWS": "arn:aws:iam::111122223333:role/ci"}),
        UNKNOWN,
    ],
    ids=["mfa-condition", "mfa-bool", "service", "role-principal", "unknown"],
)
def test_human_role_quiet(policy):
    assert check_resource(iam.human_roles_require_mfa, iam.ROLE, {"assumeRolePolicy": policy}) == []


# --- no-wildcard-inline-admin -----------------------------------------------------------------


def test_wildcard_inline_policies_fire_for_permission_sets_and_roles():
    admin = stack_resource(PERMISSION_SET, "admin", {"name": "PowerAdmin", "arn": "arn:ps/1"})
    resources = [
        admin,
        stack_resource(
            "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
            "admin-inline",
            {"permissionSetArn": "arn:ps/1", "inlinePolicy": ADMIN_INLINE},
        ),
        stack_resource(
            iam.ROLE, "ops", {"name": "ops", "inlinePolicies": [{"name": "all", "policy": ADMIN_INLINE}]}
        ),
        stack_resource(iam.ROLE_POLICY, "ops-policy", {"role": "ops2", "policy": ADMIN_INLINE}),
        stack_resource(iam.ROLE, "reader", {"name": "reader", "inlinePolicies": [{"policy": READ_INLINE}]}),
        stack_resource(iam.ROLE, "later", {"name": "later", "inlinePolicies": [{"policy": UNKNOWN}]}),
    ]
    tail = ' has an inline policy allowing "Action": "*" on "Resource": "*"; attach the AdministratorAccess managed policy instead, or allow-list it in allowedNames'
    assert check_stack(iam.no_wildcard_inline_admin, resources) == [
        (
            "permission set 'PowerAdmin'" + tail,
            urn_of("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "admin-inline"),
        ),
        ("role 'ops'" + tail, urn_of(iam.ROLE, "ops")),
        ("role 'ops2'" + tail, urn_of(iam.ROLE_POLICY, "ops-policy")),
    ]
    config = {"allowedNames": ["PowerAdmin", "ops", "ops2"]}
    assert check_stack(iam.no_wildcard_inline_admin, resources, config) == []


# --- permission-set-session-limit -------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "config", "expected"),
    [
        (
            "PT24H",
            None,
            ["permission set 'Admin' allows sessions of PT24H (24 hours); the maximum is 12 hours"],
        ),
        (
            "PT4H30M",
            {"maxSessionHours": 4},
            ["permission set 'Admin' allows sessions of PT4H30M (4.5 hours); the maximum is 4 hours"],
        ),
        (
            "12h",
            None,
            ["permission set 'Admin' has session duration '12h', not an ISO-8601 duration like PT8H"],
        ),
        ("PT12H", None, []),
        (None, None, []),
        (UNKNOWN, None, []),
    ],
    ids=["24h", "configured-max", "malformed", "12h", "default-1h", "unknown"],
)
def test_session_limit(duration, config, expected):
    props = {"name": "Admin", "instanceArn": "arn:sso"}
    if duration is not None:
        props["sessionDuration"] = duration
    assert (
        check_resource(identity_center.permission_set_session_limit, PERMISSION_SET, props, config=config)
        == expected
    )


# --- production-admin-restricted --------------------------------------------------------------


def identity_center_set(
    group_name: str, principal_type: str = "GROUP", permission_set: str = "AdministratorAccess"
):
    workloads = stack_resource(OU, "Workloads", {"name": "Workloads", "parentId": "r-abcd", "id": "ou-w"})
    production_ou = stack_resource(
        OU,
        "Workloads/Production",
        {"name": "Production", "parentId": UNKNOWN, "id": UNKNOWN},
        dependencies=[workloads],
    )
    dev_ou = stack_resource(OU, "Workloads/Dev", {"name": "Dev", "parentId": "ou-w", "id": "ou-d"})
    prod = account("production", "p@b.io", id=UNKNOWN, parentId=UNKNOWN)
    prod.dependencies.append(production_ou)
    dev = account("dev", "d@b.io", id="222222222222", parentId="ou-d")
    admin = stack_resource(PERMISSION_SET, "admin", {"name": permission_set, "arn": "arn:ps/admin"})
    group = stack_resource(GROUP, "g", {"displayName": group_name, "groupId": "g-1"})

    def assign(target, target_id, name):
        return stack_resource(
            ASSIGNMENT,
            name,
            {
                "permissionSetArn": "arn:ps/admin",
                "principalId": "g-1" if principal_type == "GROUP" else "u-1",
                "principalType": principal_type,
                "targetId": target_id,
                "targetType": "AWS_ACCOUNT",
            },
            dependencies=[target, admin],
        )

    return [
        workloads,
        production_ou,
        dev_ou,
        prod,
        dev,
        admin,
        group,
        assign(prod, UNKNOWN, "prod-admin"),
        assign(dev, "222222222222", "dev-admin"),
    ]


def test_admin_on_production_for_a_group_not_allowed_fires_only_for_production():
    assert check_stack(
        identity_center.production_admin_restricted,
        identity_center_set("developers"),
        {"allowedGroups": ["platform-admins"]},
    ) == [
        (
            "AdministratorAccess on production account 'production' is assigned to GROUP 'developers', which is not in allowedGroups",
            urn_of(ASSIGNMENT, "prod-admin"),
        )
    ]


def test_admin_on_production_for_a_user_fires():
    assert check_stack(
        identity_center.production_admin_restricted, identity_center_set("x", principal_type="USER")
    ) == [
        (
            "AdministratorAccess on production account 'production' is assigned to USER 'u-1', which is not in allowedGroups",
            urn_of(ASSIGNMENT, "prod-admin"),
        )
    ]


@pytest.mark.parametrize(
    ("group", "permission_set", "config"),
    [
        ("platform-admins", "AdministratorAccess", {"allowedGroups": ["platform-admins"]}),
        ("developers", "ReadOnlyAccess", None),
        ("developers", "AdministratorAccess", {"productionOus": ["Prod"], "productionAccountTags": []}),
    ],
    ids=["allowed-group", "not-admin", "no-production-ou"],
)
def test_production_admin_quiet(group, permission_set, config):
    resources = identity_center_set(group, permission_set=permission_set)
    assert check_stack(identity_center.production_admin_restricted, resources, config) == []


def test_production_is_also_recognised_by_tag():
    resources = identity_center_set("developers")
    resources[4].props["tags"] = {"environment": "production"}
    reported = check_stack(identity_center.production_admin_restricted, resources, {"productionOus": []})
    # No production OU any more: only the account tagged production counts.
    assert [urn for _, urn in reported] == [urn_of(ASSIGNMENT, "dev-admin")]


# --- the pack ---------------------------------------------------------------------------------


def test_pack_policies_are_unique_kebab_case_and_described_in_one_sentence():
    names = [p.name for p in pack.checked(pack.POLICIES)]
    assert len(names) == 17
    for policy in pack.POLICIES:
        assert policy.enforcement_level is not None, policy.name
        assert policy.description.endswith(".") and policy.description.count(". ") == 0, policy.name


def test_pack_refuses_duplicate_and_badly_named_policies():
    with pytest.raises(pack.PackDefinitionError, match="two policies are named 'account-lifecycle-safe'"):
        pack.checked([accounts.account_lifecycle_safe, accounts.account_lifecycle_safe])
    renamed = iam.ResourceValidationPolicy("NoKeys", "d.", validate=lambda a, r: None)
    with pytest.raises(pack.PackDefinitionError, match="policy name 'NoKeys' is not kebab-case"):
        pack.checked([renamed])


def test_pack_does_not_import_the_program():
    pack_dir = Path(pack.__file__).parents[1]
    imports = re.compile(r"^\s*(from|import)\s+(landing_zone|components)\b", re.MULTILINE)
    offenders = [
        str(p) for p in pack_dir.rglob("*.py") if "venv" not in p.parts and imports.search(p.read_text())
    ]
    assert offenders == []
