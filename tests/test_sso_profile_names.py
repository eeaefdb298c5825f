"""Profile names: the organization's code is not doubled, every name belongs to one (account,
permission set) whatever the source, and a hostile live account name never adds settings."""

from __future__ import annotations

import dataclasses

import botocore.session
import pytest

from landing_zone.sso.profiles import (
    MAX_LIVE_ACCOUNT_NAME,
    ProfileOptions,
    Reachable,
    SsoAccess,
    SsoSourceError,
    build_profiles,
    render_sections,
)

URL = "https://acme.awsapps.com/start"
A, B = "111111111111", "222222222222"
ADMIN, READ = "AdministratorAccess", "ReadOnlyAccess"
OPTIONS = ProfileOptions(org="acme", session_name="acme", region="eu-west-1")


def access(*items: tuple[str, str, str]) -> SsoAccess:
    return SsoAccess(URL, "eu-west-1", tuple(sorted(Reachable(*item) for item in items)))


def names(*items: tuple[str, str, str], **options: object) -> list[str]:
    return [p.name for p in build_profiles(access(*items), dataclasses.replace(OPTIONS, **options))]


# (id, account name, org, templates, profile names of its admin and read-only sets)
PREFIX_CASES = [
    ("prefixed", "acme-dev", "acme", {}, ["acme-dev", "acme-dev-ReadOnlyAccess"]),
    ("upper case", "ACME-dev", "acme", {}, ["acme-dev", "acme-dev-ReadOnlyAccess"]),
    ("underscore", "acme_dev", "acme", {}, ["acme-dev", "acme-dev-ReadOnlyAccess"]),
    ("dot", "acme.dev", "acme", {}, ["acme-dev", "acme-dev-ReadOnlyAccess"]),
    ("space", "Acme Dev", "acme", {}, ["acme-dev", "acme-dev-ReadOnlyAccess"]),
    ("two separators", "acme--dev", "acme", {}, ["acme-dev", "acme-dev-ReadOnlyAccess"]),
    ("the code alone", "acme", "acme", {}, ["acme-acme", "acme-acme-ReadOnlyAccess"]),
    ("the code and a separator", "acme-", "acme", {}, ["acme-acme-", "acme-acme--ReadOnlyAccess"]),
    ("no separator", "acmedev", "acme", {}, ["acme-acmedev", "acme-acmedev-ReadOnlyAccess"]),
    ("the code inside", "dev-acme", "acme", {}, ["acme-dev-acme", "acme-dev-acme-ReadOnlyAccess"]),
    ("a code with a hyphen", "acme-lab-dev", "acme-lab", {}, ["acme-lab-dev", "acme-lab-dev-ReadOnlyAccess"]),
    (
        "other separators in the code",
        "acme_lab.dev",
        "acme-lab",
        {},
        ["acme-lab-dev", "acme-lab-dev-ReadOnlyAccess"],
    ),
    ("a shorter code's prefix", "acme-lab-dev", "acme", {}, ["acme-lab-dev", "acme-lab-dev-ReadOnlyAccess"]),
    (
        "templates without {org} keep the whole name",
        "acme-dev",
        "acme",
        {"admin_template": "{account}", "template": "{account}.{permission_set}"},
        ["acme-dev", "acme-dev.ReadOnlyAccess"],
    ),
    (
        "only the template with {org} drops it",
        "acme-dev",
        "acme",
        {"admin_template": "{account}"},
        ["acme-dev", "acme-dev-ReadOnlyAccess"],
    ),
]


@pytest.mark.parametrize(
    ("account", "org", "templates", "expected"),
    [c[1:] for c in PREFIX_CASES],
    ids=[c[0] for c in PREFIX_CASES],
)
def test_the_org_code_is_not_doubled(account, org, templates, expected):
    assert names((account, A, ADMIN), (account, A, READ), org=org, session_name=org, **templates) == expected


def two_accounts(first: str, second: str) -> str:
    return (
        f"accounts '{first}' ({A}) and '{second}' ({B}) both read 'dev' in profile names: rename one of them"
    )


# (id, what is reachable, options, the error)
COLLISION_CASES = [
    ("prefixed and bare", [("acme-dev", A, ADMIN), ("dev", B, ADMIN)], {}, two_accounts("acme-dev", "dev")),
    ("other case", [("ACME_dev", A, READ), ("Dev", B, ADMIN)], {}, two_accounts("ACME_dev", "Dev")),
    (
        "only the read-only sets collide",
        [("acme.dev", A, READ), ("dev", B, READ)],
        {},
        two_accounts("acme.dev", "dev"),
    ),
    (
        "a bare name that reads like a prefixed one even where {org} is not used",
        [("acme-dev", A, ADMIN), ("dev", B, READ)],
        {"admin_template": "{account}"},
        two_accounts("acme-dev", "dev"),
    ),
    (
        "a process profile's name is another account's profile",
        [("dev", A, ADMIN), ("dev-process", B, ADMIN)],
        {"credential_process": ("lz", "credentials")},
        f"profile name 'acme-dev-process' is made for two accounts: 'dev' ({A}, {ADMIN}) and "
        f"'dev-process' ({B}, {ADMIN}): rename one of them, or add {{account_id}} to the template",
    ),
    (
        "a process profile's name is the same account's other profile",
        [("dev", A, ADMIN), ("dev", A, "process")],
        {"credential_process": ("lz", "credentials")},
        "profile name 'acme-dev-process' is made twice (dev/AdministratorAccess and dev/process): "
        "add {permission_set} or {account} to the template",
    ),
    (
        "a live name longer than AWS allows",
        [("d" * (MAX_LIVE_ACCOUNT_NAME + 1), A, ADMIN)],
        {},
        f"account {A}: its name (129 characters, 'dddddddddddddddddddd'...) is longer than an AWS account "
        "name (128 characters)",
    ),
]


@pytest.mark.parametrize(
    ("reachable", "options", "message"),
    [c[1:] for c in COLLISION_CASES],
    ids=[c[0] for c in COLLISION_CASES],
)
def test_names_that_collide_stop_everything(reachable, options, message):
    with pytest.raises(SsoSourceError) as raised:
        build_profiles(access(*reachable), dataclasses.replace(OPTIONS, **options))
    assert str(raised.value) == message


HOSTILE = "dev]\n[profile default]\ncredential_process = sh -c evil\nregion=x"


@pytest.mark.parametrize(
    ("account", "profile"),
    [
        (HOSTILE, "acme-dev---profile-default--credential_process---sh--c-evil-region-x"),
        ("d" * MAX_LIVE_ACCOUNT_NAME, "acme-" + "d" * MAX_LIVE_ACCOUNT_NAME),
        ("prod=1 ; # x", "acme-prod-1-----x"),
    ],
    ids=["section and keys", "longest", "equals and comment"],
)
def test_a_hostile_account_name_adds_no_setting(tmp_path, monkeypatch, account, profile):
    reached = access((account, A, ADMIN))
    rendered = render_sections(reached, OPTIONS, build_profiles(reached, OPTIONS))
    path = tmp_path / "config"
    path.write_text(rendered)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    config = botocore.session.Session().full_config
    assert config["profiles"] == {
        profile: {"sso_session": "acme", "sso_account_id": A, "sso_role_name": ADMIN, "region": "eu-west-1"}
    }
    assert list(config["sso_sessions"]) == ["acme"]


@pytest.mark.parametrize(
    ("python", "expected"),
    [
        ("/usr/bin/python3", "/usr/bin/python3 -m landing_zone.cli credentials --profile acme-dev"),
        (
            "/home/Jo Doe/venv/bin/python",
            "'/home/Jo Doe/venv/bin/python' -m landing_zone.cli credentials --profile acme-dev",
        ),
        ("/opt/it's/python", "'/opt/it'\"'\"'s/python' -m landing_zone.cli credentials --profile acme-dev"),
        ("/opt/#1/python", "profile acme-dev-process: credential_process: "),
        ("/opt/a;b/python", "profile acme-dev-process: credential_process: "),
        ("/opt/a\\nb/python", "profile acme-dev-process: credential_process: "),
    ],
    ids=["plain", "space", "quote", "hash", "semicolon", "backslash"],
)
def test_the_credential_process_command_is_split_back_by_botocore(python, expected):
    from botocore.compat import compat_shell_split

    argv = (python, "-m", "landing_zone.cli", "credentials")
    options = dataclasses.replace(OPTIONS, credential_process=argv)
    reached = access(("dev", A, ADMIN))
    if expected.startswith("profile "):
        with pytest.raises(SsoSourceError) as raised:
            render_sections(reached, options, build_profiles(reached, options))
        assert str(raised.value).startswith(expected)
        assert str(raised.value).endswith(
            "is not a command line without '#', ';' or '\\' (install lz under another path)"
        )
        return
    rendered = render_sections(reached, options, build_profiles(reached, options))
    assert f"\n[profile acme-dev-process]\ncredential_process = {expected}\nregion = eu-west-1\n" in rendered
    assert compat_shell_split(expected) == [*argv, "--profile", "acme-dev"]
