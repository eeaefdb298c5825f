"""`lz sso-config` and hostile or careless input: nothing it writes into `~/.aws/config` can add a
section or a key, whatever the outputs file, the arguments or the live organization hold."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import multiprocessing
import os
import stat
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from landing_zone.sso.profiles import (
    Profile,
    ProfileOptions,
    Reachable,
    SsoAccess,
    SsoSourceError,
    build_profiles,
    render_sections,
)
from tests.helpers import PROJECT_DIR, run_lz, sso_config_args
from tests.test_sso_config import AWS_CLI, live_org  # noqa: F401 (the fixture)

URL = "https://acme.awsapps.com/start"
URL_WORDS = "an https URL like https://acme.awsapps.com/start"
REGION_WORDS = "an AWS region code like eu-west-1"
# What an attacker would add: a default profile whose credentials come from a command.
PAYLOAD = "\n[profile default]\ncredential_process = /bin/sh -c pwned\n"
MINE = "[profile mine]\nregion = eu-west-1\n"


def outputs_with(prod_outputs, tmp_path, **changes):
    path = tmp_path / "changed.json"
    path.write_text(json.dumps({**json.loads(prod_outputs.read_text()), **changes}))
    return path


# (id, changes to the outputs file, extra arguments, message); OUTPUTS is the changed file.
INJECTION_CASES = [
    (
        "newline in --start-url",
        {},
        ["--start-url", URL + PAYLOAD],
        f"--start-url: {URL + PAYLOAD!r} is not {URL_WORDS}",
    ),
    (
        "carriage return in --start-url",
        {},
        ["--start-url", URL + PAYLOAD.replace("\n", "\r")],
        f"--start-url: {URL + PAYLOAD.replace(chr(10), chr(13))!r} is not {URL_WORDS}",
    ),
    (
        "unicode line separator in --start-url",
        {},
        ["--start-url", URL + "\u2028x"],
        f"--start-url: {URL + chr(0x2028) + 'x'!r} is not {URL_WORDS}",
    ),
    (
        "NUL in --start-url",
        {},
        ["--start-url", URL + "\x00"],
        f"--start-url: {URL + chr(0)!r} is not {URL_WORDS}",
    ),
    (
        "plain http --start-url",
        {},
        ["--start-url", "http://acme.awsapps.com/start"],
        f"--start-url: 'http://acme.awsapps.com/start' is not {URL_WORDS}",
    ),
    (
        "newline in the outputs' ssoStartUrl",
        {"ssoStartUrl": URL + PAYLOAD},
        [],
        f"OUTPUTS: ssoStartUrl: {URL + PAYLOAD!r} is not {URL_WORDS}",
    ),
    (
        "escape sequence in the outputs' ssoStartUrl",
        {"ssoStartUrl": URL + "\x1b[2J"},
        [],
        f"OUTPUTS: ssoStartUrl: {URL + chr(27) + '[2J'!r} is not {URL_WORDS}",
    ),
    (
        "newline in the outputs' ssoRegion",
        {"ssoRegion": "eu-west-1" + PAYLOAD},
        [],
        f"OUTPUTS: ssoRegion: {'eu-west-1' + PAYLOAD!r} is not {REGION_WORDS}",
    ),
    (
        "trailing newline in the outputs' ssoRegion",
        {"ssoRegion": "eu-west-1\n"},
        [],
        f"OUTPUTS: ssoRegion: 'eu-west-1\\n' is not {REGION_WORDS}",
    ),
    (
        "newline in the outputs' managementAccountId",
        {"managementAccountId": "123456789012" + PAYLOAD},
        [],
        f"OUTPUTS: '{'123456789012' + PAYLOAD}' (account 'management') is not a 12-digit account id",
    ),
]


def config_after(aws_home, out):
    """The user's config with what lz printed appended, as someone piping it would have it."""
    aws_home.parent.mkdir(exist_ok=True)
    aws_home.write_text(MINE + "\n" + out)
    return aws_home


def assert_nothing_injected(config):
    full = botocore.session.Session().full_config
    assert "default" not in full["profiles"]
    assert not any("credential_process" in profile for profile in full["profiles"].values())
    env = {**os.environ, "AWS_CONFIG_FILE": str(config)}

    def aws(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(AWS_CLI), "configure", "get", *argv], env=env, capture_output=True, text=True, timeout=60
        )

    assert aws("region", "--profile", "mine").stdout == "eu-west-1\n"
    injected = aws("credential_process", "--profile", "default")
    assert (injected.returncode, injected.stdout) == (255, ""), injected.stderr
    assert "The config profile (default) could not be found" in injected.stderr


@pytest.mark.parametrize(
    ("changes", "argv", "message"), [c[1:] for c in INJECTION_CASES], ids=[c[0] for c in INJECTION_CASES]
)
def test_values_that_are_not_one_safe_line_are_refused(
    capsys, tmp_path, prod_outputs, aws_home, changes, argv, message
):
    outputs = outputs_with(prod_outputs, tmp_path, **changes)
    expected = (2, "", "lz sso-config: " + message.replace("OUTPUTS", str(outputs)) + "\n")
    printed = run_lz(capsys, *sso_config_args(outputs, "Platform", *argv))
    assert printed == expected
    assert_nothing_injected(config_after(aws_home, printed.out))
    # Nor through --write: the file is left as it was.
    aws_home.write_text(MINE)
    assert run_lz(capsys, *sso_config_args(outputs, "Platform", *argv, "--write")) == expected
    assert aws_home.read_text() == MINE


def live_names(monkeypatch, **names):
    """Make moto's DescribePermissionSet answer other names (a renamed permission set)."""
    from moto.ssoadmin.models import SSOAdminBackend

    describe = SSOAdminBackend.describe_permission_set

    def renamed(self, instance_arn, permission_set_arn):
        found = describe(self, instance_arn, permission_set_arn)
        return {**found, "Name": names.get(found["Name"], found["Name"])}

    monkeypatch.setattr(SSOAdminBackend, "describe_permission_set", renamed)


@pytest.mark.parametrize(
    ("renamed", "template"),
    [
        ("ReadOnlyAccess\n", "{org}-{account}-{permission_set}"),
        ("ReadOnlyAccess" + PAYLOAD, "{org}-{account}-{account_id}"),
        ("ReadOnlyAccess\r[profile default]", "{org}-{account}-{account_id}"),
    ],
    ids=["trailing newline", "section and key", "carriage return"],
)
@pytest.mark.usefixtures("live_org")
def test_live_permission_set_names_are_refused_unless_safe(capsys, monkeypatch, renamed, template):
    live_names(monkeypatch, ReadOnlyAccess=renamed)
    argv = ["Platform", "--from-aws", "--profile", "mgmt", "--org", "acme", "--template", template]
    code, out, err = run_lz(capsys, *sso_config_args(None, *argv, stack=None))
    assert (code, out) == (2, "")
    assert err.startswith("lz sso-config: --from-aws: the name of permission set arn:aws:sso:::")
    assert err.endswith(
        f": {renamed!r} is not a permission set name of 1 to 32 letters, digits and +=,.@_-\n"
    )


SAFE_ACCESS = SsoAccess(URL, "eu-west-1", ())
SAFE_OPTIONS = ProfileOptions(org="acme", session_name="acme", region="eu-west-1")
SAFE_PROFILE = Profile("acme-dev", "123456789012", "AdministratorAccess", "eu-west-1")


# Whatever a caller hands it (library use, a source not yet checked), rendering refuses an unsafe value.
@pytest.mark.parametrize(
    ("access", "options", "profile", "message"),
    [
        (
            SsoAccess("[profile default]", "eu-west-1", ()),
            SAFE_OPTIONS,
            SAFE_PROFILE,
            f"sso_start_url: '[profile default]' is not {URL_WORDS}",
        ),
        (
            SsoAccess(URL, "eu-west-1\n", ()),
            SAFE_OPTIONS,
            SAFE_PROFILE,
            f"sso_region: 'eu-west-1\\n' is not {REGION_WORDS}",
        ),
        (
            SAFE_ACCESS,
            ProfileOptions(org="acme", session_name="acme]\n[profile default", region="eu-west-1"),
            SAFE_PROFILE,
            "sso-session name: 'acme]\\n[profile default' is not a name of letters, digits and . _ + @ -",
        ),
        (
            SAFE_ACCESS,
            SAFE_OPTIONS,
            Profile("acme-dev]\n[profile default", "123456789012", "AdministratorAccess", "eu-west-1"),
            "profile name: 'acme-dev]\\n[profile default' is not a name of letters, digits and . _ + @ -",
        ),
        (
            SAFE_ACCESS,
            SAFE_OPTIONS,
            Profile("acme-dev", "123456789012\n", "AdministratorAccess", "eu-west-1"),
            "profile acme-dev: sso_account_id: '123456789012\\n' is not an AWS account id of 12 digits",
        ),
        (
            SAFE_ACCESS,
            SAFE_OPTIONS,
            Profile("acme-dev", "123456789012", "Admin\u0085credential_process", "eu-west-1"),
            "profile acme-dev: sso_role_name: 'Admin\\x85credential_process' is not a permission set name "
            "of 1 to 32 letters, digits and +=,.@_-",
        ),
        (
            SAFE_ACCESS,
            SAFE_OPTIONS,
            Profile("acme-dev", "123456789012", "AdministratorAccess", "eu-west-1\x00"),
            f"profile acme-dev: region: 'eu-west-1\\x00' is not {REGION_WORDS}",
        ),
    ],
    ids=["start url", "sso region", "session", "profile name", "account id", "role name", "region"],
)
def test_rendering_refuses_every_unsafe_value(access, options, profile, message):
    with pytest.raises(SsoSourceError) as raised:
        render_sections(access, options, [profile])
    assert str(raised.value) == message


# --write on what is not a plain writable file.


def write(capsys, path, outputs, *extra):
    argv = sso_config_args(outputs, "Finance", "--write", str(path), "--allow-mock-ids", *extra)
    return run_lz(capsys, *argv)


def run_bounded(capsys, path, outputs, *extra):
    """`write`, failed rather than hung if it blocks (reading a FIFO nobody writes to)."""
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(write(capsys, path, outputs, *extra)))
    worker.start()
    worker.join(10)
    if worker.is_alive():
        with open(path, "wb"):  # the writer it waits for: closing it ends its read
            pass
        worker.join()
        pytest.fail(f"lz sso-config --write {path} hung")
    return result[0]


def device(tmp_path):
    path = tmp_path / "null"
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    return path


def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


def link_to_device(tmp_path):
    link = tmp_path / "config"
    link.symlink_to(device(tmp_path))
    return link


def directory(tmp_path):
    path = tmp_path / "config"
    path.mkdir()
    return path


def read_only(tmp_path):
    path = tmp_path / "config"
    path.write_text(MINE)
    path.chmod(0o444)
    return path


def under_a_file(tmp_path):
    (tmp_path / "home").write_text("")
    return tmp_path / "home" / "config"


# (id, what to make, the error after "--write: PATH: ", and what the path still is afterwards)
REFUSED_CASES = [
    (
        "character device",
        device,
        "it is a character device, not a config file; nothing written",
        stat.S_ISCHR,
    ),
    ("FIFO", fifo, "it is a FIFO, not a config file; nothing written", stat.S_ISFIFO),
    (
        "symlink to a device",
        link_to_device,
        "its target TMP/null is a character device, not a config file; nothing written",
        stat.S_ISLNK,
    ),
    ("directory", directory, "it is a directory, not a config file; nothing written", stat.S_ISDIR),
    (
        "read-only file",
        read_only,
        "it is read-only (mode 0444); make it writable or pass --replace-read-only; nothing written",
        stat.S_ISREG,
    ),
]


@pytest.mark.parametrize(
    ("make", "message", "kind"), [c[1:] for c in REFUSED_CASES], ids=[c[0] for c in REFUSED_CASES]
)
def test_write_refuses_what_is_not_a_writable_file(capsys, tmp_path, prod_outputs, make, message, kind):
    path = make(tmp_path)
    before = os.lstat(path)
    code, out, err = run_bounded(capsys, path, prod_outputs)
    assert (code, out) == (2, "")
    assert err == f"lz sso-config: --write: {path}: {message.replace('TMP', str(tmp_path))}\n"
    after = os.lstat(path)
    assert kind(after.st_mode) and after.st_ino == before.st_ino
    assert [p.name for p in tmp_path.iterdir() if "lz-backup" in p.name or p.name.endswith(".tmp")] == []


def test_a_path_under_a_file_is_refused(capsys, tmp_path, prod_outputs):
    path = under_a_file(tmp_path)
    code, out, err = write(capsys, path, prod_outputs)
    assert (code, out, err) == (2, "", f"lz sso-config: --write: cannot write {path}: Not a directory\n")


def test_read_only_file_is_replaced_when_the_user_says_so(capsys, tmp_path, prod_outputs, monkeypatch):
    path = read_only(tmp_path)
    code, out, _ = write(capsys, path, prod_outputs, "--replace-read-only")
    assert code == 0
    assert path.read_text().startswith(MINE + "\n# BEGIN lz sso-config managed block: sso-session acme\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o444  # still the user's choice
    (backup,) = tmp_path.glob("config.lz-backup-*")
    assert backup.read_text() == MINE


def test_dangling_symlink_is_written_through(capsys, tmp_path, prod_outputs):
    link = tmp_path / "config"
    link.symlink_to(tmp_path / "dotfiles" / "aws-config")
    code, out, _ = write(capsys, link, prod_outputs)
    assert (code, out) == (
        0,
        f"{tmp_path / 'dotfiles' / 'aws-config'}: wrote 1 profiles under sso-session acme\n",
    )
    assert link.is_symlink() and link.read_text().startswith("# BEGIN lz sso-config")


# Two writers at once: each run merges its own organization's block into the same file.

WRITERS = 16


def write_one_block(index: int, outputs: str, path: str, start: Any) -> None:
    from landing_zone.cli import main
    from landing_zone.sso import merge as merge_module

    merge = merge_module.merge

    def slow_merge(*args: Any) -> str:
        # Widen the window between reading the file and replacing it, where a writer that
        # does not lock loses the other's block.
        time.sleep(0.05)
        return merge(*args)

    merge_module.merge = slow_merge  # type: ignore[assignment]
    with contextlib.suppress(ImportError, AttributeError):
        import landing_zone.cli.sso_config as command

        if hasattr(command, "merge"):
            command.merge = slow_merge  # type: ignore[attr-defined]
    argv = sso_config_args(
        Path(outputs), "Finance", "--org", f"org{index}", "--write", path, "--allow-mock-ids"
    )
    start.wait()
    raise SystemExit(main([*argv, "--project-dir", str(PROJECT_DIR)]))


def test_concurrent_writers_keep_every_block(tmp_path, prod_outputs):
    path = tmp_path / "config"
    path.write_text(MINE)
    # Not "fork": this process may hold other threads' locks (Pulumi's gRPC). The fork server
    # imports lz once; each writer is a fork of it.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["landing_zone.cli", "tests.test_sso_config_safety"])
    start = context.Barrier(WRITERS)
    writers = [
        context.Process(target=write_one_block, args=(i, str(prod_outputs), str(path), start))
        for i in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [writer.exitcode for writer in writers] == [0] * WRITERS
    text = path.read_text()
    assert text.startswith(MINE)
    missing = [i for i in range(WRITERS) if f"[sso-session org{i}]\n" not in text]
    assert missing == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("config.lz-backup-")) == [
        "config"
    ]


# Outputs from lz plan: made-up account ids.

NOTE_LINES = (
    "# BEGIN lz sso-config managed block: sso-session acme\n"
    "# Rewritten by `lz sso-config --write`: edits inside this block are lost; add yours outside it.\n"
)
MARK = "# Made-up account ids: these profiles come from `lz plan --outputs-out` (the mock runtime).\n"
MOCK_REFUSED = (
    "lz sso-config: --write: OUTPUTS comes from `lz plan --outputs-out` and its account ids are made up; "
    "use `pulumi stack output --json` of the deployed stack, or pass --allow-mock-ids\n"
)


def deployed(outputs):
    """What `pulumi stack output --json` gives: the same keys, without lz plan's mark."""
    return {k: v for k, v in outputs.items() if k != "lz:mocked"}


# (id, change to the plan's outputs, extra arguments, exit code, stdout (its start) or stderr)
MOCK_CASES = [
    ("plan's outputs, --write", None, ["--write", "CONFIG"], 2, MOCK_REFUSED),
    ("plan's outputs, --write --allow-mock-ids", None, ["--write", "CONFIG", "--allow-mock-ids"], 0, None),
    ("plan's outputs, printed", None, [], 0, NOTE_LINES + MARK + "[sso-session acme]\n"),
    ("plan's outputs, printed with --start-url", None, ["--start-url", URL], 0, NOTE_LINES + MARK),
    ("deployed outputs, --write", deployed, ["--write", "CONFIG"], 0, None),
    ("deployed outputs, printed", deployed, [], 0, NOTE_LINES + "[sso-session acme]\n"),
    ("mark false, --write", lambda o: {**o, "lz:mocked": False}, ["--write", "CONFIG"], 0, None),
    (
        "mark as text, --write",
        lambda o: {**o, "lz:mocked": "false"},
        ["--write", "CONFIG"],
        2,
        'lz sso-config: OUTPUTS: lz:mocked must be true or false, not "false"\n',
    ),
]


@pytest.mark.parametrize(
    ("change", "argv", "code", "text"), [c[1:] for c in MOCK_CASES], ids=[c[0] for c in MOCK_CASES]
)
def test_mock_ids_are_marked_and_written_only_when_allowed(
    capsys, tmp_path, prod_outputs, change, argv, code, text
):
    outputs = prod_outputs
    if change is not None:
        outputs = tmp_path / "outputs.json"
        outputs.write_text(json.dumps(change(json.loads(prod_outputs.read_text()))))
    config = tmp_path / "config"
    config.write_text(MINE)
    argv = [str(config) if a == "CONFIG" else a for a in argv]
    result = run_lz(capsys, *sso_config_args(outputs, "Finance", *argv))
    assert result.code == code
    if code == 2:
        assert (result.out, result.err) == ("", text.replace("OUTPUTS", str(outputs)))
        assert config.read_text() == MINE
    elif "--write" in argv:
        assert result.out.startswith(f"{config}: wrote 1 profiles under sso-session acme; previous file kept")
        block = config.read_text().removeprefix(MINE + "\n")
        assert block.startswith(NOTE_LINES + (MARK if change is None else "[sso-session acme]\n"))
    else:
        assert result.out.startswith(text)


# Profile names from live account names: one account per name.

PRODUCTION, OTHER = "111111111111", "222222222222"
OPTIONS = ProfileOptions(org="acme", session_name="acme", region="eu-west-1")


def reach(*items: tuple[str, str, str]) -> SsoAccess:
    return SsoAccess(URL, "eu-west-1", tuple(sorted(Reachable(*item) for item in items)))


# (id, what the group reaches, extra options, the error or the profiles' names and account ids)
ACCOUNT_NAME_CASES = [
    (
        "renamed with another case",
        [("production", PRODUCTION, "AdministratorAccess"), ("Production", OTHER, "AdministratorAccess")],
        {},
        f"accounts 'Production' ({OTHER}) and 'production' ({PRODUCTION}) both read 'production' in "
        "profile names: rename one of them",
    ),
    (
        "renamed with another case, only a non-admin set",
        [("production", PRODUCTION, "AdministratorAccess"), ("PRODUCTION", OTHER, "ReadOnlyAccess")],
        {},
        f"accounts 'PRODUCTION' ({OTHER}) and 'production' ({PRODUCTION}) both read 'production' in "
        "profile names: rename one of them",
    ),
    (
        "two names whose characters are both replaced",
        [("production!", PRODUCTION, "AdministratorAccess"), ("production?", OTHER, "AdministratorAccess")],
        {},
        f"accounts 'production!' ({PRODUCTION}) and 'production?' ({OTHER}) both read 'production-' in "
        "profile names: rename one of them",
    ),
    (
        "a space for a hyphen",
        [("data-lake", PRODUCTION, "AdministratorAccess"), ("data lake", OTHER, "AdministratorAccess")],
        {},
        f"accounts 'data lake' ({OTHER}) and 'data-lake' ({PRODUCTION}) both read 'data-lake' in "
        "profile names: rename one of them",
    ),
    (
        "two accounts of one name (AWS allows it)",
        [("production", PRODUCTION, "AdministratorAccess"), ("production", OTHER, "AdministratorAccess")],
        {},
        f"accounts 'production' ({PRODUCTION}) and 'production' ({OTHER}) both read 'production' in "
        "profile names: rename one of them",
    ),
    (
        "even when the templates hold the account id",
        [("production", PRODUCTION, "AdministratorAccess"), ("Production", OTHER, "AdministratorAccess")],
        {"admin_template": "{org}-{account}-{account_id}"},
        f"accounts 'Production' ({OTHER}) and 'production' ({PRODUCTION}) both read 'production' in "
        "profile names: rename one of them",
    ),
    (
        "one account's admin profile is another's read-only one",
        [
            ("production", PRODUCTION, "readonlyaccess"),
            ("production-readonlyaccess", OTHER, "AdministratorAccess"),
        ],
        {},
        f"profile name 'acme-production-readonlyaccess' is made for two accounts: 'production' ({PRODUCTION}, "
        f"readonlyaccess) and 'production-readonlyaccess' ({OTHER}, AdministratorAccess): rename one of them, "
        "or add {account_id} to the template",
    ),
    (
        "a template without the account",
        [("production", PRODUCTION, "AdministratorAccess"), ("staging", OTHER, "AdministratorAccess")],
        {"admin_template": "{org}-{permission_set}"},
        f"profile name 'acme-AdministratorAccess' is made for two accounts: 'production' ({PRODUCTION}, "
        f"AdministratorAccess) and 'staging' ({OTHER}, AdministratorAccess): rename one of them, "
        "or add {account_id} to the template",
    ),
    (
        "a look-alike keeps a name of its own",
        [("production", PRODUCTION, "AdministratorAccess"), ("production!", OTHER, "AdministratorAccess")],
        {},
        {"acme-production": PRODUCTION, "acme-production-": OTHER},
    ),
    (
        "one account, two sets",
        [("Production", PRODUCTION, "AdministratorAccess"), ("Production", PRODUCTION, "ReadOnlyAccess")],
        {},
        {"acme-production": PRODUCTION, "acme-production-ReadOnlyAccess": PRODUCTION},
    ),
]


@pytest.mark.parametrize(
    ("reachable", "options", "expected"),
    [c[1:] for c in ACCOUNT_NAME_CASES],
    ids=[c[0] for c in ACCOUNT_NAME_CASES],
)
def test_each_profile_name_belongs_to_one_account(reachable, options, expected):
    access = reach(*reachable)
    options = dataclasses.replace(OPTIONS, **options)
    if isinstance(expected, str):
        with pytest.raises(SsoSourceError) as raised:
            build_profiles(access, options)
        assert str(raised.value) == expected
    else:
        assert {p.name: p.account_id for p in build_profiles(access, options)} == expected


def test_from_aws_refuses_an_account_renamed_to_read_like_another(capsys, request):
    session, ids, store = request.getfixturevalue("live_org")
    organizations, sso = session.client("organizations"), session.client("sso-admin")
    lookalike = organizations.create_account(Email="aws-acme+x@acme-corp.io", AccountName="PRODUCTION")[
        "CreateAccountStatus"
    ]["AccountId"]
    instance = sso.list_instances()["Instances"][0]["InstanceArn"]
    group = session.client("identitystore").get_group_id(
        IdentityStoreId=store,
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "Platform"}
        },
    )["GroupId"]
    sso.create_account_assignment(
        InstanceArn=instance,
        TargetId=lookalike,
        TargetType="AWS_ACCOUNT",
        PermissionSetArn=sso.list_permission_sets(InstanceArn=instance)["PermissionSets"][0],
        PrincipalType="GROUP",
        PrincipalId=group,
    )
    argv = ["Platform", "--from-aws", "--profile", "mgmt", "--org", "acme"]
    code, out, err = run_lz(capsys, *sso_config_args(None, *argv, stack=None))
    assert (code, out) == (2, "")
    assert err == (
        f"lz sso-config: accounts 'PRODUCTION' ({lookalike}) and 'Production' ({ids['Production']}) "
        "both read 'production' in profile names: rename one of them\n"
    )


def test_a_writer_that_cannot_get_the_lock_gives_up_and_writes_nothing(tmp_path):
    import fcntl

    from landing_zone.sso.merge import MergeError, update

    path = tmp_path / "config"
    path.write_text(MINE)
    holder = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(MergeError) as raised:
            update(path, "acme", "[sso-session acme]\n", lock_wait=0.2)
    finally:
        os.close(holder)
    assert str(raised.value) == (
        f"another lz sso-config is writing in {tmp_path} (waited 0.2s for its lock); try again"
    )
    assert path.read_text() == MINE and sorted(tmp_path.iterdir()) == [path]
    assert update(path, "acme", "[sso-session acme]\n").changed  # and once it is free, it writes


@pytest.mark.parametrize("option", ["--allow-mock-ids", "--replace-read-only"])
def test_write_options_without_write_are_refused(capsys, prod_outputs, aws_home, option):
    code, out, err = run_lz(capsys, *sso_config_args(prod_outputs, "Platform", option))
    assert (code, out) == (2, "")
    assert (
        err
        == f"lz sso-config: {option}: only with --write (without it the profiles are printed, not written)\n"
    )
    assert not aws_home.exists()
