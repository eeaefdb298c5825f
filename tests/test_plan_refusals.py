"""The real program under mocks as strict as AWS: what `lz plan` reports AWS would refuse, and exits 1 on.

The example stacks and the generated large stacks plan with no refusal; stacks that config
validation accepts but AWS would not are refused, each registration named with the rule's
words and source. The looked-up organization is a `MockOrganization` the tests can change.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from benchmarks.large_config import large_stack_values
from landing_zone import principals
from landing_zone.plan.aws_rules import RULES
from landing_zone.plan.mocks import MockOrganization
from landing_zone.plan.render import render_text
from landing_zone.plan.report import build_report
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.plan.stack import report_stack, run_stack
from landing_zone.resource_types import ALTERNATE_CONTACT, POLICY_ATTACHMENT
from tests.builders import stack_values
from tests.helpers import PROD_SERVICES_MONITOR, PROJECT_DIR, run_lz, write_stack

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


@PROD_SERVICES_MONITOR
def test_the_prod_stack_plans_with_no_refusal(planned):
    assert [(r.rule, r.name, r.message) for r in planned["prod"].refusals] == []


def test_the_generated_large_stack_plans_with_no_refusal():
    result = plan(large_stack_values(20))
    assert len(result.resources) > 500
    assert result.refusals == []


def test_a_looked_up_organization_without_account_management_refuses_every_member_contact():
    result = plan(stack_values(), MockOrganization(trusted_services=(principals.IDENTITY_CENTER,)))
    contacts = sorted(c.name for c in result.of_type(ALTERNATE_CONTACT))
    assert len(contacts) == 6  # two member accounts, three contacts each
    assert refused(result) == [("contact-trusted-access", ALTERNATE_CONTACT, name) for name in contacts]
    audit = next(r for r in result.refusals if r.name == "audit-billing")
    assert audit.message.endswith(
        "is a member account and the organization does not give trusted access to account.amazonaws.com"
    )
    assert audit.message.startswith("account 'audit' (")
    assert (audit.words, audit.source) == (WORDS["contact-trusted-access"], SOURCES["contact-trusted-access"])
    # The program says so too: it only looks the organization up.
    assert result.diagnostics == [
        "warning: the existing organization does not enable account.amazonaws.com; enable them in "
        "AWS Organizations, or set organization.import to manage the organization here"
    ]


def test_a_looked_up_organization_without_service_control_policies_refuses_the_guardrails():
    values = stack_values(guardrails=[{"guardrail": "deny-leaving-organization", "root": True}])
    result = plan(values, MockOrganization(enabled_policy_types=()))
    (attachment,) = result.of_type(POLICY_ATTACHMENT)
    assert [(r.rule, r.name, r.message) for r in result.refusals] == [
        (
            "policy-type-enabled",
            attachment.name,
            "policy 'deny-leaving-organization' is a SERVICE_CONTROL_POLICY and the root does not enable "
            "SERVICE_CONTROL_POLICY (enabled: none)",
        )
    ]
    assert plan(values).refusals == []


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


def test_a_created_organization_has_no_identity_center_and_only_the_trusted_access_it_lists():
    values = stack_values(
        organization_changes={"create": True, "awsServiceAccessPrincipals": [principals.IDENTITY_CENTER]},
        identityCenter=IDENTITY_CENTER,
    )
    result = plan(values)
    assert [(rule, name) for rule, _, name in refused(result)] == [
        ("contact-trusted-access", name) for name in sorted(c.name for c in result.of_type(ALTERNATE_CONTACT))
    ] + [("identity-center-instance", "")]
    assert result.refusals[-1].message == (
        "no IAM Identity Center instance: this stack creates the organization, and a new organization has none"
    )


def test_an_imported_organization_keeps_its_identity_center_instance():
    values = stack_values(organization_changes={"import": "o-abcdefghij"}, identityCenter=IDENTITY_CENTER)
    assert plan(values).refusals == []


def test_an_organization_name_starting_with_a_digit_gives_analyzer_names_the_provider_refuses():
    result = plan(stack_values(organization_changes={"name": "1acme"}, baseline={}))
    assert [(r.rule, r.name, r.message) for r in result.refusals] == [
        (
            "access-analyzer-name",
            f"{account}-access-analyzer",
            "analyzerName '1acme-account' is not an analyzer name of 1 to 255 letters, digits, '.', '_' "
            "and '-', starting with a letter",
        )
        for account in ("audit", "production")
    ]


def test_a_budget_for_an_account_named_with_a_colon_is_refused():
    values = stack_values(
        accounts=[{"name": "team:data", "email": "team-data@acme-corp.io"}],
        budgets={"accounts": [{"account": "team:data", "monthlyLimit": 10}]},
    )
    assert [(r.rule, r.name, r.message) for r in plan(values).refusals] == [
        (
            "budget-name",
            "acme-team:data-monthly",
            "name 'acme-team:data-monthly' (22 characters) is not a budget name of 1 to 100 characters "
            "without ':', '\\' or '/action/'",
        )
    ]


TRAIL_STACK = stack_values(
    organization_changes={
        "awsServiceAccessPrincipals": [principals.ACCOUNT, principals.IDENTITY_CENTER, principals.CLOUDTRAIL]
    },
    accounts=[{"name": "log-archive"}],
    organizationTrail={"name": "acme--trail", "logArchiveAccount": "log-archive"},
)
TRAIL_MESSAGE = (
    "name 'acme--trail' is not a trail name of 3 to 128 letters, digits, '.', '_' and '-', starting and "
    "ending with a letter or digit, without two of '.', '_', '-' in a row, not an IP address"
)


def test_a_trail_name_config_accepts_with_two_dashes_in_a_row_is_refused():
    assert [(r.rule, r.name, r.message) for r in plan(TRAIL_STACK).refusals] == [
        ("trail-name", "acme--trail", TRAIL_MESSAGE)
    ]


def test_lz_plan_prints_what_aws_would_refuse_and_exits_1(capsys, tmp_path):
    stack = write_stack(tmp_path, TRAIL_STACK)
    code, out, err = run_lz(capsys, "plan", "--config-file", str(stack), "--no-policy")
    assert (code, err) == (1, "")
    assert out.endswith(
        "\nAWS would refuse this (`pulumi up` would fail on it):\n"
        "  [trail-name] aws:cloudtrail/trail:Trail 'acme--trail'\n"
        f"      {TRAIL_MESSAGE}\n"
        f"      rule: {WORDS['trail-name']}\n"
        f"      source: {SOURCES['trail-name']}\n"
    )


def test_lz_plan_json_lists_the_refusals_with_their_rule_words_and_source(capsys, tmp_path):
    stack = write_stack(tmp_path, TRAIL_STACK)
    code, out, _ = run_lz(capsys, "plan", "--config-file", str(stack), "--format", "json", "--no-policy")
    assert code == 1
    (trail,) = json.loads(out)["refusals"]
    assert trail == {
        "rule": "trail-name",
        "type": "aws:cloudtrail/trail:Trail",
        "name": "acme--trail",
        "urn": trail["urn"],
        "message": TRAIL_MESSAGE,
        "words": WORDS["trail-name"],
        "source": SOURCES["trail-name"],
    }
    assert trail["urn"].endswith("::acme--trail")


def test_lz_plan_of_a_stack_aws_accepts_has_no_refusal_section_and_exits_0(capsys):
    code, out, _ = run_lz(capsys, "plan", "--stack", "dev", "--no-policy")
    assert code == 0
    assert "AWS would refuse" not in out
    code, out, _ = run_lz(capsys, "plan", "--stack", "dev", "--no-policy", "--format", "json")
    assert (code, json.loads(out)["refusals"]) == (0, [])


@pytest.mark.parametrize(
    ("organization", "enabled", "trusted"),
    [
        (MockOrganization(), ["SERVICE_CONTROL_POLICY"], list(MockOrganization().trusted_services)),
        (
            MockOrganization(enabled_policy_types=(), trusted_services=("sso.amazonaws.com",)),
            [],
            ["sso.amazonaws.com"],
        ),
    ],
)
def test_the_organization_lookup_answers_for_the_mock_organization(organization, enabled, trusted):
    result = plan(stack_values(), organization)
    assert result.outputs["rootId"].startswith("r-")
    missing = [t for t in ["SERVICE_CONTROL_POLICY"] if t not in enabled]
    missing += [p for p in [principals.ACCOUNT, principals.IDENTITY_CENTER] if p not in trusted]
    assert bool(result.diagnostics) == bool(missing)
    if missing:
        assert result.diagnostics[0].startswith(
            f"warning: the existing organization does not enable {', '.join(missing)};"
        )


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


def test_the_text_counts_the_refusals_and_names_each_lookup_as_one():
    values = stack_values(identityCenter=IDENTITY_CENTER)
    organization = MockOrganization(
        trusted_services=(principals.IDENTITY_CENTER,), identity_center_instance=False
    )
    text = render_text(build_report("landing-zone", "test", plan(values, organization)))
    assert "\nAWS would refuse these 7 (`pulumi up` would fail on each):\n" in text
    assert "\n  [identity-center-instance] aws:ssoadmin/getInstances:getInstances (lookup)\n" in text


def test_run_stack_judges_against_the_organization_it_is_given():
    organization = MockOrganization(trusted_services=(principals.IDENTITY_CENTER,))
    run = run_stack(PROJECT_DIR, "landing-zone", "test", stack_values(), organization)
    assert {r.rule for r in run.result.refusals} == {"contact-trusted-access"}
    assert report_stack(run, policies=False).refusals == tuple(run.result.refusals)
