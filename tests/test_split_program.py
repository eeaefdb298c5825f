"""A split organization under Pulumi's mocks: what the organization stack and each account stack
register, that together they register the single stack's resources under the same names (so
`pulumi state move` maps them one to one), the ids an account stack reads from its organization
stack's outputs, and the policy pack's verdict on an account stack."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest

from landing_zone.config import read_stack_file
from landing_zone.plan.policy import check_policies
from landing_zone.plan.runner import PlanResult, RegisteredResource, run_program
from landing_zone.plan.stack import ProgramError, StackRun, run_stack
from landing_zone.resource_types import (
    ACCOUNT,
    ACCOUNT_ASSIGNMENT,
    BUDGET,
    ORGANIZATION_STACK,
    ORGANIZATIONAL_UNIT,
    PERMISSION_SET,
)
from tests.policy_builders import PACK_DIR
from tests.split_builders import (
    ACCOUNT_STACKS,
    NS,
    SLICES,
    organization_values,
    split_project,
)
from tests.split_builders import (
    ORGANIZATION_STACK as ORG,
)

ORG_REFERENCE = f"organization/{NS}/{ORG}"
PROD_POLICY_CONFIG = PACK_DIR / "config.prod.json"
# Components every stack registers (each its own): not resources to move between stacks.
SHARED_COMPONENTS = (
    "landing-zone:landing-zone:LandingZone",
    "landing-zone:identity-center:IdentityCenter",
    "landing-zone:cost-controls:CostControls",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return split_project(tmp_path_factory.mktemp("split") / "project")


def plan(project: Path, stack: str, **kwargs) -> StackRun:
    return run_stack(project, NS, stack, read_stack_file(project / f"Pulumi.{stack}.yaml"), **kwargs)


@pytest.fixture(scope="module")
def runs(project) -> dict[str, StackRun]:
    """Each stack planned once, the account stacks with the organization stack's planned outputs."""
    organization = plan(project, ORG)
    done = {ORG: organization}
    for stack in ACCOUNT_STACKS:
        done[stack] = plan(project, stack, other_stacks={ORG: organization.result.outputs})
    return done


def moved(resource: RegisteredResource, stack: str) -> str:
    """The URN without its stack: what `pulumi state move` keeps."""
    prefix = f"urn:pulumi:{stack}::"
    assert resource.urn.startswith(prefix), resource.urn
    return resource.urn.removeprefix(prefix)


def by_moved_urn(result: PlanResult, stack: str) -> dict[str, RegisteredResource]:
    return {moved(r, stack): r for r in result.resources if r.type not in SHARED_COMPONENTS}


def test_each_stack_registers_the_accounts_of_its_slice(runs):
    for stack, run in runs.items():
        assert {a.inputs["name"] for a in run.result.of_type(ACCOUNT)} == SLICES[stack], stack
        assert set(run.result.outputs["accountIds"]) == SLICES[stack], stack


def test_together_the_stacks_register_the_single_stack_s_resources_under_its_names(runs, planned):
    single = by_moved_urn(planned["prod"], "prod")
    together: dict[str, RegisteredResource] = {}
    for stack, run in runs.items():
        for urn, resource in by_moved_urn(run.result, stack).items():
            if resource.type == ORGANIZATION_STACK:
                continue  # the account stack's view of its organization stack: nothing to move
            assert urn not in together, f"{urn} registered by two stacks"
            together[urn] = resource
    assert sorted(together) == sorted(single)
    for urn, resource in together.items():
        # Same inputs: the ids an account stack reads are those the single stack computes.
        assert resource.inputs == single[urn].inputs, urn
        options = ("protect", "retain_on_delete", "ignore_changes", "import_id", "aliases")
        for option in options:
            assert getattr(resource, option) == getattr(single[urn], option), (urn, option)


ORGANIZATION_ONLY = [
    "aws:organizations/organizationalUnit:OrganizationalUnit",
    "aws:organizations/policy:Policy",
    "aws:organizations/policyAttachment:PolicyAttachment",
    "aws:ssoadmin/permissionSet:PermissionSet",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
    "aws:identitystore/group:Group",
    "aws:identitystore/user:User",
    "aws:identitystore/groupMembership:GroupMembership",
    "aws:cloudtrail/trail:Trail",
    "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
    "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
    "landing-zone:organization:Organization",
]


@pytest.mark.parametrize("type_", ORGANIZATION_ONLY)
def test_only_the_organization_stack_registers_the_organization_s_resources(runs, type_):
    assert runs[ORG].result.of_type(type_), type_
    for stack in ACCOUNT_STACKS:
        assert runs[stack].result.of_type(type_) == [], (stack, type_)


def test_budgets_live_with_their_accounts_and_the_organization_s_with_the_organization_stack(runs):
    budgets = {
        stack: sorted(b.inputs["name"] for b in run.result.of_type(BUDGET)) for stack, run in runs.items()
    }
    assert budgets == {
        ORG: ["acme-monthly"],
        "workloads": ["acme-production-monthly"],
        "sandbox": ["acme-sandbox-alice-monthly", "acme-sandbox-bob-monthly"],
    }


def test_an_account_stack_takes_the_organization_s_ids_from_its_organization_stack_s_outputs(runs):
    organization = runs[ORG].result.outputs
    workloads = runs["workloads"].result
    assert ("pulumi:pulumi:StackReference", ORG_REFERENCE) in workloads.reads
    ou_ids = organization["organizationalUnitIds"]
    parents = {a.inputs["name"]: a.inputs["parentId"] for a in workloads.of_type(ACCOUNT)}
    assert parents == {
        "production": ou_ids["Workloads/Production"],
        "staging": ou_ids["Workloads/NonProduction"],
        "dev": ou_ids["Workloads/NonProduction"],
    }
    assignments = workloads.of_type(ACCOUNT_ASSIGNMENT)
    assert assignments
    for assignment in assignments:
        assert assignment.inputs["instanceArn"] == organization["ssoInstanceArn"], assignment.urn
        assert assignment.inputs["permissionSetArn"] in organization["permissionSetArns"].values()
        assert assignment.inputs["principalId"] in organization["ssoGroupIds"].values()
        # Nothing of another stack to wait for: its account, and the reference the ids come from.
        assert all(urn.startswith("urn:pulumi:workloads::") for urn in assignment.dependencies)


def test_an_account_stack_exports_its_accounts_and_what_sso_config_reads(runs):
    organization = runs[ORG].result.outputs
    outputs = runs["sandbox"].result.outputs
    assert sorted(outputs) == [
        "accountIds",
        "managementAccountId",
        "managementAccountName",
        "organizationStack",
        "ssoRegion",
        "ssoStartUrl",
    ]
    assert outputs["organizationStack"] == ORG
    for passed_on in ("managementAccountId", "managementAccountName", "ssoRegion", "ssoStartUrl"):
        assert outputs[passed_on] == organization[passed_on], passed_on


def test_the_organization_stack_exports_what_account_stacks_read(runs):
    outputs = runs[ORG].result.outputs
    assert set(outputs["organizationalUnitIds"]) == {
        o.name for o in runs[ORG].result.of_type(ORGANIZATIONAL_UNIT)
    }
    assert set(outputs["permissionSetArns"]) == {
        p.inputs["name"] for p in runs[ORG].result.of_type(PERMISSION_SET)
    }


def without(outputs: dict, output: str, key: str) -> dict:
    changed = copy.deepcopy(outputs)
    del changed[output][key]
    return changed


@pytest.mark.parametrize(
    ("output", "key", "message"),
    [
        (
            "organizationalUnitIds",
            "Workloads/Production",
            "OU 'Workloads/Production' is not in the outputs of the organization stack "
            f"{ORG_REFERENCE} (organizationalUnitIds): update the organization stack first (pulumi up on "
            "it), then this account stack",
        ),
        (
            "permissionSetArns",
            "Developer",
            f"permission set 'Developer' is not in the outputs of the organization stack {ORG_REFERENCE} "
            "(permissionSetArns): update the organization stack first (pulumi up on it), then this account "
            "stack",
        ),
        (
            "ssoGroupIds",
            "Auditors",
            f"group 'Auditors' is not in the outputs of the organization stack {ORG_REFERENCE} (ssoGroupIds): "
            "update the organization stack first (pulumi up on it), then this account stack",
        ),
    ],
)
def test_what_the_organization_stack_has_not_deployed_stops_an_account_stack(
    project, runs, output, key, message
):
    outputs = without(runs[ORG].result.outputs, output, key)
    with pytest.raises(ProgramError) as raised:
        plan(project, "workloads", other_stacks={ORG: outputs})
    assert str(raised.value) == message


def test_an_organization_stack_never_updated_stops_an_account_stack(project):
    with pytest.raises(ProgramError) as raised:
        plan(project, "sandbox", other_stacks={ORG: {}})
    assert str(raised.value).startswith(f"the organization stack {ORG_REFERENCE} has no output ")
    assert str(raised.value).endswith(
        ": update the organization stack first (pulumi up on it), then this account stack"
    )


def test_a_reference_to_a_stack_that_does_not_exist_fails_as_the_engine_s_read_does(project):
    values = read_stack_file(project / "Pulumi.sandbox.yaml")
    with pytest.raises(Exception) as raised:
        run_program(project, NS, "sandbox", values)
    assert str(raised.value) == (
        f'unknown stack "{ORG_REFERENCE}" (the stacks this plan knows: organization/{NS}/sandbox)'
    )


def test_a_single_stack_reads_no_other_stack(planned):
    assert [read for read in planned["prod"].reads if read[0] == "pulumi:pulumi:StackReference"] == []
    assert planned["prod"].of_type(ORGANIZATION_STACK) == []


# --- the policy pack on an account stack ---------------------------------------------------------


def verdicts(run: StackRun, resources: list[RegisteredResource] | None = None) -> list[tuple[str, str]]:
    check = check_policies(
        PACK_DIR,
        NS,
        run.stack,
        run.config,
        run.result.resources if resources is None else resources,
        PROD_POLICY_CONFIG,
    )
    return [(v.policy, v.message) for v in check.violations]


def test_the_pack_is_quiet_on_valid_account_stacks(runs):
    for stack in ACCOUNT_STACKS:
        assert verdicts(runs[stack]) == [], stack


def test_the_pack_still_judges_what_an_account_stack_registers(runs):
    resources = [
        dataclasses.replace(r, protect=False) if r.type == ACCOUNT and r.name == "production" else r
        for r in runs["workloads"].result.resources
    ]
    assert verdicts(runs["workloads"], resources) == [
        (
            "account-lifecycle-safe",
            "account 'production' is not protected: a removed config entry or `pulumi destroy` would take it "
            "out of the organization; register it with protect=True",
        )
    ]


def test_without_its_organization_stack_s_names_the_pack_cannot_tell_and_says_so(runs):
    """The view is what lets the pack judge: without it, the root's guardrails are missing and the
    assignments' permission sets count as admin (never judged safe)."""
    resources = [r for r in runs["workloads"].result.resources if r.type != ORGANIZATION_STACK]
    found = verdicts(runs["workloads"], resources)
    assert {policy for policy, _ in found} == {
        "guardrails-stay-attached",
        "production-admin-restricted",
        "production-accounts-in-production-ous",
    }


def test_an_admin_assignment_production_forbids_fires_in_the_account_stack(tmp_path):
    values = organization_values()
    access = values[f"{NS}:identityCenter"]["access"]
    access.append(
        {"group": "Developers", "permissionSets": ["AdministratorAccess"], "accounts": ["production"]}
    )
    project = split_project(tmp_path / "project", values)
    found = verdicts(plan(project, "workloads"))
    assert found == [
        (
            "production-admin-restricted",
            "permission set 'AdministratorAccess' is admin (it carries the AWS managed policy "
            "AdministratorAccess) and is assigned on production account 'production' to group 'Developers', "
            "which is not in allowedGroups",
        )
    ]


# --- quarantine, per stack ------------------------------------------------------------------------


def test_quarantine_works_per_stack_on_the_account_stack_s_own_outputs(tmp_path):
    from tests.test_quarantine import quarantine_values

    project = split_project(tmp_path / "project", organization_values(quarantine_values()))
    organization = plan(project, ORG).result.outputs
    quarantine_id = organization["organizationalUnitIds"]["Quarantine"]
    first = plan(project, "workloads", other_stacks={ORG: organization}).result
    assert f"organization/{NS}/workloads" in {stack for _, stack in first.reads}
    assert {a.inputs["parentId"] for a in first.of_type(ACCOUNT)} == {quarantine_id}
    second = plan(
        project, "workloads", other_stacks={ORG: organization}, previous_outputs=first.outputs
    ).result
    assert {a.inputs["name"]: a.inputs["parentId"] for a in second.of_type(ACCOUNT)} == {
        "production": organization["organizationalUnitIds"]["Workloads/Production"],
        "staging": organization["organizationalUnitIds"]["Workloads/NonProduction"],
        "dev": organization["organizationalUnitIds"]["Workloads/NonProduction"],
    }


def test_the_organizations_warnings_are_said_by_the_organization_stack_only(tmp_path):
    from landing_zone.config import config_warnings, load_stack_file
    from tests.split_builders import prod_values

    # A rule naming a suspended account is allowed, with a warning (config_warnings): `dev`, which
    # the workloads stack deploys.
    base = prod_values()
    next(a for a in base[f"{NS}:accounts"] if a["name"] == "dev")["state"] = "suspended"
    access = base[f"{NS}:identityCenter"]["access"]
    access.append({"group": "Platform", "permissionSets": ["ReadOnlyAccess"], "accounts": ["dev"]})
    project = split_project(tmp_path / "project", organization_values(base))
    warnings = config_warnings(load_stack_file(project / "Pulumi.org.yaml", NS).config, NS)
    assert len(warnings) == 1
    org = plan(project, ORG)
    workloads = plan(project, "workloads", other_stacks={ORG: org.result.outputs})
    assert [d for d in org.result.diagnostics if d.startswith("warning: ")] == [f"warning: {warnings[0]}"]
    assert [d for d in workloads.result.diagnostics if d.startswith("warning: ")] == []
