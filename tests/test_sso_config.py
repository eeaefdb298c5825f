"""`lz sso-config`: the profiles it renders, read back by botocore and the AWS CLI themselves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import botocore.exceptions
import botocore.session
import pytest
from moto import mock_aws

from landing_zone.live.group_access import read_group_access
from landing_zone.live.session import Clients
from landing_zone.sso.profiles import Reachable
from tests.helpers import PROJECT_DIR, run_lz, sso_config_args

AWS_CLI = Path(sys.executable).with_name("aws")
# Pulumi.prod.yaml's Platform group: admin everywhere, read-only where rules add it.
PLATFORM_PROFILES = {
    "acme-audit": ("audit", "AdministratorAccess"),
    "acme-dev": ("dev", "AdministratorAccess"),
    "acme-dev-ReadOnlyAccess": ("dev", "ReadOnlyAccess"),
    "acme-log-archive": ("log-archive", "AdministratorAccess"),
    "acme-management": ("management", "AdministratorAccess"),
    "acme-management-ReadOnlyAccess": ("management", "ReadOnlyAccess"),
    "acme-production": ("production", "AdministratorAccess"),
    "acme-production-ReadOnlyAccess": ("production", "ReadOnlyAccess"),
    "acme-sandbox-alice": ("sandbox-alice", "AdministratorAccess"),
    "acme-sandbox-bob": ("sandbox-bob", "AdministratorAccess"),
    "acme-staging": ("staging", "AdministratorAccess"),
    "acme-staging-ReadOnlyAccess": ("staging", "ReadOnlyAccess"),
}


def account_ids(outputs_path: Path) -> dict[str, str]:
    outputs = json.loads(outputs_path.read_text())
    return {**outputs["accountIds"], "management": outputs["managementAccountId"]}


def test_profiles_are_read_back_by_botocore(capsys, prod_outputs, aws_home):
    code, out, err = run_lz(capsys, *sso_config_args(prod_outputs))
    assert (code, err) == (0, "")
    aws_home.parent.mkdir()
    aws_home.write_text(out)
    ids = account_ids(prod_outputs)
    outputs = json.loads(prod_outputs.read_text())

    session = botocore.session.Session(profile="acme-dev")
    assert session.full_config["sso_sessions"] == {
        "acme": {
            "sso_start_url": outputs["ssoStartUrl"],
            "sso_region": "eu-west-1",
            "sso_registration_scopes": "sso:account:access",
        }
    }
    profiles = session.full_config["profiles"]
    assert set(profiles) == set(PLATFORM_PROFILES)
    for name, (account, permission_set) in PLATFORM_PROFILES.items():
        assert profiles[name] == {
            "sso_session": "acme",
            "sso_account_id": ids[account],
            "sso_role_name": permission_set,
            "region": "eu-west-1",
        }, name
    # The profile resolves through botocore's SSO provider to the acme session's token: the
    # one `aws sso login --sso-session acme` would cache (none yet in this fresh HOME).
    credentials = session.get_credentials()
    assert credentials is not None and credentials.method == "sso"
    with pytest.raises(botocore.exceptions.SSOTokenLoadError, match="Token for acme does not exist"):
        credentials.get_frozen_credentials()


def test_profiles_are_read_back_by_the_aws_cli(capsys, prod_outputs, aws_home):
    code, out, _ = run_lz(capsys, *sso_config_args(prod_outputs))
    assert code == 0
    aws_home.parent.mkdir()
    aws_home.write_text(out)
    env = {**os.environ, "AWS_CONFIG_FILE": str(aws_home)}

    def aws(*argv: str) -> str:
        done = subprocess.run([str(AWS_CLI), *argv], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert aws("configure", "get", "sso_account_id", "--profile", "acme-production") == (
        account_ids(prod_outputs)["production"] + "\n"
    )
    assert (
        aws("configure", "get", "sso_role_name", "--profile", "acme-management-ReadOnlyAccess")
        == "ReadOnlyAccess\n"
    )
    assert aws("configure", "get", "region", "--profile", "acme-sandbox-bob") == "eu-west-1\n"


def test_exact_text_for_a_small_group(capsys, prod_outputs):
    code, out, _ = run_lz(
        capsys,
        *sso_config_args(prod_outputs, "Finance", "--region", "eu-central-1", "--sso-session", "acme-corp"),
    )
    assert code == 0
    outputs = json.loads(prod_outputs.read_text())
    assert out == (
        "# BEGIN lz sso-config managed block: sso-session acme-corp\n"
        "# Rewritten by `lz sso-config --write`: edits inside this block are lost; add yours outside it.\n"
        "# Made-up account ids: these profiles come from `lz plan --outputs-out` (the mock runtime).\n"
        "[sso-session acme-corp]\n"
        f"sso_start_url = {outputs['ssoStartUrl']}\n"
        "sso_region = eu-west-1\n"
        "sso_registration_scopes = sso:account:access\n"
        "\n"
        "[profile acme-management-Billing]\n"
        "sso_session = acme-corp\n"
        f"sso_account_id = {outputs['managementAccountId']}\n"
        "sso_role_name = Billing\n"
        "region = eu-central-1\n"
        "# END lz sso-config managed block: sso-session acme-corp\n"
    )


def test_templates_name_profiles(capsys, prod_outputs):
    code, out, _ = run_lz(
        capsys,
        *sso_config_args(
            prod_outputs,
            "Developers",
            "--admin-template",
            "{account}",
            "--template",
            "{account}.{permission_set}",
            "--admin-permission-set",
            "Developer",
        ),
    )
    assert code == 0
    names = [line[len("[profile ") : -1] for line in out.splitlines() if line.startswith("[profile ")]
    assert names == [
        "dev",
        "dev.ReadOnlyAccess",
        "production.ReadOnlyAccess",
        "sandbox-alice.AdministratorAccess",
        "sandbox-bob.AdministratorAccess",
        "staging",
        "staging.ReadOnlyAccess",
    ]


def test_the_dev_stack_uses_its_identity_center_region_and_custom_start_url(capsys, tmp_path):
    outputs = tmp_path / "dev.json"
    assert run_lz(capsys, "plan", "--no-policy", "--stack", "dev", "--outputs-out", str(outputs))[0] == 0
    code, out, _ = run_lz(capsys, *sso_config_args(outputs, "aws-lab-finance", stack="dev"))
    assert code == 0
    assert "sso_start_url = https://acme-lab.awsapps.com/start\nsso_region = us-east-1\n" in out
    # Profiles work in the stack's region, not Identity Center's.
    assert "[profile acme-lab-lab-management-Billing]\n" in out and "region = eu-west-1\n" in out


def without_dev(outputs):
    return {**outputs, "accountIds": {k: v for k, v in outputs["accountIds"].items() if k != "dev"}}


def without_start_url(outputs):
    return {k: v for k, v in outputs.items() if k != "ssoStartUrl"}


# (id, how to change the outputs file, group and arguments, message); "-" as the change: no --outputs.
ERROR_CASES = [
    (
        "unknown group",
        None,
        ["Platfrom"],
        "--group: 'Platfrom' is not in the stack's identityCenter.groups (known: Platform, Developers, Finance, Auditors)",
    ),
    (
        "outputs without the start URL",
        without_start_url,
        ["Platform"],
        "OUTPUTS has no ssoStartUrl output: is the stack's Identity Center config deployed?",
    ),
    (
        "outputs without an account the rules reach",
        without_dev,
        ["Platform"],
        "OUTPUTS has no id for account 'dev' in accountIds: was the stack updated (pulumi up) since the account was added?",
    ),
    (
        "template with an unknown placeholder",
        None,
        ["Platform", "--template", "{org}-{acount}"],
        "--template: unknown placeholder {acount}; use {org}, {account}, {account_id} and {permission_set}",
    ),
    (
        "template that names two profiles the same",
        None,
        ["Platform", "--template", "{org}-{account}"],
        "profile name 'acme-dev' is made twice (dev/AdministratorAccess and dev/ReadOnlyAccess): "
        "add {permission_set} or {account} to the template",
    ),
    (
        "session name with a space",
        None,
        ["Platform", "--sso-session", "acme corp"],
        "sso-session name 'acme corp' may only have letters, digits and . _ + @ -",
    ),
    (
        "template making a profile name with a space",
        None,
        ["Platform", "--template", "{org} {account}"],
        "profile name 'acme dev' may only have letters, digits and . _ + @ -",
    ),
    (
        "bad region",
        None,
        ["Platform", "--region", "Ireland"],
        "--region: 'Ireland' is not an AWS region code like eu-west-1",
    ),
    (
        "no source",
        "-",
        ["Platform"],
        "choose one source: --stack NAME (or --config-file PATH) --outputs FILE, --from-aws [--profile P], "
        "or --from-portal --sso-session NAME",
    ),
    (
        "outputs and the portal",
        None,
        ["Platform", "--from-portal", "--sso-session", "acme"],
        "choose one source: --stack NAME (or --config-file PATH) --outputs FILE, --from-aws [--profile P], "
        "or --from-portal --sso-session NAME",
    ),
    (
        "two sources",
        None,
        ["Platform", "--from-aws"],
        "choose one source: --stack NAME (or --config-file PATH) --outputs FILE, --from-aws [--profile P], "
        "or --from-portal --sso-session NAME",
    ),
]


@pytest.mark.parametrize(
    ("change", "argv", "message"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, prod_outputs, change, argv, message):
    outputs = prod_outputs
    if callable(change):
        outputs = tmp_path / "changed.json"
        outputs.write_text(json.dumps(change(json.loads(prod_outputs.read_text()))))
    code, out, err = run_lz(capsys, *sso_config_args(None if change == "-" else outputs, *argv))
    assert (code, out) == (2, "")
    assert err == "lz sso-config: " + message.replace("OUTPUTS", str(outputs)) + "\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "is not valid JSON: Expecting property name enclosed in double quotes (line 1 column 2)"),
        ("[]", "must hold a JSON object (`pulumi stack output --json`)"),
        ("[" * 100_000, "is JSON nested more than 64 levels deep"),
        ('{"a": ' * 5000 + "1" + "}" * 5000, "is JSON nested more than 64 levels deep"),
    ],
)
def test_unreadable_outputs_file(capsys, tmp_path, content, message):
    path = tmp_path / "outputs.json"
    path.write_text(content)
    code, _, err = run_lz(capsys, *sso_config_args(path))
    assert code == 2
    assert err == f"lz sso-config: --outputs: {path} {message}\n"
    code, _, err = run_lz(capsys, *sso_config_args(tmp_path / "nope.json", "X"))
    assert (code, err) == (2, f"lz sso-config: --outputs: no file at {tmp_path / 'nope.json'}\n")


def test_config_file_names_the_stack_as_stack_does(capsys, prod_outputs, tmp_path):
    config_file = tmp_path / "Pulumi.acme.yaml"
    config_file.write_text((PROJECT_DIR / "Pulumi.prod.yaml").read_text())
    by_file = run_lz(
        capsys, *sso_config_args(prod_outputs, "Platform", "--config-file", str(config_file), stack=None)
    )
    assert by_file == run_lz(capsys, *sso_config_args(prod_outputs))
    assert (by_file.code, by_file.err) == (0, "") and "[profile acme-dev]\n" in by_file.out


def test_outputs_need_a_stack(capsys, prod_outputs):
    code, out, err = run_lz(capsys, *sso_config_args(prod_outputs, stack=None))
    assert (code, out) == (2, "")
    assert err == (
        "lz sso-config: --outputs needs --stack NAME or --config-file PATH: "
        "the stack's rules say what the group can reach\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--stack", "nope"], f"no stack config file at {PROJECT_DIR / 'Pulumi.nope.yaml'}"),
        (["--config-file", "TMP/Pulumi.gone.yaml"], "no stack config file at TMP/Pulumi.gone.yaml"),
    ],
    ids=["stack", "config-file"],
)
def test_a_missing_stack_file_is_reported_as_by_validate(capsys, prod_outputs, tmp_path, argv, message):
    argv = [a.replace("TMP", str(tmp_path)) for a in argv]
    for command in (["validate"], sso_config_args(prod_outputs, stack=None)):
        code, out, err = run_lz(capsys, *command, *argv)
        assert (code, out) == (2, "")
        assert err == f"lz {command[0]}: {message.replace('TMP', str(tmp_path))}\n"


def test_stack_and_config_file_are_refused_together_as_by_validate(capsys, prod_outputs):
    both = ["--config-file", str(PROJECT_DIR / "Pulumi.prod.yaml")]
    for command in (["validate", "--stack", "prod"], sso_config_args(prod_outputs)):
        with pytest.raises(SystemExit) as exited:
            run_lz(capsys, *command, *both)
        assert exited.value.code == 2
        assert capsys.readouterr().err.endswith(
            f"lz {command[0]}: error: argument --config-file: not allowed with argument --stack/-s\n"
        )


# --from-aws against moto: an organization, Identity Center's default instance, a group.


@pytest.fixture
def live_org(mgmt_profile, monkeypatch):
    with mock_aws():
        session = boto3.Session(profile_name=mgmt_profile)
        organizations = session.client("organizations")
        organizations.create_organization(FeatureSet="ALL")
        ids = {
            name: organizations.create_account(Email=f"aws-acme+{name}@acme-corp.io", AccountName=name)[
                "CreateAccountStatus"
            ]["AccountId"]
            for name in ("Production", "dev")
        }
        ids["master"] = organizations.describe_organization()["Organization"]["MasterAccountId"]
        sso = session.client("sso-admin")
        instance = sso.list_instances()["Instances"][0]
        store = session.client("identitystore")
        groups = {
            name: store.create_group(IdentityStoreId=instance["IdentityStoreId"], DisplayName=name)["GroupId"]
            for name in ("Platform", "Finance")
        }
        sets = {
            name: sso.create_permission_set(InstanceArn=instance["InstanceArn"], Name=name)["PermissionSet"][
                "PermissionSetArn"
            ]
            for name in ("AdministratorAccess", "ReadOnlyAccess", "Billing")
        }
        for group, account, permission_set in [
            ("Platform", "Production", "AdministratorAccess"),
            ("Platform", "Production", "ReadOnlyAccess"),
            ("Platform", "dev", "AdministratorAccess"),
            ("Finance", "master", "Billing"),
        ]:
            sso.create_account_assignment(
                InstanceArn=instance["InstanceArn"],
                TargetId=ids[account],
                TargetType="AWS_ACCOUNT",
                PermissionSetArn=sets[permission_set],
                PrincipalType="GROUP",
                PrincipalId=groups[group],
            )
        yield session, ids, instance["IdentityStoreId"]


def test_live_access_of_a_group(live_org):
    session, ids, store = live_org
    access = read_group_access(Clients(session), "Platform")
    assert access.start_url == f"https://{store}.awsapps.com/start"
    assert access.sso_region == "eu-west-1"
    assert access.reachable == (
        Reachable("Production", ids["Production"], "AdministratorAccess"),
        Reachable("Production", ids["Production"], "ReadOnlyAccess"),
        Reachable("dev", ids["dev"], "AdministratorAccess"),
    )


def test_from_aws_renders_profiles_botocore_reads(capsys, live_org, tmp_path, monkeypatch):
    _, ids, store = live_org
    target = tmp_path / "rendered"
    code, out, err = run_lz(
        capsys,
        *sso_config_args(
            None,
            "Platform",
            "--from-aws",
            "--profile",
            "mgmt",
            "--org",
            "acme",
            "--write",
            str(target),
            stack=None,
        ),
    )
    assert (code, err) == (0, "")
    assert out == f"{target}: wrote 3 profiles under sso-session acme\n"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(target))
    profiles = botocore.session.Session().full_config["profiles"]
    del profiles["mgmt"]  # from the credentials file, which botocore merges in
    assert {name: (p["sso_account_id"], p["sso_role_name"]) for name, p in profiles.items()} == {
        "acme-production": (ids["Production"], "AdministratorAccess"),
        "acme-production-ReadOnlyAccess": (ids["Production"], "ReadOnlyAccess"),
        "acme-dev": (ids["dev"], "AdministratorAccess"),
    }
    assert botocore.session.Session().full_config["sso_sessions"]["acme"]["sso_start_url"] == (
        f"https://{store}.awsapps.com/start"
    )


@pytest.mark.parametrize(
    "stack",
    [["--stack", "prod"], ["--config-file", str(PROJECT_DIR / "Pulumi.prod.yaml")]],
    ids=["stack", "config-file"],
)
def test_from_aws_with_the_stack_for_org_and_region(capsys, live_org, stack):
    argv = ["--from-aws", "--profile", "mgmt", *stack]
    code, out, _ = run_lz(capsys, *sso_config_args(None, "Finance", *argv, stack=None))
    assert code == 0
    assert "[profile acme-master-Billing]\n" in out and "region = eu-west-1\n" in out


# (group and arguments, message)
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["Nobody", "--org", "acme"],
            "lz sso-config: --from-aws: no group named 'Nobody' in identity store STORE",
        ),
        (
            ["Platform"],
            "lz sso-config: --org is required with --from-aws unless --stack or --config-file names the stack",
        ),
        (
            ["Platform", "--org", "acme", "--profile", "nope"],
            "lz sso-config: --profile: The config profile (nope) could not be found",
        ),
    ],
)
def test_from_aws_problems_exit_2(capsys, live_org, argv, message):
    _, _, store = live_org
    if "--profile" not in argv:
        argv = [*argv, "--profile", "mgmt"]
    code, out, err = run_lz(capsys, *sso_config_args(None, *argv, "--from-aws", stack=None))
    assert (code, out) == (2, "")
    assert err == message.replace("STORE", store) + "\n"


@pytest.mark.parametrize("group", ["Platform\n[profile default]", "Plat\x1b[2Kform", "Platform\u2028x", ""])
def test_a_group_name_that_is_not_one_printable_line_is_refused(capsys, prod_outputs, group):
    code, out, err = run_lz(capsys, *sso_config_args(prod_outputs, group))
    assert (code, out) == (2, "")
    assert (
        err == f"lz sso-config: --group: {group!r} is not a group name of 1 to 1,024 characters on one line\n"
    )


def split_outputs(prod_outputs: Path, directory: Path) -> list[Path]:
    """The prod outputs as a split organization exports them: the organization stack's with the
    Identity Center outputs and some accounts, an account stack's with the other accounts."""
    outputs = json.loads(prod_outputs.read_text())
    names = sorted(outputs["accountIds"])
    organization = {**outputs, "accountIds": {n: outputs["accountIds"][n] for n in names[::2]}}
    account_stack = {
        "accountIds": {n: outputs["accountIds"][n] for n in names[1::2]},
        "organizationStack": "prod",
        "lz:mocked": outputs.get("lz:mocked", False),
    }
    paths = [directory / "org.json", directory / "bu00.json"]
    for path, content in zip(paths, (organization, account_stack), strict=True):
        path.write_text(json.dumps(content))
    return paths


def test_a_split_organizations_outputs_give_the_same_profiles_as_one_stacks(capsys, prod_outputs, tmp_path):
    whole = run_lz(capsys, *sso_config_args(prod_outputs))
    org, bu00 = split_outputs(prod_outputs, tmp_path)
    split = run_lz(capsys, *sso_config_args(org, "Platform", "--outputs", str(bu00)))
    assert (split.code, split.err) == (0, "")
    assert split.out == whole.out


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (
            {"accountIds": {"production": "999999999999"}},
            "account 'production' is {first_id} in {first} and '999999999999' in {second}",
        ),
        (
            {"accountIds": {}, "ssoStartUrl": "https://other.awsapps.com/start"},
            "'ssoStartUrl' differs between {first} and {second}",
        ),
    ],
    ids=["an account id", "another organization's start URL"],
)
def test_outputs_of_two_organizations_are_refused(capsys, prod_outputs, tmp_path, second, message):
    path = tmp_path / "other.json"
    path.write_text(json.dumps(second))
    first_id = repr(json.loads(prod_outputs.read_text())["accountIds"]["production"])
    run = run_lz(capsys, *sso_config_args(prod_outputs, "Platform", "--outputs", str(path)))
    assert (run.code, run.out) == (2, "")
    expected = message.format(first_id=first_id, first=prod_outputs, second=path)
    assert run.err == f"lz sso-config: --outputs: {expected}: outputs of one organization's stacks only\n"
