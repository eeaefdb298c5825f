"""`lz plan`: the program under Pulumi's mocks, offline, and what it would create."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from landing_zone.config import ConfigError, load_from_mapping, read_stack_file
from landing_zone.plan.render import render_text
from landing_zone.plan.report import build_report
from landing_zone.plan.runner import run_program

from .common import EXIT_FAILED, EXIT_OK, UsageError, add_stack_arguments, locate_stack, report_config_error
from .plan_policy import add_policy_arguments, check_policies


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan", help="show what a stack would create (Pulumi mocks, no AWS credentials)"
    )
    add_stack_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--resources-out",
        type=Path,
        metavar="FILE",
        help="write every registered resource (inputs and options) as JSON",
    )
    add_policy_arguments(parser)
    parser.add_argument(
        "--outputs-out",
        type=Path,
        metavar="FILE",
        help="write the stack outputs as `pulumi stack output --json` would (for lz sso-config --outputs)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    location = locate_stack(args)
    try:
        values = read_stack_file(location.config_file)
        # Validate before running: config problems are reported, not raised from the program.
        load_from_mapping(values, location.project)
    except ConfigError as err:
        return report_config_error(err)
    result = run_program(location.project_dir, location.project, location.stack, values)
    if args.resources_out is not None:
        _write_json(args.resources_out, [r.to_json() for r in result.resources], "--resources-out")
    if args.outputs_out is not None:
        _write_json(args.outputs_out, result.outputs, "--outputs-out")
    policy = check_policies(args, location, values, result.resources)
    report = build_report(location.project, location.stack, result, policy)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(render_text(report), end="")
    return EXIT_FAILED if report.has_mandatory_violations else EXIT_OK


def _write_json(path: Path, data: Any, option: str) -> None:
    try:
        path.write_text(json.dumps(data, indent=2, sort_keys=isinstance(data, dict)) + "\n", encoding="utf-8")
    except OSError as err:
        raise UsageError(f"{option}: cannot write {path}: {err.strerror}") from None
