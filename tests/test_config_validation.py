"""Stack config validation: every problem reported under its key, with exact messages."""

from __future__ import annotations

import pytest

from landing_zone.config import ConfigError, load_from_mapping
from tests.builders import stack_values
from tests.helpers import problem_table, problems_of

PLACEHOLDER_RULE = "refused in a production stack (organization.production is true)"

CASES = [
    (
        "member accounts without trusted access for alternate contacts (created organization)",
        stack_values(
            organization_changes={"create": True, "awsServiceAccessPrincipals": ["sso.amazonaws.com"]}
        ),
        [
            "landing-zone:accounts: member accounts get alternate contacts, which need trusted access: "
            "add account.amazonaws.com to organization.awsServiceAccessPrincipals"
        ],
    ),
    (
        "no trusted access for contacts in a looked-up organization either",
        stack_values(organization_changes={"awsServiceAccessPrincipals": []}),
        [
            "landing-zone:accounts: member accounts get alternate contacts, which need trusted access: "
            "add account.amazonaws.com to organization.awsServiceAccessPrincipals"
        ],
    ),
    (
        "a bad emailPattern does not hide a bad contact email (every problem at once)",
        stack_values(
            organization_changes={"emailPattern": "aws-{org}@{domain}"},
            accounts=[{"name": "audit", "contacts": {"billing": {"email": "not-an-address"}}}],
        ),
        [
            "landing-zone:organization.emailPattern: must contain {account}: every account needs its own root email",
            "landing-zone:accounts[0].contacts.billing.email: 'not-an-address' is not a valid email address",
        ],
    ),
    (
        "duplicate account name (case-insensitive)",
        stack_values(
            accounts=[
                {"name": "audit", "ou": "Security"},
                {"name": "Audit", "ou": "Security", "email": "other@acme-corp.io"},
            ]
        ),
        ["landing-zone:accounts[1].name: same name as accounts[0] (audit)"],
    ),
    (
        "duplicate email",
        stack_values(
            accounts=[
                {"name": "audit"},
                {"name": "security", "email": "aws-acme+audit@acme-corp.io"},
            ]
        ),
        ["landing-zone:accounts[1].email: same address as accounts[0] (audit)"],
    ),
    (
        "unknown OU",
        stack_values(accounts=[{"name": "audit", "ou": "Secrity"}]),
        ["landing-zone:accounts[0].ou: OU 'Secrity' is not defined in organizationalUnits"],
    ),
    (
        "derived email over 64 characters",
        stack_values(accounts=[{"name": "a" * 45}]),
        [
            f"landing-zone:accounts[0].email: 'aws-acme+{'a' * 45}@acme-corp.io' "
            "(from organization.emailPattern) is 67 characters; AWS allows at most 64"
        ],
    ),
    (
        "account name over 50 characters",
        stack_values(accounts=[{"name": "a" * 51, "email": "x@acme-corp.io"}]),
        [
            f"landing-zone:accounts[0].name: '{'a' * 51}' is not "
            "1 to 50 printable ASCII characters (AWS account name rules)"
        ],
    ),
    (
        "invalid explicit email",
        stack_values(accounts=[{"name": "audit", "email": "not-an-email"}]),
        ["landing-zone:accounts[0].email: 'not-an-email' is not a valid email address"],
    ),
    (
        "typo in an account key",
        stack_values(accounts=[{"name": "audit", "emial": "x@acme-corp.io"}]),
        ["landing-zone:accounts[0].emial: unknown key; did you mean 'email'?"],
    ),
    (
        "typo in a top-level key",
        stack_values(acounts=[]),
        ["landing-zone:acounts: unknown key; did you mean 'accounts'?"],
    ),
    (
        "placeholder domains in production",
        stack_values(
            organization_changes={
                "production": True,
                "domain": "example.com",
                "notificationEmail": "aws@acme-corp.io",
            },
            accounts=[{"name": "audit"}],
        ),
        [
            f"landing-zone:organization.domain: example.com is a placeholder domain, {PLACEHOLDER_RULE}",
            "landing-zone:accounts[0].email: 'aws-acme+audit@example.com' (from organization.emailPattern)"
            f" uses the placeholder domain example.com, {PLACEHOLDER_RULE}",
        ],
    ),
    (
        "OU without its parent",
        stack_values(organizational_units=[{"path": "Workloads/Production"}], accounts=[]),
        [
            "landing-zone:organizationalUnits[0].path: "
            "parent OU 'Workloads' is not defined in organizationalUnits"
        ],
    ),
    (
        "OU tree deeper than 5",
        stack_values(
            organizational_units=[{"path": "/".join("ABCDEF"[: n + 1])} for n in range(6)],
            accounts=[],
        ),
        ["landing-zone:organizationalUnits[5].path: 'A/B/C/D/E/F' is 6 levels deep; AWS allows at most 5"],
    ),
    (
        "duplicate OU path",
        stack_values(organizational_units=[{"path": "Security"}, {"path": "Security"}], accounts=[]),
        ["landing-zone:organizationalUnits[1].path: same path as organizationalUnits[0]"],
    ),
    (
        "empty OU name in a path",
        stack_values(organizational_units=[{"path": "Workloads//Production"}], accounts=[]),
        [
            "landing-zone:organizationalUnits[0].path: 'Workloads//Production' has an empty name; "
            "write paths like Workloads/Production"
        ],
    ),
    (
        "email pattern with an unknown placeholder",
        stack_values(organization_changes={"emailPattern": "aws-{org}+{acount}@{domain}"}),
        [
            "landing-zone:organization.emailPattern: unknown placeholder {acount}; "
            "use {org}, {account} and {domain}"
        ],
    ),
    (
        "email pattern without {account}",
        stack_values(organization_changes={"emailPattern": "aws@{domain}"}),
        [
            "landing-zone:organization.emailPattern: must contain {account}: every account needs its own root email"
        ],
    ),
    (
        "missing contacts",
        stack_values(
            organization_changes={"contacts": {"billing": {"name": "F", "title": "T", "phone": "1"}}}
        ),
        [
            "landing-zone:organization.contacts.security: is required",
            "landing-zone:organization.contacts.operations: is required",
        ],
    ),
    (
        "malformed import id",
        stack_values(accounts=[{"name": "audit", "import": "12345"}]),
        ["landing-zone:accounts[0].import: '12345' is not an AWS account id of 12 digits"],
    ),
    (
        "same account imported twice",
        stack_values(
            accounts=[
                {"name": "audit", "import": "123456789012"},
                {"name": "legacy", "import": "123456789012"},
            ]
        ),
        ["landing-zone:accounts[1].import: 123456789012 is already imported by accounts[0]"],
    ),
    (
        "not a boolean",
        stack_values(accounts=[{"name": "audit", "closeOnDeletion": "maybe"}]),
        ["landing-zone:accounts[0].closeOnDeletion: must be true or false (got 'maybe')"],
    ),
    (
        "not a list",
        stack_values(accounts={"name": "audit"}),
        ["landing-zone:accounts: must be a list (got {'name': 'audit'})"],
    ),
    (
        "create and import together",
        stack_values(organization_changes={"create": True, "import": "o-abcdefghij"}),
        [
            "landing-zone:organization.import: cannot be set together with organization.create: "
            "either create a new organization or import the existing one"
        ],
    ),
]


@problem_table(CASES)
def test_problem_is_reported_under_its_key(values, expected):
    assert problems_of(values) == expected


def test_every_problem_is_reported_at_once():
    values = stack_values(
        accounts=[
            {"name": "audit", "ou": "Nowhere"},
            {"name": "audit", "email": "broken"},
            {"name": "x" * 60, "email": "x@acme-corp.io"},
        ]
    )
    with pytest.raises(ConfigError) as caught:
        load_from_mapping(values)
    # Shape errors come first (phase one); the name error stops phase two.
    assert [p.key for p in caught.value.problems] == ["landing-zone:accounts[2].name"]

    values = stack_values(accounts=[{"name": "audit", "ou": "Nowhere"}, {"name": "audit", "email": "broken"}])
    with pytest.raises(ConfigError) as caught:
        load_from_mapping(values)
    assert str(caught.value).splitlines() == [
        "3 problems in the stack config",
        "  landing-zone:accounts[0].ou: OU 'Nowhere' is not defined in organizationalUnits",
        "  landing-zone:accounts[1].name: same name as accounts[0] (audit)",
        "  landing-zone:accounts[1].email: 'broken' is not a valid email address",
    ]


def test_structured_values_as_json_text_are_parsed_like_the_engine_sends_them():
    import json

    values = {key: json.dumps(value) for key, value in stack_values().items() if key != "aws:region"}
    config = load_from_mapping(values)
    assert [a.name for a in config.accounts] == ["audit", "production"]


def test_invalid_json_text_names_its_key():
    values = stack_values()
    values["landing-zone:accounts"] = "[{oops"
    with pytest.raises(ConfigError) as caught:
        load_from_mapping(values)
    assert [str(p) for p in caught.value.problems] == [
        "landing-zone:accounts: is not valid JSON: Expecting property name enclosed in double quotes (line 1 column 3)"
    ]


def test_emails_follow_the_pattern_and_contacts_default_to_the_notification_list():
    config = load_from_mapping(
        stack_values(
            accounts=[
                {"name": "Log Archive", "ou": "Security"},
                {
                    "name": "legacy",
                    "email": "legacy-root@acme-corp.io",
                    "contacts": {"security": {"email": "soc@acme-corp.io"}},
                },
            ]
        )
    )
    log_archive, legacy = config.accounts
    assert config.email_for(log_archive) == "aws-acme+log-archive@acme-corp.io"
    assert config.email_for(legacy) == "legacy-root@acme-corp.io"
    contacts = config.contacts_for(legacy)
    assert contacts["security"].email == "soc@acme-corp.io"
    assert contacts["security"].name == "Security"
    assert contacts["billing"].email == "aws-notifications@acme-corp.io"


def test_config_objects_are_immutable():
    config = load_from_mapping(stack_values())
    with pytest.raises(Exception, match="frozen"):
        config.accounts[0].name = "renamed"  # type: ignore[misc]
