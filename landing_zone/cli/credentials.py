"""`lz credentials --profile NAME`: an SSO profile's role credentials as `credential_process`
JSON, for the tools that cannot read SSO profiles (the `<name>-process` profiles that
`lz sso-config --credential-process` writes run it).
"""

from __future__ import annotations

import argparse
import json

from .common import EXIT_OK, UsageError

# What `lz sso-config --credential-process` puts before `--profile NAME`.
COMMAND = "credentials"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="an SSO profile's credentials as credential_process JSON",
        description=(
            "Print the role credentials of an SSO profile (one with sso_session) as the JSON a "
            "credential_process returns (Version 1), using the token `aws sso login` cached."
        ),
    )
    parser.add_argument("--profile", required=True, help="the SSO profile, e.g. acme-dev")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from landing_zone.live import portal  # boto3: only when run
    from landing_zone.live.shown import shown
    from landing_zone.sso.profiles import SECTION_NAME, SsoSourceError, ini_value

    from .aws import reading_the_organization

    try:
        ini_value(args.profile, SECTION_NAME, "--profile")
    except SsoSourceError as err:
        raise UsageError(str(err)) from None
    try:
        with reading_the_organization("the access portal"):
            credentials = portal.process_credentials(args.profile)
    except portal.NotSsoProfile as err:
        raise UsageError(f"--profile: {err}") from None
    except portal.NoToken as err:
        session = shown(err.args[0] if err.args else "")
        raise UsageError(
            f"no valid SSO token for sso-session {session}: run `aws sso login --sso-session {session}`"
        ) from None
    print(json.dumps(credentials))
    return EXIT_OK
