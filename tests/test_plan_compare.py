"""`lz plan --compare`: each kind of change found both ways (and nothing else), unchanged plans giving
"No changes.", and plan files that are not plans of this version refused with exit 2, naming the file."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from landing_zone.plan.compare import AccountMove, Edit, PlanChanges, compare_plans, json_name
from landing_zone.plan.document import changes_document
from landing_zone.plan.markdown import render_markdown
from landing_zone.plan.plan_json import (
    PlanAccess,
    PlanAccount,
    PlanBudget,
    PlanGuardrail,
    PlanNotification,
    PlanPermissionSet,
    PlanPolicy,
    PlanRefusal,
    PlanSnapshot,
    PlanViolation,
    plan_document,
)
from landing_zone.plan.render import render_document_text
from landing_zone.plan.report import build_report
from tests.helpers import PROJECT_DIR, run_lz

PLAN_ITEM_MODELS = (
    PlanAccess,
    PlanGuardrail,
    PlanNotification,
    PlanPermissionSet,
    PlanPolicy,
    PlanRefusal,
    PlanViolation,
)
KINDS = [name for name in PlanChanges.__dataclass_fields__ if name not in ("base", "head")]


@pytest.fixture(scope="module")
def prod_plan(planned) -> dict[str, Any]:
    """The prod stack's plan file, with one advisory violation (the pack is not run here)."""
    document = plan_document(build_report("landing-zone", "prod", planned["prod"]))
    document["policy"] = {"pack": "landing-zone-policies", "config": None, "violations": [VIOLATION]}
    return json.loads(json.dumps(document))


VIOLATION = {"policy": "budget-exists", "level": "advisory", "message": "no budget", "urn": "urn:x::dev"}
ACCOUNT = {"name": "analytics", "email": "a@x.io", "ou": "Workloads", "id": "1", "closeOnDeletion": False, "import": None}  # fmt: skip
ACCESS = {"group": "Finance", "permissionSet": "Billing", "account": "dev"}
GUARDRAIL = {
    "policy": "deny-iam-users",
    "policyType": "SERVICE_CONTROL_POLICY",
    "target": "Sandbox",
    "targetType": "ORGANIZATIONAL_UNIT",
}
# The same target gaining a policy of another type is its own change.
RCP = {
    "policy": "deny-insecure-transport",
    "policyType": "RESOURCE_CONTROL_POLICY",
    "target": "Sandbox",
    "targetType": "ORGANIZATIONAL_UNIT",
}
REFUSAL = {"rule": "policies-per-target", "type": "aws:organizations/policyAttachment:PolicyAttachment", "name": "x", "urn": "u", "message": "six", "words": "w", "source": "s"}  # fmt: skip


def account(plan: dict, name: str) -> dict:
    return next(a for a in plan["accounts"] if a["name"] == name)


def appended(key: str, item: dict) -> Callable[[dict], None]:
    return lambda plan: plan[key].append(item)


def budget_of(plan: dict, name: str) -> dict:
    return next(b for b in plan["budgets"] if b["name"] == name)


def permission_set(plan: dict, name: str) -> dict:
    return next(p for p in plan["permissionSets"] if p["name"] == name)


# (id, change made to the base plan, {kind: what compare finds} base -> changed, the same changed -> base)
CASES: list[tuple[str, Callable[[dict], None], dict[str, Any], dict[str, Any]]] = [
    (
        "account",
        appended("accounts", ACCOUNT),
        {"accounts_added": ["analytics"]},
        {"accounts_removed": ["analytics"]},
    ),
    (
        "move",
        lambda plan: account(plan, "dev").update(ou="Workloads/Production"),
        {"accounts_moved": [AccountMove("dev", "Workloads/NonProduction", "Workloads/Production")]},
        {"accounts_moved": [AccountMove("dev", "Workloads/Production", "Workloads/NonProduction")]},
    ),
    (
        "close on deletion",
        lambda plan: account(plan, "dev").update(closeOnDeletion=True),
        {"account_edits": [Edit("dev", "closed on deletion", "no", "yes")]},
        {"account_edits": [Edit("dev", "closed on deletion", "yes", "no")]},
    ),
    (
        "email",
        lambda plan: account(plan, "dev").update(email="new@acme-corp.io"),
        {"account_edits": [Edit("dev", "root email", "aws-acme+dev@acme-corp.io", "new@acme-corp.io")]},
        {"account_edits": [Edit("dev", "root email", "new@acme-corp.io", "aws-acme+dev@acme-corp.io")]},
    ),
    (
        "ou",
        appended("organizationalUnits", "Archive"),
        {"ous_added": ["Archive"]},
        {"ous_removed": ["Archive"]},
    ),
    ("access", appended("access", ACCESS), {"access_granted": [ACCESS]}, {"access_revoked": [ACCESS]}),
    (
        "permission set",
        lambda plan: plan["permissionSets"].append({**permission_set(plan, "Billing"), "name": "Billing2"}),
        {"permission_sets_added": ["Billing2"]},
        {"permission_sets_removed": ["Billing2"]},
    ),
    (
        "session",
        lambda plan: permission_set(plan, "Billing").update(sessionDuration="PT12H"),
        {"permission_set_edits": [Edit("Billing", "session", "PT8H", "PT12H")]},
        {"permission_set_edits": [Edit("Billing", "session", "PT12H", "PT8H")]},
    ),
    (
        "guardrail",
        appended("guardrails", GUARDRAIL),
        {"guardrails_attached": [GUARDRAIL]},
        {"guardrails_detached": [GUARDRAIL]},
    ),
    (
        "resource control policy",
        appended("guardrails", RCP),
        {"guardrails_attached": [RCP]},
        {"guardrails_detached": [RCP]},
    ),
    (
        "budget",
        lambda plan: plan["budgets"].append({**budget_of(plan, "acme-monthly"), "name": "acme-extra"}),
        {"budgets_added": ["acme-extra"]},
        {"budgets_removed": ["acme-extra"]},
    ),
    (
        "budget limit",
        lambda plan: budget_of(plan, "acme-production-monthly").update(limitAmount="4000"),
        {"budget_edits": [Edit("acme-production-monthly", "limit", "3000 USD/monthly", "4000 USD/monthly")]},
        {"budget_edits": [Edit("acme-production-monthly", "limit", "4000 USD/monthly", "3000 USD/monthly")]},
    ),
    (
        "violation",
        lambda plan: plan["policy"]["violations"].append(
            {**VIOLATION, "level": "mandatory", "urn": "urn:x::prod"}
        ),
        {"violations_new": [{**VIOLATION, "level": "mandatory", "urn": "urn:x::prod"}]},
        {"violations_resolved": [{**VIOLATION, "level": "mandatory", "urn": "urn:x::prod"}]},
    ),
    ("refusal", appended("refusals", REFUSAL), {"refusals_new": [REFUSAL]}, {"refusals_resolved": [REFUSAL]}),
]


def found(changes: PlanChanges) -> dict[str, list]:
    """Every non-empty kind of change, items as the case tables spell them."""
    result = {}
    for kind in KINDS:
        items = getattr(changes, kind)
        if items:
            result[kind] = [_spelled(item) for item in items]
    return result


def _spelled(item: Any) -> Any:
    if isinstance(item, PlanAccount | PlanBudget):
        return item.name
    if isinstance(item, BaseModel):
        return item.model_dump(by_alias=True)
    return item


def snapshot(plan: dict) -> PlanSnapshot:
    return PlanSnapshot.model_validate_json(json.dumps(plan))


@pytest.mark.parametrize(("change", "forward", "backward"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_kind_of_change_is_found_both_ways_and_alone(prod_plan, change, forward, backward):
    changed = copy.deepcopy(prod_plan)
    change(changed)
    base, head = snapshot(prod_plan), snapshot(changed)
    for expected, got in (
        (forward, found(compare_plans(base, head))),
        (backward, found(compare_plans(head, base))),
    ):
        assert got.keys() == expected.keys()
        for kind, items in expected.items():
            # A plan file's item has more keys than compare reads (ids, sources): those it reads.
            assert [_read_keys(item, got[kind][0]) for item in items] == got[kind]


def _read_keys(item: Any, read: Any) -> Any:
    return {k: v for k, v in item.items() if k in read} if isinstance(item, dict) else item


def test_unchanged_plans_give_no_changes(prod_plan):
    plan = snapshot(prod_plan)
    changes = compare_plans(plan, plan)
    assert changes.empty and found(changes) == {}
    assert render_document_text(changes_document(changes, "base.json")) == (
        "Plan changes: stack prod\n\n"
        "Stack prod (project landing-zone) compared with base.json: offline plans under Pulumi's mocks.\n\n"
        "No changes.\n"
    )


def test_an_added_account_and_its_access_read_as_rows(prod_plan):
    changed = copy.deepcopy(prod_plan)
    changed["accounts"].append(ACCOUNT)
    changed["access"].append({**ACCESS, "account": "analytics"})
    changes = compare_plans(snapshot(prod_plan), snapshot(changed))
    text = render_document_text(changes_document(changes, "base.json"))
    assert text.splitlines()[4:] == [
        "Accounts:",
        "  Change  Account    OU         Notes",
        "  added   analytics  Workloads  root email a@x.io",
        "",
        "Access (IAM Identity Center):",
        "  Change   Group    Account    Permission set",
        "  granted  Finance  analytics  Billing",
    ]
    # The diagram shows the change only: the new account under its OU.
    markdown = render_markdown(changes_document(changes, "base.json"))
    assert markdown.split("```mermaid\n")[1].split("```")[0].splitlines() == [
        "flowchart LR",
        '  root["Root"]',
        '  ou1["Workloads/"]',
        "  root --> ou1",
        '  a1("analytics #40;added#41;")',
        "  ou1 --> a1",
        "  classDef added fill:#dafbe1,stroke:#1a7f37",
        "  class a1 added",
    ]


def test_a_removed_account_says_whether_it_closes(prod_plan):
    changed = copy.deepcopy(prod_plan)
    changed["accounts"] = [a for a in changed["accounts"] if a["name"] not in ("dev", "sandbox-bob")]
    changes = compare_plans(snapshot(prod_plan), snapshot(changed))
    lines = render_document_text(changes_document(changes, "b")).splitlines()
    assert (
        "  removed  sandbox-bob  Sandbox                  the account is closed (AWS CloseAccount: counts "
        "against the closure quota)" in lines
    )
    assert (
        "  removed  dev          Workloads/NonProduction  RELEASED, NOT CLOSED: leaves the stack, stays open "
        "in the organization" in lines
    )


def write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "base.json"
    path.write_text(content)
    return path


def plan_text(**changes: Any) -> Callable[[dict], str]:
    return lambda plan: json.dumps({**plan, **changes})


# (id, file content from the prod plan, the message after "lz plan: --compare: {path} ")
REFUSED: list[tuple[str, Callable[[dict], str] | None, str]] = [
    ("missing", None, "no plan file at {path}"),
    ("not json", lambda plan: "{not json", "{path} is not JSON: line 1 column 2: Expecting property name enclosed in double quotes"),
    ("a list", lambda plan: "[]", "{path} is not an lz plan (no lzPlanVersion): write it with lz plan --format json --output FILE"),
    ("no version", lambda plan: json.dumps({k: v for k, v in plan.items() if k != "lzPlanVersion"}), "{path} is not an lz plan (no lzPlanVersion): write it with lz plan --format json --output FILE"),
    ("version 2", plan_text(lzPlanVersion=2), "{path} is plan format version 2; this lz reads version 1: plan both sides with the same lz"),
    ("version true", plan_text(lzPlanVersion=True), "{path} is plan format version true; this lz reads version 1: plan both sides with the same lz"),
    ("version text", plan_text(lzPlanVersion="1"), '{path} is plan format version "1"; this lz reads version 1: plan both sides with the same lz'),
    ("accounts not a list", plan_text(accounts={"dev": {}}), "{path} is not a valid lz plan: accounts: Input should be a valid array"),
    ("a number for a name", lambda plan: json.dumps({**plan, "accounts": [{**plan["accounts"][0], "name": 7}]}), "{path} is not a valid lz plan: accounts[0].name: Input should be a valid string"),
    ("missing key", lambda plan: json.dumps({k: v for k, v in plan.items() if k != "access"}), "{path} is not a valid lz plan: access: Field required"),
    ("duplicate account", lambda plan: json.dumps({**plan, "accounts": plan["accounts"] + plan["accounts"][:1]}), "{path} is not a valid lz plan: Value error, accounts: the name sandbox-alice appears twice"),
    ("a number for an OU", lambda plan: json.dumps({**plan, "accounts": [{**plan["accounts"][0], "ou": 1}]}), "{path} is not a valid lz plan: accounts[0].ou: Input should be a valid string"),
    ("escape sequence in a key", lambda plan: json.dumps({**plan, "permissionSets": [{**plan["permissionSets"][0], "customerManagedPolicies": [{"\x1b[2J": 1}]}]}), "{path} is not a valid lz plan: permissionSets[0].customerManagedPolicies[0].\\x1b[2J: Input should be a valid string"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_file_that_is_not_a_plan_of_this_version_is_refused_naming_it(
    capsys, tmp_path, prod_plan, content, message
):
    path = tmp_path / "base.json" if content is None else write(tmp_path, content(prod_plan))
    code, out, err = run_lz(capsys, "plan", "--stack", "prod", "--no-policy", "--compare", str(path))
    assert (code, out) == (2, "")
    assert err == f"lz plan: --compare: {message.format(path=path)}\n"


def test_the_plan_file_round_trips_through_the_cli(capsys, tmp_path):
    path = tmp_path / "plan.json"
    code, out, err = run_lz(
        capsys, "plan", "--stack", "prod", "--no-policy", "--format", "json", "--output", str(path)
    )
    assert (code, out, err) == (0, "", "")
    assert json.loads(path.read_text())["lzPlanVersion"] == 1
    code, out, err = run_lz(
        capsys, "plan", "--stack", "prod", "--no-policy", "--compare", str(path), "--format", "json"
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["empty"] is True and document["stack"] == "prod"
    assert set(document["changes"]) == {
        "ousAdded", "ousRemoved", "accountsAdded", "accountsRemoved", "accountsMoved", "accountEdits",
        "accessGranted", "accessRevoked", "permissionSetsAdded", "permissionSetsRemoved", "permissionSetEdits",
        "guardrailsAttached", "guardrailsDetached", "budgetsAdded", "budgetsRemoved", "budgetEdits",
        "violationsNew", "violationsResolved", "refusalsNew", "refusalsResolved",
    }  # fmt: skip


def test_the_plan_file_doc_names_every_key_written_and_read(prod_plan):
    doc = (PROJECT_DIR / "docs" / "plan-file.md").read_text()
    written = set(prod_plan) | {
        key
        for item in ("accounts", "guardrails", "budgets", "permissionSets", "access")
        for key in prod_plan[item][0]
    }
    read = {
        field.alias or name
        for model in (PlanSnapshot, PlanAccount, PlanBudget, *PLAN_ITEM_MODELS)
        for name, field in model.model_fields.items()
    }
    changes = {json_name(kind) for kind in KINDS}
    missing = sorted(key for key in written | read | changes if key not in doc)
    assert missing == []


@pytest.mark.parametrize(("without", "words"), [("head", "this plan"), ("base", "the base plan")])
def test_violations_are_not_compared_with_a_plan_the_pack_did_not_run_on(prod_plan, without, words):
    no_policy = {k: v for k, v in prod_plan.items() if k != "policy"}
    base, head = (prod_plan, no_policy) if without == "head" else (no_policy, prod_plan)
    changes = compare_plans(snapshot(base), snapshot(head))
    assert (changes.violations_new, changes.violations_resolved, changes.policies_compared) == ((), (), False)
    assert render_document_text(changes_document(changes, "b")).splitlines()[-2:] == [
        "Policies and AWS rules:",
        f"  Policy violations not compared: the policy pack did not run on {words}.",
    ]


def test_output_replaces_a_file_whole_and_names_one_it_cannot_write(capsys, tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("an older plan\n")
    code, out, err = run_lz(
        capsys, "plan", "--stack", "dev", "--no-policy", "--format", "markdown", "--output", str(path)
    )
    assert (code, out, err) == (0, "", "")
    assert path.read_text().startswith("## Plan of stack dev\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]  # no temporary file left

    missing = tmp_path / "missing" / "plan.md"
    code, out, err = run_lz(capsys, "plan", "--stack", "dev", "--no-policy", "--output", str(missing))
    assert (code, out) == (2, "")
    assert err == f"lz plan: --output: cannot write {missing}: No such file or directory\n"


def test_a_suspension_is_a_state_edit(prod_plan):
    changed = copy.deepcopy(prod_plan)
    for account in changed["accounts"]:
        if account["name"] == "dev":
            account["state"], account["ou"] = "suspended", "Suspended"
    changes = compare_plans(snapshot(prod_plan), snapshot(changed))
    assert [(e.subject, e.setting, e.before, e.after) for e in changes.account_edits] == [
        ("dev", "state", "active", "suspended")
    ]
    assert [(m.account, m.before, m.after) for m in changes.accounts_moved] == [
        ("dev", "Workloads/NonProduction", "Suspended")
    ]
    legacy = {
        **prod_plan,
        "accounts": [{k: v for k, v in a.items() if k != "state"} for a in prod_plan["accounts"]],
    }
    assert compare_plans(snapshot(legacy), snapshot(prod_plan)).account_edits == ()
