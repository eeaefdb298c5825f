"""What a config change does to existing accounts: closures within AWS's quota, and the edits
the program cannot apply to an account that exists."""

from __future__ import annotations

import json

import pytest

from landing_zone.config import load_from_mapping
from landing_zone.config.changes import Edit, account_changes, closure_quota
from tests.builders import stack_values
from tests.helpers import run_lz, write_stack

SANDBOXES = [
    {"name": f"sandbox-{n}", "closeOnDeletion": True, "tags": {"environment": "sandbox"}} for n in range(3)
]


def config(accounts, **organization):
    return load_from_mapping(stack_values(accounts=accounts, organization_changes=organization or None))


@pytest.mark.parametrize(
    ("members", "quota"), [(1, 10), (99, 10), (100, 10), (109, 10), (110, 11), (5000, 500), (20000, 1000)]
)
def test_closure_quota_is_ten_percent_between_10_and_1000(members, quota):
    assert closure_quota(members) == quota


def test_removed_accounts_are_closed_when_disposable_and_released_otherwise():
    before = config([{"name": "audit"}, {"name": "legacy"}, *SANDBOXES])
    after = config([{"name": "audit"}, SANDBOXES[1]])
    changes = account_changes(before, after)
    assert (changes.closed, changes.released) == (("sandbox-0", "sandbox-2"), ("legacy",))
    assert (changes.closure_quota, changes.over_quota) == (10, False)


def test_closing_more_than_the_quota_is_flagged():
    sandboxes = [{"name": f"sb-{n:02}", "closeOnDeletion": True} for n in range(11)]
    changes = account_changes(config([{"name": "audit"}, *sandboxes]), config([{"name": "audit"}]))
    assert (len(changes.closed), changes.closure_quota, changes.over_quota) == (11, 10, True)


def test_role_name_and_email_edits_are_found_renames_are_not_edits():
    before = config([{"name": "audit"}, {"name": "dev", "roleName": "Admin"}, {"name": "old"}])
    after = config(
        [{"name": "audit"}, {"name": "dev", "roleName": "LandingZoneAccess"}, {"name": "new"}],
        emailPattern="aws+{account}@{domain}",
    )
    changes = account_changes(before, after)
    assert changes.role_names == (Edit("dev", "Admin", "LandingZoneAccess"),)
    assert changes.emails == (
        Edit("audit", "aws-acme+audit@acme-corp.io", "aws+audit@acme-corp.io"),
        Edit("dev", "aws-acme+dev@acme-corp.io", "aws+dev@acme-corp.io"),
    )
    assert changes.released == ("old",)  # `new` is another account, as Pulumi sees it


def test_an_email_that_only_changes_case_is_the_same_address():
    before = config([{"name": "audit", "email": "Audit@acme-corp.io"}])
    after = config([{"name": "audit", "email": "audit@acme-corp.io"}])
    assert account_changes(before, after).emails == ()


def test_lz_plan_previous_lists_what_the_change_does_and_fails_past_the_quota(capsys, tmp_path):
    sandboxes = [{"name": f"sb-{n:02}", "closeOnDeletion": True} for n in range(12)]
    before = write_stack(
        tmp_path,
        stack_values(accounts=[{"name": "audit"}, {"name": "legacy"}, *sandboxes]),
        "Pulumi.old.yaml",
    )
    after = write_stack(
        tmp_path,
        stack_values(accounts=[{"name": "audit", "roleName": "LandingZoneAccess"}, sandboxes[0]]),
        "Pulumi.new.yaml",
    )
    code, out, err = run_lz(
        capsys, "plan", "--config-file", str(after), "--previous", str(before), "--no-policy"
    )
    assert (code, err) == (1, "")
    closed = ", ".join(f"sb-{n:02}" for n in range(1, 12))
    assert out.endswith(
        "\nChanges to existing accounts (against --previous):\n"
        f"  closed: {closed} (uses 11 of the 10 closures AWS allows per rolling 30 days: "
        "OVER THE QUOTA: close fewer at a time)\n"
        "  RELEASED, NOT CLOSED: legacy leave the stack and stay in the organization, open "
        "(to close an account: state: suspended, then state: closed)\n"
        "  roleName of audit: OrganizationAccountAccessRole -> LandingZoneAccess (not applied to the account; "
        "the stack would assume the new role: create it first)\n"
    )
    code, out, err = run_lz(
        capsys,
        "plan",
        "--config-file",
        str(after),
        "--previous",
        str(before),
        "--no-policy",
        "--format",
        "json",
    )
    assert code == 1
    assert json.loads(out)["accountChanges"] == {
        "closed": [f"sb-{n:02}" for n in range(1, 12)],
        "released": ["legacy"],
        "roleNames": [
            {"account": "audit", "before": "OrganizationAccountAccessRole", "after": "LandingZoneAccess"}
        ],
        "emails": [],
        "closureQuota": 10,
        "overQuota": True,
        "renames": [],
        "suspended": [],
        "reactivated": [],
        "refused": [],
    }


def test_lz_plan_previous_must_be_a_valid_stack_file(capsys, tmp_path):
    after = write_stack(tmp_path, stack_values(), "Pulumi.new.yaml")
    missing = tmp_path / "nope.yaml"
    assert run_lz(capsys, "plan", "--config-file", str(after), "--previous", str(missing)) == (
        2,
        "",
        f"lz plan: --previous: no stack config file at {missing}\n",
    )
    broken = write_stack(tmp_path, stack_values(accounts=[{"name": "a", "ou": "Nowhere"}]), "Pulumi.old.yaml")
    assert run_lz(capsys, "plan", "--config-file", str(after), "--previous", str(broken)) == (
        2,
        "",
        f"lz plan: --previous: {broken} is not a valid stack config: "
        "landing-zone:accounts[0].ou: OU 'Nowhere' is not defined in organizationalUnits\n",
    )
