"""`lz import`: write `Pulumi.NAME.yaml` from the live organization, with import ids."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from landing_zone.config.loading import stack_file
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
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite an existing stack file (and, with --accounts-dir, the account files it writes)",
    )
    parser.add_argument(
        "--accounts-dir",
        metavar="DIR",
        help="write the accounts as one YAML file per OU under DIR (relative to the project: "
        "DIR/Workloads/bu00.yaml, DIR/root.yaml for those under the root) and name DIR in "
        "landing-zone:accountFiles instead of listing them in the stack file (for large organizations)",
    )
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


def _accounts_dir(project_dir: Path, value: str, force: bool) -> str:
    """`--accounts-dir` as the stack file will name it (POSIX, relative), refused outside the
    project, and refused when it holds account files already unless `force`."""
    path = PurePosixPath(value.replace("\\", "/"))
    if (
        not value.strip()
        or path.is_absolute()
        or "\x00" in value
        or ".." in path.parts
        or str(path) == "."
        or any(part.startswith(".") for part in path.parts)
    ):
        raise UsageError(
            f"--accounts-dir: {value!r} must be a folder inside the project, relative to it, not hidden "
            "(e.g. accounts)"
        )
    root = project_dir.resolve()
    folder = (root / path).resolve()
    if root not in folder.parents:
        raise UsageError(f"--accounts-dir: {value!r} leads outside the project {root} (a link?)")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--accounts-dir: {folder} is a file, not a folder")
    existing = _yaml_files(folder)
    if existing and not force:
        raise UsageError(
            f"--accounts-dir: {folder} already holds {len(existing)} account file(s) ({existing[0]}, ...); "
            "pass --force to replace the ones this import writes"
        )
    return str(path)


def _yaml_files(folder: Path) -> list[str]:
    """The files the loader would read below `folder` (relative, POSIX)."""
    if not folder.is_dir():
        return []
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml")
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _write_layout(
    project_dir: Path, target: Path, imported: ImportedStack, namespace: str, stack: str
) -> None:
    """The stack file and its account files written in a scratch copy of the layout inside the
    project, read back and loaded as the inline import, then each moved in place (the stack file
    last); a file already in the folder that the import does not write is refused: the loader
    would read its accounts along."""
    from landing_zone.config import ConfigError, load_stack, read_stack_file
    from landing_zone.live.importer import ImportProblem, read_back, read_back_account_file, same_config

    root = project_dir.resolve()
    accounts_dir = str(imported.values[f"{namespace}:accountFiles"][0])
    folder = root / accounts_dir
    written = {file.path for file in imported.account_files}
    stale = [
        f"{accounts_dir}/{name}" for name in _yaml_files(folder) if f"{accounts_dir}/{name}" not in written
    ]
    if stale:
        raise UsageError(
            f"--accounts-dir: {folder} holds files this import does not write ({', '.join(stale[:3])}"
            f"{', ...' if len(stale) > 3 else ''}): the stack would read their accounts too; move them away "
            "or choose another folder"
        )
    scratch = Path(tempfile.mkdtemp(prefix=".lz-import-", dir=root))
    try:
        staged_stack = scratch / target.name
        staged_stack.write_text(imported.text, encoding="utf-8")
        read_back(staged_stack.read_text(encoding="utf-8"), imported.values)
        for file in imported.account_files:
            staged = scratch / file.path
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_text(file.text, encoding="utf-8")
            read_back_account_file(staged.read_text(encoding="utf-8"), file)
        try:
            layout = load_stack(read_stack_file(staged_stack), stack, scratch, namespace).config
        except ConfigError as err:
            raise ImportProblem(f"the written layout would not load: {err}") from None
        if imported.config is None or not same_config(layout, imported.config):
            raise ImportProblem("the written layout would not load as the import: nothing written")
        for file in imported.account_files:
            parent = existing = (root / file.path).parent
            while not existing.exists():
                existing = existing.parent
            if existing.resolve() != existing:  # a folder linked elsewhere: mkdir would write there
                raise UsageError(f"--accounts-dir: {existing} is a link; nothing written")
            parent.mkdir(parents=True, exist_ok=True)
        for file in imported.account_files:
            os.replace(scratch / file.path, root / file.path)
        os.replace(staged_stack, target)
    except ImportProblem as err:
        raise UsageError(str(err)) from None
    except OSError as err:
        raise UsageError(f"cannot write the layout under {root}: {err.strerror}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    # Here, not at the top: the importer's modules (boto3) are not for the other commands.
    from landing_zone.live.importer import ImportOptions, ImportProblem, build_stack, read_live_state
    from landing_zone.live.organization import LiveDataError, NotManagementAccount, require_management_account

    if not STACK_NAME.fullmatch(args.stack):
        raise UsageError(f"--stack: {args.stack!r} is not a stack name (letters, digits, '-', '_', '.')")
    project_dir = args.project_dir or find_project_dir(Path.cwd())
    namespace = read_project_name(project_dir)
    target = stack_file(project_dir, args.stack)
    if target.exists() and not args.force:
        raise UsageError(f"{target} already exists; pass --force to overwrite it")
    accounts_dir = (
        _accounts_dir(project_dir, args.accounts_dir, args.force) if args.accounts_dir is not None else None
    )
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
        imported = build_stack(state, options, namespace, args.stack, accounts_dir)
    except ImportProblem as err:
        raise UsageError(str(err)) from None
    if imported.account_files:
        _write_layout(project_dir, target, imported, namespace, args.stack)
        print(f"Wrote {target} and {len(imported.account_files)} account files under {accounts_dir}/")
    else:
        _write_read_back(target, imported)
        print(f"Wrote {target}")
    for line in imported.summary:
        print(f"  {line}")
    print(f"Next: lz plan --stack {args.stack}, then pulumi up --stack {args.stack}")
    return EXIT_OK
