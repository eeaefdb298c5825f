"""`lz sso-config --check`: the managed block's profiles whose account or role the source no
longer gives; never writes. Exit 0: all reachable, 1: stale profiles, 2: bad input."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import run_lz, sso_config_args
from tests.portal_stub import (
    FUTURE,
    TOKEN,
    WITH_URL,
    account_entry,
    portal_args,
    role_page,
    write_token,
)

# The portal after the log-archive account and production's read-only role were taken away.
SHRUNK_CALLS = [
    (
        "list_accounts",
        {"accountList": [account_entry("111111111111", "Production"), account_entry("222222222222", "dev")]},
        {"accessToken": TOKEN},
    ),
    (
        "list_account_roles",
        role_page("111111111111", "AdministratorAccess"),
        {"accessToken": TOKEN, "accountId": "111111111111"},
    ),
    (
        "list_account_roles",
        role_page("222222222222", "PowerUserAccess"),
        {"accessToken": TOKEN, "accountId": "222222222222"},
    ),
]


@pytest.fixture
def block(capsys, aws_home, stub_portal):
    """The portal's four profiles (and with `process`, their -process ones) written to aws_home."""

    def write(*extra: str) -> bytes:
        write_token(aws_home.parent.parent, FUTURE)
        stub_portal()
        code, _, err = run_lz(capsys, *portal_args(*WITH_URL, "--write", *extra))
        assert (code, err) == (0, ""), err
        return aws_home.read_bytes()

    return write


def check(capsys, *extra: str):
    return run_lz(capsys, *portal_args(*WITH_URL, "--check", *extra))


def test_all_reachable_exits_0(capsys, aws_home, block, stub_portal):
    written = block()
    stub_portal()
    assert check(capsys) == (0, f"{aws_home}: all 4 profiles of sso-session acme are reachable\n", "")
    assert aws_home.read_bytes() == written


@pytest.mark.parametrize("process", [False, True], ids=["sso profiles", "with process profiles"])
def test_stale_profiles_are_listed_and_nothing_is_written(capsys, aws_home, block, stub_portal, process):
    written = block(*(["--credential-process"] if process else []))
    stub_portal(SHRUNK_CALLS)
    code, out, err = check(capsys)
    expected = [
        "acme-log-archive-ReadOnlyAccess: account 333333333333 is no longer reachable",
        "acme-production-ReadOnlyAccess: role ReadOnlyAccess is no longer reachable in account 111111111111",
    ]
    if process:
        expected = [
            expected[0],
            "acme-log-archive-ReadOnlyAccess-process: runs profile acme-log-archive-ReadOnlyAccess, which is stale",
            expected[1],
            "acme-production-ReadOnlyAccess-process: runs profile acme-production-ReadOnlyAccess, which is stale",
        ]
    total = 8 if process else 4
    assert (code, out, err) == (
        1,
        "".join(line + "\n" for line in expected),
        f"{aws_home}: {len(expected)} of {total} profiles of sso-session acme are stale; "
        "rewrite the block with --write\n",
    )
    assert aws_home.read_bytes() == written
    assert sorted(p.name for p in aws_home.parent.iterdir()) == ["config", "sso"]


def test_a_process_profile_that_runs_no_profile_of_the_block_is_stale(capsys, aws_home, block, stub_portal):
    written = block("--credential-process").decode()
    aws_home.write_text(written.replace("--profile acme-production\n", "--profile acme-gone\n"))
    stub_portal()
    code, out, _ = check(capsys)
    assert (code, out) == (1, "acme-production-process: runs no SSO profile of this block\n")


def test_check_needs_no_org_with_the_portal(capsys, aws_home, block, stub_portal):
    block()
    stub_portal()
    argv = ["sso-config", "--from-portal", "--sso-session", "acme", "--check"]
    assert run_lz(capsys, *argv) == (0, f"{aws_home}: all 4 profiles of sso-session acme are reachable\n", "")


def test_check_refuses_what_is_not_a_file(capsys, aws_home, stub_portal, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    write_token(aws_home.parent.parent, FUTURE)
    for path in (fifo, tmp_path):
        stub_portal()
        assert check(capsys, str(path)) == (2, "", f"lz sso-config: --check: {path} is not a regular file\n")


def test_check_reads_the_path_it_is_given(capsys, aws_home, block, stub_portal, tmp_path):
    moved = tmp_path / "elsewhere"
    moved.write_bytes(block())
    aws_home.unlink()
    stub_portal(SHRUNK_CALLS)
    code, out, _ = check(capsys, str(moved))
    assert code == 1 and out.startswith("acme-log-archive-ReadOnlyAccess: account 333333333333")


def test_check_against_the_stack_outputs(capsys, prod_outputs, tmp_path):
    path = tmp_path / "config"
    args = sso_config_args(prod_outputs, "Platform", "--allow-mock-ids", "--write", str(path))
    assert run_lz(capsys, *args).code == 0
    code, out, err = run_lz(capsys, *sso_config_args(prod_outputs, "Platform", "--check", str(path)))
    assert (code, out, err) == (0, f"{path}: all 12 profiles of sso-session acme are reachable\n", "")
    # Finance reaches the management account's Billing set only.
    code, out, err = run_lz(capsys, *sso_config_args(prod_outputs, "Finance", "--check", str(path)))
    management = json.loads(prod_outputs.read_text())["managementAccountId"]
    assert (code, out.count("\n"), err) == (
        1,
        12,
        f"{path}: 1 (account, role) pairs reachable now have no profile in the block (--write adds them): "
        f"management ({management}) Billing\n"
        f"{path}: 12 of 12 profiles of sso-session acme are stale; rewrite the block with --write\n",
    )


def test_check_tells_what_a_write_would_add(capsys, aws_home, stub_portal):
    write_token(aws_home.parent.parent, FUTURE)
    stub_portal(SHRUNK_CALLS)
    assert run_lz(capsys, *portal_args(*WITH_URL, "--write")).code == 0
    stub_portal()
    assert check(capsys) == (
        0,
        f"{aws_home}: all 2 profiles of sso-session acme are reachable\n",
        f"{aws_home}: 2 (account, role) pairs reachable now have no profile in the block (--write adds them): "
        "Log Archive (333333333333) ReadOnlyAccess, Production (111111111111) ReadOnlyAccess\n",
    )


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (None, [], "--check: no file at CONFIG"),
        (
            "[profile mine]\nregion = eu-west-1\n",
            [],
            "--check: CONFIG has no managed block of sso-session acme "
            "(write one with --write, or name the session with --sso-session)",
        ),
        (
            # The AWS CLI reads `stray` as part of [profile mine]; the block alone has no section.
            "[profile mine]\n# BEGIN lz sso-config managed block: sso-session acme\nstray = 1\n"
            "# END lz sso-config managed block: sso-session acme\n",
            [],
            "--check: CONFIG: the managed block cannot be read: File contains no section headers; "
            "rewrite it with --write",
        ),
        ("", ["--write"], "--check: not with --write (--check never writes)"),
        ("", ["--credential-process"], "--credential-process: not with --check, which renders no profiles"),
    ],
    ids=["no file", "no block", "unreadable block", "with --write", "with --credential-process"],
)
def test_bad_input_exits_2(capsys, aws_home, stub_portal, content, extra, message):
    write_token(aws_home.parent.parent, FUTURE)
    if content is not None:
        aws_home.parent.mkdir(parents=True, exist_ok=True)
        aws_home.write_text(content)
    if not extra:
        stub_portal()
    code, out, err = check(capsys, *extra)
    assert (code, out, err) == (2, "", f"lz sso-config: {message.replace('CONFIG', str(aws_home))}\n")
