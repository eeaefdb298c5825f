"""The pull-request gate in .github/workflows/policy-preview.yml judges a change by the base branch's
rules: the steps are run here as GitHub runs them, on a pull request that weakens the rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from landing_zone.config import read_stack_file
from tests.helpers import PROJECT_DIR, write_stack

WORKFLOW = PROJECT_DIR / ".github" / "workflows" / "policy-preview.yml"
BASE_REF = "${{ github.event.pull_request.base.sha }}"
# Every option that names the pack or its enforcement file, in `lz plan` and `pulumi preview`.
RULE_OPTIONS = ("--policy-pack", "--policy-pack-config", "--policy-config")
KEEP_OUT = shutil.ignore_patterns("venv", "__pycache__")


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def rule_arguments(command: str) -> list[tuple[str, str]]:
    words = command.split()
    return [(word, words[i + 1]) for i, word in enumerate(words[:-1]) if word in RULE_OPTIONS]


def test_the_gate_runs_on_pull_requests_without_the_base_branch_secrets():
    # YAML 1.1 reads `on` as True. `pull_request_target` would run the PR's code with main's secrets.
    assert workflow()[True] == {"pull_request": {"branches": ["main"]}}


@pytest.mark.parametrize("job", ["offline", "preview", "preview-organization", "preview-accounts"])
def test_each_job_takes_the_pack_and_its_enforcement_file_from_the_base_branch(job):
    steps = workflow()["jobs"][job]["steps"]
    checkouts = [s.get("with", {}) for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert {"path": "pr"} in checkouts
    assert {"ref": BASE_REF, "path": "base", "sparse-checkout": "policy"} in checkouts
    gated = [s for s in steps if any(option in s.get("run", "") for option in RULE_OPTIONS)]
    assert gated, f"job {job} runs no policy pack"
    for step in gated:
        assert step["working-directory"] == "pr"
        arguments = rule_arguments(step["run"])
        assert {option for option, _ in arguments} >= {"--policy-pack"}
        for option, value in arguments:
            # The shell removes the quotes.
            assert value.strip('"').startswith("../base/policy"), (
                f"{job}: {option} {value} is the pull request's own"
            )


def test_the_preview_runs_the_base_branch_pack_in_its_own_virtual_environment():
    steps = workflow()["jobs"]["preview"]["steps"]
    commands = "\n".join(s.get("run", "") for s in steps)
    assert "base/policy/venv/bin/pip install -q -r base/policy/requirements.txt" in commands
    preview = next(s["run"] for s in steps if s.get("run", "").startswith("pulumi preview"))
    assert preview.split() == [
        "pulumi", "preview", "--stack", "prod", "--non-interactive", "--diff",
        "--policy-pack", "../base/policy", "--policy-pack-config", "../base/policy/config.prod.json",
    ]  # fmt: skip


def offline_gate_script() -> str:
    (step,) = [
        s
        for s in workflow()["jobs"]["offline"]["steps"]
        if "--policy-pack" in s.get("run", "") and s.get("working-directory") == "pr"
    ]
    return step["run"]


@pytest.fixture(scope="module")
def weakening_pull_request(tmp_path_factory) -> Path:
    """A runner's workspace: `pr/` weakens the rules and breaks one, `base/policy` is main's pack.

    The pull request marks the production account closeOnDeletion (account-lifecycle-safe is
    mandatory in prod), sets every policy advisory, and empties the policy it breaks.
    """
    workspace = tmp_path_factory.mktemp("workspace")
    pr = workspace / "pr"
    pr.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(PROJECT_DIR / name, pr / name)
    shutil.copytree(PROJECT_DIR / "components", pr / "components")
    shutil.copytree(PROJECT_DIR / "policy", pr / "policy", ignore=KEEP_OUT)
    values = read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")
    for account in values["landing-zone:accounts"]:
        if account["name"] == "production":
            account["closeOnDeletion"] = True
    write_stack(pr, values, "Pulumi.prod.yaml")
    (pr / "policy" / "config.prod.json").write_text(json.dumps({"all": "advisory"}))
    pack = pr / "policy" / "lz_policies" / "pack.py"
    listed = pack.read_text()
    assert "    accounts.account_lifecycle_safe,\n" in listed
    pack.write_text(listed.replace("    accounts.account_lifecycle_safe,\n", ""))
    shutil.copytree(PROJECT_DIR / "policy", workspace / "base" / "policy", ignore=KEEP_OUT)
    # The job's virtual environment: this one (`pip install -e './pr[dev]'` in the workflow).
    (workspace / "venv").symlink_to(Path(sys.prefix))
    return workspace


def run_step(script: str, workspace: Path) -> subprocess.CompletedProcess[str]:
    # GitHub runs a `run:` step as `bash -e {0}` in its working-directory.
    return subprocess.run(
        ["bash", "-e", "-c", script], cwd=workspace / "pr", capture_output=True, text=True, timeout=300
    )


def test_a_pull_request_that_weakens_the_rules_still_fails_the_offline_gate(weakening_pull_request):
    result = run_step(offline_gate_script(), weakening_pull_request)
    assert result.returncode == 1, result.stderr
    assert (
        "[mandatory] account-lifecycle-safe: aws:organizations/account:Account 'production'" in result.stdout
    )
    assert "(landing-zone-policies, ../base/policy/config.prod.json)" in result.stdout


def test_the_same_pull_request_would_pass_its_own_rules(weakening_pull_request):
    # What the gate guards against: judged by its own pack and enforcement file, it passes.
    own_rules = offline_gate_script().replace("../base/policy", "policy").splitlines()[-1]
    result = run_step(own_rules, weakening_pull_request)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 mandatory" in result.stdout


def test_a_split_organization_previews_its_organization_stack_before_its_account_stacks():
    jobs = workflow()["jobs"]
    assert jobs["split-stacks"]["if"] == "vars.ORGANIZATION_STACK != ''"
    assert jobs["preview-organization"]["needs"] == "split-stacks"
    assert jobs["preview-accounts"]["needs"] == ["split-stacks", "preview-organization"]
    assert jobs["preview-accounts"]["strategy"]["matrix"] == {
        "stack": "${{ fromJSON(needs.split-stacks.outputs.account-stacks) }}"
    }
    assert jobs["preview-accounts"]["env"]["STACK"] == "${{ matrix.stack }}"
    for job in ("preview-organization", "preview-accounts"):
        commands = [" ".join(s["run"].split()) for s in jobs[job]["steps"] if "run" in s]
        preflight = commands.index('venv/bin/lz preflight --stack "$STACK" --fail-on-unknown')
        preview = next(i for i, c in enumerate(commands) if c.startswith("pulumi preview"))
        assert preflight < preview
        # No write permission: the preview role, never the deploy role.
        assert "AWS_DEPLOY_ROLE_ARN" not in str(jobs[job])
