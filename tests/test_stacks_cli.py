"""`lz stacks`: a project's stacks and their roles, in the order a deploy runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.split_config import write_split_project
from tests.helpers import PROJECT_DIR, run_lz


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A split organization of 600 accounts (organization stack `scale`, account stacks
    scale-bu00..02), beside a single stack and an account stack whose organization is missing."""
    directory = tmp_path_factory.mktemp("split")
    write_split_project(directory, 600)
    (directory / "Pulumi.alone.yaml").write_text((PROJECT_DIR / "Pulumi.dev.yaml").read_text())
    (directory / "Pulumi.orphan.yaml").write_text("config:\n  landing-zone:organizationStack: gone\n")
    (directory / "Pulumi.notes.txt").write_text("not a stack file\n")
    return directory


def test_each_organization_stack_comes_before_its_account_stacks(capsys, project):
    run = run_lz(capsys, "stacks", "--project-dir", str(project))
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        "alone: single stack",
        "scale: organization stack, 3 account stacks",
        "scale-bu00: account stack of scale",
        "scale-bu01: account stack of scale",
        "scale-bu02: account stack of scale",
        "orphan: account stack of gone",
    ]


def test_the_account_stacks_of_an_organization_are_a_json_list_for_a_ci_matrix(capsys, project):
    run = run_lz(capsys, "stacks", "--project-dir", str(project), "--account-stacks-of", "scale")
    assert (run.code, json.loads(run.out)) == (0, ["scale-bu00", "scale-bu01", "scale-bu02"])


@pytest.mark.parametrize("stack", ["alone", "scale-bu00", "missing"])
def test_only_an_organization_stack_has_account_stacks(capsys, project, stack):
    run = run_lz(capsys, "stacks", "--project-dir", str(project), "--account-stacks-of", stack)
    assert (run.code, run.out) == (2, "")
    assert run.err == f"lz stacks: --account-stacks-of: '{stack}' is not an organization stack here\n"


def test_json_names_each_stack_its_file_and_role(capsys, project):
    run = run_lz(capsys, "stacks", "--project-dir", str(project), "--json")
    stacks = json.loads(run.out)
    assert stacks[1] == {
        "stack": "scale",
        "role": "organization",
        "file": "Pulumi.scale.yaml",
        "accountStacks": ["scale-bu00", "scale-bu01", "scale-bu02"],
    }
    assert stacks[2] == {
        "stack": "scale-bu00",
        "role": "account",
        "file": "Pulumi.scale-bu00.yaml",
        "organizationStack": "scale",
    }


def test_a_broken_stack_file_is_named_without_a_traceback(capsys, tmp_path):
    (tmp_path / "Pulumi.yaml").write_text((PROJECT_DIR / "Pulumi.yaml").read_text())
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  a: 1\n  a: 2\n")
    run = run_lz(capsys, "stacks", "--project-dir", str(tmp_path))
    assert run.code == 2
    assert (
        run.err
        == f"a: appears twice (lines 2 and 3; Pulumi keeps the last): keep one in {tmp_path / 'Pulumi.bad.yaml'}\n"
    )


def test_this_checkouts_examples_are_single_stacks(capsys):
    run = run_lz(capsys, "stacks")
    assert run.out.splitlines() == ["dev: single stack", "prod: single stack"]
