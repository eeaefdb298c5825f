"""admin-identities-separate through the real pack over gRPC with `config.prod.json` (conftest's
`prod_pack`), on the prod stack's resources: quiet as it is, and one violation when one user
holds both kinds of group."""

from __future__ import annotations

import copy

import pytest

from landing_zone.policy_harness import Violation
from landing_zone.resource_types import IDENTITY_STORE_GROUP, IDENTITY_STORE_MEMBERSHIP, IDENTITY_STORE_USER


def _find(resources, type_, name):
    return next(r for r in resources if r.type == type_ and r.name == name)


def _join(resources, group: str, user_name: str) -> str:
    """A membership of `user_name` in `group`, made the way the program makes one."""
    template = _find(resources, IDENTITY_STORE_MEMBERSHIP, "Developers-bob@acme-corp.io")
    group_resource = _find(resources, IDENTITY_STORE_GROUP, f"group-{group}")
    user = _find(resources, IDENTITY_STORE_USER, f"user-{user_name}")
    membership = copy.deepcopy(template)
    membership.name = f"{group}-{user_name}"
    membership.urn = template.urn.replace(template.name, membership.name)
    for record in (membership.inputs, membership.outputs):
        record["groupId"] = group_resource.outputs["groupId"]
        record["memberId"] = user.outputs["userId"]
    membership.dependencies = [group_resource.urn, user.urn]
    membership.property_dependencies = {"groupId": [group_resource.urn], "memberId": [user.urn]}
    resources.append(membership)
    return membership.urn


def test_the_prod_stack_keeps_admin_and_daily_users_apart(prod_pack, planned):
    resources = copy.deepcopy(planned["prod"].resources)
    assert [v for v in prod_pack.analyze(resources) if v.policy == "admin-identities-separate"] == []


@pytest.mark.parametrize(
    ("group", "user", "message"),
    [
        (
            "Developers",
            "alice+admin@acme-corp.io",
            "user 'alice+admin@acme-corp.io' is a member of admin group 'Platform' (permission set "
            "'AdministratorAccess' on account 'audit': it carries the AWS managed policy AdministratorAccess) "
            "and of group 'Developers', meant for daily work; admin work needs a separate user (or list the "
            "user in allowedUsers)",
        ),
        (
            "Platform",
            "bob@acme-corp.io",
            "user 'bob@acme-corp.io' is a member of admin group 'Platform' (permission set "
            "'AdministratorAccess' on account 'audit': it carries the AWS managed policy AdministratorAccess) "
            "and of group 'Developers', meant for daily work; admin work needs a separate user (or list the "
            "user in allowedUsers)",
        ),
    ],
    ids=["admin-user-in-daily-group", "daily-user-in-admin-group"],
)
def test_one_user_in_both_kinds_of_group_is_refused(prod_pack, planned, group, user, message):
    resources = copy.deepcopy(planned["prod"].resources)
    urn = _join(resources, group, user)
    if group == "Platform":
        # bob's membership of Developers is the one meant for daily work.
        urn = _find(resources, IDENTITY_STORE_MEMBERSHIP, "Developers-bob@acme-corp.io").urn
    assert prod_pack.analyze(resources) == [Violation("admin-identities-separate", "mandatory", message, urn)]
