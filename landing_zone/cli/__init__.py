"""`lz`: the landing zone's command-line tool. One module per command.

Each command module imports at its top only what building its parser needs; what it runs
with (Pulumi, boto3, the policy harness) is imported in its `run`, so that a command pays
only for its own imports (`lz validate` never imports Pulumi or boto3; tests/test_cli_imports.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import metadata

from . import (
    account,
    audit,
    credentials,
    import_stack,
    onboard,
    plan,
    preflight,
    sso_config,
    stacks,
    validate,
)
from .common import UsageError
from .exit import exit_now

COMMANDS = (validate, plan, stacks, account, sso_config, credentials, onboard, audit, import_stack, preflight)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lz", description="Set up and govern an AWS Organization as code (landing zone)."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def _version() -> str:
    try:
        return metadata.version("landing-zone")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Like parse_args, but an unknown option after a command gets that command's usage."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        subparsers.choices[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(build_parser(), argv)
    try:
        return int(args.run(args))
    except UsageError as err:
        print(f"lz {args.command}: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`lz stacks | head -1`): stop quietly, as the Python docs advise
        # (library/signal.html, "Note on SIGPIPE"): what is left to flush goes nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def entry() -> None:
    """The `lz` script and `python -m landing_zone.cli`: main(), then exit without teardown."""
    exit_now(main())
