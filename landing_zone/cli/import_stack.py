"""`lz import`: write `Pulumi.NAME.yaml` from the live organization, with import ids."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from landing_zone.config.naming import DEFAULT_EMAIL_PATTERN

from .aws import add_session_arguments, clients_from_args, reading_the_organization
from .common import EXIT_OK, UsageError, find_project_dir, read_project_name

if TYPE_CHECKING:
    from landing_zone.live.importer import ImportedStack

STACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="write a stack config from the live organization, with import ids (boto3, read-only)",
        description="Read the live organization (read-only) and write Pulumi.NAME.yaml: its OUs, accounts, "
        "service control policies and Identity Center, each with the import id Pulumi adopts it by.",
    )
    add_session_arguments(parser)
    parser.add_argument("--stack", "-s", required=True, help="writes Pulumi.NAME.yaml beside Pulumi.yaml")
    parser.add_argument("--project-dir", type=Path, help="the Pulumi project (default: nearest Pulumi.yaml)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing stack file")
    parser.add_argument("--org-name", help="organization.name (default: from the management account's email)")
    parser.add_argument(
        "--domain", help="organization.domain (default: the management account's email domain)"
    )
    parser.add_argument(
        "--notification-email",
        help="organization.notificationEmail (default: the management account's security contact or email)",
    )
    parser.add_argument(
        "--email-pattern",
        default=DEFAULT_EMAIL_PATTERN,
        help="organization.emailPattern; accounts off it keep an explicit email "
        f"(default: {DEFAULT_EMAIL_PATTERN})",
    )
    parser.add_argument(
        "--manage-organization",
        action="store_true",
        help="adopt the organization itself (import: o-...) instead of looking it up",
    )
    parser.set_defaults(run=run)


def _write_read_back(target: Path, imported: ImportedStack) -> None:
    """Write beside the target, read the file back from disk, and only then put it in place."""
    from landing_zone.live.importer import ImportProblem, read_back

    scratch = target.with_name(f".{target.name}.lz-import")
    try:
        scratch.write_text(imported.text, encoding="utf-8")
        read_back(scratch.read_text(encoding="utf-8"), imported.values)
        os.replace(scratch, target)
    except ImportProblem as err:
        raise UsageError(str(err)) from None
    except OSError as err:
        raise UsageError(f"cannot write {target}: {err.strerror}") from None
    finally:
        scratch.unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    # Here, not at the top: the importer's modules (boto3) are not for the other commands.
    from landing_zone.live.importer import ImportOptions, ImportProblem, build_stack, read_live_state
    from landing_zone.live.organization import LiveDataError, NotManagementAccount, require_management_account

    if not STACK_NAME.fullmatch(args.stack):
        raise UsageError(f"--stack: {args.stack!r} is not a stack name (letters, digits, '-', '_', '.')")
    project_dir = args.project_dir or find_project_dir(Path.cwd())
    namespace = read_project_name(project_dir)
    target = project_dir / f"Pulumi.{args.stack}.yaml"
    if target.exists() and not args.force:
        raise UsageError(f"{target} already exists; pass --force to overwrite it")
    clients = clients_from_args(args)
    try:
        with reading_the_organization():
            require_management_account(clients, "lz import")
            state = read_live_state(clients)
    except (LiveDataError, NotManagementAccount) as err:
        raise UsageError(str(err)) from None
    options = ImportOptions(
        org_name=args.org_name,
        domain=args.domain,
        notification_email=args.notification_email,
        email_pattern=args.email_pattern,
        manage_organization=args.manage_organization,
        region=clients.region,
    )
    try:
        imported = build_stack(state, options, namespace, args.stack)
    except ImportProblem as err:
        raise UsageError(str(err)) from None
    _write_read_back(target, imported)
    print(f"Wrote {target}")
    for line in imported.summary:
        print(f"  {line}")
    print(f"Next: lz plan --stack {args.stack}, then pulumi up --stack {args.stack}")
    return EXIT_OK
