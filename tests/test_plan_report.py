"""The `lz plan` report: its JSON shape pinned (scripts read it), and its text drawn from typed parts."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from landing_zone.plan.access import AccessEntry, PermissionsBoundary, PermissionSetEntry, PolicyReference
from landing_zone.plan.policy import PolicyCheck, PolicyViolation, ResourceRef
from landing_zone.plan.render import render_text
from landing_zone.plan.report import OrganizationSummary, PlanReport, ResourceSummary
from landing_zone.resource_types import ACCOUNT
from tests.builders import stack_values
from tests.helpers import run_lz, write_stack
from tests.test_cli_policy import BROKEN_ACCOUNTS

# Every key in the order `lz plan --format json` prints it, and the JSON types of its values
# ("a|b" where entries differ); lists show the merged shape of their entries.
PROD_SHAPE: dict[str, Any] = {
    "lzPlanVersion": "int",  # the plan file format (landing_zone/plan/plan_json.py)
    "project": "str",
    "stack": "str",
    "organization": {"managed": "bool", "id": "str", "rootId": "str"},
    "organizationalUnits": ["str"],
    "accounts": [
        {
            "name": "str",
            "email": "str",
            "ou": "str",
            "id": "str",
            "closeOnDeletion": "bool",
            "import": "null",
            "state": "str",
        }
    ],
    "guardrails": [{"policy": "str", "policyType": "str", "target": "str", "targetType": "str"}],
    "budgets": [
        {
            "name": "str",
            "limitAmount": "str",
            "limitUnit": "str",
            "timeUnit": "str",
            "account": "null|str",
            "notifications": [{"type": "str", "threshold": "int"}],
            "subscribers": ["str"],
        }
    ],
    "resources": {"count": "int", "byType": {"<resource type>": "int"}},
    "diagnostics": [],
    "permissionSets": [
        {
            "name": "str",
            "arn": "str",
            "description": "str",
            "sessionDuration": "str",
            "managedPolicies": ["str"],
            "customerManagedPolicies": [],
            "inlinePolicy": "bool",
            "permissionsBoundary": "null",
        }
    ],
    "access": [{"group": "str", "permissionSet": "str", "account": "str"}],
    "refusals": [],
    "policy": {"pack": "str", "config": "str", "violations": []},
}
VIOLATIONS_SHAPE = {
    "pack": "str",
    "config": "null",
    "violations": [{"policy": "str", "level": "str", "message": "str", "urn": "str"}],
}


def shape(value: Any, key: str = "") -> Any:
    if key == "byType":
        return {"<resource type>": _merge([shape(v) for v in value.values()]) if value else []}
    if isinstance(value, dict):
        return {k: shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_merge([shape(v) for v in value])] if value else []
    return "null" if value is None else type(value).__name__


def _merge(shapes: list[Any]) -> Any:
    first = shapes[0]
    if isinstance(first, dict):
        assert all(list(s) == list(first) for s in shapes), shapes  # same keys, same order
        return {k: _merge([s[k] for s in shapes]) for k in first}
    if isinstance(first, list):
        elements = [e for s in shapes for e in s]
        return [_merge(elements)] if elements else []
    return "|".join(sorted(set(shapes)))


def test_prod_plan_json_keeps_its_keys_order_and_types(capsys):
    code, out, err = run_lz(capsys, "plan", "--stack", "prod", "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    # json.dumps keeps insertion order: comparing the dumps compares the key order too.
    assert json.dumps(shape(report), indent=1) == json.dumps(PROD_SHAPE, indent=1)
    assert out == json.dumps(report, indent=2) + "\n"


def test_policy_violations_keep_their_keys_order_and_types(capsys, tmp_path):
    stack = write_stack(tmp_path, stack_values(accounts=BROKEN_ACCOUNTS))
    code, out, _ = run_lz(capsys, "plan", "--config-file", str(stack), "--format", "json")
    assert code == 1
    policy = json.loads(out)["policy"]
    assert json.dumps(shape(policy), indent=1) == json.dumps(VIOLATIONS_SHAPE, indent=1)


def empty_report(**changes: Any) -> PlanReport:
    """A report of a stack with no resources, with `changes` to its fields."""
    base = PlanReport(
        project="landing-zone",
        stack="lab",
        organization=OrganizationSummary(managed=True, id="o-abcdefghij", root_id="r-abcd"),
        organizational_units=(),
        accounts=(),
        guardrails=(),
        budgets=(),
        resources=ResourceSummary(count=0, by_type=()),
        diagnostics=(),
        permission_sets=(),
        access=(),
    )
    return dataclasses.replace(base, **changes)


def policy_part(report: PlanReport) -> list[str]:
    text = render_text(report)
    return text[text.index("\nPolicies (") :].splitlines()


def test_violations_name_their_resource_else_their_urn_else_the_stack():
    account = ResourceRef(ACCOUNT, "production")
    check = PolicyCheck(
        pack="landing-zone-policies",
        enforcement_file=Path("policy/config.lab.json"),
        violations=(
            PolicyViolation(
                "account-lifecycle-safe", "mandatory", "first line\nsecond line", "urn:a", account
            ),
            PolicyViolation("alternate-contacts-complete", "advisory", "unplanned", "urn:elsewhere", None),
            PolicyViolation("account-emails-unique", "advisory", "of the stack", "", None),
        ),
    )
    report = empty_report(policy=check)
    assert policy_part(report) == [
        "",
        "Policies (landing-zone-policies, policy/config.lab.json): 3 violations, 1 mandatory",
        "  [mandatory] account-lifecycle-safe: aws:organizations/account:Account 'production'",
        "      first line",
        "      second line",
        "  [advisory] alternate-contacts-complete: urn:elsewhere",
        "      unplanned",
        "  [advisory] account-emails-unique: the stack",
        "      of the stack",
    ]
    assert report.has_mandatory_violations
    assert report.to_json()["policy"]["violations"][2] == {
        "policy": "account-emails-unique",
        "level": "advisory",
        "message": "of the stack",
        "urn": "",
    }


def test_one_advisory_violation_is_singular_and_does_not_block():
    check = PolicyCheck(
        pack="p", enforcement_file=None, violations=(PolicyViolation("x", "advisory", "m", "", None),)
    )
    report = empty_report(policy=check)
    assert policy_part(report)[1] == "Policies (p, the pack's default levels): 1 violation, 0 mandatory"
    assert not report.has_mandatory_violations


def test_without_the_pack_there_is_no_policy_part():
    report = empty_report()
    assert "policy" not in report.to_json()
    assert "Policies" not in render_text(report)
    assert not report.has_mandatory_violations


def test_permission_set_policies_keep_the_engines_form_in_json_and_read_as_names_in_text():
    boundary_ref = PolicyReference(name="Boundary", path="/limits/")
    permission_set = PermissionSetEntry(
        name="Developer",
        arn="arn:aws:sso:::permissionSet/ssoins-1/ps-1",
        description=None,
        session_duration=None,
        managed_policies=("arn:aws:iam::aws:policy/PowerUserAccess",),
        customer_managed_policies=(PolicyReference(name="Extras", path=None),),
        inline_policy=True,
        permissions_boundary=PermissionsBoundary(
            managed_policy_arn=None, customer_managed_policy=boundary_ref
        ),
    )
    report = empty_report(
        permission_sets=(permission_set,),
        access=(AccessEntry(group="Developers", permission_set="Developer", account="dev"),),
    )
    assert report.to_json()["permissionSets"][0] == {
        "name": "Developer",
        "arn": "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
        "description": None,
        "sessionDuration": None,
        "managedPolicies": ["arn:aws:iam::aws:policy/PowerUserAccess"],
        "customerManagedPolicies": [{"name": "Extras"}],
        "inlinePolicy": True,
        "permissionsBoundary": {"customerManagedPolicyReference": {"path": "/limits/", "name": "Boundary"}},
    }
    assert (
        "Permission sets (IAM Identity Center)\n"
        "  Developer  PT1H   PowerUserAccess, /Extras (customer managed), inline policy, permissions boundary\n"
        "\n"
        "Access: group -> account: permission sets\n"
        "  Developers\n"
        "    dev  Developer\n"
    ) in render_text(report)
