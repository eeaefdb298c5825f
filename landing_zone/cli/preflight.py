"""`lz preflight`: will `pulumi up` of this stack work on this organization? (boto3, read-only)"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from landing_zone.config import ConfigError, load_stack_file
from landing_zone.live.defaults import DEFAULT_WORKERS
from landing_zone.live.shown import shown

from .aws import add_session_arguments, clients_for, positive_int
from .common import EXIT_FAILED, EXIT_OK, UsageError, add_stack_arguments, locate_stack, report_config_error
from .plan import previous_config
from .progress import StderrProgress

if TYPE_CHECKING:
    from landing_zone.live.preflight import PreflightReport, Prerequisite

LABELS = {"blocked": "BLOCKED", "unknown": "UNKNOWN", "ready": "READY"}
# A line is shown escaped (live values are untrusted) and cut past this: long enough for a fix.
MAX_LINE = 2000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "preflight",
        help="will pulumi up of this stack work on the live organization? exit 1 when something blocks it",
        description="Compare what the stack needs with the live organization (read-only, management-account "
        "credentials): each prerequisite is ready, blocked (with its fix) or unknown (AWS refused to tell). "
        "Exit 0 when nothing is blocked, 1 when something is (with --fail-on-unknown, also when something "
        "is unknown), 2 for bad arguments, config or credentials.",
    )
    add_session_arguments(
        parser, "--region", "the stack's region (default: its aws:region, else the profile's)"
    )
    add_stack_arguments(parser)
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or one JSON object"
    )
    parser.add_argument(
        "--fail-on-unknown",
        action="store_true",
        help="exit 1 also when a prerequisite could not be checked (for CI)",
    )
    parser.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help="the stack file as deployed: count the accounts the change closes against AWS's closure quota",
    )
    parser.add_argument(
        "--max-workers",
        type=positive_int,
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"member accounts and checks worked on at once (default: {DEFAULT_WORKERS})",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Here, not at the top: the preflight's modules (boto3) are not for the other commands.
    from landing_zone.live.preflight import PreflightError, PreflightOptions, run_preflight

    location = locate_stack(args)
    try:
        settings = load_stack_file(location.config_file, location.project, location.project_dir)
    except ConfigError as err:
        return report_config_error(err)
    previous = previous_config(args.previous, location.project) if args.previous is not None else None
    clients = clients_for(args.profile, args.region or settings.aws_region, args.max_attempts)
    options = PreflightOptions(
        stack=location.stack,
        config=settings.config,
        home_region=clients.region,
        previous=previous,
        max_workers=args.max_workers,
        # One stack of a split organization visits its own accounts; organization-wide checks stay whole.
        accounts=settings.slice.accounts,
    )
    progress = StderrProgress(sys.stderr)
    try:
        report = run_preflight(clients, options, progress)
    except PreflightError as err:
        raise UsageError(shown(err, MAX_LINE)) from None
    finally:
        progress.finish()
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=True))
    else:
        print(render_text(report), end="")
    return exit_code(report, args.fail_on_unknown)


def render_text(report: PreflightReport) -> str:
    where = f"organization {report.organization_id}" if report.organization_id else "no organization"
    lines = [
        f"Preflight of stack {shown(report.stack)} against {where} "
        f"(management account {shown(report.management_account_id)})",
        "",
    ]
    lines += [line(p) for p in report.ordered()]
    counts = report.counts()
    lines += ["", "Summary: " + ", ".join(f"{count} {status}" for status, count in counts.items())]
    return "\n".join(lines) + "\n"


def line(prerequisite: Prerequisite) -> str:
    """One line per prerequisite; every live value in it is shown escaped (no control character
    reaches the terminal)."""
    text = f"{LABELS[prerequisite.status]:<8}{prerequisite.id}  {prerequisite.subject}: {prerequisite.detail}"
    if prerequisite.fix:
        text += f"; fix: {prerequisite.fix}"
    return shown(text, MAX_LINE)


def exit_code(report: PreflightReport, fail_on_unknown: bool) -> int:
    """1 when something blocks `pulumi up` (or, asked for CI, could not be checked); else 0."""
    counts = report.counts()
    return EXIT_FAILED if counts["blocked"] or (fail_on_unknown and counts["unknown"]) else EXIT_OK
