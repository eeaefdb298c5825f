"""admin-identities-separate called as the SDK calls it: a user in an admin group and a daily
group fires with its exact message; separate users, an allowed user and sandbox admin stay quiet."""

from __future__ import annotations

import pytest

from landing_zone.resource_types import (
    ACCOUNT,
    ACCOUNT_ASSIGNMENT,
    IDENTITY_STORE_GROUP,
    IDENTITY_STORE_MEMBERSHIP,
    IDENTITY_STORE_USER,
    MANAGED_POLICY_ATTACHMENT,
    PERMISSION_SET,
)
from tests.policy_builders import UNKNOWN, check_stack, stack_resource, urn_of

from lz_policies import identities  # isort: skip

ADMIN_ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-admin"
READ_ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-read"
POLICY = identities.admin_identities_separate


def stack(platform, developers, *, sandbox_admin=False, unknown_ids=False):
    """Platform: AdministratorAccess on production; Developers: ReadOnlyAccess there (and
    AdministratorAccess on a sandbox closed on deletion if asked). Members by user name."""
    production = stack_resource(ACCOUNT, "production", {"name": "production", "id": "111111111111"})
    sandbox = stack_resource(
        ACCOUNT, "sandbox", {"name": "sandbox", "id": "222222222222", "closeOnDeletion": True}
    )
    admin = stack_resource(PERMISSION_SET, "admin", {"name": "AdministratorAccess", "arn": ADMIN_ARN})
    read = stack_resource(PERMISSION_SET, "read", {"name": "ReadOnlyAccess", "arn": READ_ARN})
    attached = stack_resource(
        MANAGED_POLICY_ATTACHMENT,
        "admin-policy",
        {"permissionSetArn": ADMIN_ARN, "managedPolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
    )
    groups = {
        name: stack_resource(
            IDENTITY_STORE_GROUP, f"group-{name}", {"displayName": name, "groupId": f"g-{name}"}
        )
        for name in ("Platform", "Developers")
    }

    def assign(account, group, arn):
        return stack_resource(
            ACCOUNT_ASSIGNMENT,
            f"{account.name}-{group}-{arn[-4:]}",
            {
                "principalType": "GROUP",
                "principalId": f"g-{group}",
                "permissionSetArn": arn,
                "targetId": account.props["id"],
            },
        )

    resources = [production, sandbox, admin, read, attached, *groups.values()]
    resources += [assign(production, "Platform", ADMIN_ARN), assign(production, "Developers", READ_ARN)]
    if sandbox_admin:
        resources.append(assign(sandbox, "Developers", ADMIN_ARN))
    users = {}
    for name in dict.fromkeys([*platform, *developers]):
        users[name] = stack_resource(
            IDENTITY_STORE_USER, f"user-{name}", {"userName": name, "userId": f"u-{name}"}
        )
    resources += users.values()
    for group, members in (("Platform", platform), ("Developers", developers)):
        for name in members:
            props = {"groupId": f"g-{group}", "memberId": f"u-{name}"}
            deps = [groups[group], users[name]]
            if unknown_ids:
                props = {"groupId": UNKNOWN, "memberId": UNKNOWN}
            resources.append(
                stack_resource(
                    IDENTITY_STORE_MEMBERSHIP,
                    f"{group}-{name}",
                    props,
                    dependencies=deps,
                    property_dependencies={"groupId": [deps[0]], "memberId": [deps[1]]},
                )
            )
    return resources


WHY = (
    "permission set 'AdministratorAccess' on account 'production': it carries the AWS managed policy "
    "AdministratorAccess"
)
BOTH = (
    f"user 'alice@acme-corp.io' is a member of admin group 'Platform' ({WHY}) and of group 'Developers', "
    "meant for daily work; admin work needs a separate user (or list the user in allowedUsers)"
)
MEMBERSHIP_URN = urn_of(IDENTITY_STORE_MEMBERSHIP, "Developers-alice@acme-corp.io")


@pytest.mark.parametrize(
    ("resources", "config", "expected"),
    [
        (stack(["alice+admin@acme-corp.io"], ["alice@acme-corp.io"]), {"adminUserNames": "*+admin@*"}, []),
        (stack(["alice@acme-corp.io"], ["alice@acme-corp.io"]), None, [(BOTH, MEMBERSHIP_URN)]),
        # Known only by dependencies during the preview that creates them: still judged.
        (
            stack(["alice@acme-corp.io"], ["alice@acme-corp.io"], unknown_ids=True),
            None,
            [(BOTH, MEMBERSHIP_URN)],
        ),
        (stack(["alice@acme-corp.io"], ["alice@acme-corp.io"]), {"allowedUsers": ["alice@acme-corp.io"]}, []),
        # Admin of a disposable sandbox is daily work: Developers stays a daily group.
        (
            stack(["alice@acme-corp.io"], ["alice@acme-corp.io"], sandbox_admin=True),
            None,
            [(BOTH, MEMBERSHIP_URN)],
        ),
        # Naming admin identities is the config's warning: a user only in admin groups mixes nothing.
        (stack(["alice@acme-corp.io"], []), {"adminUserNames": "*+admin@*"}, []),
        (
            stack([], ["bob+admin@acme-corp.io"]),
            {"adminUserNames": "*+admin@*"},
            [
                (
                    "user 'bob+admin@acme-corp.io' is named as an admin identity ('*+admin@*', adminUserNames) "
                    "and is a member of group 'Developers', meant for daily work",
                    urn_of(IDENTITY_STORE_MEMBERSHIP, "Developers-bob+admin@acme-corp.io"),
                )
            ],
        ),
    ],
    ids=["separate", "both", "both-unknown-ids", "allowed", "sandbox-admin", "not-named", "named-in-daily"],
)
def test_admin_identities_separate(resources, config, expected):
    assert check_stack(POLICY, resources, config) == expected


def test_a_membership_whose_group_cannot_be_told_is_undecided():
    resources = stack(["alice@acme-corp.io"], [], unknown_ids=True)
    membership = next(r for r in resources if r.resource_type == IDENTITY_STORE_MEMBERSHIP)
    membership.dependencies = []
    membership.property_dependencies = {}
    assert check_stack(POLICY, resources) == [
        (
            "group membership 'Platform-alice@acme-corp.io' cannot be checked: groupId is not known until "
            "the update runs",
            membership.urn,
        )
    ]
