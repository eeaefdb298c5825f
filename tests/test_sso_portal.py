"""`lz sso-config --from-portal`: the access portal's accounts and roles, with the token
`aws sso login --sso-session NAME` cached. moto has no access-portal API: botocore's Stubber
answers for the `sso` client, and the token is a real cache file under a temporary HOME."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import boto3
import botocore.session
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.stub import Stubber

from landing_zone.live import portal
from tests.helpers import run_lz
from tests.portal_stub import (
    FUTURE,
    PAST,
    TOKEN,
    URL,
    WITH_URL,
    account_entry,
    portal_args,
    role_page,
    write_token,
)

AWS_CLI = Path(sys.executable).with_name("aws")
NO_TOKEN = "lz sso-config: --from-portal: no valid SSO token: run `aws sso login --sso-session acme`\n"


def test_writes_one_profile_per_account_and_role_read_back_by_botocore(capsys, aws_home, stub_portal):
    write_token(aws_home.parent.parent, FUTURE)
    stub_portal()
    code, out, err = run_lz(capsys, *portal_args(*WITH_URL, "--write"))
    assert (code, err) == (0, "")
    assert out == f"{aws_home}: wrote 4 profiles under sso-session acme\n"
    config = botocore.session.Session().full_config
    assert config["sso_sessions"] == {
        "acme": {
            "sso_start_url": URL,
            "sso_region": "eu-west-1",
            "sso_registration_scopes": "sso:account:access",
        }
    }
    profiles = {
        name: (p["sso_account_id"], p["sso_role_name"], p["sso_session"], p["region"])
        for name, p in config["profiles"].items()
    }
    assert profiles == {
        "acme-production": ("111111111111", "AdministratorAccess", "acme", "eu-west-1"),
        "acme-production-ReadOnlyAccess": ("111111111111", "ReadOnlyAccess", "acme", "eu-west-1"),
        "acme-dev-PowerUserAccess": ("222222222222", "PowerUserAccess", "acme", "eu-west-1"),
        "acme-log-archive-ReadOnlyAccess": ("333333333333", "ReadOnlyAccess", "acme", "eu-west-1"),
    }
    # The same portal answers again: the merge finds nothing to change.
    written = aws_home.read_bytes()
    stub_portal()
    code, out, err = run_lz(capsys, *portal_args(*WITH_URL, "--write"))
    assert (code, out, err) == (0, f"{aws_home}: already up to date (4 profiles, sso-session acme)\n", "")
    assert aws_home.read_bytes() == written


def test_the_sso_session_block_gives_start_url_and_region(capsys, aws_home, stub_portal):
    aws_home.parent.mkdir(parents=True, exist_ok=True)
    aws_home.write_text(f"[sso-session acme]\nsso_start_url = {URL}\nsso_region = eu-west-1\n")
    write_token(aws_home.parent.parent, FUTURE)
    stub_portal()
    code, out, err = run_lz(capsys, *portal_args())
    assert (code, err) == (0, "")
    assert (
        "[profile acme-log-archive-ReadOnlyAccess]\nsso_session = acme\nsso_account_id = 333333333333\n"
        in out
    )
    assert f"sso_start_url = {URL}\nsso_region = eu-west-1\n" in out


@pytest.mark.parametrize("expires_at", [PAST, None], ids=["expired", "no cache file"])
def test_no_valid_token_says_to_log_in(capsys, aws_home, stub_portal, expires_at):
    if expires_at:
        write_token(aws_home.parent.parent, expires_at)
    stub_portal([])
    code, out, err = run_lz(capsys, *portal_args(*WITH_URL, "--write"))
    assert (code, out, err) == (2, "", NO_TOKEN)
    assert not aws_home.exists()


def test_a_token_for_another_session_is_not_used(capsys, aws_home, stub_portal):
    write_token(aws_home.parent.parent, FUTURE, session="other")
    stub_portal([])
    assert run_lz(capsys, *portal_args(*WITH_URL)) == (2, "", NO_TOKEN)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            role_page("111111111111", "Admin\n[profile default]"),
            "the portal's roleName (account 111111111111): 'Admin\\n[profile default]' is not ",
        ),
        (
            role_page("111111111111", "Admin\x07"),
            "the portal's roleName (account 111111111111): 'Admin\\x07' is not ",
        ),
    ],
    ids=["newline", "control character"],
)
def test_portal_values_are_checked_like_live_ones(capsys, aws_home, stub_portal, answer, message):
    write_token(aws_home.parent.parent, FUTURE)
    stub_portal(
        [
            (
                "list_accounts",
                {"accountList": [account_entry("111111111111", "Production")]},
                {"accessToken": TOKEN},
            ),
            ("list_account_roles", answer, {"accessToken": TOKEN, "accountId": "111111111111"}),
        ]
    )
    code, out, err = run_lz(capsys, *portal_args(*WITH_URL, "--write"))
    assert (code, out) == (2, "")
    assert err.startswith("lz sso-config: " + message)
    assert "\n" not in err[:-1]
    assert not aws_home.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["sso-config", "--from-portal", "--org", "acme", *WITH_URL],
            "--from-portal needs --sso-session NAME: the session `aws sso login` signed in",
        ),
        (
            [*portal_args(*WITH_URL), "--group", "Platform"],
            "--group: not with --from-portal, which lists what you can use yourself",
        ),
        (
            ["sso-config", "--from-portal", "--sso-session", "acme", *WITH_URL],
            "--org is required with --from-portal unless --stack or --config-file names the stack",
        ),
        (
            portal_args(),
            "--from-portal: no [sso-session acme] with sso_start_url and sso_region in the AWS config: "
            "pass --start-url URL --sso-region REGION",
        ),
        (
            ["sso-config", "--from-aws", "--org", "acme"],
            "--group is required with --outputs and --from-aws",
        ),
        (
            ["sso-config", "--from-portal", "--from-aws", "--sso-session", "acme", "--org", "acme"],
            "choose one source: --stack NAME (or --config-file PATH) --outputs FILE, --from-aws [--profile P], "
            "or --from-portal --sso-session NAME",
        ),
        (
            [*portal_args(*WITH_URL), "--profile", "mgmt"],
            "--profile: only with --from-aws (--from-portal uses the cached SSO token)",
        ),
        (
            [*portal_args(*WITH_URL), "--max-attempts", "3"],
            "--max-attempts: only with --from-aws (--from-portal uses the cached SSO token)",
        ),
    ],
    ids=[
        "no session",
        "group",
        "no org",
        "no start url",
        "no group",
        "two sources",
        "profile",
        "max attempts",
    ],
)
def test_usage_errors(capsys, aws_home, argv, message):
    assert run_lz(capsys, *argv) == (2, "", f"lz sso-config: {message}\n")


def test_a_refused_token_is_one_line(capsys, aws_home, monkeypatch):
    """A token the portal no longer accepts (signed out elsewhere) ends like any refused call."""
    write_token(aws_home.parent.parent, FUTURE)
    client = boto3.Session().client("sso", region_name="eu-west-1", config=Config(signature_version=UNSIGNED))
    stubber = Stubber(client)
    stubber.add_client_error("list_accounts", "UnauthorizedException", "Session token not found or invalid")
    stubber.activate()
    monkeypatch.setattr(portal, "portal_client", lambda region: client)
    code, out, err = run_lz(capsys, *portal_args(*WITH_URL))
    assert (code, out) == (2, "")
    assert err.startswith("lz sso-config: cannot read the access portal: ")
    assert "UnauthorizedException" in err and err.count("\n") == 1


def test_an_unreadable_config_file_is_one_line(capsys, aws_home):
    aws_home.parent.mkdir(parents=True, exist_ok=True)
    aws_home.write_text("key = value\n[sso-session acme\n")
    assert run_lz(capsys, *portal_args()) == (
        2,
        "",
        f"lz sso-config: --from-portal: Unable to parse config file: {aws_home}\n",
    )


def test_portal_profiles_are_read_back_by_the_aws_cli(capsys, aws_home, stub_portal):
    write_token(aws_home.parent.parent, FUTURE)
    stub_portal()
    assert run_lz(capsys, *portal_args(*WITH_URL, "--write")).code == 0

    def aws(*argv: str) -> str:
        done = subprocess.run(
            [str(AWS_CLI), "configure", "get", *argv], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert aws("sso_account_id", "--profile", "acme-log-archive-ReadOnlyAccess") == "333333333333\n"
    assert aws("sso_role_name", "--profile", "acme-production") == "AdministratorAccess\n"
    assert aws("sso_session", "--profile", "acme-dev-PowerUserAccess") == "acme\n"


def test_a_hostile_portal_account_name_becomes_one_profile_name(capsys, aws_home, stub_portal):
    write_token(aws_home.parent.parent, FUTURE)
    hostile = "dev]\n[profile default]\ncredential_process = sh -c evil\nsso_account_id = 999999999999"
    stub_portal(
        [
            (
                "list_accounts",
                {"accountList": [account_entry("222222222222", hostile)]},
                {"accessToken": TOKEN},
            ),
            (
                "list_account_roles",
                role_page("222222222222", "AdministratorAccess"),
                {"accessToken": TOKEN, "accountId": "222222222222"},
            ),
        ]
    )
    assert run_lz(capsys, *portal_args(*WITH_URL, "--write")) == (
        0,
        f"{aws_home}: wrote 1 profiles under sso-session acme\n",
        "",
    )
    assert botocore.session.Session().full_config["profiles"] == {
        "acme-dev---profile-default--credential_process---sh--c-evil-sso_account_id---999999999999": {
            "sso_session": "acme",
            "sso_account_id": "222222222222",
            "sso_role_name": "AdministratorAccess",
            "region": "eu-west-1",
        }
    }
