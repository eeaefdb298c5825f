"""An account's life cycle (`state`): what suspending and closing register, what validation
refuses in one config, and which state changes are refused against the deployed config."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from landing_zone.config import load_from_mapping, read_stack_file
from landing_zone.config.changes import account_changes
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.resource_types import ACCOUNT, ACCOUNT_ALIAS, ACCOUNT_ASSIGNMENT, ALTERNATE_CONTACT, BUDGET
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, problem_table, problems_of, run_lz, write_stack

NS = "landing-zone"
SUSPENDED_OU = {"path": "Suspended"}
DENY_ALL = {"guardrail": "deny-all-suspended", "organizationalUnits": ["Suspended"]}


def prod_values() -> dict[str, Any]:
    """The prod example, which has the life cycle's setup: a suspended OU and its guardrail."""
    values = copy.deepcopy(read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml"))
    assert values[f"{NS}:organization"]["suspendedOu"] == "Suspended"
    assert SUSPENDED_OU in values[f"{NS}:organizationalUnits"] and DENY_ALL in values[f"{NS}:guardrails"]
    return values


def with_states(values: dict[str, Any], **changes: dict[str, Any]) -> dict[str, Any]:
    for account in values[f"{NS}:accounts"]:
        account.update(changes.get(account["name"].replace("-", "_"), {}))
    return values


@pytest.fixture(scope="module")
def lifecycle_plan() -> PlanResult:
    """prod with dev suspended and allowed to close, staging suspended, sandbox-bob closed."""
    values = with_states(
        prod_values(),
        dev={"state": "suspended", "allowClose": True},
        staging={"state": "suspended"},
        sandbox_bob={"state": "closed"},
    )
    budgets = values[f"{NS}:budgets"]
    budgets["accounts"] = [b for b in budgets["accounts"] if b["account"] != "sandbox-bob"]
    return run_program(PROJECT_DIR, NS, "prod", values)


def test_suspended_accounts_sit_in_the_suspended_ou_tagged(lifecycle_plan):
    ou_ids = {ou.inputs["name"]: ou.id for ou in lifecycle_plan.of_type(OU)}
    accounts = {a.inputs["name"]: a for a in lifecycle_plan.of_type(ACCOUNT)}
    for name in ("dev", "staging"):
        assert accounts[name].inputs["parentId"] == ou_ids["Suspended"], accounts[name].urn
        assert accounts[name].inputs["tags"]["lifecycle"] == "suspended", accounts[name].urn
    assert accounts["production"].inputs["parentId"] == ou_ids["Production"]
    assert "lifecycle" not in accounts["production"].inputs["tags"]


@pytest.mark.parametrize(
    ("name", "armed"),
    [("dev", True), ("staging", False), ("production", False), ("sandbox-alice", True)],
)
def test_only_accounts_allowed_to_close_are_armed_for_closure(lifecycle_plan, name, armed):
    account = next(a for a in lifecycle_plan.of_type(ACCOUNT) if a.inputs["name"] == name)
    options = (account.inputs["closeOnDeletion"], account.protect, account.retain_on_delete)
    assert options == (armed, not armed, not armed), account.urn


def test_a_closed_account_leaves_the_stack_and_nothing_refers_to_it(lifecycle_plan):
    names = {a.inputs["name"] for a in lifecycle_plan.of_type(ACCOUNT)}
    assert names == {"audit", "log-archive", "production", "staging", "dev", "sandbox-alice"}
    assert [r.urn for r in lifecycle_plan.resources if "sandbox-bob" in r.name] == []


def test_suspended_accounts_lose_assignments_and_baseline_but_keep_contacts_and_budgets(lifecycle_plan):
    account_ids = {a.inputs["name"]: a.id for a in lifecycle_plan.of_type(ACCOUNT)}
    targets = {r.inputs["targetId"] for r in lifecycle_plan.of_type(ACCOUNT_ASSIGNMENT)}
    assert account_ids["dev"] not in targets and account_ids["staging"] not in targets
    assert account_ids["production"] in targets
    aliases = {r.name for r in lifecycle_plan.of_type(ACCOUNT_ALIAS)}
    assert not any(n.startswith(("dev-", "staging-")) for n in aliases) and "production-alias" in aliases
    contacts = {r.name: r for r in lifecycle_plan.of_type(ALTERNATE_CONTACT)}
    # Armed for closure: the next update closes the account, which AWS then refuses calls on.
    assert all(r.retain_on_delete for n, r in contacts.items() if n.startswith("dev-"))
    assert not any(r.retain_on_delete for n, r in contacts.items() if n.startswith("staging-"))
    assert {n for n in contacts if n.startswith(("dev-", "staging-"))}
    assert len(lifecycle_plan.of_type(BUDGET)) == 3  # the organization's, production's, sandbox-alice's


# --- validation within one config ----------------------------------------------------------------


def lifecycle_values(accounts, *, suspended_ou="Suspended", guardrails=(DENY_ALL,), **extra):
    return stack_values(
        organizational_units=[{"path": "Security"}, {"path": "Workloads"}, SUSPENDED_OU],
        organization_changes={} if suspended_ou is None else {"suspendedOu": suspended_ou},
        accounts=accounts,
        guardrails=list(guardrails),
        **extra,
    )


@problem_table(
    [
        ("suspended-fine", lifecycle_values([{"name": "old", "state": "suspended"}]), []),
        (
            "closed-allowed",
            lifecycle_values([{"name": "old", "state": "closed", "allowClose": True}]),
            [],
        ),
        (
            "no-suspended-ou",
            lifecycle_values([{"name": "old", "state": "suspended"}], suspended_ou=None, guardrails=()),
            [
                "landing-zone:accounts[0].state: suspended needs organization.suspendedOu: the OU path "
                "suspended accounts move to"
            ],
        ),
        (
            "unknown-suspended-ou",
            lifecycle_values([{"name": "old", "state": "suspended"}], suspended_ou="Parking", guardrails=()),
            ["landing-zone:organization.suspendedOu: OU 'Parking' is not defined in organizationalUnits"],
        ),
        (
            "no-deny-all",
            lifecycle_values([{"name": "old", "state": "suspended"}], guardrails=()),
            [
                "landing-zone:organization.suspendedOu: OU 'Suspended' needs the deny-all-suspended "
                "guardrail: add a guardrails entry with guardrail: deny-all-suspended and "
                "organizationalUnits: [Suspended]"
            ],
        ),
        (
            "role-not-exempt",
            lifecycle_values(
                [{"name": "old", "state": "suspended", "roleName": "Admin"}],
                guardrails=[{**DENY_ALL, "parameters": {"exemptRoleArns": ["arn:aws:iam::*:role/Other"]}}],
            ),
            [
                "landing-zone:accounts[0].state: suspended, but the deny-all-suspended guardrail on "
                "'Suspended' does not exempt arn:aws:iam::*:role/Admin, the role the stack assumes in old "
                "to remove its baseline: add it to the guardrail's exemptRoleArns"
            ],
        ),
        (
            "wildcard-exempts-the-role",
            lifecycle_values(
                [{"name": "old", "state": "suspended", "roleName": "Admin"}],
                guardrails=[{**DENY_ALL, "parameters": {"exemptRoleArns": ["arn:aws:iam::*:role/Adm?n"]}}],
            ),
            [],
        ),
        (
            "one-account-pattern-for-a-created-account",
            lifecycle_values(
                [{"name": "old", "state": "suspended"}],
                guardrails=[
                    {
                        **DENY_ALL,
                        "parameters": {
                            "exemptRoleArns": ["arn:aws:iam::123456789012:role/OrganizationAccountAccessRole"]
                        },
                    }
                ],
            ),
            [
                "landing-zone:accounts[0].state: suspended, but the deny-all-suspended guardrail on "
                "'Suspended' does not exempt arn:aws:iam::*:role/OrganizationAccountAccessRole, the role the "
                "stack assumes in old to remove its baseline: add it to the guardrail's exemptRoleArns"
            ],
        ),
        (
            "deny-all-elsewhere",
            lifecycle_values(
                [{"name": "app", "ou": "Workloads"}],
                guardrails=[
                    {
                        **DENY_ALL,
                        "root": True,
                        "organizationalUnits": ["Suspended", "Workloads"],
                        "accounts": ["app"],
                    }
                ],
            ),
            [
                "landing-zone:guardrails[0].root: deny-all-suspended denies everything: attach it to "
                "organization.suspendedOu (Suspended) only, never the root",
                "landing-zone:guardrails[0].organizationalUnits[1]: deny-all-suspended denies everything in "
                "'Workloads': attach it to organization.suspendedOu (Suspended) only",
                "landing-zone:guardrails[0].accounts[0]: deny-all-suspended denies everything in app: suspend "
                "it (state: suspended) instead",
            ],
        ),
        (
            "production-closed-without-allow",
            lifecycle_values([{"name": "production", "state": "closed"}]),
            [
                "landing-zone:accounts[0].state: closed, but production is not allowed to close: set "
                "allowClose: true on it (closing cannot be undone after 90 days)"
            ],
        ),
        (
            "active-in-suspended-ou",
            lifecycle_values([{"name": "app", "ou": "Suspended"}]),
            [
                "landing-zone:accounts[0].ou: 'Suspended' is the suspended OU (organization.suspendedOu), "
                "where every action is denied: set state: suspended instead, or choose another OU"
            ],
        ),
        (
            "closed-budget",
            lifecycle_values(
                [{"name": "old", "state": "closed", "closeOnDeletion": True}],
                budgets={"monthlyLimit": 10, "accounts": [{"account": "old", "monthlyLimit": 5}]},
            ),
            ["landing-zone:budgets.accounts[0].account: old is closed: remove its budget"],
        ),
        (
            "suspended-trail-bucket",
            lifecycle_values(
                [{"name": "log-archive", "state": "suspended"}],
                organizationTrail={"name": "org-trail", "logArchiveAccount": "log-archive"},
            ),
            [
                "landing-zone:organizationTrail.logArchiveAccount: log-archive is suspended: the "
                "organization trail's bucket needs an active account; move it first"
            ],
        ),
    ]
)
def test_lifecycle_validation(values, expected):
    assert [p for p in problems_of(values) if "awsServiceAccessPrincipals" not in p] == expected


# --- transitions against the deployed config -------------------------------------------------------


def config(*accounts: dict[str, Any]):
    return load_from_mapping(lifecycle_values(list(accounts)))


ACTIVE = {"name": "old", "allowClose": True}
SUSPENDED = {**ACTIVE, "state": "suspended"}
CLOSED = {**ACTIVE, "state": "closed"}
SUSPENDED_LOCKED = {"name": "old", "state": "suspended"}


@pytest.mark.parametrize(
    ("before", "after", "closed", "refused"),
    [
        (ACTIVE, SUSPENDED, (), ""),
        (SUSPENDED, ACTIVE, (), ""),
        (SUSPENDED, CLOSED, ("old",), ""),
        (CLOSED, CLOSED, (), ""),
        (
            CLOSED,
            ACTIVE,
            (),
            "landing-zone:accounts[0].state: old was closed; a closed account cannot be reopened from "
            "config (AWS Support can, within 90 days; then import it as a new entry)",
        ),
        (
            ACTIVE,
            CLOSED,
            (),
            "landing-zone:accounts[0].state: old goes from active to closed: suspend it first (state: "
            "suspended, deployed), then close it",
        ),
        (
            SUSPENDED_LOCKED,
            CLOSED,
            (),
            "landing-zone:accounts[0].state: old was suspended while not allowed to close, so the "
            "deployed stack still protects it: deploy allowClose: true while suspended first",
        ),
        (
            None,
            CLOSED,
            (),
            "landing-zone:accounts[0].state: old is new and closed: only an account of this stack can be "
            "closed (add it, suspend it, then close it)",
        ),
    ],
    ids=[
        "suspend",
        "reactivate",
        "close",
        "record-kept",
        "closed-to-active",
        "close-from-active",
        "close-while-protected",
        "new-closed",
    ],
)
def test_state_transitions(before, after, closed, refused):
    changes = account_changes(config(*([before] if before else [])), config(after))
    assert changes.closed == closed
    assert changes.refused == ((refused,) if refused else ())
    assert changes.fails is bool(refused)


def test_a_removed_suspended_account_armed_for_closure_closes_a_locked_one_is_released():
    changes = account_changes(config(SUSPENDED, {"name": "kept"}), config({"name": "kept"}))
    assert (changes.closed, changes.released) == (("old",), ())
    changes = account_changes(config(SUSPENDED_LOCKED, {"name": "kept"}), config({"name": "kept"}))
    assert (changes.closed, changes.released) == ((), ("old",))


def test_closing_one_past_the_quota_fails():
    # 10 closures per 30 days below 110 members: the eleventh is one too many.
    members = [{"name": f"m-{n:02}"} for n in range(20)]
    suspended = [{"name": f"s-{n:02}", "state": "suspended", "allowClose": True} for n in range(11)]
    closed = [{**account, "state": "closed"} for account in suspended]
    changes = account_changes(config(*members, *suspended), config(*members, *closed[:10], suspended[10]))
    assert (len(changes.closed), changes.closure_quota, changes.fails) == (10, 10, False)
    changes = account_changes(config(*members, *suspended), config(*members, *closed))
    assert (len(changes.closed), changes.closure_quota, changes.over_quota) == (11, 10, True)


def test_lz_validate_previous_refuses_a_closure_from_active(capsys, tmp_path):
    before = write_stack(tmp_path, lifecycle_values([ACTIVE]), "Pulumi.before.yaml")
    after = write_stack(tmp_path, lifecycle_values([CLOSED]), "Pulumi.after.yaml")
    code, out, err = run_lz(capsys, "validate", "--config-file", str(after), "--previous", str(before))
    assert (code, out) == (2, "")
    assert err == (
        "landing-zone:accounts[0].state: old goes from active to closed: suspend it first (state: "
        "suspended, deployed), then close it\n"
    )
    suspended = write_stack(tmp_path, lifecycle_values([SUSPENDED]), "Pulumi.suspended.yaml")
    code, out, err = run_lz(capsys, "validate", "--config-file", str(after), "--previous", str(suspended))
    assert (code, err) == (0, "")
    assert out.startswith("closes old: 1 of the 10 closures AWS allows per rolling 30 days\n")


def test_the_plan_marks_a_suspended_account(lifecycle_plan):
    from landing_zone.plan.render import render_text
    from landing_zone.plan.report import build_report

    text = render_text(build_report("landing-zone", "prod", lifecycle_plan))
    assert "dev  <aws-acme+dev@acme-corp.io>  [suspended: no access, no baseline, closed on deletion]" in text
    assert "staging  <aws-acme+staging@acme-corp.io>  [suspended: no access, no baseline]" in text


def test_lz_validate_previous_says_which_edits_pulumi_up_does_not_make(capsys, tmp_path):
    before = write_stack(tmp_path, lifecycle_values([{"name": "old"}]), "Pulumi.before.yaml")
    after = write_stack(
        tmp_path,
        lifecycle_values(
            [{"name": "old", "displayName": "Old one", "email": "old@acme-corp.io", "ou": "Workloads"}]
        ),
        "Pulumi.after.yaml",
    )
    code, _, err = run_lz(capsys, "validate", "--config-file", str(after), "--previous", str(before))
    assert (code, err) == (
        0,
        "warning: AWS name of old: old -> Old one is not applied by pulumi up: lz account rename makes it in place\n"
        "warning: root email of old: aws-acme+old@acme-corp.io -> old@acme-corp.io is not applied by pulumi up: "
        "lz account change-email makes it in place\n",
    )
