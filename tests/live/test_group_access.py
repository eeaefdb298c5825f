"""`lz sso-config --from-aws`: a group's access read from the live organization, on the
session `lz import` uses and ending as `lz import` does when AWS fails."""

from __future__ import annotations

import shutil

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from landing_zone.live import group_access
from landing_zone.live.group_access import read_group_access
from landing_zone.live.session import Clients
from landing_zone.sso.profiles import Reachable, SsoAccess
from tests.helpers import PROJECT_DIR, run_lz, sso_config_args

STORE = "d-1234567890"
INSTANCE = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
GROUP = "a1b2c3d4-5678-90ab-cdef-111122223333"
ADMIN = f"arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-{'a' * 16}"
READ_ONLY = f"arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-{'b' * 16}"
PROD, DEV, CLOSED = "111111111111", "222222222222", "333333333333"


def account(account_id: str, name: str, state: str = "ACTIVE") -> dict[str, str]:
    return {"Id": account_id, "Name": name, "State": state}


def assignment(account_id: str, permission_set: str) -> dict[str, str]:
    return {
        "AccountId": account_id,
        "PermissionSetArn": permission_set,
        "PrincipalId": GROUP,
        "PrincipalType": "GROUP",
    }


def test_every_list_is_read_to_its_last_page():
    """Each list call answers in two pages, the first of ListInstances with no instance at all
    (AWS may return an empty page with a NextToken)."""
    clients = Clients(
        boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1")
    )
    sso = Stubber(clients.client("sso-admin"))
    store = Stubber(clients.client("identitystore"))
    organizations = Stubber(clients.client("organizations"))
    sso.add_response("list_instances", {"Instances": [], "NextToken": "i2"}, {})
    sso.add_response(
        "list_instances",
        {"Instances": [{"InstanceArn": INSTANCE, "IdentityStoreId": STORE}]},
        {"NextToken": "i2"},
    )
    store.add_response(
        "get_group_id",
        {
            "GroupId": GROUP,
            "IdentityStoreId": STORE,
            "GroupArn": f"arn:aws:identitystore:::group/{GROUP}",
        },
        {
            "IdentityStoreId": STORE,
            "AlternateIdentifier": {
                "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "Platform"}
            },
        },
    )
    organizations.add_response(
        "list_accounts", {"Accounts": [account(PROD, "production")], "NextToken": "a2"}, {}
    )
    organizations.add_response(
        "list_accounts",
        {"Accounts": [account(DEV, "dev"), account(CLOSED, "old", "SUSPENDED")]},
        {"NextToken": "a2"},
    )
    principal = {"InstanceArn": INSTANCE, "PrincipalId": GROUP, "PrincipalType": "GROUP"}
    sso.add_response(
        "list_account_assignments_for_principal",
        {"AccountAssignments": [assignment(PROD, ADMIN)], "NextToken": "p2"},
        principal,
    )
    sso.add_response("describe_permission_set", {"PermissionSet": {"Name": "AdministratorAccess"}})
    sso.add_response(
        "list_account_assignments_for_principal",
        {
            "AccountAssignments": [
                assignment(DEV, ADMIN),
                assignment(CLOSED, ADMIN),
                assignment(PROD, READ_ONLY),
            ]
        },
        {**principal, "NextToken": "p2"},
    )
    sso.add_response("describe_permission_set", {"PermissionSet": {"Name": "ReadOnlyAccess"}})
    with sso, store, organizations:
        access = read_group_access(clients, "Platform")
        for stubber in (sso, store, organizations):
            stubber.assert_no_pending_responses()
    assert access.start_url == f"https://{STORE}.awsapps.com/start"
    assert access.sso_region == "eu-west-1"
    # The suspended account is left out; each permission set is described once.
    assert access.reachable == (
        Reachable("dev", DEV, "AdministratorAccess"),
        Reachable("production", PROD, "AdministratorAccess"),
        Reachable("production", PROD, "ReadOnlyAccess"),
    )


def test_from_aws_through_aws_endpoint_url(server_env, capsys):
    _, planted = server_env
    code, out, err = run_lz(
        capsys,
        *sso_config_args(None, "auditors", "--from-aws", "--org", "acme", "--max-attempts", "1", stack=None),
    )
    assert (code, err) == (0, "")
    assert (
        f"sso_start_url = https://{planted.identity_store_id}.awsapps.com/start\nsso_region = eu-west-1\n"
        in out
    )
    profiles = {line for line in out.splitlines() if line.startswith(("[profile", "sso_account_id"))}
    assert profiles == {
        "[profile acme-audit-ReadOnly]",
        f"sso_account_id = {planted.account_ids['audit']}",
        "[profile acme-sandbox-alice-ReadOnly]",
        f"sso_account_id = {planted.account_ids['sandbox-alice']}",
    }


def test_session_options_reach_the_clients(aws_env, capsys, monkeypatch):
    read: list[Clients] = []

    def spy(clients: Clients, group: str, start_url: str | None) -> SsoAccess:
        read.append(clients)
        return SsoAccess("https://acme.awsapps.com/start", "eu-central-1", ())

    # Where lz sso-config imports it from when it runs (not at its module's top: tests/test_cli_imports.py).
    monkeypatch.setattr(group_access, "read_group_access", spy)
    argv = ["--from-aws", "--org", "acme", "--sso-region", "eu-central-1", "--max-attempts", "3"]
    assert run_lz(capsys, *sso_config_args(None, "Platform", *argv, stack=None)).code == 0
    (clients,) = read
    assert clients.session.region_name == "eu-central-1"
    assert clients.client("sso-admin").meta.config.retries == {"mode": "adaptive", "total_max_attempts": 3}


# One failure, both commands: the same exit code and the same line.


def refuse_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every AWS call answered as AWS does for credentials without the permission."""

    def refuse(model, **_):
        action = f"{model.service_model.signing_name}:{model.name}"
        error = {
            "Code": "AccessDeniedException",
            "Message": f"User: reader is not authorized to perform: {action}",
        }
        return AWSResponse("https://aws.invalid", 403, {}, None), {"Error": error}

    real = boto3.Session

    def session(*args, **kwargs):
        made = real(*args, **kwargs)
        made.events.register("before-call", refuse)
        return made

    monkeypatch.setattr(boto3, "Session", session)


def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                 "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


# (id, the failure, command, what `cannot read the organization:` is followed by)
FAILURES = [
    (
        "refused: import",
        refuse_every_call,
        "import",
        # lz import first makes sure the credentials are the management account's.
        "GetCallerIdentity: AccessDeniedException: User: reader is not authorized to perform: "
        "sts:GetCallerIdentity",
    ),
    (
        "refused: sso-config",
        refuse_every_call,
        "sso-config",
        "ListInstances: AccessDeniedException: User: reader is not authorized to perform: sso:ListInstances",
    ),
    ("no credentials: import", no_credentials, "import", "NoCredentialsError: Unable to locate credentials"),
    (
        "no credentials: sso-config",
        no_credentials,
        "sso-config",
        "NoCredentialsError: Unable to locate credentials",
    ),
]


@pytest.mark.parametrize(
    ("fail", "command", "reason"), [c[1:] for c in FAILURES], ids=[c[0] for c in FAILURES]
)
def test_an_aws_failure_exits_2_as_in_lz_import(
    aws_env, capsys, monkeypatch, tmp_path, fail, command, reason
):
    fail(monkeypatch)
    shutil.copy(PROJECT_DIR / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    argv = {
        "import": ["import", "--stack", "live"],
        "sso-config": sso_config_args(None, "Platform", "--from-aws", "--org", "acme", stack=None),
    }[command]
    code, out, err = run_lz(capsys, *argv, "--project-dir", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"lz {command}: cannot read the organization: {reason}\n"
    assert not (tmp_path / "Pulumi.live.yaml").exists()
