"""`lz onboard`: one person's access from the stack and its outputs, each (account, permission
set) once, a config block botocore reads, and clear exits for no access and unknown users."""

from __future__ import annotations

import json
import re

import boto3
import botocore.session
import pytest
from moto import mock_aws

from landing_zone.config import read_stack_file
from tests.helpers import PROJECT_DIR, run_lz, write_stack

PROD = PROJECT_DIR / "Pulumi.prod.yaml"
# Bob's Developers rules overlap: ReadOnlyAccess on Workloads and on Workloads/NonProduction.
BOB = {
    ("dev", "Developer", "acme-dev-Developer"),
    ("dev", "ReadOnlyAccess", "acme-dev-ReadOnlyAccess"),
    ("production", "ReadOnlyAccess", "acme-production-ReadOnlyAccess"),
    ("sandbox-alice", "AdministratorAccess", "acme-sandbox-alice"),
    ("sandbox-bob", "AdministratorAccess", "acme-sandbox-bob"),
    ("staging", "Developer", "acme-staging-Developer"),
    ("staging", "ReadOnlyAccess", "acme-staging-ReadOnlyAccess"),
}
ROW = re.compile(r"^  (\S+) \((\d{12})\)\s+(\S+)\s+profile (\S+)$")


def ids_of(outputs_path):
    outputs = json.loads(outputs_path.read_text())
    return {**outputs["accountIds"], "management": outputs["managementAccountId"]}, outputs


def rows(out: str) -> list[tuple[str, str, str, str]]:
    return [m.groups() for line in out.splitlines() if (m := ROW.match(line))]


def block(out: str) -> str:
    start = out.index("# BEGIN lz sso-config managed block")
    end = out.index("\n", out.index("# END lz sso-config managed block"))
    return out[start : end + 1]


def stack_with(tmp_path, change):
    values = read_stack_file(PROD)
    change(values["landing-zone:identityCenter"])
    return str(write_stack(tmp_path, values, "Pulumi.prod.yaml"))


def test_bob_gets_exactly_his_pairs_with_the_portal_and_first_commands(capsys, prod_outputs):
    code, out, err = run_lz(
        capsys, "onboard", "bob@acme-corp.io", "--stack", "prod", "--outputs", str(prod_outputs)
    )
    assert (code, err) == (0, "")
    ids, outputs = ids_of(prod_outputs)
    found = rows(out)
    assert len(found) == len(set(found))
    assert set(found) == {(account, ids[account], ps, profile) for account, ps, profile in BOB}
    assert f"Access portal (start URL): {outputs['ssoStartUrl']}\n" in out
    assert "SSO region: eu-west-1\n" in out
    assert "Groups: Developers\n" in out
    assert (
        "  aws sso login --sso-session acme\n  aws sts get-caller-identity --profile acme-dev-Developer\n"
        in out
    )
    assert "register an MFA device" in out


def test_the_block_is_what_sso_config_prints_for_a_one_group_user(capsys, prod_outputs):
    code, out, _ = run_lz(
        capsys, "onboard", "bob@acme-corp.io", "--stack", "prod", "--outputs", str(prod_outputs)
    )
    assert code == 0
    sso_code, sso_out, _ = run_lz(
        capsys, "sso-config", "--stack", "prod", "--outputs", str(prod_outputs), "--group", "Developers"
    )
    assert (sso_code, block(out)) == (0, sso_out)


def test_overlapping_groups_give_each_account_and_permission_set_once(capsys, tmp_path, prod_outputs):
    # Auditors: ReadOnlyAccess on every member account, which Developers also has on Workloads.
    def bob_audits(identity):
        next(g for g in identity["groups"] if g["name"] == "Auditors")["members"] = ["bob@acme-corp.io"]

    stack = stack_with(tmp_path, bob_audits)
    code, out, err = run_lz(
        capsys, "onboard", "bob@acme-corp.io", "--config-file", stack, "--outputs", str(prod_outputs)
    )
    assert (code, err) == (0, "")
    ids, _ = ids_of(prod_outputs)
    extra = {
        (account, "ReadOnlyAccess", f"acme-{account}-ReadOnlyAccess")
        for account in ("audit", "log-archive", "sandbox-alice", "sandbox-bob")
    }
    found = rows(out)
    assert len(found) == len(set(found)) == len(BOB | extra)
    assert set(found) == {(account, ids[account], ps, profile) for account, ps, profile in BOB | extra}
    assert "Groups: Developers, Auditors\n" in out


def test_the_config_block_is_read_back_by_botocore(capsys, prod_outputs, aws_home):
    code, out, _ = run_lz(
        capsys, "onboard", "bob@acme-corp.io", "--stack", "prod", "--outputs", str(prod_outputs)
    )
    assert code == 0
    aws_home.parent.mkdir()
    aws_home.write_text(block(out))
    ids, outputs = ids_of(prod_outputs)
    config = botocore.session.Session().full_config
    assert config["sso_sessions"] == {
        "acme": {
            "sso_start_url": outputs["ssoStartUrl"],
            "sso_region": "eu-west-1",
            "sso_registration_scopes": "sso:account:access",
        }
    }
    assert {
        name: (p["sso_session"], p["sso_account_id"], p["sso_role_name"], p["region"])
        for name, p in config["profiles"].items()
    } == {profile: ("acme", ids[account], ps, "eu-west-1") for account, ps, profile in BOB}


def test_markdown_for_a_small_access(capsys, prod_outputs):
    code, out, err = run_lz(
        capsys,
        "onboard",
        "carol@acme-corp.io",
        "--stack",
        "prod",
        "--outputs",
        str(prod_outputs),
        "--format",
        "markdown",
    )
    ids, outputs = ids_of(prod_outputs)
    management, url = ids["management"], outputs["ssoStartUrl"]
    assert (code, err) == (0, "")
    assert out == "\n".join(
        [
            "# AWS access for Carol Diaz",
            "",
            "> Made-up account ids: these profiles come from `lz plan --outputs-out` (the mock runtime).",
            "",
            "- User name: `carol@acme-corp.io` (carol@acme-corp.io)",
            "- Groups: Finance",
            f"- Access portal (start URL): <{url}>",
            "- SSO region: `eu-west-1`",
            "",
            "## Accounts and permission sets",
            "",
            "| Account | Account id | Permission set | Profile |",
            "| --- | --- | --- | --- |",
            f"| management | {management} | Billing | `acme-management-Billing` |",
            "",
            "## `~/.aws/config`",
            "",
            "```ini",
            "# BEGIN lz sso-config managed block: sso-session acme",
            "# Rewritten by `lz sso-config --write`: edits inside this block are lost; add yours outside it.",
            "# Made-up account ids: these profiles come from `lz plan --outputs-out` (the mock runtime).",
            "[sso-session acme]",
            f"sso_start_url = {url}",
            "sso_region = eu-west-1",
            "sso_registration_scopes = sso:account:access",
            "",
            "[profile acme-management-Billing]",
            "sso_session = acme",
            f"sso_account_id = {management}",
            "sso_role_name = Billing",
            "region = eu-west-1",
            "# END lz sso-config managed block: sso-session acme",
            "```",
            "",
            "## First commands",
            "",
            "```sh",
            "aws sso login --sso-session acme",
            "aws sts get-caller-identity --profile acme-management-Billing",
            "```",
            "",
            "## Reminders",
            "",
            "- Sign in at the access portal first: at the first sign-in Identity Center asks you to register an "
            "MFA device (an authenticator app or a security key). Keep it; you need it at every sign-in.",
            "- Sessions are short: when a command says the token expired, run `aws sso login` again.",
            "- Never create IAM users or access keys: every access goes through the portal or `aws sso login`.",
            "- Use the least privileged profile for the task; admin work has its own identity.",
            "",
        ]
    )


def _dave(groups):
    def change(identity):
        identity["users"].append(
            {
                "userName": "dave@acme-corp.io",
                "givenName": "Dave",
                "familyName": "Ng",
                "email": "dave@acme-corp.io",
            }
        )
        for group in identity["groups"]:
            if group["name"] in groups:
                group["members"] = [*group.get("members", []), "dave@acme-corp.io"]

    return change


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (
            (),
            "lz onboard: user 'dave@acme-corp.io' can reach no account: they are in no group, so have no access "
            "rule; add them to a group of identityCenter.groups that identityCenter.access gives accounts\n",
        ),
        (
            ("Empty",),
            "lz onboard: user 'dave@acme-corp.io' can reach no account: their groups (Empty) have no access "
            "rule; add them to a group of identityCenter.groups that identityCenter.access gives accounts\n",
        ),
    ],
    ids=["no-group", "group-without-rules"],
)
def test_a_user_with_no_access_exits_1_with_a_clear_message(capsys, tmp_path, prod_outputs, groups, message):
    def change(identity):
        identity["groups"].append({"name": "Empty"})
        _dave(groups)(identity)

    stack = stack_with(tmp_path, change)
    code, out, err = run_lz(
        capsys, "onboard", "dave@acme-corp.io", "--config-file", stack, "--outputs", str(prod_outputs)
    )
    assert (code, out, err) == (1, "", message)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["bobby@acme-corp.io", "--stack", "prod"],
            "lz onboard: USER: 'bobby@acme-corp.io' is not in the stack's identityCenter.users; "
            "did you mean 'bob@acme-corp.io'?\n",
        ),
        (
            ["zed", "--stack", "prod"],
            "lz onboard: USER: 'zed' is not in the stack's identityCenter.users\n",
        ),
        (
            ["alice@acme-corp.io", "--stack", "dev"],
            "lz onboard: the stack's identitySource is external: its users and their groups live in the "
            "identity provider, not in the stack config\n",
        ),
    ],
    ids=["close-match", "unknown", "external-source"],
)
def test_unknown_users_exit_2_naming_the_argument(capsys, prod_outputs, argv, message):
    code, out, err = run_lz(capsys, "onboard", *argv, "--outputs", str(prod_outputs))
    assert (code, out, err) == (2, "", message)


def test_user_names_match_case_insensitively(capsys, prod_outputs):
    code, out, _ = run_lz(
        capsys, "onboard", "Bob@Acme-Corp.io", "--stack", "prod", "--outputs", str(prod_outputs)
    )
    assert code == 0 and "(user name bob@acme-corp.io)" in out


# --from-aws against moto: the live identity store's user, memberships and group assignments.


@pytest.fixture
def live_store(mgmt_profile):
    with mock_aws():
        session = boto3.Session(profile_name=mgmt_profile)
        organizations = session.client("organizations")
        organizations.create_organization(FeatureSet="ALL")
        ids = {
            name: organizations.create_account(Email=f"aws-acme+{name}@acme-corp.io", AccountName=name)[
                "CreateAccountStatus"
            ]["AccountId"]
            for name in ("production", "dev")
        }
        sso = session.client("sso-admin")
        instance = sso.list_instances()["Instances"][0]
        store_id = instance["IdentityStoreId"]
        store = session.client("identitystore")
        groups = {
            name: store.create_group(IdentityStoreId=store_id, DisplayName=name)["GroupId"]
            for name in ("Platform", "Developers")
        }
        bob = store.create_user(
            IdentityStoreId=store_id,
            UserName="bob@acme-corp.io",
            DisplayName="Bob Chen",
            Name={"GivenName": "Bob", "FamilyName": "Chen"},
            Emails=[{"Value": "bob@acme-corp.io", "Primary": True}],
        )["UserId"]
        for group in groups.values():
            store.create_group_membership(IdentityStoreId=store_id, GroupId=group, MemberId={"UserId": bob})
        sets = {
            name: sso.create_permission_set(InstanceArn=instance["InstanceArn"], Name=name)["PermissionSet"][
                "PermissionSetArn"
            ]
            for name in ("AdministratorAccess", "ReadOnlyAccess")
        }
        # ReadOnlyAccess on dev comes from both groups: listed once.
        for group, account, permission_set in [
            ("Platform", "production", "AdministratorAccess"),
            ("Platform", "dev", "ReadOnlyAccess"),
            ("Developers", "dev", "ReadOnlyAccess"),
            ("Developers", "dev", "AdministratorAccess"),
        ]:
            sso.create_account_assignment(
                InstanceArn=instance["InstanceArn"],
                TargetId=ids[account],
                TargetType="AWS_ACCOUNT",
                PermissionSetArn=sets[permission_set],
                PrincipalType="GROUP",
                PrincipalId=groups[group],
            )
        yield ids, store_id


def test_from_aws_lists_the_live_users_pairs_once(capsys, live_store):
    ids, store_id = live_store
    argv = ["onboard", "bob@acme-corp.io", "--stack", "prod", "--from-aws", "--profile", "mgmt"]
    code, out, err = run_lz(capsys, *argv)
    assert (code, err) == (0, "")
    assert rows(out) == [
        ("dev", ids["dev"], "AdministratorAccess", "acme-dev"),
        ("dev", ids["dev"], "ReadOnlyAccess", "acme-dev-ReadOnlyAccess"),
        ("production", ids["production"], "AdministratorAccess", "acme-production"),
    ]
    assert out.startswith(
        "AWS access for Bob Chen <bob@acme-corp.io> (user name bob@acme-corp.io)\nGroups: Developers, Platform\n"
    )
    assert f"Access portal (start URL): https://{store_id}.awsapps.com/start\n" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["nobody", "--stack", "prod", "--from-aws", "--profile", "mgmt"],
            "lz onboard: --from-aws: USER: no user named 'nobody' in identity store STORE\n",
        ),
        (
            ["bob@acme-corp.io", "--stack", "prod"],
            "lz onboard: choose one source: --outputs FILE (with the stack's rules), or --from-aws [--profile P]\n",
        ),
    ],
    ids=["unknown-live-user", "no-source"],
)
def test_from_aws_problems_exit_2(capsys, live_store, argv, message):
    _, store_id = live_store
    code, out, err = run_lz(capsys, "onboard", *argv)
    assert (code, out, err) == (2, "", message.replace("STORE", store_id))
