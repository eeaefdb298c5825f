"""`lz validate`: check a stack's config without AWS or the Pulumi engine."""

from __future__ import annotations

import argparse
import sys

from landing_zone.config import ConfigError, config_warnings, load_stack_file

from .common import EXIT_OK, add_stack_arguments, locate_stack, report_config_error


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a stack's config; exit 2 on problems",
        description="Check a stack's config offline, every problem at once, each under the key to edit "
        "(exit 2); warnings (allowed, but unsafe on a later change) go to stderr.",
    )
    add_stack_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    location = locate_stack(args)
    try:
        settings = load_stack_file(location.config_file, location.project)
    except ConfigError as err:
        return report_config_error(err)
    config = settings.config
    for warning in config_warnings(config, location.project):
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"{location.config_file}: valid ({len(config.accounts)} accounts, "
        f"{len(config.organizational_units)} organizational units)"
    )
    return EXIT_OK
