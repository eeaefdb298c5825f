"""`lz preflight` as a user runs it: exit codes, JSON, and one-line errors (exit 2) for bad
arguments, bad config and credentials that are not the management account's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, run_lz, write_stack
from tests.preflight.planted import MANAGEMENT_ACCOUNT_ID, plant_ready, ready_stack


def stack_file(directory: Path, values: dict[str, Any], name: str) -> Path:
    """The stack as JSON (YAML 1.2 too): every live id quoted, as `lz import` writes them (an
    unquoted 0571... is a number to Pulumi)."""
    path = directory / name
    path.write_text(json.dumps({"config": values}))
    return path


# moto has no Service Quotas for Organizations: the account quota is the one unknown.
MOTO_UNKNOWN = "UNKNOWN quota.accounts  accounts: cannot tell: not implemented by this endpoint"


def test_ready_exits_0_and_unknown_fails_only_when_asked(session, tmp_path, capsys):
    stack = stack_file(tmp_path, ready_stack(plant_ready(session)), "Pulumi.ready.yaml")
    ran = run_lz(capsys, "preflight", "--config-file", str(stack))
    assert ran.code == 0, ran.err
    assert ran.out.splitlines()[2].startswith(MOTO_UNKNOWN)
    assert ran.out.splitlines()[-1] == "Summary: 0 blocked, 1 unknown, 18 ready"
    assert run_lz(capsys, "preflight", "--config-file", str(stack), "--fail-on-unknown").code == 1


def test_blocked_exits_1_and_json_says_why(session, tmp_path, capsys):
    planted = plant_ready(session)
    session.client("organizations").disable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    stack = stack_file(tmp_path, ready_stack(planted), "Pulumi.ready.yaml")
    ran = run_lz(capsys, "preflight", "--config-file", str(stack), "--format", "json")
    assert ran.code == 1
    report = json.loads(ran.out)
    assert report["stack"] == "ready"
    assert report["organizationId"] == planted.organization_id
    assert report["summary"] == {"blocked": 1, "unknown": 1, "ready": 17}
    assert report["prerequisites"][0] == {
        "id": "organization.trusted-access",
        "status": "blocked",
        "subject": "guardduty.amazonaws.com",
        "detail": "no trusted access (needed by delegatedAdministrators (guardduty))",
        "fix": "aws organizations enable-aws-service-access --service-principal guardduty.amazonaws.com",
    }


def _member_credentials(session, account_id: str, monkeypatch) -> None:
    credentials = session.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="member"
    )["Credentials"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", credentials["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", credentials["SecretAccessKey"])
    monkeypatch.setenv("AWS_SESSION_TOKEN", credentials["SessionToken"])


def test_member_credentials_exit_2(session, tmp_path, capsys, monkeypatch):
    planted = plant_ready(session)
    stack = stack_file(tmp_path, ready_stack(planted), "Pulumi.ready.yaml")
    _member_credentials(session, planted.audit_id, monkeypatch)
    ran = run_lz(capsys, "preflight", "--config-file", str(stack))
    assert (ran.code, ran.out) == (2, "")
    assert ran.err == (
        f"lz preflight: the credentials are for account {planted.audit_id}; lz preflight needs the management "
        f"account {MANAGEMENT_ACCOUNT_ID} of {planted.organization_id}\n"
    )


@pytest.mark.parametrize(
    ("arguments", "values", "error"),
    [
        ((), None, "lz preflight: name a stack with --stack NAME or a file with --config-file PATH\n"),
        (
            ("--stack", "nowhere"),
            None,
            "lz preflight: no stack config file at {project}/Pulumi.nowhere.yaml\n",
        ),
        (
            ("--config-file", "{stack}"),
            {"landing-zone:acounts": []},
            "landing-zone:acounts: unknown key; did you mean 'accounts'?\n",
        ),
        (
            ("--config-file", "{stack}", "--previous", "{tmp}/gone.yaml"),
            {},
            "lz preflight: --previous: no stack config file at {tmp}/gone.yaml\n",
        ),
        (
            ("--config-file", "{stack}", "--previous", "{tmp}/Pulumi.previous.yaml"),
            {},
            "lz preflight: --previous: {tmp}/Pulumi.previous.yaml is not a valid stack config: "
            "landing-zone:accounts[0].ou: OU 'Nowhere' is not defined in organizationalUnits\n",
        ),
        (
            ("--config-file", "{stack}", "--profile", "nobody"),
            {},
            "lz preflight: --profile: The config profile (nobody) could not be found\n",
        ),
    ],
    ids=["no stack", "no stack file", "unknown key", "no previous file", "bad previous file", "no profile"],
)
def test_bad_arguments_and_config_are_one_line_and_exit_2(
    session, tmp_path, capsys, arguments, values, error
):
    stack = write_stack(tmp_path, {**stack_values(), **(values or {})}, "Pulumi.bad.yaml")
    # A deployed stack file that is itself invalid, for --previous.
    write_stack(tmp_path, stack_values(accounts=[{"name": "audit", "ou": "Nowhere"}]), "Pulumi.previous.yaml")
    filled = [a.format(stack=stack, tmp=tmp_path) for a in arguments]
    ran = run_lz(capsys, "preflight", *filled)
    assert (ran.code, ran.out) == (2, "")
    assert ran.err == error.format(project=PROJECT_DIR, tmp=tmp_path, stack=stack)


def test_a_bad_number_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exited:
        run_lz(capsys, "preflight", "--stack", "prod", "--max-workers", "0")
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "lz preflight: error: argument --max-workers: '0' must be at least 1"


def test_an_unreachable_endpoint_exits_2(session, tmp_path, capsys, monkeypatch):
    stack = stack_file(tmp_path, ready_stack(plant_ready(session)), "Pulumi.ready.yaml")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    ran = run_lz(capsys, "preflight", "--config-file", str(stack), "--max-attempts", "1")
    assert (ran.code, ran.out) == (2, "")
    assert ran.err.startswith("lz preflight: cannot read the organization: EndpointConnectionError: ")
    assert ran.err.count("\n") == 1
