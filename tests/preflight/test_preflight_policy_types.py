"""`lz preflight`'s policies-per-target counts each policy type against its own quota, AWS's own
policy of the type included, from a hand-made live organization (the check reads no AWS)."""

from __future__ import annotations

from landing_zone.config import load_from_mapping
from landing_zone.live.organization import LiveOrganization, LivePolicy
from landing_zone.live.preflight.imports import policies
from landing_zone.live.preflight.model import Preflight
from landing_zone.live.preflight.quotas import policies_per_target
from tests.builders import custom_policies, stack_values

ROOT = "r-ab12"
RCP, SCP = "RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY"


def preflight(guardrails, live_policies) -> Preflight:
    config = load_from_mapping(
        stack_values(
            organization_changes={"enabledPolicyTypes": [SCP, RCP, "TAG_POLICY"]},
            organizational_units=[],
            accounts=[],
            guardrails=guardrails,
        )
    )
    live = LiveOrganization(
        id="o-abcdefghij", feature_set="ALL", management_account_id="111111111111", management_email="",
        root_id=ROOT, enabled_policy_types=(SCP, RCP, "TAG_POLICY"), service_access_principals=(),
        organizational_units=(), accounts=(), policies=tuple(live_policies),
    )  # fmt: skip
    return Preflight(clients=None, config=config, home_region="eu-west-1", live=live)  # type: ignore[arg-type]


AWS_OWN = [
    LivePolicy("p-FullAWSAccess", "FullAWSAccess", SCP, True, (ROOT,)),
    LivePolicy("p-RCPFullAWSAccess", "RCPFullAWSAccess", RCP, True, (ROOT,)),
]


OLD_RCP = LivePolicy("p-oldrcp0000", "old-rcp", RCP, False, (ROOT,), "", "{}")


def test_each_type_is_counted_against_its_own_quota():
    stack = (
        custom_policies(3, RCP, root=True)
        + custom_policies(8, root=True)
        + custom_policies(2, "TAG_POLICY", root=True)
    )
    results = policies_per_target(preflight(stack, [*AWS_OWN, OLD_RCP]))
    rcps = "RCPFullAWSAccess, old-rcp, resource-1, resource-2, resource-3"
    scps = "FullAWSAccess, " + ", ".join(f"service-{n}" for n in range(1, 9))
    assert sorted((r.status, r.subject, r.detail) for r in results) == [
        ("ready", f"the root ({ROOT})", "2 of 10 tag policies (tag-1, tag-2)"),
        ("ready", f"the root ({ROOT})", f"5 of 5 resource control policies ({rcps})"),
        ("ready", f"the root ({ROOT})", f"9 of 10 ({scps})"),
    ]


def test_one_resource_control_policy_over_is_blocked_with_the_detach_command():
    results = policies_per_target(preflight(custom_policies(4, RCP, root=True), [*AWS_OWN, OLD_RCP]))
    assert [(r.status, r.detail, r.fix) for r in results] == [
        (
            "blocked",
            "would have 6 resource control policies (RCPFullAWSAccess, old-rcp, resource-1, resource-2, "
            "resource-3, resource-4); AWS allows 5, RCPFullAWSAccess included",
            f"detach what the stack does not manage (aws organizations detach-policy --policy-id p-oldrcp0000 "
            f"--target-id {ROOT}), or attach fewer guardrails there",
        )
    ]


def test_an_import_of_a_policy_of_another_type_is_blocked_not_replaced():
    tags = LivePolicy("p-tags000000", "team-tags", "TAG_POLICY", False, (ROOT,), "", "{}")
    adopting = custom_policies(1, root=True)
    adopting[0] |= {"name": "team-tags", "import": {"policy": "p-tags000000", "attachments": [ROOT]}}
    creating = custom_policies(1, root=True)
    creating[0] |= {"name": "team-tags"}
    assert [(r.status, r.detail, r.fix) for r in policies(preflight(adopting, [tags]))] == [
        (
            "blocked",
            "p-tags000000 is a TAG_POLICY; this entry is a SERVICE_CONTROL_POLICY, and importing it as one "
            "would replace it",
            "set guardrails[0].type: TAG_POLICY, or import another policy",
        )
    ]
    assert [(r.status, r.detail, r.fix) for r in policies(preflight(creating, [tags]))] == [
        (
            "blocked",
            "the name is taken by p-tags000000, a TAG_POLICY; this entry is a SERVICE_CONTROL_POLICY",
            "set guardrails[0].name to another name",
        )
    ]
