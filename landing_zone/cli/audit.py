"""`lz audit`: the live organization against the landing-zone practices (boto3, read-only)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from landing_zone.config import ConfigError, load_stack_file
from landing_zone.config.base import REGION, ROLE_NAME
from landing_zone.live.defaults import DEFAULT_ROLE_NAME, DEFAULT_WORKERS
from landing_zone.live.shown import shown

from .aws import add_session_arguments, clients_from_args, positive_int
from .common import EXIT_FAILED, EXIT_OK, UsageError, add_stack_arguments, locate_stack, report_config_error
from .progress import StderrProgress

if TYPE_CHECKING:
    from landing_zone.live.audit import CheckResult
    from landing_zone.live.audit.runner import AuditReport

LABELS = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "manual": "MANUAL"}
# A text report line: every live value in it goes through `shown` (no control character
# reaches the terminal; a long line is cut with a marker). The JSON report keeps the exact
# values: json.dumps escapes every control character (and, with ensure_ascii, all non-ASCII).
MAX_LINE = 500


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="check the live organization against the landing-zone practices; exit 1 on failures",
        description="Read the live organization with management-account credentials (read-only) and "
        "check it against the landing-zone practices; with --stack, against the stack's config too. "
        "Exit 1 when a check fails (with --fail-on-error, also when one could not run).",
    )
    add_session_arguments(parser)
    add_stack_arguments(parser)
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or one JSON object"
    )
    parser.add_argument(
        "--role",
        default=DEFAULT_ROLE_NAME,
        metavar="NAME",
        help=f"role to assume in member accounts (default: {DEFAULT_ROLE_NAME})",
    )
    parser.add_argument(
        "--regions",
        metavar="LIST",
        help="comma-separated regions to scan for workloads (default: every enabled region)",
    )
    parser.add_argument(
        "--fail-on-error",
        action="store_true",
        help="exit 1 also when a check could not run (an access error, an API AWS refused)",
    )
    parser.add_argument(
        "--max-workers",
        type=positive_int,
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"accounts and checks worked on at once (default: {DEFAULT_WORKERS})",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Here, not at the top: the audit's modules (boto3) are not for the other commands.
    from landing_zone.live.audit import AuditOptions, run_audit
    from landing_zone.live.audit.runner import AuditError, failed

    if not ROLE_NAME.matches(args.role):
        raise UsageError(f"--role: {args.role!r} is not an IAM role name")
    regions = _regions(args.regions)
    config = None
    if args.stack or args.config_file:
        location = locate_stack(args)
        try:
            config = load_stack_file(location.config_file, location.project, location.project_dir).config
        except ConfigError as err:
            return report_config_error(err)
    options = AuditOptions(role_name=args.role, config=config, regions=regions, max_workers=args.max_workers)
    progress = StderrProgress(sys.stderr)
    try:
        report = run_audit(clients_from_args(args), options, progress)
    except AuditError as err:
        raise UsageError(shown(err, MAX_LINE)) from None
    finally:
        progress.finish()
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=True))
        for warning in report.warnings():  # also where a CI log shows it, not only in the file
            print(f"lz audit: {warning}", file=sys.stderr)
    else:
        print(render_text(report), end="")
    return EXIT_FAILED if failed(report.results, errors_fail=args.fail_on_error) else EXIT_OK


def _regions(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    regions = tuple(r.strip() for r in text.split(",") if r.strip())
    bad = [r for r in regions if not REGION.matches(r)]
    if bad or not regions:
        raise UsageError(f"--regions: {bad[0] if bad else text!r} is not a region like eu-west-1")
    return regions


def render_text(report: AuditReport) -> str:
    lines = [
        f"Audit of organization {shown(report.organization_id)} "
        f"(management account {shown(report.management_account_id)})",
        "",
    ]
    for result in report.results:
        lines += _result_lines(result)
    counts = report.counts()
    lines += ["", "Summary: " + ", ".join(f"{count} {outcome}" for outcome, count in counts.items())]
    lines += report.warnings()
    return "\n".join(lines) + "\n"


def _result_lines(result: CheckResult) -> list[str]:
    lines = [f"{LABELS[result.outcome]:<7}{result.id}  {result.title}  [{shown(result.target, MAX_LINE)}]"]
    if result.outcome != "pass":
        lines += [f"       - {shown(line, MAX_LINE)}" for line in result.evidence]
    return lines
