"""`lz onboard`: what to give a person so they can start using AWS, printed (never written)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from landing_zone.config import ConfigError, load_stack_file
from landing_zone.sso.onboarding import OnboardingError, onboarding, render
from landing_zone.sso.profiles import ProfileOptions, SsoSourceError

from .common import EXIT_FAILED, EXIT_OK, UsageError, add_stack_arguments, locate_stack, report_config_error
from .sso_config import read_outputs  # the same outputs file, read and refused the same way


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "onboard",
        help="what a person needs to start: portal, region, accounts, ~/.aws/config, first commands",
        description=(
            "Print, for one user of the stack's identityCenter.users, the access portal URL, the SSO "
            "region, every (account, permission set) their groups reach, the ~/.aws/config block "
            "`lz sso-config` would write for them, the first commands and the reminders. "
            "Nothing is written. Exit 1 when the user can reach no account."
        ),
    )
    parser.add_argument("user", metavar="USER", help="the user name, as in identityCenter.users")
    add_stack_arguments(parser)
    parser.add_argument(
        "--outputs",
        type=Path,
        required=True,
        metavar="FILE",
        help="`pulumi stack output --json` (or `lz plan --outputs-out`)",
    )
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    location = locate_stack(args)
    try:
        settings = load_stack_file(location.config_file, location.project)
    except ConfigError as err:
        return report_config_error(err)
    config = settings.config
    outputs = read_outputs(args.outputs)
    org = config.organization.name
    try:
        sso_region = outputs.get("ssoRegion") if isinstance(outputs.get("ssoRegion"), str) else None
        # The defaults of `lz sso-config`, so that the block is the one it would write.
        options = ProfileOptions(org=org, session_name=org, region=settings.aws_region or sso_region or "")
        plan = onboarding(config, outputs, args.user, options, source=str(args.outputs))
    except (OnboardingError, SsoSourceError) as err:
        raise UsageError(str(err)) from None
    if not plan.rows:
        groups = (
            f"their groups ({', '.join(plan.groups)}) have"
            if plan.groups
            else "they are in no group, so have"
        )
        print(
            f"lz onboard: user '{plan.user.user_name}' can reach no account: {groups} no access rule; "
            "add them to a group of identityCenter.groups that identityCenter.access gives accounts",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(render(plan, args.format), end="")
    return EXIT_OK
