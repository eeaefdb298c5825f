"""Live data is untrusted: an endpoint that answers with something other than AWS's answers."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from landing_zone.live.audit.model import Check, Finding, Target, guarded
from tests.helpers import run_lz
from tests.live.proxy import html_proxy

URL = "https://iam.amazonaws.com/"
TARGET = Target("management", "111111111111", "master")
PARSER_ERROR = ResponseParserError(
    "Unable to parse response (mismatched tag: line 3, column 2), invalid XML received. "
    "Further retries may succeed:\nb'<!DOCTYPE html>\\n<html><head><title>502 Bad Gateway'"
)
NOT_AWS = "the endpoint's answer is neither AWS's XML nor its JSON (a proxy's error page?)"


@pytest.mark.parametrize(
    ("error", "evidence"),
    [
        (PARSER_ERROR, f"ResponseParserError: {NOT_AWS}"),
        (
            EndpointConnectionError(endpoint_url=URL),
            f'EndpointConnectionError: Could not connect to the endpoint URL: "{URL}"',
        ),
        (
            ConnectTimeoutError(endpoint_url=URL),
            f'ConnectTimeoutError: Connect timeout on endpoint URL: "{URL}"',
        ),
        (
            ReadTimeoutError(endpoint_url=URL),
            f'ReadTimeoutError: Read timeout on endpoint URL: "{URL}"',
        ),
        (
            ConnectionClosedError(endpoint_url=URL),
            f"ConnectionClosedError: Connection was closed before we received a valid response "
            f'from endpoint URL: "{URL}".',
        ),
    ],
    ids=["parser", "connection", "connect-timeout", "read-timeout", "connection-closed"],
)
def test_a_broken_answer_or_connection_is_that_checks_error(error, evidence):
    def run() -> Finding:
        raise error

    result = guarded(Check("management.x", "X", run), TARGET)
    assert (result.outcome, result.evidence) == ("error", (evidence,))


def test_a_proxys_html_page_on_one_call_is_an_error_for_its_checks_and_the_audit_goes_on(
    server_env, moto_server_url, monkeypatch, capsys
):
    # IAM's ListUsers (the users checks) and EC2's DescribeInstances (workloads) get the page.
    with html_proxy(moto_server_url, (b"Action=ListUsers", b"Action=DescribeInstances")) as url:
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        code, out, err = run_lz(capsys, "audit", "--format", "json", "--regions", "eu-west-1")
    assert (code, err) == (1, "")
    checks = json.loads(out)["checks"]
    errors = {(c["id"], c["target"]["name"]): c["evidence"] for c in checks if c["result"] == "error"}
    parser = [f"ResponseParserError: {NOT_AWS}"]
    assert errors[("management.iam-user-access-keys", "master")] == parser
    assert errors[("management.iam-console-mfa", "master")] == parser
    assert errors[("management.workloads", "master")] == [
        f"eu-west-1: EC2 instances: ResponseParserError: {NOT_AWS}"
    ]
    assert errors[("member.iam-user-access-keys", "production")] == parser
    # The other checks ran: the planted contacts problem is still found.
    assert ("member.alternate-contacts", "production") in {
        (c["id"], c["target"]["name"]) for c in checks if c["result"] == "fail"
    }


def test_a_page_answered_with_200_to_a_json_api_is_an_error_not_an_empty_list(
    server_env, moto_server_url, monkeypatch, capsys
):
    # botocore reads such a page as an empty answer: no functions, no Identity Center instance.
    broken = (b"/functions", b"SWBExternalService.ListInstances")
    with html_proxy(moto_server_url, broken, status=200) as url:
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        code, out, err = run_lz(capsys, "audit", "--format", "json", "--regions", "eu-west-1")
    assert (code, err) == (1, "")
    checks = {(c["id"], c["target"]["name"]): c for c in json.loads(out)["checks"]}
    assert checks[("organization.identity-center", "")]["evidence"] == ["ResponseParserError: " + NOT_AWS]
    workloads = checks[("management.workloads", "master")]
    # The planted instance is still found (a fail), the unreadable region kind noted.
    assert (workloads["result"], workloads["evidence"]) == (
        "fail",
        [
            f"eu-west-1: 1 EC2 instance ({server_env[1].instance_id})",
            f"eu-west-1: Lambda functions: ResponseParserError: {NOT_AWS}",
        ],
    )
