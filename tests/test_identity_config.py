"""`landing-zone:identityCenter`: problems reported under their key, and access rule expansion."""

from __future__ import annotations

import pytest

from landing_zone.config import load_from_mapping
from landing_zone.config.identity import AccessGrant, expand_access, session_seconds
from tests.builders import stack_values
from tests.helpers import problem_table, problems_of

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def identity(**changes):
    base = {
        "permissionSets": [
            {"name": "AdministratorAccess", "managedPolicies": [ADMIN]},
            {"name": "ReadOnlyAccess", "managedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]},
        ],
        "users": [
            {"userName": "alice", "givenName": "Alice", "familyName": "M", "email": "alice@acme-corp.io"}
        ],
        "groups": [{"name": "Platform", "members": ["alice"]}, {"name": "Auditors"}],
        "access": [
            {"group": "Platform", "permissionSets": ["AdministratorAccess"], "allMemberAccounts": True}
        ],
    }
    base.update(changes)
    return base


def values_with(accounts=None, **changes):
    return stack_values(
        organizational_units=[
            {"path": "Security"},
            {"path": "Workloads"},
            {"path": "Workloads/Production"},
            {"path": "Workloads/Production/Eu"},
        ],
        accounts=accounts
        if accounts is not None
        else [
            {"name": "audit", "ou": "Security"},
            {"name": "production", "ou": "Workloads/Production"},
            {"name": "production-eu", "ou": "Workloads/Production/Eu"},
            {"name": "shared"},
        ],
        identityCenter=identity(**changes),
    )


def permission_set(**fields):
    return [{"name": "AdministratorAccess", "managedPolicies": [ADMIN], **fields}]


KEY = "landing-zone:identityCenter"
PLACEHOLDER_USER = {"userName": "bob", "givenName": "Bob", "familyName": "K", "email": "bob@example.com"}


def values_with_organization(changes, **identity_changes):
    values = values_with(**identity_changes)
    values["landing-zone:organization"].update(changes)
    return values


def production(values):
    values["landing-zone:organization"]["production"] = True
    return values


CASES = [
    (
        "Identity Center in an organization this stack creates (no instance exists yet)",
        values_with_organization({"create": True}),
        [
            f"{KEY}: a new organization (organization.create) has no Identity Center instance yet: "
            "1) run pulumi up without identityCenter; 2) enable IAM Identity Center in the management "
            "account's console; 3) add identityCenter with import: {instanceArn, identityStoreId} from "
            "its Settings page, then run pulumi up again"
        ],
    ),
    (
        "Identity Center without its trusted access",
        values_with_organization({"awsServiceAccessPrincipals": ["account.amazonaws.com"]}),
        [
            f"{KEY}: Identity Center needs trusted access: "
            "add sso.amazonaws.com to organization.awsServiceAccessPrincipals"
        ],
    ),
    (
        "a user at a placeholder domain in a production stack (the rule every address follows)",
        production(values_with(users=[PLACEHOLDER_USER], groups=[{"name": "Platform"}])),
        [
            f"{KEY}.users[0].email: 'bob@example.com' uses the placeholder domain example.com, "
            "refused in a production stack (organization.production is true)"
        ],
    ),
    (
        "a user email over AWS's 64 characters and one that is not an address",
        values_with(
            users=[
                {**PLACEHOLDER_USER, "email": f"{'b' * 60}@acme-corp.io"},
                {**PLACEHOLDER_USER, "userName": "carol", "email": "carol at acme"},
            ],
            groups=[{"name": "Platform"}],
        ),
        [
            f"{KEY}.users[0].email: '{'b' * 60}@acme-corp.io' is 73 characters; AWS allows at most 64",
            f"{KEY}.users[1].email: 'carol at acme' is not a valid email address",
        ],
    ),
    (
        "unknown permission set, group, account and OU in a rule",
        values_with(
            access=[
                {
                    "group": "Platfrom",
                    "permissionSets": ["AdministratorAccess", "PowerUser"],
                    "accounts": ["prod"],
                    "organizationalUnits": ["Workload"],
                }
            ]
        ),
        [
            f"{KEY}.access[0].group: group 'Platfrom' is not defined in identityCenter.groups",
            f"{KEY}.access[0].permissionSets[1]: permission set 'PowerUser' is not defined in identityCenter.permissionSets",
            f"{KEY}.access[0].accounts[0]: account 'prod' is not defined in accounts (the management account is 'management')",
            f"{KEY}.access[0].organizationalUnits[0]: OU 'Workload' is not defined in organizationalUnits",
        ],
    ),
    (
        "rule without a target",
        values_with(access=[{"group": "Platform", "permissionSets": ["AdministratorAccess"]}]),
        [f"{KEY}.access[0]: names no target: set accounts, organizationalUnits or allMemberAccounts"],
    ),
    (
        "session duration not ISO-8601",
        values_with(permissionSets=permission_set(sessionDuration="12h")),
        [f"{KEY}.permissionSets[0].sessionDuration: '12h' is not an ISO-8601 duration like PT8H or PT1H30M"],
    ),
    (
        "session duration above 12 hours",
        values_with(permissionSets=permission_set(sessionDuration="PT12H1M")),
        [
            f"{KEY}.permissionSets[0].sessionDuration: 'PT12H1M' is longer than PT12H, the Identity Center maximum"
        ],
    ),
    (
        "session duration below 1 hour",
        values_with(permissionSets=permission_set(sessionDuration="PT30M")),
        [
            f"{KEY}.permissionSets[0].sessionDuration: 'PT30M' is shorter than PT1H, the Identity Center minimum"
        ],
    ),
    (
        "inline policy that is not JSON",
        values_with(
            permissionSets=permission_set(inlinePolicy='{"Version": "2012-10-17",\n "Statement": [}')
        ),
        [f"{KEY}.permissionSets[0].inlinePolicy: is not valid JSON: Expecting value (line 2 column 16)"],
    ),
    (
        "inline policy that is JSON but not a policy",
        values_with(permissionSets=permission_set(inlinePolicy='["s3:*"]')),
        [f"{KEY}.permissionSets[0].inlinePolicy: must be a JSON policy document: an object with a Statement"],
    ),
    (
        "inline policy above the size limit",
        values_with(
            permissionSets=permission_set(inlinePolicy='{"Statement": [], "Sid": "' + "x" * 32760 + '"}')
        ),
        [f"{KEY}.permissionSets[0].inlinePolicy: is 32788 characters; Identity Center allows at most 32768"],
    ),
    (
        "customer managed policy given as a managed policy ARN",
        values_with(permissionSets=permission_set(managedPolicies=["arn:aws:iam::123456789012:policy/Mine"])),
        [
            f"{KEY}.permissionSets[0].managedPolicies[0]: 'arn:aws:iam::123456789012:policy/Mine' is not an "
            "AWS managed policy ARN like arn:aws:iam::aws:policy/ReadOnlyAccess "
            "(customer managed policies go in customerManagedPolicies)"
        ],
    ),
    (
        "permissions boundary with both kinds",
        values_with(
            permissionSets=permission_set(
                permissionsBoundary={"managedPolicyArn": ADMIN, "customerManagedPolicy": {"name": "Boundary"}}
            )
        ),
        [
            f"{KEY}.permissionSets[0].permissionsBoundary: set exactly one of managedPolicyArn and customerManagedPolicy"
        ],
    ),
    (
        "duplicate permission set and group",
        values_with(
            permissionSets=permission_set() * 2,
            groups=[{"name": "Platform"}, {"name": "Platform"}],
            users=[],
        ),
        [
            f"{KEY}.permissionSets[1].name: same name as permissionSets[0]",
            f"{KEY}.groups[1].name: same name as groups[0]",
        ],
    ),
    (
        "member who is not a user",
        values_with(groups=[{"name": "Platform", "members": ["alice", "bob"]}]),
        [f"{KEY}.groups[0].members[1]: user 'bob' is not defined in identityCenter.users"],
    ),
    (
        "users and members with an external identity provider",
        values_with(identitySource="external"),
        [
            f"{KEY}.users: cannot be set with identitySource external: users come from the identity provider",
            f"{KEY}.groups[0].members: cannot be set with identitySource external: "
            "the identity provider owns memberships",
        ],
    ),
    (
        "management account name that is also a member account",
        values_with(managementAccountName="Shared"),
        [
            f"{KEY}.managementAccountName: 'Shared' is also the name of accounts[3]; access rules could not tell them apart"
        ],
    ),
    (
        "bad region and start URL",
        values_with(region="Ireland", startUrl="acme.awsapps.com/start"),
        [
            f"{KEY}.region: 'Ireland' is not an AWS region code like eu-west-1",
            f"{KEY}.startUrl: 'acme.awsapps.com/start' is not an https URL like https://acme.awsapps.com/start",
        ],
    ),
    (
        "unknown key in a rule",
        values_with(
            access=[{"group": "Platform", "permissionSets": ["AdministratorAccess"], "account": ["audit"]}]
        ),
        [f"{KEY}.access[0].account: unknown key; did you mean 'accounts'?"],
    ),
    # Issue 11 item 3: admin on the management account is admin of the organization.
    (
        "admin on the management account for a group not in managementAdminGroups",
        values_with(
            access=[
                {
                    "group": "Auditors",
                    "permissionSets": ["ReadOnlyAccess", "AdministratorAccess"],
                    "accounts": ["management"],
                }
            ]
        ),
        [
            f"{KEY}.access[0].permissionSets[1]: gives group 'Auditors' permission set 'AdministratorAccess' on the "
            "management account 'management', and it carries the AWS managed policy AdministratorAccess; admin "
            "there is admin of the whole organization: list the group in identityCenter.managementAdminGroups if it "
            "should have it"
        ],
    ),
    (
        "admin under another name (an admin inline policy) on the management account, renamed",
        values_with(
            managementAccountName="root-account",
            permissionSets=[
                {
                    "name": "Operator",
                    "inlinePolicy": '{"Statement": [{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]}',
                }
            ],
            access=[
                {"group": "Platform", "permissionSets": ["Operator"], "accounts": ["audit", "root-account"]}
            ],
        ),
        [
            f"{KEY}.access[0].permissionSets[0]: gives group 'Platform' permission set 'Operator' on the management "
            "account 'root-account', and its inline policy is admin: it allows every action but its NotAction "
            "list, which leaves iam:addusertogroup; admin there is admin of the whole organization: list the group "
            "in identityCenter.managementAdminGroups if it should have it"
        ],
    ),
    (
        "an admin group that is not a group",
        values_with(managementAdminGroups=["Platfrom"]),
        [f"{KEY}.managementAdminGroups[0]: group 'Platfrom' is not defined in identityCenter.groups"],
    ),
]


@pytest.mark.parametrize(
    "changes",
    [
        {
            "managementAdminGroups": ["Platform"],
            "access": [
                {"group": "Platform", "permissionSets": ["AdministratorAccess"], "accounts": ["management"]}
            ],
        },
        {"access": [{"group": "Auditors", "permissionSets": ["ReadOnlyAccess"], "accounts": ["management"]}]},
        {"access": [{"group": "Auditors", "permissionSets": ["AdministratorAccess"], "accounts": ["audit"]}]},
        {
            "permissionSets": [
                {
                    "name": "Reader",
                    "inlinePolicy": '{"Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}',
                }
            ],
            "access": [{"group": "Auditors", "permissionSets": ["Reader"], "accounts": ["management"]}],
        },
    ],
    ids=["allow-listed", "not-admin", "member-account", "narrow-inline-policy"],
)
def test_management_admin_that_is_allowed_or_not_admin_validates(changes):
    assert problems_of(values_with(**changes)) == []


@problem_table(CASES)
def test_problem_is_reported_under_its_key(values, expected):
    assert problems_of(values) == expected


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        ("PT12H", 43200),
        ("PT1H30M", 5400),
        ("PT90M", 5400),
        ("PT3600S", 3600),
        ("P0DT4H", 14400),  # the full form AWS accepts
        ("P1D", 86400),  # read, then refused as longer than PT12H
        ("PT", None),
        ("P", None),
        ("PT1.5H", None),
        ("8h", None),
    ],
)
def test_session_durations_are_read_as_iso_8601(duration, seconds):
    assert session_seconds(duration) == seconds


def grants(*rules, accounts=None):
    config = load_from_mapping(values_with(accounts=accounts, access=list(rules)))
    return [
        (g.account, g.group, g.permission_set)
        for g in expand_access(config.identity_center, config.structure)
    ]


def test_an_ou_target_reaches_every_account_below_it_nested_included():
    rule = {"group": "Auditors", "permissionSets": ["ReadOnlyAccess"], "organizationalUnits": ["Workloads"]}
    assert grants(rule) == [
        ("production", "Auditors", "ReadOnlyAccess"),
        ("production-eu", "Auditors", "ReadOnlyAccess"),
    ]


def test_all_member_accounts_leaves_out_the_management_account():
    rule = {"group": "Auditors", "permissionSets": ["ReadOnlyAccess"], "allMemberAccounts": True}
    assert [g[0] for g in grants(rule)] == ["audit", "production", "production-eu", "shared"]
    explicit = {**rule, "accounts": ["management"]}
    assert [g[0] for g in grants(explicit)] == [
        "audit",
        "management",
        "production",
        "production-eu",
        "shared",
    ]


def test_overlapping_rules_give_each_triple_once():
    rules = [
        {"group": "Platform", "permissionSets": ["AdministratorAccess"], "allMemberAccounts": True},
        {
            "group": "Platform",
            "permissionSets": ["AdministratorAccess", "ReadOnlyAccess"],
            "accounts": ["audit"],
        },
        {"group": "Platform", "permissionSets": ["AdministratorAccess"], "organizationalUnits": ["Security"]},
        {"group": "Platform", "permissionSets": ["ReadOnlyAccess"], "accounts": ["audit", "audit"]},
    ]
    assert grants(*rules) == [
        ("audit", "Platform", "AdministratorAccess"),
        ("audit", "Platform", "ReadOnlyAccess"),
        ("production", "Platform", "AdministratorAccess"),
        ("production-eu", "Platform", "AdministratorAccess"),
        ("shared", "Platform", "AdministratorAccess"),
    ]


def test_logical_names_come_from_natural_keys():
    grant = AccessGrant(account="production", group="Platform", permission_set="ReadOnlyAccess")
    assert grant.logical_name == "production-g-Platform-ReadOnlyAccess"


def test_defaults():
    config = load_from_mapping(values_with())
    identity_center = config.identity_center
    assert identity_center is not None
    assert identity_center.permission_sets[0].session_duration == "PT12H"
    assert identity_center.management_account_name == "management"
    assert identity_center.region is None and identity_center.start_url is None
    assert identity_center.display_name_of(identity_center.users[0]) == "Alice M"
    assert load_from_mapping(stack_values()).identity_center is None
