"""The example deploy workflow (.github/workflows/deploy.yml) of a split organization: the organization
stack first, then its account stacks as a bounded matrix, each after its preflight."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.split_config import write_split_project
from tests.helpers import PROJECT_DIR

WORKFLOW = PROJECT_DIR / ".github" / "workflows" / "deploy.yml"
# Outstanding asynchronous Identity Center writes AWS allows, not adjustable
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/aam-quotas.html).
OUTSTANDING_IDENTITY_CENTER_WRITES = 15


def jobs() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())["jobs"]


def runs(job: str) -> list[str]:
    return [" ".join(step["run"].split()) for step in jobs()[job]["steps"] if "run" in step]


def test_it_deploys_main_only_and_never_cancels_a_running_update():
    document = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads `on` as True. No pull_request trigger: this job holds the deploy role.
    assert document[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": {}}
    assert document["concurrency"] == {"group": "landing-zone-deploy", "cancel-in-progress": False}


def test_the_organization_stack_goes_first_then_the_account_stacks_as_a_matrix():
    assert jobs()["organization"]["needs"] == "stacks"
    accounts = jobs()["accounts"]
    assert accounts["needs"] == ["stacks", "organization"]
    assert accounts["strategy"]["matrix"] == {"stack": "${{ fromJSON(needs.stacks.outputs.account-stacks) }}"}
    assert accounts["strategy"]["fail-fast"] is False
    assert 'pulumi up --stack "$ORGANIZATION_STACK"' in " ".join(runs("organization"))
    assert 'pulumi up --stack "$STACK"' in " ".join(runs("accounts"))


@pytest.mark.parametrize(
    ("job", "stack"), [("organization", '"$ORGANIZATION_STACK"'), ("accounts", '"$STACK"')]
)
def test_each_update_follows_a_preflight_of_the_same_stack_and_runs_the_pack(job, stack):
    commands = runs(job)
    preflight = next(i for i, c in enumerate(commands) if c.startswith("venv/bin/lz preflight"))
    update = next(i for i, c in enumerate(commands) if c.startswith("pulumi up"))
    assert preflight < update
    assert commands[preflight] == f"venv/bin/lz preflight --stack {stack} --fail-on-unknown"
    assert "--policy-pack policy --policy-pack-config" in commands[update]
    assert jobs()[job]["environment"] == "production"


def test_updates_in_flight_stay_within_identity_centers_outstanding_writes():
    (update,) = [c for c in runs("accounts") if c.startswith("pulumi up")]
    parallel = int(re.search(r"--parallel (\d+)", update).group(1))
    assert jobs()["accounts"]["strategy"]["max-parallel"] * parallel <= OUTSTANDING_IDENTITY_CENTER_WRITES


def test_the_matrix_step_lists_the_organization_stacks_account_stacks(tmp_path):
    project = tmp_path / "repo"
    project.mkdir()
    write_split_project(project, 600)
    (step,) = [s for s in jobs()["stacks"]["steps"] if s.get("id") == "list"]
    (project / "venv").symlink_to(Path(sys.prefix))
    output = tmp_path / "github_output"
    subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=project,
        env={
            **os.environ,
            "ORGANIZATION_STACK": "scale",
            "GITHUB_OUTPUT": str(output),
            "PYTHONPATH": str(PROJECT_DIR),
        },
        check=True,
        timeout=120,
    )
    assert output.read_text() == 'account-stacks=["scale-bu00", "scale-bu01", "scale-bu02"]\n'
