"""The plan-changes and plan-comment jobs of .github/workflows/policy-preview.yml, run as GitHub runs
them: a pull request that adds an account and grants a group access gets one comment showing exactly
those two changes, updated (not duplicated) on the next push, and the same text in the job summary."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from landing_zone.config import read_stack_file
from tests.helpers import PROJECT_DIR, write_stack

WORKFLOW = PROJECT_DIR / ".github" / "workflows" / "policy-preview.yml"
MARKER = "<!-- lz-plan-changes -->"
BOT = "github-actions[bot]"
KEEP_OUT = shutil.ignore_patterns("venv", "__pycache__")
HEAD_SHA = "0123456789abcdef0123456789abcdef01234567"

# A stand-in for the GitHub CLI: the calls the comment step makes, against comments kept in a file.
FAKE_GH = r"""#!{python}
import json, subprocess, sys
from pathlib import Path
state = Path(__file__).with_name("comments.json")
comments = json.loads(state.read_text())
with state.with_name("calls.log").open("a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\n")
args = sys.argv[2:]
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = next(a for a in args if a.startswith("repos/"))
if method == "GET":
    assert path == "repos/acme/landing/issues/7/comments" and "--paginate" in args, args
    out = subprocess.run(["jq", "-r", args[args.index("--jq") + 1]], input=json.dumps(comments),
                         capture_output=True, text=True, check=True).stdout
    sys.stdout.write(out)
else:
    body = json.loads(sys.stdin.read())["body"]
    if method == "POST":
        assert path == "repos/acme/landing/issues/7/comments", path
        comments.append({{"id": 100 + len(comments), "user": {{"login": "{bot}"}}, "body": body}})
    else:
        assert method == "PATCH", method
        (comment,) = [c for c in comments if path == f"repos/acme/landing/issues/comments/{{c['id']}}"]
        comment["body"] = body
    state.write_text(json.dumps(comments))
"""


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps_of(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def test_only_the_comment_job_may_write_and_it_runs_no_pull_request_code():
    jobs = workflow()["jobs"]
    assert jobs["plan-changes"]["permissions"] == {"contents": "read"}
    assert jobs["plan-comment"]["permissions"] == {"pull-requests": "write"}
    assert jobs["plan-comment"]["needs"] == "plan-changes"
    # A fork's pull request has no write token on `pull_request`: skip the comment, keep the summary.
    assert jobs["plan-comment"]["if"] == (
        "github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'"
    )
    uses = [s.get("uses", "") for s in jobs["plan-comment"]["steps"]]
    assert not any(u.startswith(("actions/checkout", "actions/setup-python")) for u in uses)
    assert "secrets." not in yaml.safe_dump(jobs["plan-changes"])
    assert "pull-requests" not in workflow()["permissions"]
    assert [name for name, job in jobs.items() if "pull-requests" in job.get("permissions", {})] == [
        "plan-comment"
    ]


def pull_request_values() -> tuple[dict, dict]:
    """(base, pull request) prod config: the pull request adds `analytics` and lets Finance in.

    Neither grants access to every member account (the example's rules would grant Platform and
    Auditors access to any new account: correct, but more than the two changes this test is about).
    """
    base = read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")
    access = base["landing-zone:identityCenter"]["access"]
    base["landing-zone:identityCenter"]["access"] = [
        rule for rule in access if "allMemberAccounts" not in rule
    ]
    pr = json.loads(json.dumps(base))
    pr["landing-zone:accounts"].append({"name": "analytics"})
    pr["landing-zone:identityCenter"]["access"].append(
        {"group": "Finance", "permissionSets": ["Billing"], "accounts": ["analytics"]}
    )
    return base, pr


def copy_project(destination: Path, prod_values: dict) -> None:
    destination.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(PROJECT_DIR / name, destination / name)
    shutil.copytree(PROJECT_DIR / "components", destination / "components")
    shutil.copytree(PROJECT_DIR / "policy", destination / "policy", ignore=KEEP_OUT)
    write_stack(destination, prod_values, "Pulumi.prod.yaml")


@pytest.fixture(scope="module")
def runner(tmp_path_factory) -> Path:
    """A runner's workspace after the plan-changes job: `comment.md` and the job summary."""
    workspace = tmp_path_factory.mktemp("workspace")
    base, pr = pull_request_values()
    copy_project(workspace / "base", base)
    copy_project(workspace / "pr", pr)
    (workspace / "venv").symlink_to(Path(sys.prefix))
    env = {
        **os.environ,
        **workflow()["jobs"]["plan-changes"]["env"],
        "HEAD_SHA": HEAD_SHA,
        "GITHUB_STEP_SUMMARY": str(workspace / "summary.md"),
        # The venv's lz imports this checkout (an editable install elsewhere would not).
        "PYTHONPATH": str(PROJECT_DIR),
    }
    for step in steps_of("plan-changes"):
        if "run" not in step or "pip install" in step["run"]:
            continue
        cwd = workspace / step.get("working-directory", ".")
        result = run_step(step["run"], cwd, env)
        assert result.returncode == 0, result.stdout + result.stderr
    return workspace


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # GitHub runs a `run:` step as `bash -e {0}` in its working-directory.
    return subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def table_rows(markdown: str) -> list[list[str]]:
    """Every table body row of the rendered Markdown, as the reader sees the cells."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows, row, in_body = [], None, False
    for token in tokens:
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            in_body = False
        elif in_body and token.type == "tr_open":
            row = []
        elif in_body and token.type == "inline" and row is not None:
            row.append("".join(child.content for child in token.children or []))
        elif in_body and token.type == "tr_close":
            rows.append(row)
    return rows


def test_the_comment_shows_exactly_the_added_account_and_the_granted_access(runner):
    comment = (runner / "comment.md").read_text()
    assert comment.startswith(MARKER + "\n")
    assert table_rows(comment) == [
        ["added", "analytics", "Root", "root email aws-acme+analytics@acme-corp.io"],
        ["granted", "Finance", "analytics", "Billing"],
    ]
    sections = [
        "".join(c.content for c in t.children or [])
        for t in MarkdownIt("commonmark").parse(comment)
        if t.type == "inline"
    ]
    assert "Plan changes: stack dev" in sections and "Plan changes: stack prod" in sections
    assert sections.count("No changes.") == 1  # dev
    assert "Accounts" in sections and "Access (IAM Identity Center)" in sections
    assert not {"Guardrails", "Budgets", "Policies and AWS rules"} & set(sections)
    assert f"Offline plans of {HEAD_SHA}" in comment
    # The diagram of the change: the new account alone, marked added.
    (fence,) = [t for t in MarkdownIt("commonmark").parse(comment) if t.type == "fence"]
    assert fence.info == "mermaid" and '("analytics #40;added#41;")' in fence.content
    # The job summary is the same text.
    assert (runner / "summary.md").read_text() == comment


def fake_gh(tmp_path: Path, comments: list[dict]) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable, bot=BOT))
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    (bin_dir / "comments.json").write_text(json.dumps(comments))
    return {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "GH_TOKEN": "unused",
        "REPO": "acme/landing",
        "PR": "7",
        "RUN_URL": "https://github.com/acme/landing/actions/runs/1",
    }


def comment_script() -> str:
    (step,) = [s for s in steps_of("plan-comment") if "run" in s]
    return step["run"]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (the comment step uses it)")
def test_one_comment_is_posted_then_updated_and_a_look_alike_left_alone(runner, tmp_path):
    # Someone else's comment that starts with the marker is not the bot's to edit.
    look_alike = {"id": 1, "user": {"login": "mallory"}, "body": MARKER + "\nnot mine"}
    env = fake_gh(tmp_path, [look_alike])
    job_dir = tmp_path / "job"
    job_dir.mkdir()
    shutil.copy(runner / "comment.md", job_dir / "comment.md")

    first = run_step(comment_script(), job_dir, env)
    (job_dir / "comment.md").write_text((runner / "comment.md").read_text() + "second push\n")
    second = run_step(comment_script(), job_dir, env)

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    comments = json.loads((tmp_path / "bin" / "comments.json").read_text())
    assert comments == [
        look_alike,
        {"id": 101, "user": {"login": BOT}, "body": (runner / "comment.md").read_text() + "second push\n"},
    ]
    methods = [json.loads(line) for line in (tmp_path / "bin" / "calls.log").read_text().splitlines()]
    assert [m[m.index("--method") + 1] if "--method" in m else "GET" for m in methods] == [
        "GET",
        "POST",
        "GET",
        "PATCH",
    ]


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (the comment step uses it)")
def test_a_comment_too_long_for_github_points_to_the_job_summary(tmp_path):
    env = fake_gh(tmp_path, [])
    job_dir = tmp_path / "job"
    job_dir.mkdir()
    (job_dir / "comment.md").write_text(MARKER + "\n" + "x" * 65_536)
    result = run_step(comment_script(), job_dir, env)
    assert result.returncode == 0, result.stderr
    (comment,) = json.loads((tmp_path / "bin" / "comments.json").read_text())
    assert comment["body"] == (
        f"{MARKER}\nThe plan changes are too long for a comment: see the job summary of "
        "https://github.com/acme/landing/actions/runs/1\n"
    )
