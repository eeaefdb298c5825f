"""`lz sso-config`: AWS CLI v2 SSO profiles for what a group (or, from the portal, you) can
reach, printed or merged into `~/.aws/config`, or checked against it (`--check`).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

from landing_zone.config import ConfigError, load_stack_file
from landing_zone.config.base import REGION
from landing_zone.config.excerpt import excerpt
from landing_zone.config.identity import START_URL
from landing_zone.config.json_text import JsonTextError, parse_json
from landing_zone.live.shown import shown
from landing_zone.sso.check import check_block
from landing_zone.sso.merge import MergeError, managed_block, managed_sections, read_config, update
from landing_zone.sso.profiles import (
    DEFAULT_ADMIN_PERMISSION_SET,
    DEFAULT_ADMIN_TEMPLATE,
    DEFAULT_TEMPLATE,
    GROUP_NAME,
    SECTION_NAME,
    ProfileOptions,
    SsoAccess,
    SsoSourceError,
    build_profiles,
    check_session_name,
    check_template,
    from_stack_outputs,
    ini_value,
    render_sections,
)
from landing_zone.sso.regions import account_regions

from . import credentials
from .aws import add_session_arguments, clients_for, reading_the_organization
from .common import EXIT_FAILED, EXIT_OK, UsageError, add_stack_arguments, locate_stack, report_config_error

DEFAULT_CONFIG = Path("~/.aws/config")
# What a `<profile>-process` profile runs: this Python and this lz, whatever is on the PATH
# of the tool that runs it.
PROCESS_COMMAND = (sys.executable, "-m", "landing_zone.cli", credentials.COMMAND)
ONE_SOURCE = (
    "choose one source: --stack NAME (or --config-file PATH) --outputs FILE, --from-aws [--profile P], "
    "or --from-portal --sso-session NAME"
)
PORTAL_NEEDS_SESSION = "--from-portal needs --sso-session NAME: the session `aws sso login` signed in"
OUTPUTS_NEED_STACK = (
    "--outputs needs --stack NAME or --config-file PATH: the stack's rules say what the group can reach"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sso-config",
        help="SSO profiles (AWS CLI v2 config) for the accounts a group can reach",
        description=(
            "Render one [sso-session] and one [profile] per (account, permission set) the group "
            "can use, from a stack's outputs (--outputs with --stack or --config-file) or the live "
            "organization (--from-aws) or the access portal as your `aws sso login` sees it "
            "(--from-portal). Prints to stdout unless --write."
        ),
    )
    parser.add_argument(
        "--group", help="the Identity Center group (display name); not with --from-portal (your own access)"
    )
    add_stack_arguments(parser)
    parser.add_argument(
        "--outputs",
        type=Path,
        metavar="FILE",
        action="append",
        help="`pulumi stack output --json` (or `lz plan --outputs-out`); for a split organization, once "
        "per stack: the organization stack's first, then its account stacks' (their accountIds are merged)",
    )
    parser.add_argument("--from-aws", action="store_true", help="read the live organization with boto3")
    parser.add_argument(
        "--from-portal",
        action="store_true",
        help="list the accounts and roles you can use in the access portal, with the token "
        "`aws sso login --sso-session NAME` cached (needs --sso-session)",
    )
    add_session_arguments(
        parser.add_argument_group("with --from-aws"),
        region_option="--sso-region",
        region_help="the Identity Center region (default: the profile's; with --from-portal, "
        "the [sso-session] block's)",
    )
    parser.add_argument("--start-url", help="the SSO start URL, e.g. a custom https://acme.awsapps.com/start")
    parser.add_argument("--org", help="{org} in profile names (default: the stack's organization.name)")
    parser.add_argument("--sso-session", help="the [sso-session] name (default: the org)")
    parser.add_argument(
        "--region", help="each profile's region (default: the stack's aws:region, else the SSO region)"
    )
    parser.add_argument(
        "--admin-permission-set",
        default=DEFAULT_ADMIN_PERMISSION_SET,
        help="the set whose profiles use --admin-template (default: %(default)s)",
    )
    parser.add_argument(
        "--admin-template",
        default=DEFAULT_ADMIN_TEMPLATE,
        help="profile name for the admin set (default: %(default)s)",
    )
    parser.add_argument(
        "--template",
        default=DEFAULT_TEMPLATE,
        help="profile name for other sets; placeholders {org} {account} {account_id} "
        "{permission_set} (default: %(default)s)",
    )
    parser.add_argument(
        "--credential-process",
        action="store_true",
        help="also write a <profile>-process profile beside each, whose credential_process runs "
        "`lz credentials --profile <profile>` (for tools that cannot read SSO profiles)",
    )
    parser.add_argument(
        "--check",
        nargs="?",
        type=Path,
        const=None,
        default=False,
        metavar="PATH",
        help="list the profiles of the sso-session's managed block in PATH (default: $AWS_CONFIG_FILE "
        "or ~/.aws/config) whose account or role the source no longer gives; writes nothing. "
        "Exit 0: all reachable, 1: stale profiles, 2: bad input",
    )
    parser.add_argument(
        "--write",
        nargs="?",
        type=Path,
        const=None,
        default=False,
        metavar="PATH",
        help="merge into PATH (default: $AWS_CONFIG_FILE or ~/.aws/config), keeping everything else",
    )
    parser.add_argument(
        "--allow-mock-ids",
        action="store_true",
        help="with --write: accept outputs from `lz plan --outputs-out`, whose account ids are made up",
    )
    parser.add_argument(
        "--replace-read-only",
        action="store_true",
        help="with --write: replace the config file even if it is read-only (its mode is kept)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if [args.from_aws, args.from_portal, args.outputs is not None].count(True) != 1:
        raise UsageError(ONE_SOURCE)
    if args.from_portal and not args.sso_session:
        raise UsageError(PORTAL_NEEDS_SESSION)
    # Options of a write, given without one: the user meant to write and nothing would be.
    for option, given in (
        ("--allow-mock-ids", args.allow_mock_ids),
        ("--replace-read-only", args.replace_read_only),
    ):
        if given and args.write is False:
            raise UsageError(
                f"{option}: only with --write (without it the profiles are printed, not written)"
            )
    # The portal lists the signed-in user's own access: a group would be ignored.
    if args.from_portal and args.group is not None:
        raise UsageError("--group: not with --from-portal, which lists what you can use yourself")
    # The management account's session options: the portal is read with the SSO token instead.
    for option, given in (("--profile", args.profile), ("--max-attempts", args.max_attempts)):
        if args.from_portal and given is not None:
            raise UsageError(f"{option}: only with --from-aws (--from-portal uses the cached SSO token)")
    if args.check is not False and args.write is not False:
        raise UsageError("--check: not with --write (--check never writes)")
    if args.check is not False and args.credential_process:
        raise UsageError("--credential-process: not with --check, which renders no profiles")
    if not args.from_portal and args.group is None:
        raise UsageError("--group is required with --outputs and --from-aws")
    try:
        # Shown in messages and sent to AWS: one line of printable text.
        if args.group is not None:
            ini_value(args.group, GROUP_NAME, "--group")
    except SsoSourceError as err:
        raise UsageError(str(err)) from None
    # The stack (its rules, organization name and region) from --stack or --config-file.
    settings = None
    if args.stack or args.config_file is not None:
        location = locate_stack(args)
        try:
            settings = load_stack_file(location.config_file, location.project, location.project_dir)
        except ConfigError as err:
            return report_config_error(err)
    elif args.outputs is not None:
        raise UsageError(OUTPUTS_NEED_STACK)
    org = args.org or (settings.config.organization.name if settings else None)
    checking = args.check is not False
    # The org names profiles and, by default, the sso-session; --check needs only the session.
    if not org and not (checking and args.sso_session):
        source = "--from-portal" if args.from_portal else "--from-aws"
        raise UsageError(f"--org is required with {source} unless --stack or --config-file names the stack")
    session_name = str(args.sso_session or org)
    if args.region is not None and not REGION.matches(args.region):
        raise UsageError(f"--region: '{args.region}' is not {REGION.words}")
    try:
        if args.start_url is not None:
            ini_value(args.start_url, START_URL, "--start-url")
        check_template(args.admin_template, "--admin-template")
        check_template(args.template, "--template")
        check_session_name(session_name)
        if args.from_aws:
            access = _read_aws(args)
        elif args.from_portal:
            access = _read_portal(args)
        else:
            if settings is None:
                raise UsageError(OUTPUTS_NEED_STACK)
            outputs = merged_outputs(args.outputs)
            source = ", ".join(map(str, args.outputs))
            access = from_stack_outputs(settings.config, outputs, args.group, source=source)
            if args.start_url:
                access = dataclasses.replace(access, start_url=args.start_url)
        if checking:
            return _check(args.check or _default_config_path(), session_name, access)
        options = ProfileOptions(
            org=org or session_name,
            session_name=session_name,
            region=args.region or (settings.aws_region if settings else None) or access.sso_region,
            admin_permission_set=args.admin_permission_set,
            admin_template=args.admin_template,
            template=args.template,
            # --region is the user's word for every profile; else each account's from the stack.
            account_regions=(
                account_regions(settings.config, settings.aws_region) if settings and not args.region else {}
            ),
            credential_process=PROCESS_COMMAND if args.credential_process else None,
        )
        profiles = build_profiles(access, options)
        sections = render_sections(access, options, profiles)
    except SsoSourceError as err:
        raise UsageError(str(err)) from None
    if not profiles:
        who = f"sso-session {args.sso_session}" if args.from_portal else f"group '{args.group}'"
        print(f"lz sso-config: {who} can reach no account", file=sys.stderr)
    if args.write is False:
        print(managed_block(options.session_name, sections), end="")
        return EXIT_OK
    if access.mocked and not args.allow_mock_ids:
        raise UsageError(
            f"--write: {', '.join(map(str, args.outputs))} comes from `lz plan --outputs-out` and its "
            "account ids are made up; use `pulumi stack output --json` of the deployed stack, or pass "
            "--allow-mock-ids"
        )
    path = args.write or _default_config_path()
    return _write(path, options.session_name, sections, len(profiles), args.replace_read_only)


def merged_outputs(paths: list[Path]) -> dict[str, Any]:
    """The outputs of one organization's stacks as one: `accountIds` merged (each stack deploys its
    own accounts), every other output the same wherever two stacks both export it."""
    merged: dict[str, Any] = {}
    origin: dict[str, Path] = {}
    account_ids: dict[str, Any] = {}
    for path in paths:
        outputs = read_outputs(path)
        for key, value in outputs.items():
            if key == "accountIds" and isinstance(value, dict):
                for name, account_id in value.items():
                    if name in account_ids and account_ids[name] != account_id:
                        raise UsageError(
                            f"--outputs: account {excerpt(name)} is {excerpt(account_ids[name])} in "
                            f"{origin[f'accountIds.{name}']} and {excerpt(account_id)} in {path}: outputs of "
                            "one organization's stacks only"
                        )
                    account_ids[name] = account_id
                    origin.setdefault(f"accountIds.{name}", path)
            elif key in merged and merged[key] != value:
                raise UsageError(
                    f"--outputs: {excerpt(key)} differs between {origin[key]} and {path}: outputs of one "
                    "organization's stacks only"
                )
            else:
                merged[key] = value
                origin.setdefault(key, path)
    if account_ids or "accountIds" in merged:
        merged["accountIds"] = account_ids if account_ids else merged["accountIds"]
    return merged


def read_outputs(path: Path) -> dict[str, Any]:
    try:
        document = parse_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"--outputs: no file at {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"--outputs: cannot read {path}: {err}") from None
    except JsonTextError as err:
        raise UsageError(f"--outputs: {path} {err}") from None
    if not isinstance(document, dict):
        raise UsageError(f"--outputs: {path} must hold a JSON object (`pulumi stack output --json`)")
    return document


def _read_aws(args: argparse.Namespace) -> SsoAccess:
    from landing_zone.live.group_access import read_group_access  # boto3: only for --from-aws

    clients = clients_for(args.profile, args.sso_region, args.max_attempts)
    try:
        with reading_the_organization():
            return read_group_access(clients, args.group, args.start_url)
    except SsoSourceError as err:
        raise SsoSourceError(f"--from-aws: {err}") from None


def _read_portal(args: argparse.Namespace) -> SsoAccess:
    from landing_zone.live import portal  # boto3: only for --from-portal

    name = args.sso_session
    # The sso-session must be one line of section-name text before it names a file or a message.
    ini_value(name, SECTION_NAME, "--sso-session")
    block = portal.session_settings(name)
    start_url = args.start_url or block.get("sso_start_url")
    sso_region = args.sso_region or block.get("sso_region")
    if not start_url or not sso_region:
        raise UsageError(
            f"--from-portal: no [sso-session {name}] with sso_start_url and sso_region in the AWS config: "
            "pass --start-url URL --sso-region REGION"
        )
    ini_value(start_url, START_URL, "--from-portal: sso_start_url")
    ini_value(sso_region, REGION, "--from-portal: sso_region")
    try:
        token = portal.access_token(name, start_url, sso_region)
    except portal.NoToken:
        raise UsageError(
            f"--from-portal: no valid SSO token: run `aws sso login --sso-session {name}`"
        ) from None
    with reading_the_organization("the access portal"):
        return portal.read_portal_access(portal.portal_client(sso_region), token, start_url, sso_region)


def _check(path: Path, session_name: str, access: SsoAccess) -> int:
    """Print the block's stale profiles; exit 1 when there are any."""
    try:
        # A FIFO or a device would block the read or never end it: a config file is a regular file.
        if path.exists() and not path.is_file():
            raise UsageError(f"--check: {path} is not a regular file")
        text = read_config(path)
    except OSError as err:
        raise UsageError(f"--check: cannot read {path}: {err.strerror}") from None
    if text is None:
        raise UsageError(f"--check: no file at {path}")
    sections = managed_sections(text, session_name)
    if sections is None:
        raise UsageError(
            f"--check: {path} has no managed block of sso-session {session_name} "
            "(write one with --write, or name the session with --sso-session)"
        )
    try:
        result = check_block(sections, access)
    except SsoSourceError as err:
        raise UsageError(f"--check: {path}: {err}") from None
    for item in result.stale:
        print(f"{shown(item.profile)}: {shown(item.reason)}")
    if result.missing:
        print(
            f"{path}: {len(result.missing)} (account, role) pairs reachable now have no profile in the block "
            f"(--write adds them): "
            + ", ".join(f"{shown(m.account)} ({m.account_id}) {m.permission_set}" for m in result.missing),
            file=sys.stderr,
        )
    if result.stale:
        stale = f"{len(result.stale)} of {result.count} profiles of sso-session {session_name} are stale"
        print(
            f"{path}: {stale}; rewrite the block with --write",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(f"{path}: all {result.count} profiles of sso-session {session_name} are reachable")
    return EXIT_OK


def _default_config_path() -> Path:
    return Path(os.environ.get("AWS_CONFIG_FILE") or DEFAULT_CONFIG).expanduser()


def _write(path: Path, session_name: str, sections: str, count: int, replace_read_only: bool) -> int:
    try:
        outcome = update(path, session_name, sections, replace_read_only=replace_read_only)
    except MergeError as err:
        raise UsageError(f"--write: {path}: {err}; nothing written") from None
    except OSError as err:
        raise UsageError(f"--write: cannot write {path}: {err.strerror}") from None
    if not outcome.changed:
        print(f"{outcome.path}: already up to date ({count} profiles, sso-session {session_name})")
    else:
        backup = f"; previous file kept as {outcome.backup}" if outcome.backup else ""
        print(f"{outcome.path}: wrote {count} profiles under sso-session {session_name}{backup}")
    return EXIT_OK
