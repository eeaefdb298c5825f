"""Accounts and access rules in files (`accountFiles`) and an organization split across stacks
(`accountStacks`, `organizationStack`), as `lz validate` shows them: exact lines, exit codes, both
ways, and what a careless user or an attacker would try (issue 17)."""

from __future__ import annotations

import errno
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from landing_zone.config import load_stack_file
from tests.builders import NAMESPACE
from tests.helpers import run_lz
from tests.split_project import (
    account_stack_values,
    go_json,
    identity_center,
    organization_values,
    write_project,
)

FILE_ACCOUNTS = "landing-zone:accountFiles"
ONE_STACK = "every account is deployed by exactly one stack"
# An organization stack with the account stack bu00 (Workloads/bu00).
SPLIT = {"bu00": ["Workloads/bu00"]}


def accounts(*names: str, ou: str = "Workloads/bu00") -> list[dict[str, Any]]:
    return [{"name": name, "ou": ou} for name in names]


def org(**keys: Any) -> dict[str, dict[str, Any]]:
    return {"org": organization_values(**keys)}


def with_files(*paths: str, **keys: Any) -> dict[str, dict[str, Any]]:
    return org(accountFiles=list(paths), **keys)


def grant(**target: Any) -> dict[str, Any]:
    return {"group": "Platform", "permissionSets": ["AdministratorAccess"], **target}


def validate(tmp_path: Path, capsys, stacks, files, stack: str = "org"):
    project = write_project(tmp_path / "project", stacks, files)
    run = run_lz(capsys, "validate", "--stack", stack, "--project-dir", str(project))
    return run.code, run.out, run.err.replace(str(project), "{project}").splitlines()


# (id, stack files, other files, stack validated, names of the accounts, in order)
VALID: list[tuple[str, dict[str, Any], dict[str, Any], str, list[str]]] = [
    (
        "one file",
        with_files("accounts/bu00.yaml"),
        {"accounts/bu00.yaml": {"accounts": accounts("app0")}},
        "org",
        ["audit", "app0"],
    ),
    (
        "a folder: nested folders and .yml read in path order (part by part: a/x.yaml before a.yaml); "
        "dot-names and other suffixes skipped",
        with_files("accounts"),
        {
            "accounts/b.yml": {"accounts": accounts("app2")},
            "accounts/a/x.yaml": {"accounts": accounts("app1")},
            "accounts/a.yaml": {"accounts": accounts("app0")},
            "accounts/.draft.yaml": "not: [yaml",
            "accounts/.git/config.yaml": "not: [yaml",
            "accounts/README.md": "# accounts",
        },
        "org",
        ["audit", "app1", "app0", "app2"],
    ),
    (
        "access rules in a file, within one stack's accounts",
        with_files("bu00.yaml", identityCenter=identity_center(), account_stacks=SPLIT),
        {
            "bu00.yaml": {
                "accounts": accounts("app0"),
                "access": [grant(organizationalUnits=["Workloads/bu00"])],
            }
        },
        "org",
        ["audit", "app0"],
    ),
    (
        "an account stack: the whole organization's config, from the organization stack's file",
        {
            "org": organization_values(account_stacks=SPLIT, accounts=accounts("app0")),
            "bu00": account_stack_values(),
        },
        {},
        "bu00",
        ["app0"],
    ),
]


@pytest.mark.parametrize(
    ("stacks", "files", "stack", "names"), [c[1:] for c in VALID], ids=[c[0] for c in VALID]
)
def test_valid_layouts(tmp_path, capsys, stacks, files, stack, names):
    code, out, err = validate(tmp_path, capsys, stacks, files, stack)
    assert (code, err) == (0, []), err
    assert f"Pulumi.{stack}.yaml: valid" in out
    settings = load_stack_file(tmp_path / "project" / f"Pulumi.{stack}.yaml")
    assert [a.name for a in settings.config.accounts] == names


LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
NOT_IN_ORGANIZATION_STACK = (
    "which account stack 'bu00' deploys: the organization stack registers this, so the account must be "
    "one of its own (move it out of accountStacks.bu00's OUs)"
)
ACCOUNT_STACK_KEY = (
    "an account stack takes the organization's config from its organization stack's file: move it to "
    "Pulumi.org.yaml"
)

# (id, stack files, other files, stack validated, stderr lines: exit 2)
INVALID: list[tuple[str, dict[str, Any], dict[str, Any], str, list[str]]] = [
    # Where a problem is: the file and its own index, in the key and in the message.
    (
        "an email taken in the stack file: both sides named",
        with_files(
            "accounts",
            accounts=[
                {"name": "audit", "ou": "Security"},
                {"name": "x", "ou": "Security", "email": "a@acme-corp.io"},
            ],
        ),
        {
            "accounts/a.yaml": {
                "accounts": [
                    *accounts("app0", "app1"),
                    {"name": "app2", "ou": "Security", "email": "a@acme-corp.io"},
                ]
            }
        },
        "org",
        ["accounts/a.yaml: accounts[2].email: same address as landing-zone:accounts[1] (x)"],
    ),
    (
        "an email taken in another file: the message points into that file",
        with_files("accounts"),
        {
            "accounts/a.yaml": {"accounts": [{"name": "app0", "ou": "Security", "email": "a@acme-corp.io"}]},
            "accounts/b.yaml": {
                "accounts": [*accounts("app1"), {"name": "app2", "ou": "Security", "email": "a@acme-corp.io"}]
            },
        },
        "org",
        ["accounts/b.yaml: accounts[1].email: same address as accounts/a.yaml: accounts[0] (app0)"],
    ),
    (
        "a name taken by the stack file's own entry",
        with_files("accounts"),
        {"accounts/a.yaml": {"accounts": accounts("app0", "audit")}},
        "org",
        [
            "accounts/a.yaml: accounts[1].name: same name as landing-zone:accounts[0] (audit)",
            "accounts/a.yaml: accounts[1].email: same address as landing-zone:accounts[0] (audit)",
        ],
    ),
    (
        "the stack file's own entries keep their keys",
        with_files("a.yaml", accounts=[{"name": "audit", "ou": "Nope"}]),
        {"a.yaml": {"accounts": accounts("app0", ou="Nope")}},
        "org",
        [
            "landing-zone:accounts[0].ou: OU 'Nope' is not defined in organizationalUnits",
            "a.yaml: accounts[0].ou: OU 'Nope' is not defined in organizationalUnits",
        ],
    ),
    (
        "an access rule's problem, under its file",
        with_files("a.yaml", identityCenter=identity_center(access=[grant(accounts=["audit"])])),
        {"a.yaml": {"access": [grant(accounts=["audit"]), {**grant(accounts=["audit"]), "group": "Nope"}]}},
        "org",
        ["a.yaml: access[1].group: group 'Nope' is not defined in identityCenter.groups"],
    ),
    # Files that are not what they should be.
    (
        "an empty file",
        with_files("a.yaml"),
        {"a.yaml": ""},
        "org",
        [
            "a.yaml: is empty: a file holds 'accounts' and/or 'access' lists (a file that lost its accounts "
            "would remove them from the stack)"
        ],
    ),
    (
        "an empty folder",
        with_files("accounts"),
        {"accounts/.keep.yaml": {"accounts": accounts("hidden")}, "accounts/notes.txt": "x"},
        "org",
        [
            f"{FILE_ACCOUNTS}[0]: folder 'accounts' holds no .yaml files (an empty folder would remove every "
            "account it held from the stack)"
        ],
    ),
    (
        "not a mapping",
        with_files("a.yaml"),
        {"a.yaml": "- name: app0\n"},
        "org",
        ["a.yaml: must be a mapping with 'accounts' and/or 'access' lists"],
    ),
    (
        "an unknown key, a mapping for a list, an empty list",
        with_files("a.yaml"),
        {"a.yaml": {"acounts": accounts("app0"), "accounts": {"name": "app1"}, "access": []}},
        "org",
        [
            "a.yaml: acounts: unknown key; known keys: accounts, access",
            "a.yaml: accounts: must be a non-empty list (got {'name': 'app1'})",
            "a.yaml: access: must be a non-empty list (got [])",
        ],
    ),
    (
        "a single path instead of a list",
        {"org": organization_values(accountFiles="accounts/bu00.yaml")},
        {"accounts/bu00.yaml": {"accounts": accounts("app0")}},
        "org",
        ["landing-zone:accountFiles: must be a list (got 'accounts/bu00.yaml')"],
    ),
    (
        "accountFiles not a list",
        {"org": organization_values(accountFiles={"a": 1})},
        {},
        "org",
        [f"{FILE_ACCOUNTS}: must be a list (got {{'a': 1}})"],
    ),
    (
        "not a path",
        with_files("", "a.yaml"),
        {"a.yaml": {"accounts": accounts("app0")}},
        "org",
        [f"{FILE_ACCOUNTS}[0]: must be a path relative to the project (got '')"],
    ),
    (
        "an absolute path",
        with_files("/etc/passwd"),
        {},
        "org",
        [f"{FILE_ACCOUNTS}[0]: '/etc/passwd' must be relative to the project directory"],
    ),
    (
        "a ../ escape",
        with_files("accounts/../../outside.yaml"),
        {"../outside.yaml": {"accounts": accounts("evil")}},
        "org",
        [f"{FILE_ACCOUNTS}[0]: 'accounts/../../outside.yaml' is outside the project directory {{project}}"],
    ),
    (
        "a file named twice (itself and through its folder)",
        with_files("accounts", "accounts/a.yaml"),
        {"accounts/a.yaml": {"accounts": accounts("app0")}},
        "org",
        [f"{FILE_ACCOUNTS}[1]: accounts/a.yaml is already read through {FILE_ACCOUNTS}[0]: name it once"],
    ),
    (
        "a missing path",
        with_files("acounts"),
        {"accounts/a.yaml": {"accounts": accounts("app0")}},
        "org",
        [f"{FILE_ACCOUNTS}[0]: 'acounts': no such file or folder in {{project}}"],
    ),
    (
        "not a YAML file",
        with_files("accounts.txt"),
        {"accounts.txt": "accounts: []"},
        "org",
        [f"{FILE_ACCOUNTS}[0]: 'accounts.txt' is not a .yaml or .yml file"],
    ),
    (
        "a file over the size bound",
        with_files("a.yaml"),
        {"a.yaml": "accounts:\n  - name: app0\n    ou: Security\n#" + "x" * (4 * 1024 * 1024)},
        "org",
        ["a.yaml: is larger than 4 MB, the limit for a stack file"],
    ),
    (
        "a YAML bomb",
        with_files("a.yaml"),
        {"a.yaml": LAUGHS},
        "org",
        [
            "a.yaml: stands for more than 200,000 values through YAML aliases (*name); write the values out instead"
        ],
    ),
    (
        "a duplicate key",
        with_files("a.yaml"),
        {"a.yaml": "accounts:\n  - name: app0\n    name: app1\n    ou: Security\n"},
        "org",
        ["a.yaml: accounts[0].name: appears twice (lines 2 and 3; Pulumi keeps the last): keep one"],
    ),
    (
        "access rules without identityCenter",
        with_files("a.yaml"),
        {"a.yaml": {"access": [grant(accounts=["audit"])]}},
        "org",
        ["a.yaml: access: access rules need landing-zone:identityCenter in the stack file"],
    ),
    # accountStacks in the organization stack's file.
    (
        "a stack name Pulumi refuses",
        org(account_stacks={"bu/02": ["Workloads/bu01"]}),
        {},
        "org",
        [
            "landing-zone:accountStacks.bu/02.[key]: 'bu/02' is not a Pulumi stack name: 1 to 100 letters, "
            "digits and -_.",
        ],
    ),
    (
        "an unknown OU, a stack with no OU",
        org(account_stacks={"bu00": ["Nope"], "bu01": []}),
        {},
        "org",
        [
            "landing-zone:accountStacks.bu01.organizationalUnits: names no OU: an account stack deploys the "
            "accounts of at least one OU subtree",
            "landing-zone:accountStacks.bu00.organizationalUnits[0]: OU 'Nope' is not defined in "
            "organizationalUnits",
        ],
    ),
    (
        "equal, nested and overlapping subtrees",
        org(
            account_stacks={
                "bu01": ["Workloads/bu01/Eu"],
                "bu02": ["Workloads/bu01"],
                "bu03": ["Workloads/bu01/Eu"],
                "bu04": ["Workloads"],
            }
        ),
        {},
        "org",
        [
            "landing-zone:accountStacks.bu02.organizationalUnits[0]: 'Workloads/bu01' overlaps "
            f"'Workloads/bu01/Eu' (accountStacks.bu01.organizationalUnits[0]): {ONE_STACK}",
            "landing-zone:accountStacks.bu03.organizationalUnits[0]: 'Workloads/bu01/Eu' is the same OU as "
            f"'Workloads/bu01/Eu' (accountStacks.bu01.organizationalUnits[0]): {ONE_STACK}",
            "landing-zone:accountStacks.bu04.organizationalUnits[0]: 'Workloads' overlaps "
            f"'Workloads/bu01/Eu' (accountStacks.bu01.organizationalUnits[0]): {ONE_STACK}",
        ],
    ),
    (
        "the organization stack named as its own account stack",
        org(account_stacks={"org": ["Workloads/bu00"]}),
        {},
        "org",
        [
            "landing-zone:accountStacks.org: is this stack itself, the organization stack: name account stacks there"
        ],
    ),
    (
        "organization-only accounts inside an account stack's slice",
        org(
            account_stacks=SPLIT,
            accounts=[{"name": "audit", "ou": "Security"}, {"name": "logs", "ou": "Workloads/bu00"}],
            organization_changes={
                "awsServiceAccessPrincipals": [
                    "account.amazonaws.com",
                    "cloudtrail.amazonaws.com",
                    "guardduty.amazonaws.com",
                ]
            },
            organizationTrail={"name": "org-trail", "logArchiveAccount": "logs"},
            delegatedAdministrators={"account": "logs", "services": ["guardduty"]},
            guardrails=[{"guardrail": "deny-leaving-organization", "accounts": ["logs"]}],
        ),
        {},
        "org",
        [
            f"landing-zone:guardrails[0].accounts[0]: a target of guardrail 'deny-leaving-organization' is "
            f"account 'logs', {NOT_IN_ORGANIZATION_STACK}",
            f"landing-zone:organizationTrail.logArchiveAccount: the trail's log archive is account 'logs', "
            f"{NOT_IN_ORGANIZATION_STACK}",
            f"landing-zone:delegatedAdministrators.account: the delegated administrator is account 'logs', "
            f"{NOT_IN_ORGANIZATION_STACK}",
        ],
    ),
    (
        "an access rule in a file spanning two stacks, or every account",
        with_files("a.yaml", identityCenter=identity_center(), account_stacks=SPLIT),
        {
            "a.yaml": {
                "accounts": accounts("app0"),
                "access": [grant(accounts=["audit", "app0"]), grant(allMemberAccounts=True)],
            }
        },
        "org",
        [
            "a.yaml: access[0]: grants on accounts of bu00 and the organization stack: a rule in an account "
            "file stays within one stack's accounts (split it, or move it to the organization stack's file)",
            "a.yaml: access[1]: allMemberAccounts reaches every stack's accounts: an organization-wide rule "
            "belongs in the organization stack's file",
        ],
    ),
    # An account stack's own file.
    (
        "an account stack with landing-zone keys of its own",
        {
            "org": organization_values(account_stacks=SPLIT),
            "bu00": account_stack_values(
                **{"landing-zone:accounts": accounts("app0"), "landing-zone:budgets": {}}
            ),
        },
        {},
        "bu00",
        [f"landing-zone:accounts: {ACCOUNT_STACK_KEY}", f"landing-zone:budgets: {ACCOUNT_STACK_KEY}"],
    ),
    (
        "an account stack with landing-zone keys under another project's name",
        {
            "org": organization_values(account_stacks=SPLIT),
            "bu00": account_stack_values(**{"old-name:accounts": accounts("app0")}),
        },
        {},
        "bu00",
        [
            "old-name:accounts: is under 'old-name:', and this project is 'landing-zone' (the name "
            "Pulumi.yaml declares): write landing-zone:accounts, or rename the project"
        ],
    ),
    (
        "an organizationStack that is not a stack name",
        {"bu00": account_stack_values("../org")},
        {},
        "bu00",
        ["landing-zone:organizationStack: '../org' is not a Pulumi stack name"],
    ),
    (
        "an organizationStack naming itself",
        {"bu00": account_stack_values("bu00")},
        {},
        "bu00",
        ["landing-zone:organizationStack: names this stack itself: name the organization stack"],
    ),
    (
        "no organization stack file",
        {"bu00": account_stack_values()},
        {},
        "bu00",
        [
            "landing-zone:organizationStack: names stack 'org', and {project}/Pulumi.org.yaml does not "
            "exist: the organization stack's file is read from the project"
        ],
    ),
    (
        "an organization stack that does not list it",
        {
            "org": organization_values(account_stacks={"bu01": ["Workloads/bu01"]}),
            "bu00": account_stack_values(),
        },
        {},
        "bu00",
        [
            "landing-zone:organizationStack: stack 'org' names no account stack 'bu00': add "
            "landing-zone:accountStacks.bu00 with the OUs this stack deploys to Pulumi.org.yaml"
        ],
    ),
    (
        "a chained organizationStack",
        {
            "top": organization_values(account_stacks={"org": ["Workloads"]}),
            "org": account_stack_values("top"),
            "bu00": account_stack_values(),
        },
        {},
        "bu00",
        [
            "Pulumi.org.yaml: landing-zone:organizationStack: is set here too: the organization stack has no "
            "organization stack of its own"
        ],
    ),
    (
        "another region",
        {"org": organization_values(account_stacks=SPLIT), "bu00": account_stack_values(region="us-east-1")},
        {},
        "bu00",
        [
            "aws:region: is 'us-east-1' and Pulumi.org.yaml says 'eu-west-1': an account stack works in its "
            "organization stack's region"
        ],
    ),
    (
        "the organization's problems, under the file to edit",
        {
            "org": organization_values(
                account_stacks=SPLIT, accountFiles=["a.yaml"], accounts=[{"name": "audit", "ou": "Nope"}]
            ),
            "bu00": account_stack_values(),
        },
        {"a.yaml": {"accounts": accounts("app0", ou="Nope")}},
        "bu00",
        [
            "Pulumi.org.yaml: landing-zone:accounts[0].ou: OU 'Nope' is not defined in organizationalUnits",
            "a.yaml: accounts[0].ou: OU 'Nope' is not defined in organizationalUnits",
        ],
    ),
]


@pytest.mark.parametrize(
    ("stacks", "files", "stack", "expected"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_layouts(tmp_path, capsys, stacks, files, stack, expected):
    code, out, err = validate(tmp_path, capsys, stacks, files, stack)
    assert (code, out, err) == (2, "", expected)


@pytest.mark.parametrize(
    ("link", "target", "expected"),
    [
        (
            "accounts/evil.yaml",
            "outside.yaml",
            "'accounts/evil.yaml' is outside the project directory {project}",
        ),
        (
            "accounts/shared",
            "outside",
            "'accounts/shared' is a link to a folder: name the folder itself instead",
        ),
    ],
)
def test_a_link_out_of_the_project_is_refused(tmp_path, capsys, link, target, expected):
    (tmp_path / "outside").mkdir()
    for path in (tmp_path / "outside.yaml", tmp_path / "outside" / "x.yaml"):
        path.write_text(json.dumps({"accounts": accounts("evil", ou="Security")}))
    project = write_project(
        tmp_path / "project", with_files("accounts"), {"accounts/a.yaml": {"accounts": accounts("app0")}}
    )
    (project / link).symlink_to(tmp_path / target)
    run = run_lz(capsys, "validate", "--stack", "org", "--project-dir", str(project))
    assert (run.code, run.err.replace(str(project), "{project}")) == (2, f"{FILE_ACCOUNTS}[0]: {expected}\n")


def test_a_link_inside_the_project_is_read_once(tmp_path, capsys):
    project = write_project(
        tmp_path / "project", with_files("accounts"), {"shared/a.yaml": {"accounts": accounts("app0")}}
    )
    (project / "accounts").mkdir()
    (project / "accounts" / "a.yaml").symlink_to(project / "shared" / "a.yaml")
    assert run_lz(capsys, "validate", "--stack", "org", "--project-dir", str(project)).code == 0
    (project / "Pulumi.org.yaml").write_text(
        (project / "Pulumi.org.yaml").read_text().replace("- accounts\n", "- accounts\n  - shared\n")
    )
    run = run_lz(capsys, "validate", "--stack", "org", "--project-dir", str(project))
    assert (run.code, run.err) == (
        2,
        f"{FILE_ACCOUNTS}[1]: shared/a.yaml is already read through {FILE_ACCOUNTS}[0]: name it once\n",
    )


# The PULUMI_CONFIG bound, built exactly: Linux refuses one environment string ("NAME=value" and its
# NUL) longer than MAX_ARG_STRLEN = 32 pages = 131,072 bytes (include/uapi/linux/binfmts.h; execve(2)
# fails with E2BIG), and Pulumi passes a stack's whole config in one (pulumi/pulumi#20402).
LIMIT = 131_072


def padded(extra_bytes: int) -> dict[str, Any]:
    """A valid stack whose PULUMI_CONFIG string is `extra_bytes` over the limit."""
    values = organization_values()
    values["landing-zone:organization"]["tags"] = {"note": "R&D <eu> é\u2028"}
    values["acme:padding"] = ""  # another project's key: handed over, never read
    missing = LIMIT - len(f"PULUMI_CONFIG={go_json(values)}\0".encode())
    values["acme:padding"] = "x" * (missing + extra_bytes)
    assert len(f"PULUMI_CONFIG={go_json(values)}\0".encode()) == LIMIT + extra_bytes
    return values


def test_linux_refuses_an_environment_string_past_the_limit():
    """The bound itself, on this machine: one byte more and execve fails."""
    for extra, works in ((0, True), (1, False)):
        variable = f"PULUMI_CONFIG={go_json(padded(extra))}"
        try:
            subprocess.run(["true"], env={"PULUMI_CONFIG": variable.partition("=")[2]}, check=True)
            ran = True
        except OSError as err:
            assert err.errno == errno.E2BIG
            ran = False
        assert ran is works, extra


@pytest.mark.parametrize(("extra", "expected"), [(0, None), (1, f"{LIMIT + 1:,}")])
def test_a_stack_at_the_limit_passes_one_byte_more_fails(tmp_path, capsys, extra, expected):
    project = write_project(tmp_path, {"big": padded(extra)})
    run = run_lz(capsys, "validate", "--stack", "big", "--project-dir", str(project))
    if expected is None:
        assert (run.code, run.err) == (0, "")
        return
    assert (run.code, run.err) == (
        2,
        f"{project}/Pulumi.big.yaml: the stack's config is {expected} bytes as Pulumi passes it to the "
        "program and the policy pack (PULUMI_CONFIG), more than the 131,072 Linux allows one environment "
        "variable (pulumi/pulumi#20402): move accounts to files named by landing-zone:accountFiles, or split "
        "the organization with landing-zone:accountStacks\n",
    )


def test_account_files_do_not_count_in_the_stack_config(tmp_path):
    """What a stack moves to files leaves PULUMI_CONFIG: the program reads the files itself."""
    many = {"accounts": accounts(*(f"app{n:04}" for n in range(3000)))}
    project = write_project(tmp_path, with_files("accounts"), {"accounts/bu00.yaml": many})
    settings = load_stack_file(project / "Pulumi.org.yaml", NAMESPACE)
    assert len(settings.config.accounts) == 3001
