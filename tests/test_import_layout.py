"""`lz import --accounts-dir DIR`: a large organization's accounts written as one file per OU,
named by the stack's accountFiles; hostile live names never lead outside DIR nor break a file,
nothing existing is replaced without --force, and the layout loads as the inline import (issue 17)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

import landing_zone.cli.import_stack as import_stack
import landing_zone.live.importer as importer
import landing_zone.live.organization as live_organization
from landing_zone.config import load_stack_file
from landing_zone.live.importer import ImportOptions, LiveState, build_stack, same_config
from landing_zone.live.organization import LiveAccount, LiveOrganization, LiveOrganizationalUnit
from tests.helpers import run_lz

ROOT = "r-ab12"
MANAGEMENT = "111111111111"
# Live OU names (the last part of each path) AWS allows and a file name must not take as they are.
HOSTILE_OUS = [
    "Workloads",
    "Workloads/bu00",
    "..",
    ".",
    ".hidden",
    "root",
    "Root",
    "a\nb",
    "x.yaml",
    "x",
    "x/y",
    "Produção",
    "\u202eevil",
    "n" * 128,
]
# Where each OU's accounts land: root accounts first in root.yaml, then OUs in path order.
EXPECTED_FILES = {
    None: "accounts/root.yaml",
    ".": "accounts/_2e.yaml",
    "..": "accounts/_2e2e.yaml",
    ".hidden": "accounts/_hidden.yaml",
    "Produção": "accounts/Produ_o.yaml",
    "Root": "accounts/Root-2.yaml",  # root.yaml on a disk that ignores case
    "Workloads": "accounts/Workloads.yaml",
    "Workloads/bu00": "accounts/Workloads/bu00.yaml",
    "a\nb": "accounts/a_b.yaml",
    "n" * 128: f"accounts/{'n' * 100}.yaml",
    "root": "accounts/root-3.yaml",
    "x": "accounts/x.yaml",
    "x.yaml": "accounts/x_yaml.yaml",
    "x/y": "accounts/x/y.yaml",
    "\u202eevil": "accounts/_evil.yaml",
}


def live_state(ou_paths=HOSTILE_OUS) -> LiveState:
    units = [
        LiveOrganizationalUnit(f"ou-ab12-{n:08x}", path.rpartition("/")[2], path, ROOT)
        for n, path in enumerate(ou_paths)
    ]
    accounts = [
        LiveAccount(f"2{n:011}", f"../team/{n}", f"aws-acme+a{n}@acme-corp.io", "ACTIVE", ROOT, path)
        for n, path in enumerate([None, *ou_paths, "Workloads/bu00"])
    ]
    organization = LiveOrganization(
        id="o-abcdefghij",
        feature_set="ALL",
        management_account_id=MANAGEMENT,
        management_email="aws-acme+management@acme-corp.io",
        root_id=ROOT,
        enabled_policy_types=("SERVICE_CONTROL_POLICY",),
        service_access_principals=(),
        organizational_units=tuple(units),
        accounts=(
            LiveAccount(MANAGEMENT, "management", "aws-acme+management@acme-corp.io", "ACTIVE", ROOT, None),
            *accounts,
        ),
        policies=(),
    )
    return LiveState(organization, None, {}, {})


OPTIONS = ImportOptions(region="eu-west-1", org_name="acme", domain="acme-corp.io")


def written(root: Path, imported) -> Path:
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: landing-zone\n")
    (root / "Pulumi.live.yaml").write_text(imported.text)
    for file in imported.account_files:
        (root / file.path).parent.mkdir(parents=True, exist_ok=True)
        (root / file.path).write_text(file.text)
    return root / "Pulumi.live.yaml"


def test_hostile_ou_names_give_safe_distinct_files_that_load_as_the_inline_import(tmp_path):
    layout = build_stack(live_state(), OPTIONS, "landing-zone", "live", "accounts")
    inline = build_stack(live_state(), OPTIONS, "landing-zone", "live")
    assert {file.path: {a.get("ou") for a in file.accounts} for file in layout.account_files} == {
        path: {ou} for ou, path in EXPECTED_FILES.items()
    }
    assert layout.values["landing-zone:accountFiles"] == ["accounts"]
    assert "landing-zone:accounts" not in layout.values
    for file in layout.account_files:
        # One comment line per header line: a newline or a bidi control in a name stays escaped.
        assert [
            line for line in file.text.splitlines() if not line.startswith(("#", "accounts:", "- ", "  "))
        ] == []
        assert yaml.safe_load(file.text) == {"accounts": file.accounts}
    from_files = load_stack_file(written(tmp_path / "layout", layout)).config
    from_inline = load_stack_file(written(tmp_path / "inline", inline)).config
    assert same_config(from_files, from_inline)
    assert sorted(a.name for a in from_files.accounts) == sorted(a.name for a in from_inline.accounts)
    assert len(from_files.accounts) == len(HOSTILE_OUS) + 2


def test_a_name_with_a_slash_is_refused_before_anything_is_written():
    with pytest.raises(importer.ImportProblem, match="parent OU 'evil/../..' is not defined"):
        build_stack(live_state(["evil", "evil/../../etc"]), OPTIONS, "landing-zone", "live", "accounts")


def test_same_config_tells_a_lost_account():
    layout = build_stack(live_state(), OPTIONS, "landing-zone", "live", "accounts").config
    fewer = build_stack(live_state(HOSTILE_OUS[:-1]), OPTIONS, "landing-zone", "live").config
    assert layout is not None and fewer is not None
    assert not same_config(layout, fewer)


# The command, against a hand-made live state (no AWS).
@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """The command reads a hand-made live state (no AWS); one entry per read."""
    calls: list[int] = []
    monkeypatch.setattr(import_stack, "clients_from_args", lambda args: SimpleNamespace(region="eu-west-1"))
    monkeypatch.setattr(import_stack, "reading_the_organization", lambda *a: contextlib.nullcontext())
    monkeypatch.setattr(live_organization, "require_management_account", lambda *a: None)
    monkeypatch.setattr(
        importer, "read_live_state", lambda clients: calls.append(1) or live_state(HOSTILE_OUS[:2])
    )
    return calls


@pytest.fixture
def project(tmp_path, reads):
    root = tmp_path / "project"
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: landing-zone\nruntime: python\n")
    return root


def lz_import(capsys, project: Path, *extra: str):
    return run_lz(
        capsys, "import", "--stack", "live", "--project-dir", str(project), "--org-name", "acme",
        "--domain", "acme-corp.io", "--accounts-dir", "accounts", *extra,
    )  # fmt: skip


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


LAYOUT = [
    "Pulumi.live.yaml",
    "Pulumi.yaml",
    "accounts/Workloads.yaml",
    "accounts/Workloads/bu00.yaml",
    "accounts/root.yaml",
]


def test_the_layout_is_written_and_validates(capsys, project):
    run = lz_import(capsys, project)
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith(f"Wrote {project}/Pulumi.live.yaml and 3 account files under accounts/\n")
    assert sorted(snapshot(project)) == LAYOUT  # no scratch folder left behind
    assert "  landing-zone:accountFiles:\n  - accounts\n" in (project / "Pulumi.live.yaml").read_text()
    assert yaml.safe_load((project / "accounts/Workloads/bu00.yaml").read_text()) == {
        "accounts": [
            {"name": "../team/2", "ou": "Workloads/bu00", "email": "aws-acme+a2@acme-corp.io", "import": "200000000002"},
            {"name": "../team/3", "ou": "Workloads/bu00", "email": "aws-acme+a3@acme-corp.io", "import": "200000000003"},
        ]
    }  # fmt: skip
    validated = run_lz(capsys, "validate", "--stack", "live", "--project-dir", str(project))
    assert (validated.code, validated.out) == (
        0,
        f"{project}/Pulumi.live.yaml: valid (4 accounts, 2 organizational units)\n",
    )


@pytest.mark.parametrize(
    ("before", "extra", "expected"),
    [
        pytest.param(
            {"Pulumi.live.yaml": "config: {}\n"},
            (),
            "lz import: {project}/Pulumi.live.yaml already exists; pass --force to overwrite it\n",
            id="a stack file",
        ),
        pytest.param(
            {"accounts/Workloads.yaml": "accounts: []\n"},
            (),
            "lz import: --accounts-dir: {project}/accounts already holds 1 account file(s) (Workloads.yaml, ...); "
            "pass --force to replace the ones this import writes\n",
            id="an account file",
        ),
        pytest.param(
            {"accounts/Workloads.yaml": "accounts: []\n", "accounts/old/bu99.yml": "accounts: []\n"},
            ("--force",),
            "lz import: --accounts-dir: {project}/accounts holds files this import does not write "
            "(accounts/old/bu99.yml): the stack would read their accounts too; move them away or choose another "
            "folder\n",
            id="a file the import does not write, even with --force",
        ),
    ],
)
def test_nothing_existing_is_replaced_without_consent(capsys, project, before, extra, expected):
    for name, text in before.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    files = snapshot(project)
    run = lz_import(capsys, project, *extra)
    assert (run.code, run.out, run.err.replace(str(project), "{project}")) == (2, "", expected)
    assert snapshot(project) == files


def test_force_replaces_the_files_it_writes(capsys, project):
    (project / "accounts").mkdir()
    (project / "accounts/root.yaml").write_text("accounts: []\n")
    (project / "accounts/.notes.yaml").write_text("kept: true\n")  # never read by the loader
    run = lz_import(capsys, project, "--force")
    assert run.code == 0, run.err
    assert sorted(snapshot(project)) == sorted([*LAYOUT, "accounts/.notes.yaml"])
    assert "../team/0" in (project / "accounts/root.yaml").read_text()


@pytest.mark.parametrize(
    "value", ["/tmp/accounts", "../accounts", "accounts/../../x", ".", "", ".accounts", "a/.b"]
)
def test_a_folder_outside_or_hidden_is_refused_before_reading_aws(capsys, project, reads, value):
    run = run_lz(capsys, "import", "--stack", "live", "--project-dir", str(project), "--accounts-dir", value)
    assert (run.code, run.err) == (
        2,
        f"lz import: --accounts-dir: {value!r} must be a folder inside the project, relative to it, not hidden "
        "(e.g. accounts)\n",
    )
    assert reads == []


def test_a_link_out_of_the_project_is_refused(tmp_path, capsys, project):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "accounts").symlink_to(outside)
    run = lz_import(capsys, project)
    assert (run.code, run.err) == (
        2,
        f"lz import: --accounts-dir: 'accounts' leads outside the project {project} (a link?)\n",
    )
    (project / "accounts").unlink()
    (project / "accounts").mkdir()
    (project / "accounts/Workloads").symlink_to(outside)
    run = lz_import(capsys, project)
    assert (run.code, run.err) == (
        2,
        f"lz import: --accounts-dir: {project}/accounts/Workloads is a link; nothing written\n",
    )
    assert list(outside.iterdir()) == []
    assert not (project / "Pulumi.live.yaml").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []
