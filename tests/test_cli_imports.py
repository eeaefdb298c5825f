"""Each command imports only what it runs with: `lz validate` neither Pulumi nor boto3, `lz plan`
no boto3 (the cost of an import nobody uses is paid on every run; docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

HEAVY = ("pulumi", "pulumi_aws", "boto3", "botocore", "grpc")


def modules_after(*argv: str) -> set[str]:
    """The heavy modules imported by `lz ARGV` run by main() in a new interpreter of this checkout."""
    script = (
        "import json, sys\n"
        "from landing_zone.cli import main\n"
        f"main({list(argv)!r} + ['--project-dir', {str(PROJECT_DIR)!r}])\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


def test_validate_imports_neither_pulumi_nor_boto3():
    assert modules_after("validate", "--stack", "prod") == set()


@pytest.mark.parametrize("policy", [["--no-policy"], []], ids=["no-policy", "policy"])
def test_plan_imports_no_boto3(policy):
    loaded = modules_after("plan", "--stack", "prod", "--format", "json", *policy)
    assert "pulumi" in loaded
    assert not loaded & {"boto3", "botocore"}
