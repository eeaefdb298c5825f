"""What the boto3 commands (audit, import, sso-config --from-aws) share: the session from
--profile, the region and --max-attempts, and AWS failures as one line with exit 2."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .common import UsageError

if TYPE_CHECKING:
    from landing_zone.live.session import Clients

# boto3 and the live modules are imported where they are used: building the parser (every
# command, `lz validate` too) must not pay for them.

HOME_REGION_HELP = "home region: Identity Center's (default: the profile's)"


def add_session_arguments(
    parser: argparse._ActionsContainer, region_option: str = "--region", region_help: str = HOME_REGION_HELP
) -> None:
    """--profile, the region (`region_option`, where a command's --region means something else)
    and --max-attempts."""
    parser.add_argument(
        "--profile", help="AWS profile with management-account credentials (default: boto3's usual chain)"
    )
    parser.add_argument(region_option, metavar="REGION", help=region_help)
    parser.add_argument(
        "--max-attempts",
        type=positive_int,
        metavar="N",
        help="attempts per AWS call with adaptive retries (default: AWS_MAX_ATTEMPTS or botocore's)",
    )


def clients_from_args(args: argparse.Namespace) -> Clients:
    return clients_for(args.profile, args.region, args.max_attempts)


def clients_for(profile: str | None, region: str | None, max_attempts: int | None) -> Clients:
    """Clients of the session named by the command's options (None: boto3's own resolution)."""
    import boto3
    from botocore.exceptions import ProfileNotFound

    from landing_zone.live.session import Clients, retry_config

    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as err:
        raise UsageError(f"--profile: {err}") from None
    return Clients(session, retry_config(max_attempts))


@contextmanager
def reading_the_organization(what: str = "the organization") -> Iterator[None]:
    """An AWS call that fails (refused, throttled past the retries, no credentials, unreachable)
    ends the command with exit 2: `cannot read <what>: <operation>: <code>: <message>`."""
    from landing_zone.live.errors import AWS_ERRORS, describe_error

    try:
        yield
    except AWS_ERRORS as err:
        raise UsageError(f"cannot read {what}: {describe_error(err)}") from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value
