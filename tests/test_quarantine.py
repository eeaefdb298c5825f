"""Quarantine for new accounts (organization.quarantineOu): the first update creates a new account in
the quarantine OU with its baseline, the next one moves it out in place; accounts already deployed
or imported never enter it; switched off, nothing changes."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import pulumi
import pytest

from components.landing_zone import _deployed, _quarantined_parent
from landing_zone.config import read_stack_file
from landing_zone.plan.aws_rules import ACCOUNT_FORCE_NEW
from landing_zone.plan.mocks import STACK_REFERENCE
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.plan.stack import ProgramError, run_stack
from landing_zone.resource_types import ACCOUNT, ACCOUNT_ALIAS
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from landing_zone.sso.profiles import MOCKED_KEY
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, problem_table, problems_of, run_lz, write_stack

NS = "landing-zone"
PASSWORD_POLICY = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
QUARANTINE_OU = {"path": "Quarantine"}
DENY_ALL = {"guardrail": "deny-all-suspended", "organizationalUnits": ["Quarantine"]}
CREATED = {"audit", "log-archive", "production", "staging", "dev", "sandbox-alice", "sandbox-bob"}
# Where each account ends (the prod example), OU names as the plan's OU resources name them.
HOMES = {
    "audit": "Security",
    "log-archive": "Security",
    "production": "Production",
    "staging": "NonProduction",
    "dev": "NonProduction",
    "sandbox-alice": "Sandbox",
    "sandbox-bob": "Sandbox",
}


def quarantine_values(**account_changes: dict[str, Any]) -> dict[str, Any]:
    """The prod example with a quarantine OU, under the deny-all guardrail its suspended OU has."""
    values = copy.deepcopy(read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml"))
    values[f"{NS}:organization"]["quarantineOu"] = "Quarantine"
    values[f"{NS}:organizationalUnits"].append(QUARANTINE_OU)
    (deny_all,) = (g for g in values[f"{NS}:guardrails"] if g.get("guardrail") == DENY_ALL["guardrail"])
    deny_all["organizationalUnits"].append("Quarantine")
    for account in values[f"{NS}:accounts"]:
        account.update(account_changes.get(account["name"].replace("-", "_"), {}))
    return values


def parents(plan: PlanResult) -> dict[str, str]:
    ou_names = {ou.id: ou.inputs["name"] for ou in plan.of_type(OU)}
    return {a.inputs["name"]: ou_names[a.inputs["parentId"]] for a in plan.of_type(ACCOUNT)}


@pytest.fixture(scope="module")
def first() -> PlanResult:
    """The first update: no outputs yet."""
    return run_program(PROJECT_DIR, NS, "prod", quarantine_values())


@pytest.fixture(scope="module")
def second(first: PlanResult) -> PlanResult:
    """The next update, reading the outputs the first one wrote."""
    return run_program(PROJECT_DIR, NS, "prod", quarantine_values(), previous_outputs=first.outputs)


def test_the_first_update_creates_new_accounts_in_quarantine_with_their_baseline(first):
    assert parents(first) == dict.fromkeys(CREATED, "Quarantine")
    # The stack reads its own outputs, by its full name (organization/project/stack).
    assert first.reads == [(STACK_REFERENCE, "organization/landing-zone/prod")]
    # The baseline lands in the same update, through each account's own provider.
    providers = {r.name: r.provider for r in first.of_type(PASSWORD_POLICY)}
    for name in CREATED:
        assert providers[f"{name}-password-policy"].split("::")[-2] == f"{name}-member"
    assert {r.name for r in first.of_type(ACCOUNT_ALIAS)} >= {f"{n}-alias" for n in CREATED}
    assert first.outputs["baselinedAccounts"] == sorted(CREATED)
    assert (
        "warning: account production starts in the quarantine OU Quarantine, where only the role the "
        "stack assumes may act, until its baseline is applied: run the update again to move it to "
        "Workloads/Production" in first.diagnostics
    )
    assert first.refusals == []


def test_the_next_update_moves_them_out_in_place(first, second):
    assert parents(second) == HOMES
    assert [d for d in second.diagnostics if "quarantine" in d] == []
    # Same resources; each account changes its parentId only, which the provider updates in
    # place (MoveAccount): ACCOUNT_FORCE_NEW is what would replace it.
    assert [r.urn for r in second.resources] == [r.urn for r in first.resources]
    before = {a.urn: a.inputs for a in first.of_type(ACCOUNT)}
    for account in second.of_type(ACCOUNT):
        changed = {
            k
            for k in account.inputs.keys() | before[account.urn].keys()
            if account.inputs.get(k) != before[account.urn].get(k)
        }
        assert changed == {"parentId"}, account.urn
    assert "parentId" not in ACCOUNT_FORCE_NEW
    # Nothing else changes.
    others = [(r.urn, r.inputs) for r in first.resources if r.type != ACCOUNT]
    assert [(r.urn, r.inputs) for r in second.resources if r.type != ACCOUNT] == others
    assert second.refusals == []
    # A third update stays put.
    third = run_program(PROJECT_DIR, NS, "prod", quarantine_values(), previous_outputs=second.outputs)
    assert parents(third) == HOMES


@pytest.mark.parametrize(
    ("previous_outputs", "quarantined"),
    [
        # The switch turned on for a stack already deployed: accountIds, no baselinedAccounts yet.
        ({"accountIds": {name: "111111111111" for name in CREATED - {"dev"}}}, {"dev"}),
        ({"accountIds": {}, "baselinedAccounts": sorted(CREATED - {"staging"})}, {"staging"}),
        ({"organizationId": "o-abc"}, CREATED),
    ],
    ids=["switched-on-later", "baselined-only", "other-outputs"],
)
def test_only_accounts_the_last_update_did_not_know_are_quarantined(previous_outputs, quarantined):
    plan = run_program(PROJECT_DIR, NS, "prod", quarantine_values(), previous_outputs=previous_outputs)
    assert {n for n, ou in parents(plan).items() if ou == "Quarantine"} == quarantined


def test_imported_accounts_never_enter_quarantine():
    imported = {"roleName": "OrganizationAccountAccessRole"}
    values = quarantine_values(
        audit={"import": "222222222222", **imported}, dev={"import": "333333333333", **imported}
    )
    plan = run_program(PROJECT_DIR, NS, "prod", values)
    assert parents(plan)["audit"] == "Security" and parents(plan)["dev"] == "NonProduction"
    assert parents(plan)["production"] == "Quarantine"


def test_switched_off_nothing_is_read_or_exported(planned):
    # The example stacks have no quarantineOu: no StackReference, no new output (their resources
    # are pinned by the other plan tests).
    for plan in planned.values():
        assert plan.reads == [] and "baselinedAccounts" not in plan.outputs


def test_an_unknown_output_quarantines_no_account():
    # A preview that cannot read the stack's outputs: every account counts as deployed.
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(_deployed_from_unknown()) is None
    finally:
        loop.close()
    assert _quarantined_parent("dev", "Quarantine", "Workloads", None, "ou-quar", "ou-work") == "ou-work"


@pytest.mark.parametrize(
    ("previous_outputs", "message"),
    [
        (
            {"baselinedAccounts": "dev"},
            "the stack's last output baselinedAccounts is not a list of account names",
        ),
        (
            {"baselinedAccounts": [1]},
            "the stack's last output baselinedAccounts is not a list of account names",
        ),
        ({"accountIds": ["dev"]}, "the stack's last output accountIds is not a map of account names"),
    ],
    ids=["string", "numbers", "list-of-ids"],
)
def test_outputs_this_program_did_not_write_stop_it(previous_outputs, message):
    with pytest.raises(ProgramError) as raised:
        run_stack(PROJECT_DIR, NS, "prod", quarantine_values(), previous_outputs=previous_outputs)
    assert str(raised.value) == (
        f"organization.quarantineOu: {message}; fix the stack's outputs or remove quarantineOu"
    )


def test_the_policy_pack_is_quiet_on_both_updates(prod_pack, first, second):
    assert prod_pack.analyze(first.resources) == []
    assert prod_pack.analyze(second.resources) == []


# --- lz plan --previous-outputs ------------------------------------------------------------------


def test_lz_plan_reads_a_previous_plans_outputs(tmp_path, capsys):
    stack = write_stack(tmp_path, quarantine_values(), "Pulumi.q.yaml")
    outputs = tmp_path / "outputs.json"
    common = (
        "plan",
        "--no-policy",
        "--config-file",
        str(stack),
        "--project-dir",
        str(PROJECT_DIR),
        "--format",
        "json",
    )
    first = run_lz(capsys, *common, "--outputs-out", str(outputs))
    assert first.code == 0, first.err
    assert json.loads(outputs.read_text())[MOCKED_KEY] is True
    again = run_lz(capsys, *common, "--previous-outputs", str(outputs))
    assert again.code == 0, again.err
    assert "starts in the quarantine OU" in first.out and "starts in the quarantine OU" not in again.out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "lz plan: --previous-outputs: no file at {path}"),
        (
            "[1, 2]",
            "lz plan: --previous-outputs: {path} is not JSON stack outputs: expected an object of output names",
        ),
        (
            "{",
            "lz plan: --previous-outputs: {path} is not JSON stack outputs: Expecting property name enclosed "
            "in double quotes: line 1 column 2 (char 1)",
        ),
    ],
    ids=["missing", "not-an-object", "not-json"],
)
def test_lz_plan_refuses_bad_previous_outputs(tmp_path, capsys, content, message):
    path = tmp_path / "outputs.json"
    if content is not None:
        path.write_text(content)
    result = run_lz(capsys, "plan", "--stack", "prod", "--previous-outputs", str(path))
    assert (result.code, result.err.strip()) == (2, message.format(path=path))


# --- validation ----------------------------------------------------------------------------------


def values_with(
    *, accounts=None, quarantine_ou="Quarantine", guardrails=(DENY_ALL,), baseline=True, units=None
):
    return stack_values(
        organizational_units=units or [{"path": "Security"}, {"path": "Workloads"}, QUARANTINE_OU],
        organization_changes={"quarantineOu": quarantine_ou},
        accounts=accounts or [{"name": "audit", "ou": "Security"}, {"name": "app", "ou": "Workloads"}],
        guardrails=list(guardrails),
        **({"baseline": {}} if baseline else {}),
    )


EXEMPT_BREAK_GLASS = {**DENY_ALL, "parameters": {"exemptRoleArns": ["arn:aws:iam::*:role/BreakGlass"]}}


@problem_table(
    [
        ("fine", values_with(), []),
        (
            "unknown-ou",
            values_with(quarantine_ou="Holding"),
            [
                "landing-zone:organization.quarantineOu: OU 'Holding' is not defined in organizationalUnits",
                "landing-zone:guardrails[0].organizationalUnits[0]: deny-all-suspended denies everything in "
                "'Quarantine': attach it to organization.suspendedOu or organization.quarantineOu (Holding) only",
            ],
        ),
        (
            "no-baseline",
            values_with(baseline=False),
            [
                "landing-zone:organization.quarantineOu: needs a baseline section: a new account stays in "
                "quarantine until its baseline is applied"
            ],
        ),
        (
            "no-guardrail",
            values_with(guardrails=()),
            [
                "landing-zone:organization.quarantineOu: OU 'Quarantine' needs the deny-all-suspended "
                "guardrail: add a guardrails entry with guardrail: deny-all-suspended and "
                "organizationalUnits: [Quarantine]"
            ],
        ),
        (
            "account-configured-in-quarantine",
            values_with(accounts=[{"name": "app", "ou": "Quarantine"}]),
            [
                "landing-zone:accounts[0].ou: 'Quarantine' is the quarantine OU (organization.quarantineOu), "
                "where every action is denied: a new account passes through it by itself; choose the OU it "
                "ends in"
            ],
        ),
        (
            "role-not-exempt",
            values_with(guardrails=(EXEMPT_BREAK_GLASS,)),
            [
                f"landing-zone:accounts[{i}].roleName: {name} starts in quarantine, but the deny-all-suspended "
                f"guardrail on 'Quarantine' does not exempt arn:aws:iam::*:role/OrganizationAccountAccessRole, "
                "the role the stack assumes there to apply its baseline: add it to the guardrail's exemptRoleArns"
                for i, name in enumerate(("audit", "app"))
            ],
        ),
        (
            # An imported account never enters quarantine, whatever its role.
            "imported-role-not-exempt",
            values_with(
                accounts=[{"name": "app", "ou": "Workloads", "import": "444455556666", "roleName": "Legacy"}]
            ),
            [],
        ),
        (
            "deny-all-elsewhere",
            values_with(guardrails=({**DENY_ALL, "organizationalUnits": ["Quarantine", "Workloads"]},)),
            [
                "landing-zone:guardrails[0].organizationalUnits[1]: deny-all-suspended denies everything in "
                "'Workloads': attach it to organization.suspendedOu or organization.quarantineOu (Quarantine) only"
            ],
        ),
    ]
)
def test_quarantine_validation(values, expected):
    assert problems_of(values) == expected


async def _deployed_from_unknown() -> frozenset[str] | None:
    loop = asyncio.get_running_loop()
    value, known = loop.create_future(), loop.create_future()
    value.set_result({})
    known.set_result(False)
    return await _deployed(pulumi.Output(set(), value, known))
