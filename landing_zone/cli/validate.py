"""`lz validate`: check a stack's config without AWS or the Pulumi engine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from landing_zone.config import ConfigError, config_warnings, load_stack_file

from .common import (
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_stack_arguments,
    find_project_dir,
    locate_stack,
    read_project_name,
    report_config_error,
)
from .plan import previous_config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a stack's config; exit 2 on problems",
        description="Check a stack's config offline, every problem at once, each under the key to edit "
        "(exit 2); warnings (allowed, but unsafe on a later change) go to stderr.",
    )
    add_stack_arguments(parser)
    parser.add_argument(
        "--all",
        action="store_true",
        help="every Pulumi.<stack>.yaml beside Pulumi.yaml, and the split of an organization across "
        "them (account stacks named back, no account file read by two stacks); one line per stack",
    )
    parser.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help="the stack file as deployed (e.g. `git show main:Pulumi.prod.yaml`): also check account "
        "state changes against it (closed only from suspended, never reopened, within the closure quota)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.all:
        if args.stack or args.config_file or args.previous:
            raise UsageError("--all checks every stack: leave out --stack, --config-file and --previous")
        from .validate_all import validate_all

        project_dir = args.project_dir or find_project_dir(Path.cwd())
        return validate_all(project_dir, read_project_name(project_dir))
    location = locate_stack(args)
    try:
        settings = load_stack_file(location.config_file, location.project, location.project_dir)
    except ConfigError as err:
        return report_config_error(err)
    config = settings.config
    for warning in config_warnings(config, location.project):
        print(f"warning: {warning}", file=sys.stderr)
    if args.previous is not None:
        from landing_zone.config.changes import account_changes

        changes = account_changes(previous_config(args.previous, location.project), config, location.project)
        problems = list(changes.refused)
        if changes.over_quota:
            problems.append(
                f"{location.project}:accounts: closes {len(changes.closed)} accounts "
                f"({', '.join(changes.closed)}); AWS closes at most {changes.closure_quota} "
                "per rolling 30 days"
            )
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            return EXIT_USAGE
        for name in changes.released:
            print(f"warning: {name} leaves the stack and stays open in the organization", file=sys.stderr)
        # What pulumi up would make by replacing the account: ignored, and made in place by lz.
        for edit in changes.renames:
            print(f"warning: AWS name of {edit.account}: {edit.before} -> {edit.after} is not applied by "
                  "pulumi up: lz account rename makes it in place", file=sys.stderr)  # fmt: skip
        for edit in changes.emails:
            print(f"warning: root email of {edit.account}: {edit.before} -> {edit.after} is not applied by "
                  "pulumi up: lz account change-email makes it in place", file=sys.stderr)  # fmt: skip
        if changes.closed:
            print(
                f"closes {', '.join(changes.closed)}: {len(changes.closed)} of the {changes.closure_quota} "
                "closures AWS allows per rolling 30 days"
            )
    if settings.slice.is_organization_stack and not config.account_stacks:
        print(
            f"{location.config_file}: valid ({len(config.accounts)} accounts, "
            f"{len(config.organizational_units)} organizational units)"
        )
    else:
        from .validate_all import share

        print(f"{location.config_file}: valid ({share(settings)})")
    return EXIT_OK
