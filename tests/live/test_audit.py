"""`lz audit` against a planted moto organization: exactly the planted problems fail."""

from __future__ import annotations

import io
import json
import threading
import time

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto.iam.models import iam_backends

from landing_zone.cli.audit import render_text
from landing_zone.cli.progress import StderrProgress
from landing_zone.config import load_from_mapping
from landing_zone.live.audit import AuditOptions, CheckResult, Target, run_audit, runner
from landing_zone.live.audit.runner import AuditError, AuditReport, failed
from landing_zone.live.session import Clients
from tests.conftest import PROJECT_DIR
from tests.helpers import run_lz, write_stack
from tests.live.planted import MANAGEMENT_ACCOUNT_ID, audit_stack_values, member_session

# Each planted problem, under its check id and target name.
PLANTED_FAILURES = {
    ("member.alternate-contacts", "production"),
    ("management.iam-user-access-keys", "master"),
    ("management.workloads", "master"),
    ("stack.accounts-not-in-config", ""),
}
# moto implements neither call (the checks are unit-tested with Stubber in test_checks_stubbed.py).
# Nor IAM's ListOrganizationsFeatures: centralized root access is unknown, and no member's root user
# can be read in a root session (test_root_access_stubbed.py).
MEMBER_NAMES = ("audit", "production", "sandbox-alice", "shadow-it", "legacy")
MOTO_UNIMPLEMENTED = {
    ("costs.budget-subscribers", "master"),
    ("costs.anomaly-detection", "master"),
    ("organization.root-access-management", ""),
    *(("member.root-credentials", name) for name in MEMBER_NAMES),
}


def outcomes(results, outcome):
    return {(r["id"], r["target"]["name"]) for r in results if r["result"] == outcome}


def test_planted_problems_are_exactly_the_failures_in_process(planted_inprocess, monkeypatch):
    session, planted = planted_inprocess
    # moto cannot turn on root MFA (FACTS.md): plant a management account that has it.
    summary = iam_backends[MANAGEMENT_ACCOUNT_ID]["global"].account_summary
    monkeypatch.setattr(summary, "_account_mfa_enabled", 1)
    config = load_from_mapping(audit_stack_values())
    report = run_audit(Clients(session), AuditOptions(config=config, regions=("eu-west-1", "us-east-1")))
    results = report.to_json()["checks"]
    assert outcomes(results, "fail") == PLANTED_FAILURES
    assert outcomes(results, "error") == MOTO_UNIMPLEMENTED
    assert outcomes(results, "manual") == {
        ("manual.identity-center-mfa", ""),
        ("manual.tax-details", ""),
        ("manual.root-password", ""),
    }
    by_key = {(r["id"], r["target"]["name"]): r for r in results}
    assert (
        by_key[("member.alternate-contacts", "production")]["evidence"][0] == "no SECURITY alternate contact"
    )
    assert by_key[("management.iam-user-access-keys", "master")]["evidence"][0].startswith(
        f"user deploy: active access key {planted.access_key_id} (created "
    )
    assert by_key[("management.workloads", "master")]["evidence"] == [
        f"eu-west-1: 1 EC2 instance ({planted.instance_id})"
    ]
    shadow = planted.account_ids["shadow-it"]
    assert by_key[("stack.accounts-not-in-config", "")]["evidence"] == [
        f"{shadow} shadow-it <aws-acme+shadow-it@acme-corp.io> (Workloads) is not in the config"
    ]
    # Every member account was checked through its role, each under its own target.
    member_targets = {r["target"]["id"] for r in results if r["id"].startswith("member.")}
    assert member_targets == set(planted.account_ids.values())
    assert report.counts() == {"pass": 33, "fail": 4, "error": 8, "manual": 3}


def test_an_account_that_cannot_be_entered_is_an_error_for_its_checks_only(planted_inprocess, monkeypatch):
    session, planted = planted_inprocess
    locked = planted.account_ids["audit"]
    real_for_account = Clients.for_account

    def for_account(self, account_id, role_name="OrganizationAccountAccessRole"):
        if account_id == locked:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized"}}, "AssumeRole")
        return real_for_account(self, account_id, role_name)

    monkeypatch.setattr(Clients, "for_account", for_account)
    report = run_audit(Clients(session), AuditOptions(regions=("eu-west-1",)))
    locked_results = [r for r in report.results if r.target.id == locked]
    assert [(r.id, r.outcome) for r in locked_results] == [
        ("member.alternate-contacts", "error"),
        ("member.iam-user-access-keys", "error"),
        ("member.password-policy", "error"),
        ("member.root-credentials", "error"),  # from the management account: moto's, not the role's
    ]
    assert locked_results[0].evidence == (
        "cannot assume OrganizationAccountAccessRole: AssumeRole: AccessDenied: not authorized",
    )
    through_role = {check.id for check in runner.MEMBER_CHECKS}
    others = [r for r in report.results if r.id in through_role and r.target.id != locked]
    assert len(others) == 12 and {r.outcome for r in others if r.target.name != "production"} == {"pass"}


def test_audit_json_through_a_moto_server_reports_the_planted_problems(server_env, capsys, tmp_path):
    _, planted = server_env
    config_file = write_stack(tmp_path, audit_stack_values(), "Pulumi.planted.yaml")
    code, out, err = run_lz(capsys, "audit", "--format", "json", "--config-file", str(config_file),
        "--project-dir", str(PROJECT_DIR), "--regions", "eu-west-1",
    )  # fmt: skip
    assert (code, err) == (1, "")
    report = json.loads(out)
    assert report["organizationId"] == planted.organization_id
    # A moto server cannot be told that root has MFA: the one failure that is moto's, not planted.
    assert outcomes(report["checks"], "fail") == PLANTED_FAILURES | {("management.root-mfa", "master")}
    assert outcomes(report["checks"], "error") == MOTO_UNIMPLEMENTED
    errors = {r["id"]: r["evidence"] for r in report["checks"] if r["result"] == "error"}
    assert errors["costs.anomaly-detection"] == [
        "GetAnomalyMonitors: 500: the endpoint answered with an HTML error page, not an AWS error"
    ]


def test_audit_text_lists_failures_with_evidence(server_env, capsys):
    code, out, err = run_lz(capsys, "audit", "--regions", "eu-west-1")
    assert code == 1
    assert "FAIL   management.workloads  No workloads in the management account" in out
    assert "       - no SECURITY alternate contact\n" in out
    assert out.rstrip().endswith("Summary: 26 pass, 4 fail, 8 error, 3 manual")
    assert err == ""  # no progress line when stderr is not a terminal


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--role", "no such role"], "lz audit: --role: 'no such role' is not an IAM role name\n"),
        (["--regions", "mars-1"], "lz audit: --regions: 'mars-1' is not a region like eu-west-1\n"),
        (["--profile", "nowhere"], "lz audit: --profile: The config profile (nowhere) could not be found\n"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(aws_env, capsys, argv, message):
    assert run_lz(capsys, "audit", *argv) == (2, "", message)


@pytest.mark.parametrize("argv", [["audit"], ["import", "--stack", "from-a-member"]], ids=["audit", "import"])
def test_credentials_outside_the_management_account_are_a_usage_error(server_env, capsys, monkeypatch, argv):
    session, planted = server_env
    member = member_session(session, planted.account_ids["audit"]).get_credentials()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", member.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", member.secret_key)
    monkeypatch.setenv("AWS_SESSION_TOKEN", member.token)
    code, out, err = run_lz(capsys, *argv)
    assert (code, out) == (2, "")
    command = f"lz {argv[0]}"
    assert err == (
        f"{command}: the credentials are for account {planted.account_ids['audit']}; {command} needs "
        f"the management account {MANAGEMENT_ACCOUNT_ID} of {planted.organization_id}\n"
    )
    assert not (PROJECT_DIR / "Pulumi.from-a-member.yaml").exists()


def test_no_organization_stops_the_audit_before_any_check():
    clients = Clients(
        boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1")
    )
    with Stubber(clients.client("sts")) as sts, Stubber(clients.client("organizations")) as org:
        sts.add_response(
            "get_caller_identity",
            {"Account": MANAGEMENT_ACCOUNT_ID, "Arn": "arn:aws:iam::123456789012:root", "UserId": "x"},
        )
        org.add_client_error(
            "describe_organization", "AWSOrganizationsNotInUseException", "not in an organization"
        )
        with pytest.raises(AuditError) as raised:
            run_audit(clients, AuditOptions())
    assert str(raised.value) == (
        "cannot read the organization: DescribeOrganization: AWSOrganizationsNotInUseException: not in an organization"
    )


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_rewrites_one_line_on_a_terminal_and_clears_it():
    stream = FakeTerminal()
    progress = StderrProgress(stream)
    progress(1, 3, "account 111122223333 (dev)")
    progress(2, 3, "costs: budgets")
    progress.finish()
    assert stream.getvalue() == (
        "\r[1/3] account 111122223333 (dev)\r[2/3] costs: budgets            \r" + " " * 32 + "\r"
    )


def test_tasks_run_in_a_bounded_pool_and_report_in_task_order(planted_inprocess, monkeypatch):
    session, _ = planted_inprocess
    lock = threading.Lock()
    running, peak = [0], [0]

    def task(number):
        def run():
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.02 * (6 - number % 6))  # later tasks finish first
            with lock:
                running[0] -= 1
            return [CheckResult(f"fake.{number}", "fake", "pass", Target("organization", "o-x"))]

        return run

    monkeypatch.setattr(runner, "_tasks", lambda *_: [(f"task {n}", task(n)) for n in range(12)])
    seen = []
    report = run_audit(
        Clients(session), AuditOptions(max_workers=3), lambda done, total, label: seen.append((done, total))
    )
    assert peak[0] == 3
    assert [r.id for r in report.results][:12] == [f"fake.{n}" for n in range(12)]
    assert seen == [(n, 12) for n in range(1, 13)]


@pytest.mark.parametrize(
    ("outcomes", "errors_fail", "expected"),
    [
        (["pass", "manual", "error"], False, False),
        (["pass", "manual", "error"], True, True),
        (["pass", "fail"], False, True),
        (["pass", "manual"], True, False),
    ],
)
def test_exit_1_on_a_failure_and_on_an_error_only_when_asked(outcomes, errors_fail, expected):
    results = [
        CheckResult(f"fake.{n}", "fake", o, Target("organization", "o-x")) for n, o in enumerate(outcomes)
    ]
    assert failed(results, errors_fail=errors_fail) is expected


def member_results(*outcomes_by_account: tuple[str, str]) -> tuple[CheckResult, ...]:
    return tuple(
        CheckResult("member.x", "X", outcome, Target("account", account, "n"))
        for account, outcome in outcomes_by_account
    )


NONE_EXAMINED = (
    "WARNING: none of the 2 member accounts could be examined (every member check is an error: is the role "
    "there, and trusted?); this audit says nothing about them. In CI, run with --fail-on-error."
)


@pytest.mark.parametrize(
    ("members", "results", "examined", "warnings"),
    [
        (("1", "2"), member_results(("1", "pass"), ("2", "fail")), ("1", "2"), []),
        (("1", "2"), member_results(("1", "error"), ("1", "error"), ("2", "error")), (), [NONE_EXAMINED]),
        # An account with no result at all was not examined either.
        (("1", "2"), member_results(("1", "error")), (), [NONE_EXAMINED]),
        (
            ("1", "2"),
            member_results(("1", "error"), ("1", "pass"), ("2", "error")),
            ("1",),
            ["WARNING: 1 of the 2 member accounts could not be examined."],
        ),
        ((), (), (), []),
    ],
    ids=["all", "none", "none-no-results", "some", "no-members"],
)
def test_member_accounts_not_examined_are_said_loudly(members, results, examined, warnings):
    report = AuditReport("o-abc", "111111111111", results, members)
    assert (report.examined_members(), report.warnings()) == (examined, warnings)
    assert report.to_json()["memberAccounts"] == {"active": len(members), "examined": len(examined)}


def test_an_audit_that_could_enter_no_member_account_says_so_and_fails_only_with_fail_on_error(
    planted_inprocess, monkeypatch, capsys
):
    session, planted = planted_inprocess

    def for_account(self, account_id, role_name="OrganizationAccountAccessRole"):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized"}}, "AssumeRole")

    monkeypatch.setattr(Clients, "for_account", for_account)
    report = run_audit(Clients(session), AuditOptions(regions=("eu-west-1",)))
    warning = (
        "WARNING: none of the 5 member accounts could be examined (every member check is an error: is the role "
        "there, and trusted?); this audit says nothing about them. In CI, run with --fail-on-error."
    )
    assert report.warnings() == [warning]
    assert render_text(report).splitlines()[-2:] == ["Summary: 12 pass, 3 fail, 23 error, 3 manual", warning]
    # Without the planted failures (none of them), the exit code is --fail-on-error's to decide.
    clean = AuditReport(report.organization_id, report.management_account_id, tuple(r for r in report.results if r.outcome != "fail"), report.member_account_ids)  # fmt: skip
    assert (failed(clean.results), failed(clean.results, errors_fail=True)) == (False, True)
    # JSON: the counts in the report, the warning also on stderr (where a CI log shows it).
    code, out, err = run_lz(capsys, "audit", "--format", "json", "--regions", "eu-west-1")
    assert json.loads(out)["memberAccounts"] == {"active": 5, "examined": 0}
    assert json.loads(out)["warnings"] == [warning]
    assert err == f"lz audit: {warning}\n"
