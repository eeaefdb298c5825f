"""The large-config generator (benchmarks/) at a small N, and the stack policies on its resources.

Not timed: these pin what the benchmarks measure (a valid config, the assignments it implies)
and that the indexed lookups in the stack policies find the same resources a scan would.
"""

from __future__ import annotations

import copy
import sys

import pytest

from benchmarks.large_config import large_stack_values, policy_enforcement
from landing_zone.config import load_from_mapping
from landing_zone.config.identity import expand_access
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.policy_harness import PolicyPack, PolicyPackError, run_policy_pack
from landing_zone.resource_types import ALTERNATE_CONTACT as CONTACT
from tests.conftest import PROJECT_DIR
from tests.policy_builders import PACK_DIR, UNKNOWN

ACCOUNTS = 20


@pytest.fixture(scope="module")
def scale_plan() -> PlanResult:
    return run_program(PROJECT_DIR, "landing-zone", "bench", large_stack_values(ACCOUNTS))


def test_generated_config_validates_and_implies_the_expected_assignments():
    config = load_from_mapping(large_stack_values(ACCOUNTS))
    assert len(config.accounts) == ACCOUNTS
    grants = expand_access(config.identity_center, config.structure)
    by_group: dict[str, int] = {}
    for grant in grants:
        by_group[grant.group] = by_group.get(grant.group, 0) + 1
    # Two sets on every member account, plus AdministratorAccess on the management account.
    assert by_group["Platform"] == 2 * ACCOUNTS + 1
    assert by_group["Security"] == 2 * ACCOUNTS
    # ViewOnlyAccess everywhere, ReadOnlyAccess on the two Security accounts.
    assert by_group["Auditors"] == ACCOUNTS + 2
    assert by_group["Finance"] == 1
    assert ("management", "Finance", "Billing") in {(g.account, g.group, g.permission_set) for g in grants}


def test_generated_config_at_every_benchmark_size_validates():
    for accounts in (100, 250, 500, 1000):
        assert len(load_from_mapping(large_stack_values(accounts)).accounts) == accounts


def test_pack_is_quiet_on_the_generated_stack(scale_plan):
    values = large_stack_values(ACCOUNTS)
    assert (
        run_policy_pack(PACK_DIR, "landing-zone", "bench", values, scale_plan.resources, policy_enforcement())
        == []
    )


def test_production_admin_fires_once_per_production_account_when_no_group_is_allowed(scale_plan):
    values = large_stack_values(ACCOUNTS)
    enforcement = policy_enforcement()
    enforcement["production-admin-restricted"] = {"productionOus": ["Production"], "allowedGroups": []}
    violations = run_policy_pack(PACK_DIR, "landing-zone", "bench", values, scale_plan.resources, enforcement)
    production = sorted(a["name"] for a in values["landing-zone:accounts"] if a["ou"].endswith("/Production"))
    assert production
    assert sorted(v.message for v in violations) == sorted(
        "permission set 'AdministratorAccess' is admin (it carries the AWS managed policy AdministratorAccess) "
        f"and is assigned on production account '{name}' to group 'Platform', which is not in allowedGroups"
        for name in production
    )


def test_a_missing_contact_is_found_among_many_accounts_by_value_and_by_dependency(scale_plan):
    resources = copy.deepcopy(scale_plan.resources)
    # Drop one account's security contact; make another's contacts point at an unknown id,
    # so that only their dependency on the account says whose they are.
    dropped = next(r for r in resources if r.type == CONTACT and r.name == "app0003-production-security")
    resources.remove(dropped)
    for contact in resources:
        if contact.type == CONTACT and contact.name.startswith("app0007-nonproduction-"):
            contact.outputs["accountId"] = UNKNOWN
    violations = run_policy_pack(
        PACK_DIR, "landing-zone", "bench", large_stack_values(ACCOUNTS), resources, policy_enforcement()
    )
    assert [(v.policy, v.message) for v in violations] == [
        ("alternate-contacts-complete", "account 'app0003-production' has no SECURITY alternate contact")
    ]


def test_plan_skips_stack_traces_only_while_the_program_runs(scale_plan):
    from pulumi.runtime import resource as runtime_resource

    # The fixture ran the program: Pulumi's own function is back for whatever runs next.
    assert runtime_resource._get_stack_trace.__module__ == "pulumi.runtime.resource"
    assert runtime_resource._get_stack_trace.__name__ == "_get_stack_trace"


def _resource(name: str, props: dict, dependencies: tuple[str, ...] = ()):
    from lz_policies.stack import Resource

    return Resource(type="t", name=name, urn=f"urn:{name}", props=props, dependencies=list(dependencies))


@pytest.mark.parametrize(
    ("props", "dependencies", "expected"),
    [
        ({"ref": "id-1"}, (), "first"),  # two candidates carry id-1: the first in stack order, as a scan
        ({"ref": "arn-2"}, (), "second"),
        ({"ref": UNKNOWN}, ("urn:second", "urn:other"), "second"),  # unknown value: by dependency
        ({"ref": "id-missing"}, ("urn:second",), "second"),
        ({"ref": UNKNOWN}, ("urn:first", "urn:second"), None),  # two dependencies: cannot tell
        ({"ref": UNKNOWN}, (), None),
    ],
)
def test_references_find_what_a_scan_would(props, dependencies, expected):
    from lz_policies.stack import References

    candidates = [
        _resource("first", {"id": "id-1", "arn": "arn-1"}),
        _resource("second", {"id": "id-1", "arn": "arn-2"}),
    ]
    found = References(candidates).of(_resource("pointer", props, dependencies), "ref")
    assert (found.name if found else None) == expected


@pytest.mark.skipif(sys.platform != "linux", reason="Linux caps one environment variable at 128 KiB")
def test_a_config_too_large_for_the_pack_environment_is_reported_not_raised():
    values = {"aws:region": "eu-west-1", "landing-zone:notes": "x" * 140_000}
    with pytest.raises(PolicyPackError) as raised:
        PolicyPack(PACK_DIR, "landing-zone", "bench", values)
    message = str(raised.value)
    assert message.startswith("the policy pack did not start: the stack's config is 140,")
    assert "(pulumi/pulumi#20402)" in message
