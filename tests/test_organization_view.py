"""The organization as the stack's own resources show it: roles, accounts, OU paths, the management account."""

from __future__ import annotations

import json

import pytest
from pulumi_policy import StackValidationArgs

from landing_zone.resource_types import ACCOUNT, ORGANIZATION
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from tests.policy_builders import UNKNOWN, stack_resource

from lz_policies.organization_view import (  # isort: skip
    ROOT_PATH,
    OrganizationView,
    in_subtree,
    last_role_account,
)
from lz_policies.props import UNKNOWN as VIEW_UNKNOWN  # isort: skip
from lz_policies.stack import resources_of  # isort: skip

PROVIDER = "pulumi:providers:aws"


def view_of(*resources, management_ids=()) -> OrganizationView:
    return OrganizationView(resources_of(StackValidationArgs(list(resources), {})), management_ids)


@pytest.mark.parametrize(
    ("path", "wanted", "expected"),
    [
        ("Workloads/Production", ["Production"], True),
        ("Workloads/Production/Team", ["Workloads/Production"], True),
        ("Workloads/ProductionLike", ["Workloads/Production"], False),
        ("Sandbox", ["Workloads/Production"], False),
        (ROOT_PATH, ["Production"], False),
    ],
)
def test_in_subtree(path, wanted, expected):
    assert in_subtree(path, wanted) is expected


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({}, None),
        ({"assumeRoles": json.dumps([{"roleArn": "arn:aws:iam::111111111111:role/A"}])}, "111111111111"),
        ({"assumeRole": json.dumps({"roleArn": "arn:aws:iam::111111111111:role/A"})}, "111111111111"),
        (
            {
                "assumeRoles": json.dumps(
                    [
                        {"roleArn": "arn:aws:iam::111111111111:role/A"},
                        {"roleArn": "arn:aws:iam::222222222222:role/B"},
                    ]
                )
            },
            "222222222222",
        ),
        ({"assumeRoles": json.dumps([{"roleArn": "not-an-arn"}])}, ""),
    ],
    ids=["no-role", "list-shape", "single-shape", "chain-last-hop", "not-an-arn"],
)
def test_last_role_account(props, expected):
    assert last_role_account(props) == expected


def test_last_role_account_is_unknown_while_the_role_is():
    assert last_role_account({"assumeRoles": VIEW_UNKNOWN}) is VIEW_UNKNOWN


def test_management_and_member_ids_come_from_the_stacks_own_resources():
    view = view_of(
        stack_resource(ORGANIZATION, "org", {"masterAccountId": "999999999999"}),
        stack_resource(PROVIDER, "pinned", {"allowedAccountIds": json.dumps(["888888888888"])}),
        stack_resource(
            PROVIDER,
            "member",
            {
                "allowedAccountIds": json.dumps(["111111111111"]),
                "assumeRoles": json.dumps([{"roleArn": "arn:aws:iam::111111111111:role/A"}]),
            },
        ),
        stack_resource(ACCOUNT, "audit", {"name": "audit", "id": "111111111111"}),
        stack_resource(ACCOUNT, "payer", {"name": "payer", "id": "888888888888"}),
        stack_resource(ACCOUNT, "new", {"name": "new", "id": UNKNOWN}),
        management_ids=["777777777777"],
    )
    assert view.management_ids == {"999999999999", "888888888888", "777777777777"}
    assert view.member_ids() == {"111111111111"}


def test_a_provider_depends_on_the_one_account_created_in_this_update():
    new = stack_resource(ACCOUNT, "new", {"name": "new", "id": UNKNOWN})
    ready = stack_resource("pulumi-python:dynamic:Resource", "new-ready", {}, dependencies=[new])
    provider = stack_resource(PROVIDER, "new-member", {"assumeRoles": UNKNOWN}, dependencies=[ready])
    other = stack_resource(ACCOUNT, "other", {"name": "other", "id": "111111111111"})
    both = stack_resource(PROVIDER, "both", {"assumeRoles": UNKNOWN}, dependencies=[ready, other])
    view = view_of(new, ready, provider, other, both)
    found = view.depends_on_account(view.resource(provider.urn))
    assert found is not None and found.name == "new"
    assert view.depends_on_account(view.resource(both.urn)) is None


def test_ou_paths_reach_the_root_including_one_the_stack_creates():
    workloads = stack_resource(OU, "Workloads", {"name": "Workloads", "parentId": "r-abcd", "id": "ou-w"})
    production = stack_resource(OU, "Production", {"name": "Production", "parentId": "ou-w", "id": "ou-p"})
    new_org = stack_resource(ORGANIZATION, "org", {})
    fresh = stack_resource(
        OU, "Fresh", {"name": "Fresh", "parentId": UNKNOWN}, property_dependencies={"parentId": [new_org]}
    )
    lost = stack_resource(OU, "Lost", {"name": "Lost", "parentId": UNKNOWN})
    view = view_of(workloads, production, new_org, fresh, lost)
    paths = {unit.name: view.ou_path(unit) for unit in view.units}
    assert paths == {
        "Workloads": "Workloads",
        "Production": "Workloads/Production",
        "Fresh": "Fresh",
        "Lost": None,
    }
