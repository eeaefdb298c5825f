"""What the boto3 commands (audit, import) share: the session from --profile and --region."""

from __future__ import annotations

import argparse

import boto3
from botocore.exceptions import ProfileNotFound

from landing_zone.live.session import Clients, retry_config

from .common import UsageError


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile", help="AWS profile with management-account credentials (default: boto3's usual chain)"
    )
    parser.add_argument("--region", help="home region: Identity Center's (default: the profile's)")
    parser.add_argument(
        "--max-attempts",
        type=positive_int,
        metavar="N",
        help="attempts per AWS call with adaptive retries (default: AWS_MAX_ATTEMPTS or botocore's)",
    )


def clients_from_args(args: argparse.Namespace) -> Clients:
    try:
        session = boto3.Session(profile_name=args.profile, region_name=args.region)
    except ProfileNotFound as err:
        raise UsageError(f"--profile: {err}") from None
    return Clients(session, retry_config(args.max_attempts))


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value
