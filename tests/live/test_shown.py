"""Live strings on a terminal: control characters and escape sequences are shown escaped."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from landing_zone.cli import audit as audit_command
from landing_zone.live import audit as live_audit  # where lz audit's run() imports run_audit from
from landing_zone.live.audit import contacts
from landing_zone.live.audit.model import CheckResult, Target, guarded
from landing_zone.live.audit.runner import AuditError, AuditReport
from landing_zone.live.errors import describe_error
from landing_zone.live.session import Clients
from landing_zone.live.shown import shown
from tests.helpers import run_lz

# Moves up a line, erases it, and writes a PASS line over the FAIL one.
OVERWRITE = "\x1b[1A\x1b[2K\rPASS   member.alternate-contacts"


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("Jane Doe", 300, "Jane Doe"),
        ("Zoë Ünal 山田", 300, "Zoë Ünal 山田"),
        (OVERWRITE, 300, "\\x1b[1A\\x1b[2K\\rPASS   member.alternate-contacts"),
        ("a\nFAIL forged line", 300, "a\\nFAIL forged line"),
        ("tab\there\x00nul\x7fdel", 300, "tab\\there\\x00nul\\x7fdel"),
        ("\x9b2J C1 CSI", 300, "\\x9b2J C1 CSI"),  # the one-character CSI of 8-bit terminals
        ("\u202eSSAP", 300, "\\u202eSSAP"),  # right-to-left override: reads PASS
        ("zero\u200bwidth\ufeff", 300, "zero\\u200bwidth\\ufeff"),
        ("line\u2028para\u2029", 300, "line\\u2028para\\u2029"),
        ("surrogate \udc80", 300, "surrogate \\udc80"),
        ("already \\x1b shown", 300, "already \\x1b shown"),  # showing a shown value changes nothing
        ("x" * 12, 10, "xxxxxxxxxx... [2 more characters]"),
        ("x" * 10, 10, "x" * 10),
        ("xxxxxxxx\x1b[", 10, "xxxxxxxx... [2 more characters]"),  # an escape is never cut in two
        (12, 300, "12"),
    ],
)
def test_shown(value, limit, expected):
    assert shown(value, limit) == expected
    assert shown(expected, limit + 40) == expected


def hostile_contact_result() -> CheckResult:
    """The alternate-contacts check of an account whose contact name rewrites the line."""
    clients = Clients(
        boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1")
    )
    with Stubber(clients.client("account")) as account:
        account.add_response(
            "get_alternate_contact",
            {
                "AlternateContact": {
                    "AlternateContactType": "BILLING",
                    "Name": OVERWRITE,
                    "EmailAddress": "b@x.io",
                }
            },
        )
        account.add_client_error("get_alternate_contact", "ResourceNotFoundException", "none")
        account.add_client_error("get_alternate_contact", "ResourceNotFoundException", "none")
        return guarded(contacts.MEMBER_CONTACTS, Target("account", "222222222222", "prod\x1b[8m"), clients)


def test_the_text_report_shows_live_values_escaped_and_json_keeps_them_exact(monkeypatch, capsys):
    refused = ClientError({"Error": {"Code": "Denied\x1b[0m", "Message": "no\r\nPASS"}}, "GetThing")
    report = AuditReport(
        "o-\x1b]0;title\x07abcdef",
        "111111111111",
        (
            hostile_contact_result(),
            CheckResult(
                "x.y", "Y", "error", Target("management", "111111111111"), (describe_error(refused),)
            ),
        ),
    )
    monkeypatch.setattr(live_audit, "run_audit", lambda *args: report)
    monkeypatch.setattr(audit_command, "clients_from_args", lambda args: None)
    code, out, err = run_lz(capsys, "audit")
    assert (code, err) == (1, "")
    assert out.splitlines()[:7] == [
        "Audit of organization o-\\x1b]0;title\\x07abcdef (management account 111111111111)",
        "",
        "FAIL   member.alternate-contacts  BILLING, SECURITY and OPERATIONS alternate contacts set  "
        "[account 222222222222 (prod\\x1b[8m)]",
        "       - no OPERATIONS alternate contact",
        "       - no SECURITY alternate contact",
        "       - BILLING: \\x1b[1A\\x1b[2K\\rPASS   member.alternate-contacts <b@x.io>",
        "ERROR  x.y  Y  [management 111111111111]",
    ]
    assert out.splitlines()[7] == "       - GetThing: Denied\\x1b[0m: no PASS"
    assert not any(ord(c) < 0x20 and c != "\n" for c in out)

    code, out, err = run_lz(capsys, "audit", "--format", "json")
    assert not any(ord(c) < 0x20 and c != "\n" or ord(c) > 0x7F for c in out)
    data = json.loads(out)
    assert data["organizationId"] == "o-\x1b]0;title\x07abcdef"
    assert data["checks"][0]["target"]["name"] == "prod\x1b[8m"
    assert data["checks"][0]["evidence"][2] == f"BILLING: {OVERWRITE} <b@x.io>"


def test_an_audit_that_cannot_start_shows_its_reason_escaped(monkeypatch, capsys):
    def refuse(*args):
        raise AuditError("the credentials are for account 1\x1b[2K; lz audit needs the management account")

    monkeypatch.setattr(live_audit, "run_audit", refuse)
    monkeypatch.setattr(audit_command, "clients_from_args", lambda args: None)
    code, out, err = run_lz(capsys, "audit")
    assert (code, out) == (2, "")
    assert "1\\x1b[2K; lz audit needs" in err and "\x1b" not in err
