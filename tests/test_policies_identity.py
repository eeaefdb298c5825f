"""The Identity Center policies called as the SDK calls them, one table per policy: the bypass
classes of issue 11 (items 3, 4, 9, 12) fire with their exact message, their twins stay quiet."""

from __future__ import annotations

import json

import pytest
from pulumi_policy.proxy import UnknownValueError

from landing_zone.config import read_stack_file
from tests.conftest import PROJECT_DIR
from tests.helpers import run_lz, write_stack
from tests.policy_builders import UNKNOWN, check_resource, check_stack, stack_resource, urn_of

from lz_policies import identity_center  # isort: skip
from landing_zone.resource_types import (
    ACCOUNT,
    ACCOUNT_ASSIGNMENT,
    CUSTOMER_MANAGED_POLICY_ATTACHMENT,
    EXTERNAL_GROUP,
    IDENTITY_STORE_GROUP,
    MANAGED_POLICY_ATTACHMENT,
    ORGANIZATION,
    ORGANIZATIONAL_UNIT,
    PERMISSION_SET,
    PERMISSION_SET_INLINE_POLICY,
)

# --- permission-set-session-limit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "config", "expected"),
    [
        (
            "PT24H",
            None,
            ["permission set 'Admin' allows sessions of PT24H (24 hours); the maximum is 12 hours"],
        ),
        ("P1D", None, ["permission set 'Admin' allows sessions of P1D (24 hours); the maximum is 12 hours"]),
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
        ("P", None, ["permission set 'Admin' has session duration 'P', not an ISO-8601 duration like PT8H"]),
        (
            "PT30M",
            None,
            [
                "permission set 'Admin' has session duration PT30M (0.5 hours); Identity Center's minimum is PT1H"
            ],
        ),
        # Item 9: config values are never unknown in this program.
        (
            UNKNOWN,
            None,
            ["permission set 'Admin' cannot be checked: sessionDuration is not known until the update runs"],
        ),
        ("PT12H", None, []),
        # Item 12: the full ISO-8601 form AWS accepts.
        ("P0DT4H", None, []),
        ("P0DT1H30M", None, []),
        ("PT3600S", None, []),
        (
            "PT1.5H",
            None,
            ["permission set 'Admin' has session duration 'PT1.5H', not an ISO-8601 duration like PT8H"],
        ),
        (None, None, []),
    ],
    ids=[
        "24h",
        "one-day",
        "configured-max",
        "malformed",
        "empty",
        "below-minimum",
        "unknown",
        "12h",
        "days-and-hours",
        "days-hours-minutes",
        "seconds",
        "fraction-of-hours",
        "default-1h",
    ],
)
def test_session_limit(duration, config, expected):
    props = {"name": "Admin", "instanceArn": "arn:sso"}
    if duration is not None:
        props["sessionDuration"] = duration
    policy = identity_center.permission_set_session_limit
    assert check_resource(policy, PERMISSION_SET, props, config=config) == expected


# --- an organization with Identity Center ------------------------------------------------------

MANAGEMENT_ID = "111111111111"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def organization() -> dict:
    """Resources by name: OUs Workloads/{Production/Eu, Dev}, three accounts, permission sets, groups."""
    workloads = stack_resource(
        ORGANIZATIONAL_UNIT, "Workloads", {"name": "Workloads", "parentId": "r-abcd", "id": "ou-w"}
    )
    # Created in the same update: its id and parent id are unknown, its dependency says whose child it is.
    production_ou = stack_resource(
        ORGANIZATIONAL_UNIT,
        "Workloads/Production",
        {"name": "Production", "parentId": UNKNOWN, "id": UNKNOWN},
        dependencies=[workloads],
    )
    eu_ou = stack_resource(
        ORGANIZATIONAL_UNIT,
        "Workloads/Production/Eu",
        {"name": "Eu", "parentId": UNKNOWN, "id": "ou-eu"},
        dependencies=[production_ou],
    )
    dev_ou = stack_resource(
        ORGANIZATIONAL_UNIT, "Workloads/Dev", {"name": "Dev", "parentId": "ou-w", "id": "ou-d"}
    )
    resources = {
        "org": stack_resource(ORGANIZATION, "org", {"masterAccountId": MANAGEMENT_ID}),
        "workloads": workloads,
        "production_ou": production_ou,
        "eu_ou": eu_ou,
        "dev_ou": dev_ou,
        "production": stack_resource(
            ACCOUNT,
            "production",
            {"name": "production", "id": UNKNOWN, "parentId": UNKNOWN},
            dependencies=[production_ou],
        ),
        "production-eu": stack_resource(
            ACCOUNT, "production-eu", {"name": "production-eu", "id": "333333333333", "parentId": "ou-eu"}
        ),
        "dev": stack_resource(ACCOUNT, "dev", {"name": "dev", "id": "222222222222", "parentId": "ou-d"}),
        "platform-admins": stack_resource(
            IDENTITY_STORE_GROUP, "platform-admins", {"displayName": "platform-admins", "groupId": "g-1"}
        ),
        "developers": stack_resource(
            IDENTITY_STORE_GROUP, "developers", {"displayName": "developers", "groupId": "g-2"}
        ),
        # identitySource external: looked up, registered by name (components/identity_center.py).
        "ext-devs": stack_resource(
            EXTERNAL_GROUP, "external-group-ext-devs", {"displayName": "ext-devs", "groupId": "g-3"}
        ),
    }
    for name, attachments in PERMISSION_SETS.items():
        permission_set = stack_resource(PERMISSION_SET, name, {"name": name, "arn": f"arn:ps/{name}"})
        resources[name] = permission_set
        for index, (type_, props) in enumerate(attachments):
            resources[f"{name}-{index}"] = stack_resource(
                type_, f"{name}-{index}", {"permissionSetArn": f"arn:ps/{name}", **props}
            )
    return resources


PERMISSION_SETS = {
    "AdministratorAccess": [(MANAGED_POLICY_ATTACHMENT, {"managedPolicyArn": ADMIN_POLICY})],
    "ReadOnlyAccess": [(MANAGED_POLICY_ATTACHMENT, {"managedPolicyArn": READ_POLICY})],
    # Admin under another name: what it can do, not what it is called.
    "Operator": [
        (
            PERMISSION_SET_INLINE_POLICY,
            {
                "inlinePolicy": json.dumps(
                    {"Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}
                )
            },
        )
    ],
    "Helpdesk": [
        (
            CUSTOMER_MANAGED_POLICY_ATTACHMENT,
            {"customerManagedPolicyReference": {"name": "Helpdesk", "path": "/"}},
        )
    ],
    "Later": [(PERMISSION_SET_INLINE_POLICY, {"inlinePolicy": UNKNOWN})],
}


def account_id(account) -> str:
    try:
        return account.props["id"]
    except UnknownValueError:
        return UNKNOWN


def assign(resources: dict, permission_set: str, target: str, principal: str, principal_type: str = "GROUP"):
    """An assignment as the program registers it: ids by value (or unknown), plus dependencies."""
    account = resources.get(target)
    group = resources.get(principal)
    target_id = target if account is None else account_id(account)
    principal_id = group.props["groupId"] if group is not None else principal
    permission_set_resource = resources.get(permission_set)
    arn = permission_set if permission_set_resource is None else f"arn:ps/{permission_set}"
    dependencies = [r for r in (account, group, permission_set_resource) if r is not None]
    return stack_resource(
        ACCOUNT_ASSIGNMENT,
        "assignment",
        {
            "permissionSetArn": arn,
            "principalId": principal_id,
            "principalType": principal_type,
            "targetId": target_id,
            "targetType": "AWS_ACCOUNT",
        },
        dependencies=dependencies,
    )


def with_assignment(*args, tags: dict | None = None, **kwargs) -> list:
    resources = organization()
    if tags is not None:
        resources["dev"].props["tags"] = tags
    return [*resources.values(), assign(resources, *args, **kwargs)]


ASSIGNMENT_URN = urn_of(ACCOUNT_ASSIGNMENT, "assignment")
MANAGED_ADMIN = (
    "permission set 'AdministratorAccess' is admin (it carries the AWS managed policy AdministratorAccess)"
)

# --- production-admin-restricted ----------------------------------------------------------------

PRODUCTION = identity_center.production_admin_restricted
PRODUCTION_CONFIG = {"productionOus": ["Workloads/Production"], "allowedGroups": ["platform-admins"]}

PRODUCTION_FIRING = [
    (
        "group-not-allowed",
        ("AdministratorAccess", "production", "developers"),
        {},
        f"{MANAGED_ADMIN} and is assigned on production account 'production' to group 'developers', which is not "
        "in allowedGroups",
    ),
    # Item 4: production is an OU subtree.
    (
        "child-ou",
        ("AdministratorAccess", "production-eu", "developers"),
        {},
        f"{MANAGED_ADMIN} and is assigned on production account 'production-eu' to group 'developers', which is "
        "not in allowedGroups",
    ),
    # Item 4: admin under another name.
    (
        "admin-inline-under-another-name",
        ("Operator", "production", "developers"),
        {},
        "permission set 'Operator' is admin (its inline policy is admin: it allows 'iam:*', which includes "
        "iam:addusertogroup) and is assigned on production account 'production' to group 'developers', which is "
        "not in allowedGroups",
    ),
    (
        "customer-managed-policy-unseen",
        ("Helpdesk", "production", "developers"),
        {},
        "permission set 'Helpdesk' is admin (the pack cannot read its customer managed policy 'Helpdesk', so it "
        "counts as admin) and is assigned on production account 'production' to group 'developers', which is not "
        "in allowedGroups",
    ),
    (
        "inline-policy-unknown",
        ("Later", "production", "developers"),
        {},
        "permission set 'Later' is admin (its inline policy is not known yet, so it counts as admin) and is "
        "assigned on production account 'production' to group 'developers', which is not in allowedGroups",
    ),
    # Item 4: a permission set the stack does not create.
    (
        "permission-set-outside-the-stack",
        ("arn:aws:sso:::permissionSet/ssoins-1/ps-outside", "production", "developers"),
        {},
        "permission set 'arn:aws:sso:::permissionSet/ssoins-1/ps-outside' is admin (it is not created by this "
        "stack: the pack cannot see what it allows, so it counts as admin) and is assigned on production account "
        "'production' to group 'developers', which is not in allowedGroups",
    ),
    # Item 4: identitySource external no longer switches the policy off.
    (
        "external-group",
        ("AdministratorAccess", "production", "ext-devs"),
        {},
        f"{MANAGED_ADMIN} and is assigned on production account 'production' to group 'ext-devs', which is not "
        "in allowedGroups",
    ),
    # Item 4: a group the stack neither creates nor looks up cannot pass unnamed.
    (
        "group-outside-the-stack",
        ("AdministratorAccess", "production", "g-outside"),
        {},
        f"{MANAGED_ADMIN} and is assigned on production account 'production' to group 'g-outside', which this "
        "stack neither creates nor looks up by name; assign a group of identityCenter.groups",
    ),
    (
        "user",
        ("AdministratorAccess", "production", "u-1", "USER"),
        {},
        f"{MANAGED_ADMIN} and is assigned on production account 'production' to user 'u-1'; administrator access "
        "there goes to groups in allowedGroups only",
    ),
    (
        "production-by-tag",
        ("AdministratorAccess", "dev", "developers"),
        {"tags": {"environment": "production"}},
        f"{MANAGED_ADMIN} and is assigned on production account 'dev' to group 'developers', which is not in "
        "allowedGroups",
    ),
]


@pytest.mark.parametrize(
    ("assignment", "options", "expected"),
    [c[1:] for c in PRODUCTION_FIRING],
    ids=[c[0] for c in PRODUCTION_FIRING],
)
def test_production_admin_fires(assignment, options, expected):
    resources = with_assignment(*assignment, **options)
    assert check_stack(PRODUCTION, resources, PRODUCTION_CONFIG) == [(expected, ASSIGNMENT_URN)]


def test_an_account_whose_ou_cannot_be_told_is_undecided():
    resources = organization()
    resources["dev"].props["parentId"] = "ou-outside"  # an OU this stack does not manage
    reported = check_stack(
        PRODUCTION,
        [*resources.values(), assign(resources, "AdministratorAccess", "dev", "developers")],
        PRODUCTION_CONFIG,
    )
    assert reported == [
        (
            "permission set 'AdministratorAccess' on account 'dev' cannot be checked: the OU of the account is not "
            "known until the update runs",
            ASSIGNMENT_URN,
        )
    ]


@pytest.mark.parametrize(
    ("assignment", "config"),
    [
        (("AdministratorAccess", "production", "platform-admins"), None),
        (("AdministratorAccess", "production-eu", "platform-admins"), None),
        (("ReadOnlyAccess", "production", "developers"), None),
        (("AdministratorAccess", "dev", "developers"), None),
        (("AdministratorAccess", "production", "ext-devs"), {"allowedGroups": ["ext-devs"]}),
        (
            ("AdministratorAccess", "production", "developers"),
            {"productionOus": ["Prod"], "productionAccountTags": []},
        ),
        # The management account is management-admin-restricted's.
        (("AdministratorAccess", MANAGEMENT_ID, "developers"), None),
    ],
    ids=[
        "allowed-group",
        "allowed-group-child-ou",
        "not-admin",
        "not-production",
        "allowed-external",
        "no-production-ou",
        "management",
    ],
)
def test_production_admin_quiet(assignment, config):
    resources = with_assignment(*assignment)
    assert check_stack(PRODUCTION, resources, {**PRODUCTION_CONFIG, **(config or {})}) == []


# --- management-admin-restricted ----------------------------------------------------------------

MANAGEMENT = identity_center.management_admin_restricted
MANAGEMENT_CONFIG = {"allowedGroups": ["platform-admins"]}
WHOLE_ORGANIZATION = "; admin there is admin of the whole organization"

MANAGEMENT_FIRING = [
    # Item 3: admin on the management account used to pass every policy.
    (
        "management",
        ("AdministratorAccess", MANAGEMENT_ID, "developers"),
        f"{MANAGED_ADMIN} and is assigned on the management account {MANAGEMENT_ID} to group 'developers', which "
        f"is not in allowedGroups{WHOLE_ORGANIZATION}",
    ),
    (
        "admin-under-another-name",
        ("Operator", MANAGEMENT_ID, "ext-devs"),
        "permission set 'Operator' is admin (its inline policy is admin: it allows 'iam:*', which includes "
        f"iam:addusertogroup) and is assigned on the management account {MANAGEMENT_ID} to group 'ext-devs', "
        f"which is not in allowedGroups{WHOLE_ORGANIZATION}",
    ),
    # Positive facts only: an account the stack does not manage as a member may be the management account.
    (
        "account-not-managed-by-the-stack",
        ("AdministratorAccess", "444444444444", "developers"),
        f"{MANAGED_ADMIN} and is assigned on account 444444444444, which this stack does not manage as a member, "
        f"to group 'developers', which is not in allowedGroups{WHOLE_ORGANIZATION}",
    ),
]


@pytest.mark.parametrize(
    ("assignment", "expected"), [c[1:] for c in MANAGEMENT_FIRING], ids=[c[0] for c in MANAGEMENT_FIRING]
)
def test_management_admin_fires(assignment, expected):
    assert check_stack(MANAGEMENT, with_assignment(*assignment), MANAGEMENT_CONFIG) == [
        (expected, ASSIGNMENT_URN)
    ]


def test_an_assignment_whose_account_cannot_be_told_is_undecided():
    assignment = assign(organization(), "AdministratorAccess", "nowhere", "developers")
    assignment.props["targetId"] = UNKNOWN
    assert check_stack(MANAGEMENT, [*organization().values(), assignment], MANAGEMENT_CONFIG) == [
        (
            "permission set 'AdministratorAccess' in assignment 'assignment' cannot be checked: targetId is not "
            "known until the update runs",
            ASSIGNMENT_URN,
        )
    ]


@pytest.mark.parametrize(
    "assignment",
    [
        ("AdministratorAccess", MANAGEMENT_ID, "platform-admins"),
        ("ReadOnlyAccess", MANAGEMENT_ID, "developers"),
        ("AdministratorAccess", "dev", "developers"),
        ("AdministratorAccess", "production", "developers"),
    ],
    ids=["allowed-group", "not-admin", "member-account", "production-is-the-other-policy-s"],
)
def test_management_admin_quiet(assignment):
    assert check_stack(MANAGEMENT, with_assignment(*assignment), MANAGEMENT_CONFIG) == []


# --- through `lz plan` on a patched stack file --------------------------------------------------


def test_lz_plan_names_a_looked_up_group_given_admin_in_a_child_production_ou(capsys, tmp_path):
    """Items 4 and 9 end to end: the dev stack's groups come from an external identity provider
    (identitySource external), and its workload account moves under Workloads/Production/Eu."""
    values = read_stack_file(PROJECT_DIR / "Pulumi.dev.yaml")
    values["landing-zone:organizationalUnits"] += [
        {"path": "Workloads/Production"},
        {"path": "Workloads/Production/Eu"},
    ]
    for account in values["landing-zone:accounts"]:
        if account["name"] == "workload":
            account["ou"] = "Workloads/Production/Eu"
    values["landing-zone:identityCenter"]["access"].append(
        {
            "group": "aws-lab-finance",
            "permissionSets": ["AdministratorAccess"],
            "organizationalUnits": ["Workloads/Production"],
        }
    )
    stack = write_stack(tmp_path, values, "Pulumi.lab.yaml")
    enforcement = tmp_path / "policy.json"
    enforcement.write_text(
        json.dumps(
            {
                "all": "disabled",
                "production-admin-restricted": {
                    "enforcementLevel": "mandatory",
                    "productionOus": ["Production"],
                    "allowedGroups": ["aws-lab-admins"],
                },
            }
        )
    )
    code, out, err = run_lz(capsys, "plan", "--config-file", str(stack), "--policy-config", str(enforcement))
    assert (code, err) == (1, "")
    assert out[out.index("\nPolicies (") :].splitlines()[1:] == [
        f"Policies (landing-zone-policies, {enforcement}): 1 violation, 1 mandatory",
        "  [mandatory] production-admin-restricted: aws:ssoadmin/accountAssignment:AccountAssignment "
        "'workload-g-aws-lab-finance-AdministratorAccess'",
        f"      {MANAGED_ADMIN} and is assigned on production account 'workload' to group 'aws-lab-finance', which "
        "is not in allowedGroups",
    ]


def test_an_assignment_whose_permission_set_cannot_be_told_is_undecided():
    resources = organization()
    assignment = assign(resources, "AdministratorAccess", "production", "developers")
    assignment.props["permissionSetArn"] = UNKNOWN
    assignment.dependencies.remove(resources["AdministratorAccess"])
    assert check_stack(PRODUCTION, [*resources.values(), assignment], PRODUCTION_CONFIG) == [
        (
            "assignment 'assignment' cannot be checked: permissionSetArn is not known until the update runs",
            ASSIGNMENT_URN,
        )
    ]
