"""`lz account`: in-place edits of the stack file (round trip, byte for byte outside the entry),
their errors, and the life cycle end to end from the prod example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from landing_zone.config import load_from_mapping, read_stack_file
from landing_zone.config.changes import account_changes
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.resource_types import ACCOUNT, ACCOUNT_ASSIGNMENT
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from tests.helpers import PROJECT_DIR, run_lz

PROD = PROJECT_DIR / "Pulumi.prod.yaml"


@pytest.fixture
def stack_file(tmp_path: Path) -> Path:
    """A copy of the prod example (it has a suspended OU)."""
    path = tmp_path / "Pulumi.prod.yaml"
    path.write_text(PROD.read_text())
    return path


def account(capsys, stack_file: Path, *argv: str):
    return run_lz(capsys, "account", *argv, "--config-file", str(stack_file))


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines only in `before`, and only in `after`, once the common head and tail are cut."""
    old, new = before.splitlines(True), after.splitlines(True)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return old[head : len(old) - tail], new[head : len(new) - tail]


@pytest.mark.parametrize(
    ("argv", "removed", "added"),
    [
        (
            ("add", "payments", "--ou", "Workloads/Production"),
            [],
            ["    - name: payments\n", "      ou: Workloads/Production\n"],
        ),
        (
            ("add", "payments", "--ou", "Sandbox", "--email", "payments@acme-corp.io"),
            [],
            ["    - name: payments\n", "      ou: Sandbox\n", "      email: payments@acme-corp.io\n"],
        ),
        (("move", "dev", "--ou", "Workloads/Production"), ["      ou: Workloads/NonProduction\n"],
         ["      ou: Workloads/Production\n"]),
        (("suspend", "staging"), [], ["      state: suspended\n"]),
        (("suspend", "staging", "--allow-close"), [], ["      state: suspended\n", "      allowClose: true\n"]),
    ],
    ids=["add", "add-with-email", "move", "suspend", "suspend-allow-close"],
)  # fmt: skip
def test_an_edit_changes_only_its_entry_and_a_second_run_changes_nothing(
    capsys, stack_file, argv, removed, added
):
    before = stack_file.read_text()
    code, out, err = account(capsys, stack_file, *argv)
    assert (code, err) == (0, "")
    after = stack_file.read_text()
    assert changed_lines(before, after) == (removed, added)
    assert out.startswith(f"--- a/{stack_file.name}\n+++ b/{stack_file.name}\n@@ ")
    # Comments outside the entry are all still there, in order.
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == comments
    load_from_mapping(read_stack_file(stack_file))
    code, out, err = account(capsys, stack_file, *argv)
    assert (code, err) == (0, "") and "nothing to change" in out
    assert stack_file.read_text() == after


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("add", "x", "--ou", "Nowhere"),
            "lz account: --ou: OU 'Nowhere' is not defined in landing-zone:organizationalUnits (known: "
            "Sandbox, Security, Suspended, Workloads, Workloads/NonProduction, Workloads/Production)\n",
        ),
        (("add", "Dev", "--ou", "Sandbox"), "lz account: NAME: account name 'dev' is already taken\n"),
        (("move", "ghost", "--ou", "Sandbox"), "lz account: NAME: no account named 'ghost' in landing-zone:accounts\n"),
        (
            ("close", "dev"),
            "lz account: NAME: account 'dev' is active: suspend it first (lz account suspend), deploy, then close it\n",
        ),
        (
            ("add", "x", "--ou", "Sandbox", "--email", "not-an-email"),
            "lz account add: the result would not be valid; {path} is unchanged:\n"
            "landing-zone:accounts[7].email: 'not-an-email' is not a valid email address\n",
        ),
        (
            ("move", "dev", "--ou", "Suspended"),
            "lz account move: the result would not be valid; {path} is unchanged:\n"
            "landing-zone:accounts[4].ou: 'Suspended' is the suspended OU (organization.suspendedOu), where "
            "every action is denied: set state: suspended instead, or choose another OU\n",
        ),
    ],
    ids=["unknown-ou", "name-taken", "unknown-account", "close-active", "invalid-email", "into-suspended-ou"],
)  # fmt: skip
def test_bad_edits_name_the_argument_exit_2_and_write_nothing(capsys, stack_file, argv, message):
    before = stack_file.read_bytes()
    code, out, err = account(capsys, stack_file, *argv)
    assert (code, out) == (2, "")
    assert err == message.format(path=stack_file)
    assert stack_file.read_bytes() == before
    assert list(stack_file.parent.iterdir()) == [stack_file]


# --- end to end: add, move, suspend, close ----------------------------------------------------------


def plan(path: Path) -> PlanResult:
    return run_program(PROJECT_DIR, "landing-zone", "prod", read_stack_file(path))


def accounts_of(result: PlanResult) -> dict[str, dict]:
    return {a.inputs["name"]: a for a in result.of_type(ACCOUNT)}


def replace_forcing(account) -> tuple:
    """What would replace an account (pulumi-aws: email, roleName, iamUserAccessToBilling; name
    updates in place) and what would delete it (its logical name, its options)."""
    inputs = account.inputs
    return (account.urn, inputs["email"], inputs.get("roleName"), inputs.get("iamUserAccessToBilling"),
            account.protect, account.retain_on_delete)  # fmt: skip


def test_from_the_prod_example_add_move_suspend_close(capsys, stack_file, tmp_path):
    base = plan(stack_file)
    others = {name: replace_forcing(a) for name, a in accounts_of(base).items()}
    steps = [
        ("add", "payments", "--ou", "Workloads/Production"),
        ("move", "payments", "--ou", "Workloads/NonProduction"),
        ("suspend", "payments", "--allow-close"),
        ("close", "payments"),
    ]
    results = []
    for index, step in enumerate(steps):
        previous = tmp_path / f"deployed-{index}.yaml"
        shutil.copy(stack_file, previous)
        code, out, err = account(capsys, stack_file, *step)
        assert (code, err) == (0, ""), step
        code, out, err = run_lz(
            capsys, "validate", "--config-file", str(stack_file), "--previous", str(previous)
        )
        assert code == 0, (step, err)
        changes = account_changes(
            load_from_mapping(read_stack_file(previous)), load_from_mapping(read_stack_file(stack_file))
        )
        result = plan(stack_file)
        assert result.refusals == [], step
        assert {n: replace_forcing(a) for n, a in accounts_of(result).items() if n != "payments"} == others
        results.append((changes, result))
    ou_ids = {ou.inputs["name"]: ou.id for ou in base.of_type(OU)}
    (added, added_plan), (moved, moved_plan), (suspended, suspended_plan), (closed, closed_plan) = results
    payments = accounts_of(added_plan)["payments"]
    assert (payments.inputs["parentId"], payments.protect, payments.inputs["closeOnDeletion"]) == (
        ou_ids["Production"],
        True,
        False,
    )
    moved_account = accounts_of(moved_plan)["payments"]
    assert (moved_account.urn, moved_account.inputs["parentId"]) == (payments.urn, ou_ids["NonProduction"])
    armed = accounts_of(suspended_plan)["payments"]
    assert (
        armed.inputs["parentId"],
        armed.protect,
        armed.retain_on_delete,
        armed.inputs["closeOnDeletion"],
    ) == (ou_ids["Suspended"], False, False, True)
    assert suspended.suspended == ("payments",)
    # The policy pack, as `pulumi preview --policy-pack policy` runs it, accepts the armed account.
    suspended_file = tmp_path / "suspended" / "Pulumi.prod.yaml"  # stack prod: the pack's config.prod.json
    suspended_file.parent.mkdir()
    shutil.copy(tmp_path / "deployed-3.yaml", suspended_file)
    code, out, err = run_lz(
        capsys, "plan", "--config-file", str(suspended_file), "--previous", str(tmp_path / "deployed-2.yaml")
    )
    assert (code, err) == (0, "")
    assert "/config.prod.json): 0 violations, 0 mandatory\n" in out
    assert (
        "  suspended: payments (to the suspended OU; Identity Center assignments and baseline removed; contacts kept)\n"
        in out
    )
    ids = {name: a.id for name, a in accounts_of(suspended_plan).items()}
    assert ids["payments"] not in {r.inputs["targetId"] for r in suspended_plan.of_type(ACCOUNT_ASSIGNMENT)}
    assert "payments" not in accounts_of(closed_plan)
    assert (closed.closed, closed.released, closed.refused, closed.closure_quota) == (
        ("payments",),
        (),
        (),
        10,
    )
    assert "state: closed" in stack_file.read_text()  # the entry stays, as a record


# --- name and email, in place in AWS (moto for Organizations, Stubber for the Account API) ---------


@pytest.fixture
def organization(monkeypatch):
    """A moto organization with the prod example's `dev`, and the Account API stubbed (moto has
    no PutAccountName nor primary email update): what lz account rename / change-email call."""
    import boto3
    from botocore.stub import Stubber
    from moto import mock_aws

    from landing_zone.cli import aws
    from landing_zone.live.session import Clients
    from tests.live.conftest import _fake_aws

    _fake_aws(monkeypatch)
    with mock_aws():
        clients = Clients(boto3.Session(region_name="eu-west-1"))
        organizations = clients.client("organizations")
        organizations.create_organization(FeatureSet="ALL")
        created = organizations.create_account(Email="aws-acme+dev@acme-corp.io", AccountName="dev")
        account_id = created["CreateAccountStatus"]["AccountId"]
        stubber = Stubber(clients.client("account"))
        monkeypatch.setattr(aws, "clients_from_args", lambda args: clients)
        with stubber:
            yield account_id, stubber


def test_rename_calls_put_account_name_then_sets_display_name(capsys, stack_file, organization):
    account_id, stubber = organization
    stubber.add_response("put_account_name", {}, {"AccountId": account_id, "AccountName": "Development"})
    before = stack_file.read_text()
    code, out, err = account(capsys, stack_file, "rename", "dev", "--to", "Development")
    assert (code, err) == (0, "")
    assert out.startswith(f"renamed {account_id} to Development in AWS\n--- a/")
    assert changed_lines(before, stack_file.read_text())[1] == ["      displayName: Development\n"]
    stubber.assert_no_pending_responses()
    code, out, _ = account(capsys, stack_file, "rename", "dev", "--to", "Development")
    assert (code, out) == (0, "account 'dev' already has displayName Development: nothing to change\n")


def test_change_email_starts_accepts_with_the_code_then_sets_email(
    capsys, stack_file, organization, monkeypatch
):
    account_id, stubber = organization
    new = "aws-acme+development@acme-corp.io"
    stubber.add_response(
        "start_primary_email_update", {"Status": "PENDING"}, {"AccountId": account_id, "PrimaryEmail": new}
    )
    stubber.add_response(
        "accept_primary_email_update",
        {"Status": "ACCEPTED"},
        {"AccountId": account_id, "PrimaryEmail": new, "Otp": "123456"},
    )
    monkeypatch.setattr("builtins.input", lambda prompt: "123456")
    code, out, err = account(capsys, stack_file, "change-email", "dev", "--email", new)
    assert (code, err) == (0, "")
    assert out.startswith(
        f"AWS sent a one-time code to {new} (update PENDING)\nroot email of {account_id} is now {new} (ACCEPTED)\n"
    )
    assert f"      email: {new}\n" in stack_file.read_text()
    stubber.assert_no_pending_responses()


def test_change_email_for_an_account_aws_does_not_know_changes_nothing(capsys, stack_file, organization):
    before = stack_file.read_bytes()
    code, out, err = account(
        capsys, stack_file, "change-email", "staging", "--email", "x@acme-corp.io", "--otp", "1"
    )
    assert (code, out) == (2, "")
    assert (
        err
        == "lz account: NAME: no account of the organization has the root email aws-acme+staging@acme-corp.io\n"
    )
    assert stack_file.read_bytes() == before


def test_windows_line_endings_and_comments_in_the_entry_are_kept(capsys, tmp_path):
    path = tmp_path / "Pulumi.prod.yaml"
    text = PROD.read_text().replace(
        "    - name: dev\n", "    - name: dev  # the developers' shared account\n"
    )
    path.write_bytes(text.replace("\n", "\r\n").encode())
    code, _, err = account(capsys, path, "move", "dev", "--ou", "Sandbox")
    assert (code, err) == (0, "")
    expected = text.replace(
        "    - name: dev  # the developers' shared account\n      ou: Workloads/NonProduction\n",
        "    - name: dev  # the developers' shared account\n      ou: Sandbox\n",
    )
    assert expected != text
    assert path.read_bytes() == expected.replace("\n", "\r\n").encode()


# --- accounts in account files (accountFiles), and account stacks (issue 17) -----------------------

BU00_FILE = """\
# Business unit 00: one entry per account request.
accounts:
  - name: app0  # the first app
    ou: Workloads/bu00
  # closed next quarter
  - name: app1
    ou: Workloads/bu00
"""


@pytest.fixture
def split_project(tmp_path: Path) -> Path:
    """org (accountFiles: accounts) with the account stack bu00 (Workloads/bu00); app0 and app1 in
    accounts/bu00.yaml, audit in the organization stack file."""
    from tests.split_project import account_stack_values, organization_values, write_project

    return write_project(
        tmp_path / "project",
        {
            "org": organization_values(
                account_stacks={"bu00": ["Workloads/bu00"]},
                extra_units=("Suspended",),
                organization_changes={"suspendedOu": "Suspended"},
                guardrails=[{"guardrail": "deny-all-suspended", "organizationalUnits": ["Suspended"]}],
                accountFiles=["accounts"],
            ),
            "bu00": account_stack_values(),
            "bu01": account_stack_values(),
        },
        {"accounts/bu00.yaml": BU00_FILE},
    )


def in_project(capsys, project: Path, stack: str, *argv: str):
    run = run_lz(capsys, "account", *argv, "--stack", stack, "--project-dir", str(project))
    return run.code, run.out, run.err.replace(str(project), "{project}")


def snapshot(project: Path) -> dict[str, str]:
    return {
        p.relative_to(project).as_posix(): p.read_text() for p in sorted(project.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("stack", ["org", "bu00"])
def test_an_account_in_a_file_is_edited_there_comments_kept(capsys, split_project, stack):
    before = snapshot(split_project)
    code, out, err = in_project(capsys, split_project, stack, "suspend", "app1")
    assert (code, err) == (0, "")
    assert out.startswith("--- a/accounts/bu00.yaml\n+++ b/accounts/bu00.yaml\n")
    after = snapshot(split_project)
    assert {name for name in after if after[name] != before.get(name)} == {"accounts/bu00.yaml"}
    assert after["accounts/bu00.yaml"] == BU00_FILE.replace(
        "  - name: app1\n", "  - name: app1\n    state: suspended\n"
    )
    assert in_project(capsys, split_project, stack, "suspend", "app1") == (
        0, "account 'app1' is already suspended: nothing to change\n", ""
    )  # fmt: skip


def test_a_file_written_by_lz_import_keeps_its_indentation(capsys, split_project):
    imported = "accounts:\n- name: app0\n  ou: Workloads/bu00\n- name: app1\n  ou: Workloads/bu00\n"
    (split_project / "accounts/bu00.yaml").write_text(imported)
    code, _, err = in_project(capsys, split_project, "org", "move", "app0", "--ou", "Workloads/bu01")
    assert code == 0
    assert (split_project / "accounts/bu00.yaml").read_text() == imported.replace(
        "  ou: Workloads/bu00\n- name: app1", "  ou: Workloads/bu01\n- name: app1"
    )
    assert err == (
        "warning: account 'app0' moves from stack bu00 to stack org: move its resources with "
        "`pulumi state move --source bu00 --dest org` before either stack runs pulumi up\n"
    )


@pytest.mark.parametrize(
    ("argv", "changed", "added"),
    [
        (("add", "app9", "--ou", "Security"), "Pulumi.org.yaml", "- name: app9\n"),
        (("add", "app9", "--ou", "Workloads/bu00", "--file", "accounts/bu00.yaml"), "accounts/bu00.yaml",
         "  - name: app9\n    ou: Workloads/bu00\n"),
        (("add", "app9", "--ou", "Workloads/bu00", "--file", "accounts/new/bu07.yaml"), "accounts/new/bu07.yaml",
         "accounts:\n  - name: app9\n    ou: Workloads/bu00\n"),
    ],
    ids=["default: the stack file's own list", "an account file", "a new file under the folder"],
)  # fmt: skip
def test_add_to_a_stack_with_account_files(capsys, split_project, argv, changed, added):
    before = snapshot(split_project)
    code, out, err = in_project(capsys, split_project, "org", *argv)
    assert (code, err) == (0, "")
    after = snapshot(split_project)
    assert {name for name in after if after[name] != before.get(name)} == {changed}
    assert added in after[changed]
    assert BU00_FILE.splitlines()[0] in after["accounts/bu00.yaml"]
    validated = run_lz(capsys, "validate", "--stack", "org", "--project-dir", str(split_project))
    assert validated.code == 0, validated.err


@pytest.mark.parametrize(
    ("stack", "argv", "message"),
    [
        ("org", ("add", "x", "--ou", "Security", "--file", "../x.yaml"),
         "lz account: --file: '../x.yaml' must be a .yaml file in the project, relative to it, not hidden\n"),
        ("org", ("add", "x", "--ou", "Security", "--file", "accounts/.x.yaml"),
         "lz account: --file: 'accounts/.x.yaml' must be a .yaml file in the project, relative to it, not hidden\n"),
        ("org", ("add", "x", "--ou", "Security", "--file", "other/x.yaml"),
         "lz account: --file: other/x.yaml would not be read: put it under a folder accountFiles names (accounts), "
         "or name it there first\n"),
        ("org", ("add", "x", "--ou", "Security", "--file", "Pulumi.bu00.yaml"),
         "lz account: --file: Pulumi.bu00.yaml is not read by the stack: name it in accountFiles first\n"),
        ("bu01", ("suspend", "app0"),
         "lz account: NAME: account 'app0' is deployed by stack bu00, not bu01: run the command with --stack bu00\n"),
        ("bu00", ("add", "x", "--ou", "Security"),
         "lz account: --ou: the accounts of Security are deployed by stack org, not bu00: choose an OU of bu00's "
         "(Workloads/bu00), or run the command with --stack org\n"),
        ("org", ("add", "x", "--ou", "Workloads/bu00", "--file", "accounts/bu00.yaml", "--email",
                 "aws-acme+app0@acme-corp.io"),
         "lz account add: the result would not be valid; {project}/accounts/bu00.yaml is unchanged:\n"
         "accounts/bu00.yaml: accounts[2].email: same address as accounts/bu00.yaml: accounts[0] (app0)\n"),
    ],
    ids=["escape", "hidden", "not-read", "not-an-account-file", "another-slice", "add-outside-the-slice",
         "invalid"],
)  # fmt: skip
def test_refused_edits_on_files_write_nothing(capsys, split_project, stack, argv, message):
    before = snapshot(split_project)
    code, out, err = in_project(capsys, split_project, stack, *argv)
    assert (code, out, err) == (2, "", message)
    assert snapshot(split_project) == before
    assert [p.name for p in split_project.iterdir() if p.name.startswith(".")] == []
