"""`lz preflight` against moto, beyond one missing prerequisite: no organization, another
feature set, what `pulumi up` will overwrite in a member account, what moto cannot answer, and
live names that try to rewrite the terminal."""

from __future__ import annotations

from typing import Any

import pytest

from landing_zone.cli.preflight import exit_code, line, render_text
from tests.builders import stack_values
from tests.preflight.planted import MANAGEMENT_ACCOUNT_ID, member_iam, plant_ready, ready_stack
from tests.preflight.test_preflight_moto import lines, preflight


@pytest.mark.parametrize(
    ("create", "expected"),
    [
        (
            False,
            f"BLOCKED organization.expected  account {MANAGEMENT_ACCOUNT_ID}: is in no organization; fix: set "
            "organization.create: true, or create it (aws organizations create-organization --feature-set ALL)",
        ),
        (
            True,
            f"READY   organization.expected  account {MANAGEMENT_ACCOUNT_ID}: no organization yet; pulumi up creates it",
        ),
    ],
)
def test_without_an_organization_only_the_organization_is_checked(session, create, expected):
    values = ready_stack_without_imports(create=create)
    report = preflight(session, values)
    assert [line(p) for p in report.prerequisites] == [expected]
    assert exit_code(report, fail_on_unknown=False) == (0 if create else 1)


def ready_stack_without_imports(create: bool) -> dict[str, Any]:
    """A stack with nothing in the organization yet, which it creates or looks up."""
    return stack_values(organization_changes={"create": create}, organizational_units=[], accounts=[])


def test_a_stack_that_creates_an_existing_organization_is_blocked(session):
    planted = plant_ready(session)
    values = ready_stack_without_imports(create=True)
    report = preflight(session, values)
    assert lines(report, "blocked") == [
        f"BLOCKED organization.expected  organization {planted.organization_id}: organization.create is true "
        f"and account {MANAGEMENT_ACCOUNT_ID} already manages {planted.organization_id} (CreateOrganization "
        f"would fail); fix: remove organization.create to look the organization up, or set organization.import: "
        f"{planted.organization_id}",
    ]


def test_consolidated_billing_is_blocked(session):
    session.client("organizations").create_organization(FeatureSet="CONSOLIDATED_BILLING")
    report = preflight(session, ready_stack_without_imports(create=False))
    organization_id = session.client("organizations").describe_organization()["Organization"]["Id"]
    assert lines(report, "blocked")[0] == (
        f"BLOCKED organization.all-features  organization {organization_id}: feature set is CONSOLIDATED_BILLING; "
        "the stack needs ALL (policies, trusted access); fix: AWS Organizations console > Settings > Begin "
        "process to enable all features (aws organizations enable-all-features; every member account must "
        "approve)"
    )


def test_what_pulumi_up_overwrites_in_a_member_account_is_said(session):
    planted = plant_ready(session)
    iam = member_iam(session, planted.audit_id)
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=24)
    iam.create_account_alias(AccountAlias="old-audit")
    session.client("iam").update_account_password_policy(MinimumPasswordLength=20, PasswordReusePrevention=24)
    values = ready_stack(planted)
    values["landing-zone:baseline"]["accountAlias"] = "acme-corp-{account}"
    report = preflight(session, values)
    assert lines(report, "blocked") == []
    notes = [p for p in lines(report, "ready") if "pulumi up replaces" in p]
    assert notes == [
        f"READY   management.password-policy  management account {MANAGEMENT_ACCOUNT_ID}: pulumi up replaces its "
        "password policy (minimum length 20 -> 14, lowercase false -> true, uppercase false -> true, numbers "
        "false -> true, symbols false -> true)",
        f"READY   member.password-policy  account 'audit' ({planted.audit_id}): pulumi up replaces its password "
        "policy (minimum length 8 -> 14, lowercase false -> true, uppercase false -> true, numbers false -> "
        "true, symbols false -> true)",
        f"READY   member.alias  account 'audit' ({planted.audit_id}): pulumi up replaces alias 'old-audit' with "
        "'acme-corp-audit' (IAM keeps one alias per account)",
    ]


def test_service_quotas_that_cannot_answer_make_the_account_quota_unknown(session):
    planted = plant_ready(session)
    report = preflight(session, ready_stack(planted), quota=None)
    assert lines(report, "unknown") == [
        "UNKNOWN quota.accounts  accounts: cannot tell: not implemented by this endpoint: The "
        "list_service_quotas action has not been implemented",
    ]
    assert exit_code(report, fail_on_unknown=False) == 0
    assert exit_code(report, fail_on_unknown=True) == 1


def test_live_names_are_shown_escaped(session):
    planted = plant_ready(session)
    hostile = "prod\x1b[2K\rREADY\nall good\u202e"
    session.client("organizations").create_account(
        Email="aws-acme+production@acme-corp.io", AccountName=hostile
    )
    report = preflight(session, ready_stack(planted))
    text = render_text(report)
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    (blocked,) = lines(report, "blocked")
    assert "(prod\\x1b[2K\\rREADY\\nall good\\u202e); CreateAccount would fail" in blocked
    assert text.count("\n") == len(report.prerequisites) + 4  # header, blank, lines, blank, summary


@pytest.mark.parametrize(("sandboxes", "blocked"), [(10, False), (11, True)])
def test_closures_past_the_quota_are_blocked(session, sandboxes, blocked):
    planted = plant_ready(session)
    values = ready_stack(planted)
    previous = ready_stack(planted)
    names = [f"sandbox-{index:02d}" for index in range(sandboxes)]
    previous["landing-zone:accounts"] += [
        {"name": n, "ou": "Workloads", "closeOnDeletion": True} for n in names
    ]
    report = preflight(session, values, previous=previous)
    closures = [line(p) for p in report.prerequisites if p.id == "quota.closures"]
    if blocked:
        assert closures == [
            f"BLOCKED quota.closures  11 accounts closed: {', '.join(names)}; AWS closes at most 10 per rolling "
            "30 days; fix: close at most 10 in this change: keep 1 of them in accounts until a later one"
        ]
    else:
        assert closures == [
            "READY   quota.closures  10 accounts closed: uses 10 of the 10 closures AWS allows per rolling 30 days"
        ]


def test_accounts_closed_in_the_last_90_days_make_the_quota_unknown(session):
    planted = plant_ready(session)
    organizations = session.client("organizations")
    gone = organizations.create_account(Email="aws-acme+gone@acme-corp.io", AccountName="gone")
    organizations.close_account(AccountId=gone["CreateAccountStatus"]["AccountId"])
    values, previous = ready_stack(planted), ready_stack(planted)
    names = [f"sandbox-{index:02d}" for index in range(10)]
    previous["landing-zone:accounts"] += [
        {"name": n, "ou": "Workloads", "closeOnDeletion": True} for n in names
    ]
    report = preflight(session, values, previous=previous)
    assert [line(p) for p in report.prerequisites if p.id == "quota.closures"] == [
        "UNKNOWN quota.closures  10 accounts closed: uses 10 of the 10 closures AWS allows per rolling 30 "
        "days, but 1 accounts closed in the last 90 days are still in the organization (gone): those closed "
        "in the last 30 days count too"
    ]
