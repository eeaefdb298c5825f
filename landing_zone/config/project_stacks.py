"""The stacks of a project: every `Pulumi.<stack>.yaml` beside `Pulumi.yaml`, and its role.

A stack is on its own (`single`), the organization stack of a split organization (it names
`accountStacks`), or one of its account stacks (it names `organizationStack`). The order is
the order to deploy in: each organization stack before its account stacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import ConfigError, Problem
from .loading import read_stack_file, stack_of
from .stacks import valid_stack_name

Role = Literal["single", "organization", "account"]


@dataclass(frozen=True)
class ProjectStack:
    name: str
    path: Path
    role: Role
    # An account stack's organization stack; None for the others.
    organization_stack: str | None = None
    # An organization stack's account stacks, as its accountStacks names them.
    account_stacks: tuple[str, ...] = ()
    # Why its file cannot be read (then it counts as a stack of its own: using it reports why).
    problems: tuple[Problem, ...] = ()


def stack_files(project_dir: Path) -> list[tuple[str, Path]]:
    """(stack name, file) of every `Pulumi.<stack>.yaml` in `project_dir`, by name (the file
    `lz --stack NAME` reads and an account stack's organization stack is read from)."""
    found = []
    for path in project_dir.glob("Pulumi.*.yaml"):
        name = stack_of(path)
        if valid_stack_name(name) and path.is_file():
            found.append((name, path))
    return sorted(found)


def project_stacks(project_dir: Path, namespace: str) -> list[ProjectStack]:
    """Every stack of the project with its role, in deploy order. A file that cannot be read
    is a stack of its own carrying its problems (each names the file)."""
    stacks: list[ProjectStack] = []
    for name, path in stack_files(project_dir):
        try:
            values = read_stack_file(path)
        except ConfigError as err:
            stacks.append(ProjectStack(name, path, "single", problems=tuple(err.problems)))
            continue
        organization = values.get(f"{namespace}:organizationStack")
        account_stacks = values.get(f"{namespace}:accountStacks")
        if organization is not None:
            stacks.append(ProjectStack(name, path, "account", organization_stack=str(organization)))
        elif isinstance(account_stacks, dict) and account_stacks:
            stacks.append(
                ProjectStack(name, path, "organization", account_stacks=tuple(map(str, account_stacks)))
            )
        else:
            stacks.append(ProjectStack(name, path, "single"))
    return deploy_order(stacks)


def deploy_order(stacks: list[ProjectStack]) -> list[ProjectStack]:
    """Single and organization stacks by name, each organization stack followed by its account
    stacks; account stacks whose organization stack is missing last (validation names them)."""
    ordered: list[ProjectStack] = []
    accounts = [s for s in stacks if s.role == "account"]
    for stack in sorted((s for s in stacks if s.role != "account"), key=lambda s: s.name):
        ordered.append(stack)
        ordered += sorted((s for s in accounts if s.organization_stack == stack.name), key=lambda s: s.name)
    placed = {s.name for s in ordered}
    ordered += sorted((s for s in accounts if s.name not in placed), key=lambda s: s.name)
    return ordered
