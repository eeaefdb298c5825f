"""`lz`: the landing zone's command-line tool. One module per command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import audit, import_stack, plan, sso_config, validate
from .common import UsageError

COMMANDS = (validate, plan, sso_config, audit, import_stack)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lz", description="Set up and govern an AWS Organization as code (landing zone)."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as err:
        print(f"lz {args.command}: {err}", file=sys.stderr)
        return 2
