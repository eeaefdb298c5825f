"""The real program under mocks as strict as AWS: what `lz plan` reports AWS would refuse, and exits 1 on.

The example stacks and the generated large stacks plan with no refusal; stacks that config
validation accepts but AWS would not are refused, each registration named with the rule's
words and source. The looked-up organization is a `MockOrganization` the tests can change.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from benchmarks.large_config import large_stack_values
from landing_zone import principals
from landing_zone.plan.aws_rules import RULES
from landing_zone.plan.mocks import MockOrganization
from landing_zone.plan.render import render_text
from landing_zone.plan.report import build_report
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.plan.stack import report_stack, run_stack
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, problems_of, run_lz, write_stack

IDENTITY_CENTER = {
    "permissionSets": [{"name": "Admin", "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"]}],
    "groups": [{"name": "Platform"}],
    "access": [{"group": "Platform", "permissionSets": ["Admin"], "allMemberAccounts": True}],
}
WORDS = {rule.id: rule.words for rule in RULES}
SOURCES = {rule.id: rule.source for rule in RULES}


def plan(values: dict[str, Any], organization: MockOrganization | None = None) -> PlanResult:
    return run_program(PROJECT_DIR, "landing-zone", "test", values, organization)


def refused(result: PlanResult) -> list[tuple[str, str, str]]:
    return [(r.rule, r.type, r.name) for r in result.refusals]


def test_the_dev_stack_plans_with_no_refusal(planned):
    assert planned["dev"].refusals == []


def test_the_prod_stack_plans_with_no_refusal(planned):
    assert [(r.rule, r.name, r.message) for r in planned["prod"].refusals] == []


def test_the_generated_large_stack_plans_with_no_refusal():
    result = plan(large_stack_values(20))
    assert len(result.resources) > 500
    assert result.refusals == []


@pytest.mark.parametrize(
    ("values", "organization", "stopped_by"),
    [
        (
            stack_values(),
            MockOrganization(trusted_services=(principals.IDENTITY_CENTER,)),
            "account.amazonaws.com has no trusted access",
        ),
        (
            stack_values(guardrails=[{"guardrail": "deny-leaving-organization", "root": True}]),
            MockOrganization(enabled_policy_types=()),
            "SERVICE_CONTROL_POLICY is not enabled on the root",
        ),
    ],
    ids=["contacts-without-trusted-access", "guardrails-without-scps"],
)
def test_a_looked_up_organization_lacking_a_prerequisite_stops_the_program_before_aws_would(
    values, organization, stopped_by
):
    # The mocks' rules (contact-trusted-access, policy-type-enabled) stay as a backstop; the
    # program checks the looked-up organization first, as pulumi preview would.
    with pytest.raises(pulumi.RunError) as stopped:
        plan(values, organization)
    assert stopped_by in str(stopped.value)


def test_an_organization_without_identity_center_refuses_the_lookup_and_plans_the_rest():
    values = stack_values(identityCenter=IDENTITY_CENTER)
    result = plan(values, MockOrganization(identity_center_instance=False))
    assert [(r.rule, r.type, r.name, r.message) for r in result.refusals] == [
        (
            "identity-center-instance",
            "aws:ssoadmin/getInstances:getInstances",
            "",
            "no IAM Identity Center instance: the organization has none",
        )
    ]
    # Every other problem is still found: the assignments were registered and judged.
    assert len(result.of_type("aws:ssoadmin/accountAssignment:AccountAssignment")) == 2


def test_an_imported_organization_keeps_its_identity_center_instance():
    values = stack_values(organization_changes={"import": "o-abcdefghij"}, identityCenter=IDENTITY_CENTER)
    assert plan(values).refusals == []


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        (
            stack_values(
                organization_changes={
                    "create": True,
                    "awsServiceAccessPrincipals": [principals.IDENTITY_CENTER],
                },
                identityCenter=IDENTITY_CENTER,
            ),
            "landing-zone:identityCenter: a new organization (organization.create) has no Identity Center",
        ),
        (
            stack_values(organization_changes={"name": "1acme"}, baseline={}),
            "landing-zone:organization.name: '1acme' gives the access analyzer name '1acme-account'",
        ),
        (
            stack_values(
                accounts=[{"name": "team:data", "email": "team-data@acme-corp.io"}],
                budgets={"accounts": [{"account": "team:data", "monthlyLimit": 10}]},
            ),
            "landing-zone:accounts[0].name: gives the budget name 'acme-team:data-monthly'",
        ),
    ],
    ids=["identity-center-in-a-new-organization", "analyzer-name", "budget-name"],
)
def test_what_aws_would_refuse_validation_refuses_first_under_the_key_to_change(values, problem):
    assert any(found.startswith(problem) for found in problems_of(values)), problems_of(values)


TRAIL_STACK = stack_values(
    organization_changes={
        "awsServiceAccessPrincipals": [principals.ACCOUNT, principals.IDENTITY_CENTER, principals.CLOUDTRAIL]
    },
    accounts=[{"name": "log-archive"}],
    organizationTrail={"name": "acme--trail", "logArchiveAccount": "log-archive"},
)
TRAIL_WORDS = (
    "a trail name of 3 to 128 letters, digits, '.', '_' and '-', starting and ending with a letter or "
    "digit, without two of '.', '_', '-' in a row, not an IP address"
)


def test_a_trail_name_aws_refuses_is_refused_by_validation_under_the_same_rule():
    # One rule, two places it stops a stack: validation first, the mocks as a backstop.
    assert problems_of(TRAIL_STACK) == [
        f"landing-zone:organizationTrail.name: 'acme--trail' is not {TRAIL_WORDS}"
    ]
    assert WORDS["trail-name"] == f"A CloudTrail trail is named with {TRAIL_WORDS}."


@pytest.fixture
def no_identity_center(monkeypatch):
    """`lz plan` against an existing organization whose Identity Center was never enabled."""
    without = MockOrganization(identity_center_instance=False)

    def run_without(project_dir, project, stack, config, organization=None, **options):
        return run_program(project_dir, project, stack, config, without, **options)

    monkeypatch.setattr("landing_zone.plan.stack.run_program", run_without)


LOOKUP_MESSAGE_START = "the organization has no IAM Identity Center instance"


def test_lz_plan_prints_what_aws_would_refuse_and_exits_1(capsys, tmp_path, no_identity_center):
    stack = write_stack(tmp_path, stack_values(identityCenter=IDENTITY_CENTER))
    code, out, err = run_lz(capsys, "plan", "--config-file", str(stack), "--no-policy")
    assert (code, err) == (1, "")
    section = out[out.index("\nAWS would refuse this") :]
    assert section.startswith(
        "\nAWS would refuse this (`pulumi up` would fail on it):\n"
        "  [identity-center-instance] aws:ssoadmin/getInstances:getInstances (lookup)\n"
    )
    assert f"      source: {SOURCES['identity-center-instance']}\n" in section


def test_lz_plan_json_lists_the_refusals_with_their_rule_words_and_source(
    capsys, tmp_path, no_identity_center
):
    stack = write_stack(tmp_path, stack_values(identityCenter=IDENTITY_CENTER))
    code, out, _ = run_lz(capsys, "plan", "--config-file", str(stack), "--format", "json", "--no-policy")
    assert code == 1
    (refusal,) = json.loads(out)["refusals"]
    assert (refusal["rule"], refusal["type"], refusal["words"], refusal["source"]) == (
        "identity-center-instance",
        "aws:ssoadmin/getInstances:getInstances",
        WORDS["identity-center-instance"],
        SOURCES["identity-center-instance"],
    )


def test_lz_plan_of_a_stack_aws_accepts_has_no_refusal_section_and_exits_0(capsys):
    code, out, _ = run_lz(capsys, "plan", "--stack", "dev", "--no-policy")
    assert code == 0
    assert "AWS would refuse" not in out
    code, out, _ = run_lz(capsys, "plan", "--stack", "dev", "--no-policy", "--format", "json")
    assert (code, json.loads(out)["refusals"]) == (0, [])


def test_the_organization_lookup_answers_for_the_mock_organization():
    result = plan(stack_values(), MockOrganization())
    assert result.outputs["rootId"].startswith("r-")
    assert result.diagnostics == []
    # An organization without what the stack needs stops the program (pulumi preview would).
    lacking = MockOrganization(enabled_policy_types=(), trusted_services=(principals.IDENTITY_CENTER,))
    with pytest.raises(pulumi.RunError) as stopped:
        plan(stack_values(), lacking)
    assert "SERVICE_CONTROL_POLICY is not enabled on the root" in str(stopped.value)
    assert "account.amazonaws.com has no trusted access" in str(stopped.value)


def test_a_managed_organization_reports_what_its_inputs_enable():
    values = stack_values(
        organization_changes={
            "create": True,
            "enabledPolicyTypes": ["SERVICE_CONTROL_POLICY", "TAG_POLICY"],
            "awsServiceAccessPrincipals": [principals.ACCOUNT, principals.IDENTITY_CENTER],
        }
    )
    (organization,) = plan(values).of_type("aws:organizations/organization:Organization")
    assert organization.outputs["enabledPolicyTypes"] == ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]
    assert organization.outputs["awsServiceAccessPrincipals"] == [
        principals.ACCOUNT,
        principals.IDENTITY_CENTER,
    ]
    assert [t["type"] for t in organization.outputs["roots"][0]["policyTypes"]] == [
        "SERVICE_CONTROL_POLICY",
        "TAG_POLICY",
    ]


def test_the_text_names_a_lookup_as_one_refusal():
    values = stack_values(identityCenter=IDENTITY_CENTER)
    organization = MockOrganization(identity_center_instance=False)
    text = render_text(build_report("landing-zone", "test", plan(values, organization)))
    assert "\nAWS would refuse this (`pulumi up` would fail on it):\n" in text
    assert "\n  [identity-center-instance] aws:ssoadmin/getInstances:getInstances (lookup)\n" in text


def test_run_stack_judges_against_the_organization_it_is_given():
    organization = MockOrganization(identity_center_instance=False)
    values = stack_values(identityCenter=IDENTITY_CENTER)
    run = run_stack(PROJECT_DIR, "landing-zone", "test", values, organization)
    assert {r.rule for r in run.result.refusals} == {"identity-center-instance"}
    assert report_stack(run, policies=False).refusals == tuple(run.result.refusals)
