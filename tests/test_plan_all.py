"""`lz plan --all`: every stack of a project planned and reported together (an account stack with
its organization stack's planned outputs), and `lz plan --stack <account stack>` on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.helpers import LzRun, run_lz
from tests.split_builders import NS, split_project, write_values

PLAN_ALL = ("plan", "--all")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return split_project(tmp_path_factory.mktemp("plan-all") / "project")


@pytest.fixture(scope="module")
def planned_all(project) -> tuple[int, str, str]:
    """`lz plan --all` with prod's enforcement levels, run once (the pack runs on each stack)."""
    from landing_zone.cli import main

    output = project.parent / "all.txt"
    code = main(
        [
            *PLAN_ALL,
            "--policy-config",
            str(project / "policy" / "config.prod.json"),
            "--project-dir",
            str(project),
            "--output",
            str(output),
        ]
    )
    return code, output.read_text(encoding="utf-8"), str(project)


def sections(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("=== stack ")]


def test_every_stack_is_planned_the_organization_stack_first(planned_all):
    code, text, _ = planned_all
    assert code == 0
    assert sections(text) == ["=== stack org ===", "=== stack sandbox ===", "=== stack workloads ==="]
    assert text.splitlines()[-1] == (
        "Total: 3 stacks, 213 resources, 0 refused by AWS, 0 policy violations (0 mandatory); "
        "every stack plans clean"
    )


def test_each_stack_s_section_is_its_own_plan(planned_all):
    _, text, _ = planned_all
    workloads = text.split("=== stack workloads ===\n")[1]
    assert workloads.startswith(
        "Offline plan of stack 'workloads' (project landing-zone): Pulumi mocks, no AWS credentials used.\n\n"
        f"Organization, OUs, permission sets and groups: stack organization/{NS}/org's (read from its outputs)\n"
        "\n"
        "Root\n"
        "└── Workloads/\n"
        "    ├── NonProduction/\n"
        "    │   ├── dev  <aws-acme+dev@acme-corp.io>\n"
        "    │   └── staging  <aws-acme+staging@acme-corp.io>\n"
        "    └── Production/\n"
        "        └── production  <aws-acme+production@acme-corp.io>\n"
    )
    assert "  Platform\n    dev         AdministratorAccess, ReadOnlyAccess\n" in workloads
    assert "Policies (landing-zone-policies, " in workloads
    assert "config.prod.json): 0 violations, 0 mandatory\n" in workloads


def test_the_json_form_is_one_document_with_every_stack(project, capsys):
    code, out, err = run_lz(
        capsys, *PLAN_ALL, "--no-policy", "--format", "json", "--project-dir", str(project)
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert list(document) == ["lzPlanVersion", "stacks", "total"]
    assert document["lzPlanVersion"] == 1
    assert [stack["stack"] for stack in document["stacks"]] == ["org", "sandbox", "workloads"]
    assert document["stacks"][2]["organization"]["stack"] == f"organization/{NS}/org"
    assert "stack" not in document["stacks"][0]["organization"]
    assert document["total"] == {
        "stacks": 3,
        "resources": 213,
        "refusals": 0,
        "violations": 0,
        "mandatory": 0,
        "failing": [],
        "exitCode": 0,
    }


def test_an_account_stack_plans_on_its_own_with_its_organization_stack_s_planned_outputs(project, capsys):
    outputs = project.parent / "workloads-outputs.json"
    code, out, err = run_lz(
        capsys,
        *("plan", "--stack", "workloads", "--no-policy", "--outputs-out", str(outputs)),
        *("--project-dir", str(project)),
    )
    assert (code, err) == (0, "")
    assert out.startswith("Offline plan of stack 'workloads'")
    assert sorted(json.loads(outputs.read_text())["accountIds"]) == ["dev", "production", "staging"]


def broken_project(directory: Path) -> Path:
    project = split_project(directory)
    write_values(
        project,
        "broken",
        {"aws:region": "eu-west-1", f"{NS}:organization": {"name": "acme"}, f"{NS}:nope": 1},
    )
    return project


def test_a_stack_that_cannot_be_planned_is_reported_in_its_section_and_the_others_still_are(tmp_path, capsys):
    project = broken_project(tmp_path / "project")
    code, out, err = run_lz(capsys, *PLAN_ALL, "--no-policy", "--project-dir", str(project))
    assert (code, err) == (2, "")
    assert sections(out) == [
        "=== stack broken ===",
        "=== stack org ===",
        "=== stack sandbox ===",
        "=== stack workloads ===",
    ]
    broken = out.split("=== stack broken ===\n")[1].split("\n=== stack org ===")[0]
    assert "Traceback" not in out
    assert "landing-zone:nope: " in broken
    assert out.splitlines()[-1].endswith("; failing: broken")


def test_an_account_stack_whose_organization_stack_is_broken_says_where(tmp_path, capsys):
    project = split_project(tmp_path / "project")
    org = project / "Pulumi.org.yaml"
    document = yaml.safe_load(org.read_text())
    document["config"][f"{NS}:accountStacks"]["workloads"]["organizationalUnits"] = ["Nowhere"]
    org.write_text(yaml.safe_dump(document))
    code, out, _ = run_lz(capsys, *PLAN_ALL, "--no-policy", "--project-dir", str(project))
    assert code == 2
    workloads = out.split("=== stack workloads ===\n")[1]
    assert workloads.startswith(
        "Pulumi.org.yaml: landing-zone:accountStacks.workloads.organizationalUnits[0]: OU 'Nowhere' is not "
        "defined in organizationalUnits\n"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ("--stack", "org"),
            "lz plan: --stack: not allowed with --all (which plans every stack of the project)\n",
        ),
        (
            ("--compare", "plan.json"),
            "lz plan: --compare: not allowed with --all (which plans every stack of the project)\n",
        ),
        (("--format", "html"), "lz plan: --format html: --all writes text or json\n"),
    ],
)
def test_what_names_one_stack_is_refused_with_all(project, capsys, extra, message):
    result: LzRun = run_lz(capsys, *PLAN_ALL, *extra, "--project-dir", str(project))
    assert (result.code, result.out, result.err) == (2, "", message)
