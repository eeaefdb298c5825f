"""`lz onboard`: what to give a person so they can start using AWS, printed (never written)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from landing_zone.config import ConfigError, load_stack_file
from landing_zone.config.identity import START_URL
from landing_zone.sso.onboarding import (
    Onboarding,
    OnboardingError,
    onboarding,
    onboarding_for,
    render,
)
from landing_zone.sso.profiles import ProfileOptions, SsoSourceError, ini_value
from landing_zone.sso.regions import account_regions

from .aws import add_session_arguments, clients_for, reading_the_organization
from .common import EXIT_FAILED, EXIT_OK, UsageError, add_stack_arguments, locate_stack, report_config_error
from .sso_config import read_outputs  # the same outputs file, read and refused the same way

ONE_SOURCE = "choose one source: --outputs FILE (with the stack's rules), or --from-aws [--profile P]"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "onboard",
        help="what a person needs to start: portal, region, accounts, ~/.aws/config, first commands",
        description=(
            "Print, for one user, the access portal URL, the SSO region, every (account, permission "
            "set) their groups reach, the ~/.aws/config block `lz sso-config` would write for them, "
            "the first commands and the reminders, from the stack and its outputs (--outputs) or the "
            "live identity store (--from-aws). Nothing is written. Exit 1 when the user can reach "
            "no account."
        ),
    )
    parser.add_argument(
        "user", metavar="USER", help="the user name (identityCenter.users, or the identity store's)"
    )
    add_stack_arguments(parser)
    parser.add_argument(
        "--outputs",
        type=Path,
        metavar="FILE",
        help="`pulumi stack output --json` (or `lz plan --outputs-out`)",
    )
    parser.add_argument("--from-aws", action="store_true", help="read the live identity store with boto3")
    add_session_arguments(
        parser.add_argument_group("with --from-aws"),
        region_option="--sso-region",
        region_help="the Identity Center region (default: the profile's)",
    )
    parser.add_argument(
        "--start-url", help="with --from-aws: a custom start URL, e.g. https://acme.awsapps.com/start"
    )
    parser.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="text for a terminal, markdown for a ticket or an email (default: %(default)s)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.from_aws == (args.outputs is not None):
        raise UsageError(ONE_SOURCE)
    location = locate_stack(args)
    try:
        settings = load_stack_file(location.config_file, location.project, location.project_dir)
    except ConfigError as err:
        return report_config_error(err)
    config = settings.config
    org = config.organization.name
    try:
        if args.from_aws:
            if args.start_url is not None:
                ini_value(args.start_url, START_URL, "--start-url")
            plan = _from_aws(args, org, settings.aws_region, account_regions(config, settings.aws_region))
        else:
            outputs = read_outputs(args.outputs)
            sso_region = outputs.get("ssoRegion") if isinstance(outputs.get("ssoRegion"), str) else None
            # The defaults of `lz sso-config`, so that the block is the one it would write.
            options = ProfileOptions(
                org=org,
                session_name=org,
                region=settings.aws_region or sso_region or "",
                account_regions=account_regions(config, settings.aws_region),
            )
            plan = onboarding(config, outputs, args.user, options, source=str(args.outputs))
    except (OnboardingError, SsoSourceError) as err:
        raise UsageError(str(err)) from None
    if not plan.rows:
        person = plan.person
        groups = (
            f"their groups ({', '.join(person.groups)}) have"
            if person.groups
            else "they are in no group, so have"
        )
        print(
            f"lz onboard: user '{person.user_name}' can reach no account: {groups} no access rule; "
            "add them to a group of identityCenter.groups that identityCenter.access gives accounts",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(render(plan, args.format), end="")
    return EXIT_OK


def _from_aws(
    args: argparse.Namespace, org: str, stack_region: str | None, regions: dict[str, str]
) -> Onboarding:
    from landing_zone.live.group_access import read_user_access  # boto3: only for --from-aws

    clients = clients_for(args.profile, args.sso_region, args.max_attempts)
    try:
        with reading_the_organization():
            person, access = read_user_access(clients, args.user, args.start_url)
    except SsoSourceError as err:
        raise SsoSourceError(f"--from-aws: {err}") from None
    options = ProfileOptions(
        org=org, session_name=org, region=stack_region or access.sso_region, account_regions=regions
    )
    return onboarding_for(person, access, options)
