"""The IAM policies called as the SDK calls them, one table per policy: every bypass class of
issue 11 (items 5, 6, 7, 9, 12) fires with its exact message, and its legitimate twin stays quiet."""

from __future__ import annotations

import json

import pytest

from tests.policy_builders import UNKNOWN, check_resource, check_stack, provider, stack_resource, urn_of

from lz_policies import iam  # isort: skip
from landing_zone.resource_types import PERMISSION_SET, PERMISSION_SET_INLINE_POLICY


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


FORCE_MFA_STATEMENT = {
    "Sid": "DenyAllWithoutMFA",
    "Effect": "Deny",
    "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
    "Resource": "*",
    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
}
FORCE_MFA = document(FORCE_MFA_STATEMENT)
READ = document({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"})

# --- iam-users-require-mfa ----------------------------------------------------------------------

NO_MFA_GROUP = (
    "IAM user 'alice' has a console login but is in no group whose policy denies everything without MFA; "
    "people should sign in through Identity Center"
)
ACCOUNT_A = provider("arn:aws:iam::111111111111:role/OrganizationAccountAccessRole", name="a")
ACCOUNT_A_AGAIN = provider("arn:aws:iam::111111111111:role/OrganizationAccountAccessRole", name="a2")
ACCOUNT_B = provider("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", name="b")


def console_user(name: str = "alice", group: str | None = "humans", prov=None) -> list:
    resources = [
        stack_resource(iam.USER, name, {"name": name}, provider=prov),
        stack_resource(iam.LOGIN_PROFILE, f"{name}-login", {"user": name}, provider=prov),
    ]
    if group is not None:
        resources.append(
            stack_resource(
                iam.USER_GROUP_MEMBERSHIP, f"{name}-groups", {"user": name, "groups": [group]}, provider=prov
            )
        )
    return resources


def group_policy(policy: str, group: str = "humans", prov=None, name: str = "force-mfa"):
    return stack_resource(iam.GROUP_POLICY, name, {"group": group, "policy": policy}, provider=prov)


def managed(policy: str = FORCE_MFA, arn: str = "arn:aws:iam::111111111111:policy/force-mfa"):
    return stack_resource(
        iam.MANAGED_POLICY, "force-mfa-policy", {"name": "force-mfa", "policy": policy, "arn": arn}
    )


def unrelated_arn_deny() -> str:
    statement = {**FORCE_MFA_STATEMENT, "Resource": "arn:aws:s3:::one-bucket"}
    return document(statement)


USERS_FIRING = [
    ("no-policy", console_user(), NO_MFA_GROUP),
    ("not-in-group", console_user(group=None) + [group_policy(FORCE_MFA)], NO_MFA_GROUP),
    ("read-only-policy", console_user() + [group_policy(READ)], NO_MFA_GROUP),
    # Item 6: a Deny of NotAction "*" denies nothing.
    (
        "deny-not-action-star",
        console_user() + [group_policy(document({**FORCE_MFA_STATEMENT, "NotAction": "*"}))],
        NO_MFA_GROUP,
    ),
    # Item 6: a Deny of everything on one unrelated ARN leaves every other resource open.
    ("deny-on-one-arn", console_user() + [group_policy(unrelated_arn_deny())], NO_MFA_GROUP),
    # A Deny that applies only when MFA is present.
    (
        "deny-with-mfa",
        console_user()
        + [
            group_policy(
                document(
                    {**FORCE_MFA_STATEMENT, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
                )
            )
        ],
        NO_MFA_GROUP,
    ),
    # Item 6: a group of the same name in another account is another group.
    (
        "mfa-group-in-another-account",
        console_user(prov=ACCOUNT_A) + [group_policy(FORCE_MFA, prov=ACCOUNT_B)],
        NO_MFA_GROUP,
    ),
]


@pytest.mark.parametrize(
    ("resources", "expected"), [c[1:] for c in USERS_FIRING], ids=[c[0] for c in USERS_FIRING]
)
def test_console_user_without_an_mfa_group_of_its_account_fires(resources, expected):
    assert check_stack(iam.iam_users_require_mfa, resources) == [(expected, urn_of(iam.USER, "alice"))]


def test_aws_native_console_user_fires():
    # Item 6: aws-native users carry their console password in loginProfile.
    user = stack_resource(iam.NATIVE_USER, "alice", {"userName": "alice", "loginProfile": {"password": "x"}})
    assert check_stack(iam.iam_users_require_mfa, [user]) == [
        (NO_MFA_GROUP, urn_of(iam.NATIVE_USER, "alice"))
    ]


USERS_QUIET = [
    ("inline-group-policy", console_user() + [group_policy(FORCE_MFA)]),
    (
        "bool-false",
        console_user()
        + [
            group_policy(
                document(
                    {**FORCE_MFA_STATEMENT, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": False}}}
                )
            )
        ],
    ),
    (
        "group-policy-attachment",
        console_user()
        + [
            managed(),
            stack_resource(
                iam.GROUP_POLICY_ATTACHMENT,
                "attach",
                {"group": "humans", "policyArn": "arn:aws:iam::111111111111:policy/force-mfa"},
            ),
        ],
    ),
    # Item 12: the same policy attached through aws:iam/policyAttachment (its groups list).
    (
        "policy-attachment-groups",
        console_user()
        + [
            managed(),
            stack_resource(
                iam.POLICY_ATTACHMENT,
                "attach",
                {"groups": ["others", "humans"], "policyArn": "arn:aws:iam::111111111111:policy/force-mfa"},
            ),
        ],
    ),
    (
        "same-account-through-two-providers",
        console_user(prov=ACCOUNT_A) + [group_policy(FORCE_MFA, prov=ACCOUNT_A_AGAIN)],
    ),
    (
        "aws-native-user-in-native-group",
        [
            stack_resource(
                iam.NATIVE_USER,
                "alice",
                {"userName": "alice", "loginProfile": {"password": "x"}, "groups": ["humans"]},
            ),
            stack_resource(
                iam.NATIVE_GROUP,
                "humans",
                {
                    "groupName": "humans",
                    "policies": [{"policyName": "mfa", "policyDocument": json.loads(FORCE_MFA)}],
                },
            ),
        ],
    ),
    ("aws-native-user-without-console", [stack_resource(iam.NATIVE_USER, "ci", {"userName": "ci"})]),
    ("user-without-login", [stack_resource(iam.USER, "ci", {"name": "ci"})]),
    # The user's name is another resource's output (id-like): judged once known.
    ("login-of-unknown-user", [stack_resource(iam.LOGIN_PROFILE, "x-login", {"user": UNKNOWN})]),
]


@pytest.mark.parametrize("resources", [c[1] for c in USERS_QUIET], ids=[c[0] for c in USERS_QUIET])
def test_console_user_in_an_mfa_group_is_quiet(resources):
    assert check_stack(iam.iam_users_require_mfa, resources) == []


def test_an_unknown_group_policy_leaves_only_that_group_s_users_undecided():
    # Item 6 and 9: one unknown policy used to silence the check for every user.
    resources = (
        console_user("alice", "later")
        + console_user("bob", "humans")
        + console_user("carol", "readers")
        + [
            group_policy(UNKNOWN, group="later", name="later-policy"),
            group_policy(FORCE_MFA, group="humans"),
            group_policy(READ, group="readers", name="read-policy"),
        ]
    )
    assert check_stack(iam.iam_users_require_mfa, resources) == [
        (
            "IAM user 'alice' cannot be checked: the policy of 'later-policy' for group 'later' is not known until the update runs",
            urn_of(iam.USER, "alice"),
        ),
        (
            "IAM user 'carol' has a console login but is in no group whose policy denies everything without "
            "MFA; people should sign in through Identity Center",
            urn_of(iam.USER, "carol"),
        ),
    ]


# --- human-roles-require-mfa --------------------------------------------------------------------

VENDOR = "999988887777"


def trust(principal: object, condition: dict | None = None, action: object = "sts:AssumeRole") -> str:
    statement: dict = {"Effect": "Allow", "Action": action, "Principal": principal}
    if condition:
        statement["Condition"] = condition
    return document(statement)


def without_mfa(who: str) -> str:
    return (
        f"role 'admin' lets {who} assume it without MFA; add the condition "
        '"Bool": {"aws:MultiFactorAuthPresent": "true"} to its trust statement, or, for a vendor, list its '
        "accountId and externalId in vendorRoles and require sts:ExternalId with StringEquals"
    )


ANYONE = (
    "role 'admin' lets any AWS principal assume it (Principal \"*\"); name the accounts that may, or restrict "
    "callers with a condition on aws:PrincipalOrgID or aws:PrincipalAccount"
)
ROOT = "arn:aws:iam::111122223333:root"
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
EXTERNAL_ID = {"StringEquals": {"sts:ExternalId": "acme-7f3a"}}
VENDORS = {"vendorRoles": [{"accountId": VENDOR, "externalId": "acme-7f3a"}]}

ROLES_FIRING = [
    ("root", iam.ROLE, trust({"AWS": ROOT}), None, without_mfa(ROOT)),
    ("account-id", iam.ROLE, trust({"AWS": ["111122223333"]}), None, without_mfa("111122223333")),
    (
        "user",
        iam.ROLE,
        trust({"AWS": "arn:aws:iam::111122223333:user/bob"}),
        None,
        without_mfa("arn:aws:iam::111122223333:user/bob"),
    ),
    # Item 5: wildcard actions name sts:AssumeRole too.
    ("assume-wildcard", iam.ROLE, trust({"AWS": ROOT}, action="sts:Assume*"), None, without_mfa(ROOT)),
    ("star-action", iam.ROLE, trust({"AWS": ROOT}, action=["*"]), None, without_mfa(ROOT)),
    # Item 5: BoolIfExists true holds for long-term keys, which carry no MFA.
    (
        "bool-if-exists",
        iam.ROLE,
        trust({"AWS": ROOT}, {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}),
        None,
        without_mfa(ROOT),
    ),
    (
        "true-or-false",
        iam.ROLE,
        trust({"AWS": ROOT}, {"Bool": {"aws:MultiFactorAuthPresent": ["true", "false"]}}),
        None,
        without_mfa(ROOT),
    ),
    (
        "age-if-exists",
        iam.ROLE,
        trust({"AWS": ROOT}, {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}),
        None,
        without_mfa(ROOT),
    ),
    # Item 5: Principal "*" is anyone in AWS, MFA or not.
    ("anyone-with-mfa", iam.ROLE, trust("*", MFA), None, ANYONE),
    ("aws-star", iam.ROLE, trust({"AWS": "*"}), None, ANYONE),
    (
        "anyone-in-my-org-without-mfa",
        iam.ROLE,
        trust("*", {"StringEquals": {"aws:PrincipalOrgID": "o-acme"}}),
        None,
        without_mfa("*"),
    ),
    # Item 5: aws-native roles, their trust policy an object.
    ("aws-native", iam.NATIVE_ROLE, json.loads(trust({"AWS": ROOT})), None, without_mfa(ROOT)),
    # Vendors: only an allow-listed account with its allow-listed external id, by StringEquals.
    ("vendor-not-listed", iam.ROLE, trust({"AWS": VENDOR}, EXTERNAL_ID), None, without_mfa(VENDOR)),
    (
        "vendor-other-id",
        iam.ROLE,
        trust({"AWS": VENDOR}, {"StringEquals": {"sts:ExternalId": "guess"}}),
        VENDORS,
        without_mfa(VENDOR),
    ),
    (
        "vendor-like",
        iam.ROLE,
        trust({"AWS": VENDOR}, {"StringLike": {"sts:ExternalId": "acme-*"}}),
        VENDORS,
        without_mfa(VENDOR),
    ),
    (
        "vendor-id-for-another-account",
        iam.ROLE,
        trust({"AWS": [VENDOR, ROOT]}, EXTERNAL_ID),
        VENDORS,
        without_mfa(f"{VENDOR}, {ROOT}"),
    ),
    (
        "vendor-user",
        iam.ROLE,
        trust({"AWS": f"arn:aws:iam::{VENDOR}:user/x"}, EXTERNAL_ID),
        VENDORS,
        without_mfa(f"arn:aws:iam::{VENDOR}:user/x"),
    ),
    # A Deny with Bool false leaves long-term access keys (no MFA key at all) allowed.
    (
        "deny-bool-false-only",
        iam.ROLE,
        document(
            json.loads(trust({"AWS": ROOT}))["Statement"][0],
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ),
        None,
        without_mfa(ROOT),
    ),
    # Item 9: a trust policy not known yet is not a pass.
    (
        "unknown",
        iam.ROLE,
        UNKNOWN,
        None,
        "role 'admin' cannot be checked: assumeRolePolicy is not known until the update runs",
    ),
]


@pytest.mark.parametrize(
    ("type_", "policy", "config", "expected"), [c[1:] for c in ROLES_FIRING], ids=[c[0] for c in ROLES_FIRING]
)
def test_human_role_without_mfa_fires(type_, policy, config, expected):
    key, name = (
        ("assumeRolePolicyDocument", "roleName") if type_ == iam.NATIVE_ROLE else ("assumeRolePolicy", "name")
    )
    props = {name: "admin", key: policy}
    assert check_resource(iam.human_roles_require_mfa, type_, props, config=config) == [expected]


ROLES_QUIET = [
    ("mfa", iam.ROLE, trust({"AWS": ROOT}, MFA), None),
    ("mfa-bool", iam.ROLE, trust({"AWS": ROOT}, {"Bool": {"aws:MultiFactorAuthPresent": True}}), None),
    # Item 5: MFA required through its age used to be refused.
    (
        "mfa-age",
        iam.ROLE,
        trust({"AWS": ROOT}, {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}),
        None,
    ),
    ("mfa-age-not-null", iam.ROLE, trust({"AWS": ROOT}, {"Null": {"aws:MultiFactorAuthAge": "false"}}), None),
    (
        "anyone-in-my-org-with-mfa",
        iam.ROLE,
        trust("*", {**MFA, "StringEquals": {"aws:PrincipalOrgID": "o-acme"}}),
        None,
    ),
    # Item 5: an allow-listed vendor with its external id, no MFA (vendors sign with keys).
    ("vendor", iam.ROLE, trust({"AWS": f"arn:aws:iam::{VENDOR}:root"}, EXTERNAL_ID), VENDORS),
    ("service", iam.ROLE, trust({"Service": "lambda.amazonaws.com"}), None),
    ("role-principal", iam.ROLE, trust({"AWS": "arn:aws:iam::111122223333:role/ci"}), None),
    (
        "federated",
        iam.ROLE,
        trust({"Federated": "arn:aws:iam::111122223333:saml-provider/idp"}, action="sts:AssumeRoleWithSAML"),
        None,
    ),
    ("tag-session-only", iam.ROLE, trust({"AWS": ROOT}, action="sts:TagSession"), None),
    # An explicit Deny of everyone without MFA (BoolIfExists false: long-term keys too) covers every Allow.
    (
        "deny-without-mfa",
        iam.ROLE,
        document(
            json.loads(trust({"AWS": ROOT}))["Statement"][0],
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "sts:AssumeRole",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ),
        None,
    ),
    ("aws-native-mfa", iam.NATIVE_ROLE, json.loads(trust({"AWS": ROOT}, MFA)), None),
    ("aws-native-json-text", iam.NATIVE_ROLE, trust({"AWS": ROOT}, MFA), None),
]


@pytest.mark.parametrize(
    ("type_", "policy", "config"), [c[1:] for c in ROLES_QUIET], ids=[c[0] for c in ROLES_QUIET]
)
def test_human_role_quiet(type_, policy, config):
    key = "assumeRolePolicyDocument" if type_ == iam.NATIVE_ROLE else "assumeRolePolicy"
    assert check_resource(iam.human_roles_require_mfa, type_, {key: policy}, config=config) == []


# --- no-wildcard-inline-admin -------------------------------------------------------------------

TAIL = (
    "; attach the AdministratorAccess managed policy where admin is meant, narrow the policy, or allow-list the "
    "name in allowedNames"
)
STAR = "it allows '*', which includes iam:addusertogroup"


def allow(action: object = "*", resource: object = "*", key: str = "Action") -> str:
    return document({"Effect": "Allow", key: action, "Resource": resource})


ADMIN_FIRING = [
    (
        "permission-set-inline",
        [
            stack_resource(PERMISSION_SET, "admin", {"name": "PowerAdmin", "arn": "arn:ps/1"}),
            stack_resource(
                PERMISSION_SET_INLINE_POLICY,
                "inline",
                {"permissionSetArn": "arn:ps/1", "inlinePolicy": allow()},
            ),
        ],
        f"permission set 'PowerAdmin' has a policy that grants administrator access ({STAR})",
        urn_of(PERMISSION_SET_INLINE_POLICY, "inline"),
    ),
    # Item 7: admin is what a policy can do, not the literal "*" on "*".
    (
        "iam-star",
        [
            stack_resource(
                iam.ROLE, "ops", {"name": "ops", "inlinePolicies": [{"name": "p", "policy": allow("iam:*")}]}
            )
        ],
        "role 'ops' has a policy that grants administrator access (it allows 'iam:*', which includes iam:addusertogroup)",
        urn_of(iam.ROLE, "ops"),
    ),
    (
        "not-action",
        [
            stack_resource(
                iam.ROLE_POLICY, "ops-policy", {"role": "ops2", "policy": allow("s3:*", key="NotAction")}
            )
        ],
        "role 'ops2' has a policy that grants administrator access (it allows every action but its NotAction list, "
        "which leaves iam:addusertogroup)",
        urn_of(iam.ROLE_POLICY, "ops-policy"),
    ),
    (
        "arn-star-resource",
        [
            stack_resource(
                iam.ROLE_POLICY, "ops-policy", {"role": "ops2", "policy": allow(["iam:Put*"], "arn:*")}
            )
        ],
        "role 'ops2' has a policy that grants administrator access (it allows 'iam:Put*', which includes "
        "iam:putgrouppolicy)",
        urn_of(iam.ROLE_POLICY, "ops-policy"),
    ),
    (
        "one-account-s-roles",
        [
            stack_resource(
                iam.ROLE_POLICY,
                "ops-policy",
                {"role": "ops2", "policy": allow("iam:AttachRolePolicy", "arn:aws:iam::123456789012:role/*")},
            )
        ],
        "role 'ops2' has a policy that grants administrator access (it allows 'iam:AttachRolePolicy', which "
        "includes iam:attachrolepolicy)",
        urn_of(iam.ROLE_POLICY, "ops-policy"),
    ),
    (
        "aws-native-role",
        [
            stack_resource(
                iam.NATIVE_ROLE,
                "native",
                {
                    "roleName": "native",
                    "policies": [{"policyName": "p", "policyDocument": json.loads(allow())}],
                },
            )
        ],
        f"role 'native' has a policy that grants administrator access ({STAR})",
        urn_of(iam.NATIVE_ROLE, "native"),
    ),
    (
        "managed-policy",
        [stack_resource(iam.MANAGED_POLICY, "everything", {"name": "everything", "policy": allow()})],
        f"managed policy 'everything' has a policy that grants administrator access ({STAR})",
        urn_of(iam.MANAGED_POLICY, "everything"),
    ),
]


@pytest.mark.parametrize(
    ("resources", "message", "urn"), [c[1:] for c in ADMIN_FIRING], ids=[c[0] for c in ADMIN_FIRING]
)
def test_admin_policies_fire(resources, message, urn):
    assert check_stack(iam.no_wildcard_inline_admin, resources) == [(message + TAIL, urn)]


def test_an_unknown_policy_is_undecided():
    role = stack_resource(iam.ROLE, "later", {"name": "later", "inlinePolicies": [{"policy": UNKNOWN}]})
    assert check_stack(iam.no_wildcard_inline_admin, [role]) == [
        (
            "role 'later' cannot be checked: inlinePolicies is not known until the update runs",
            urn_of(iam.ROLE, "later"),
        )
    ]


@pytest.mark.parametrize(
    ("resources", "config"),
    [
        (
            [stack_resource(iam.ROLE, "reader", {"name": "reader", "inlinePolicies": [{"policy": READ}]})],
            None,
        ),
        ([stack_resource(iam.ROLE_POLICY, "s3", {"role": "r", "policy": allow("s3:*")})], None),
        (
            [
                stack_resource(
                    iam.ROLE_POLICY, "bucket", {"role": "r", "policy": allow("*", "arn:aws:s3:::b/*")}
                )
            ],
            None,
        ),
        ([stack_resource(iam.MANAGED_POLICY, "deny", {"name": "deny", "policy": FORCE_MFA})], None),
        (
            [stack_resource(iam.ROLE, "ops", {"name": "ops", "inlinePolicies": [{"policy": allow()}]})],
            {"allowedNames": ["ops"]},
        ),
    ],
    ids=["read-only", "one-service", "one-bucket", "deny", "allow-listed"],
)
def test_narrow_or_allow_listed_policies_are_quiet(resources, config):
    assert check_stack(iam.no_wildcard_inline_admin, resources, config) == []


# --- no-iam-user-access-keys --------------------------------------------------------------------


def test_access_key_is_refused_unless_allow_listed():
    policy = iam.no_iam_user_access_keys
    assert check_resource(policy, iam.ACCESS_KEY, {"user": "ci"}) == [
        "access key for IAM user 'ci': long-lived keys are refused; people use Identity Center, "
        "machines use roles (or list the user in allowedUsers)"
    ]
    assert check_resource(policy, iam.ACCESS_KEY, {"user": "ci"}, config={"allowedUsers": ["ci"]}) == []
    assert check_resource(policy, iam.ACCESS_KEY, {"user": UNKNOWN}) == []
    assert check_resource(policy, iam.USER, {"name": "ci"}) == []


def test_an_aws_native_user_whose_groups_are_unknown_is_undecided():
    user = stack_resource(
        iam.NATIVE_USER, "alice", {"userName": "alice", "loginProfile": {"password": "x"}, "groups": UNKNOWN}
    )
    assert check_stack(iam.iam_users_require_mfa, [user]) == [
        (
            "IAM user 'alice' cannot be checked: the group list of 'alice' is not known until the update runs",
            urn_of(iam.NATIVE_USER, "alice"),
        )
    ]
