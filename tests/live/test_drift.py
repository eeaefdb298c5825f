"""The `stack.*` checks of `lz audit --stack`: config against a live organization (plain data)."""

from __future__ import annotations

import pytest

from landing_zone.config import load_from_mapping
from landing_zone.live.audit import drift
from landing_zone.live.audit.model import Finding
from landing_zone.live.organization import LiveAccount, LiveOrganization
from tests.builders import stack_values

ROOT = "r-ab12"


def live(*accounts: LiveAccount) -> LiveOrganization:
    management = LiveAccount(
        "111111111111", "management", "aws-acme+management@acme-corp.io", "ACTIVE", ROOT, None
    )
    return LiveOrganization(
        id="o-abcdefghij",
        feature_set="ALL",
        management_account_id=management.id,
        management_email=management.email,
        root_id=ROOT,
        enabled_policy_types=(),
        service_access_principals=(),
        organizational_units=(),
        accounts=(management, *accounts),
        policies=(),
    )


def account(id_, name, email, ou):
    return LiveAccount(id_, name, email, "ACTIVE", ROOT, ou)


CONFIG = load_from_mapping(
    stack_values(
        accounts=[
            {"name": "audit", "ou": "Security"},
            {"name": "production", "ou": "Workloads/Production"},
            {"name": "legacy", "email": "legacy@acme-corp.io", "import": "444444444444"},
        ]
    )
)
AUDIT = account("222222222222", "audit", "aws-acme+audit@acme-corp.io", "Security")
PRODUCTION = account("333333333333", "production", "aws-acme+production@acme-corp.io", "Workloads/Production")
LEGACY = account("444444444444", "Legacy Account", "legacy@acme-corp.io", None)


@pytest.mark.parametrize(
    ("accounts", "check", "expected"),
    [
        (
            [AUDIT, PRODUCTION, LEGACY],
            drift.MISPLACED,
            Finding("pass", ("3 matched accounts, each in its configured OU",)),
        ),
        (
            [AUDIT, PRODUCTION, LEGACY, account("555555555555", "shadow", "shadow@acme-corp.io", "Sandbox")],
            drift.UNMANAGED,
            Finding("fail", ("555555555555 shadow <shadow@acme-corp.io> (Sandbox) is not in the config",)),
        ),
        (
            [AUDIT, LEGACY],
            drift.MISSING,
            Finding("fail", ("production <aws-acme+production@acme-corp.io> is not in the organization",)),
        ),
        (
            [AUDIT, account("333333333333", "production", "aws-acme+production@acme-corp.io", None), LEGACY],
            drift.MISPLACED,
            Finding("fail", ("production (333333333333) is in Root; configured in Workloads/Production",)),
        ),
        (
            # Matched by name, with an email that is neither the pattern's nor configured.
            [
                AUDIT,
                account("333333333333", "production", "prod@acme-corp.io", "Workloads/Production"),
                LEGACY,
            ],
            drift.EMAILS,
            Finding(
                "fail",
                (
                    "production (333333333333): live email prod@acme-corp.io, "
                    "from aws-{org}+{account}@{domain} aws-acme+production@acme-corp.io",
                ),
            ),
        ),
        (
            [AUDIT, PRODUCTION, LEGACY],
            drift.EMAILS,
            Finding("pass", ("3 matched accounts, each with its configured email",)),
        ),
    ],
)
def test_drift_checks(accounts, check, expected):
    assert check.run(CONFIG, live(*accounts)) == expected


def test_a_suspended_account_belongs_in_the_suspended_ou_and_a_closed_record_is_not_looked_for():
    config = load_from_mapping(
        stack_values(
            organizational_units=[{"path": "Security"}, {"path": "Suspended"}],
            organization_changes={"suspendedOu": "Suspended"},
            accounts=[
                {"name": "audit", "ou": "Security"},
                {"name": "old", "ou": "Security", "state": "suspended"},
                {"name": "gone", "ou": "Security", "state": "closed", "allowClose": True},
            ],
            guardrails=[{"guardrail": "deny-all-suspended", "organizationalUnits": ["Suspended"]}],
        )
    )
    old = account("555555555555", "old", "aws-acme+old@acme-corp.io", "Suspended")
    organization = live(AUDIT, old)
    assert drift.MISPLACED.run(config, organization) == Finding(
        "pass", ("2 matched accounts, each in its configured OU",)
    )
    assert drift.MISSING.run(config, organization).outcome == "pass"
