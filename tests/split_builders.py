"""A split organization for tests: the prod example's config as an organization stack, two
account stacks (`workloads` deploys the Workloads OU subtree, `sandbox` the Sandbox OU), the
sandbox accounts in an account file, in a project directory of its own that runs this
checkout's program and policy pack."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from landing_zone.config import read_stack_file
from tests.helpers import PROJECT_DIR

NS = "landing-zone"
ORGANIZATION_STACK = "org"
ACCOUNT_STACKS = {"workloads": ["Workloads"], "sandbox": ["Sandbox"]}
SANDBOX_FILE = "accounts/sandbox.yaml"
# What each stack deploys of prod's accounts.
SLICES = {
    ORGANIZATION_STACK: {"audit", "log-archive"},
    "workloads": {"production", "staging", "dev"},
    "sandbox": {"sandbox-alice", "sandbox-bob"},
}


def prod_values() -> dict[str, Any]:
    return read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")


def organization_values(base: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """The organization stack's config: prod's (or `base`, a change of it), with the account stacks
    and the sandbox accounts moved to an account file (`account_file_entries`)."""
    values = copy.deepcopy(base if base is not None else prod_values())
    values[f"{NS}:accounts"] = [a for a in values[f"{NS}:accounts"] if a.get("ou") != "Sandbox"]
    values[f"{NS}:accountFiles"] = [SANDBOX_FILE]
    values[f"{NS}:accountStacks"] = {
        stack: {"organizationalUnits": paths} for stack, paths in ACCOUNT_STACKS.items()
    }
    for key, value in changes.items():
        values[f"{NS}:{key}"] = value
    return values


def account_file_entries() -> dict[str, Any]:
    return {"accounts": [a for a in prod_values()[f"{NS}:accounts"] if a.get("ou") == "Sandbox"]}


def account_stack_values(organization_stack: str = ORGANIZATION_STACK) -> dict[str, Any]:
    return {"aws:region": prod_values()["aws:region"], f"{NS}:organizationStack": organization_stack}


def write_values(project: Path, stack: str, values: dict[str, Any]) -> Path:
    path = project / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump({"config": values}, sort_keys=False), encoding="utf-8")
    return path


def split_project(directory: Path, organization: dict[str, Any] | None = None) -> Path:
    """A project directory running this checkout's program and pack, holding the split organization
    (`organization`: the organization stack's config, default `organization_values()`)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("Pulumi.yaml", "__main__.py", "components", "policy"):
        (directory / name).symlink_to(PROJECT_DIR / name)
    (directory / "accounts").mkdir()
    (directory / SANDBOX_FILE).write_text(yaml.safe_dump(account_file_entries(), sort_keys=False))
    write_values(
        directory, ORGANIZATION_STACK, organization if organization is not None else organization_values()
    )
    for stack in ACCOUNT_STACKS:
        write_values(directory, stack, account_stack_values())
    return directory
