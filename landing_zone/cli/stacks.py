"""`lz stacks`: the project's stacks, their roles, in the order to deploy them (for CI matrices)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from landing_zone.config import ConfigError
from landing_zone.config.project_stacks import ProjectStack, project_stacks

from .common import EXIT_OK, EXIT_USAGE, UsageError, find_project_dir, read_project_name, report_config_error


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stacks",
        help="list the project's stacks and their roles, in deploy order",
        description="List every Pulumi.<stack>.yaml of the project: single stacks, organization stacks "
        "(accountStacks) and their account stacks (organizationStack), each organization stack before "
        "its account stacks. Roles only: `lz validate --all` checks the stacks.",
    )
    parser.add_argument(
        "--project-dir", type=Path, help="the Pulumi project (default: the nearest Pulumi.yaml)"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON document: a list of stacks")
    output.add_argument(
        "--account-stacks-of",
        metavar="STACK",
        help="only the account stacks of organization stack STACK, as a JSON list (a CI matrix)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project_dir = args.project_dir or find_project_dir(Path.cwd())
    stacks = project_stacks(project_dir, read_project_name(project_dir))
    problems = [problem for stack in stacks for problem in stack.problems]
    if problems:
        return report_config_error(ConfigError(problems))
    if args.account_stacks_of is not None:
        organization = next((s for s in stacks if s.name == args.account_stacks_of), None)
        if organization is None or organization.role != "organization":
            raise UsageError(
                f"--account-stacks-of: {args.account_stacks_of!r} is not an organization stack here"
            )
        print(json.dumps([s.name for s in stacks if s.organization_stack == organization.name]))
        return EXIT_OK
    if args.json:
        print(json.dumps([_as_json(s) for s in stacks], indent=2))
        return EXIT_OK
    if not stacks:
        print(f"no Pulumi.<stack>.yaml in {project_dir}")
        return EXIT_USAGE
    for stack in stacks:
        print(f"{stack.name}: {_role_text(stack)}")
    return EXIT_OK


def _role_text(stack: ProjectStack) -> str:
    if stack.role == "organization":
        count = len(stack.account_stacks)
        return f"organization stack, {count} account stack{'s' if count != 1 else ''}"
    if stack.role == "account":
        return f"account stack of {stack.organization_stack}"
    return "single stack"


def _as_json(stack: ProjectStack) -> dict[str, object]:
    entry: dict[str, object] = {"stack": stack.name, "role": stack.role, "file": stack.path.name}
    if stack.role == "organization":
        entry["accountStacks"] = list(stack.account_stacks)
    if stack.role == "account":
        entry["organizationStack"] = stack.organization_stack
    return entry
