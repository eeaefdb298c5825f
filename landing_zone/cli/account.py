"""`lz account add|move|suspend|close|rename|change-email`: edit one entry of the stack file in
place, for review as a pull request; or of the account file that defines it (accountFiles); for
an account stack, of its organization stack's files. The result is validated as `lz validate`
does before anything is written; the file is written whole (temporary file, read back, replaced)
and the diff printed."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from landing_zone.config import (
    AccountConfig,
    ConfigError,
    LandingZoneConfig,
    load_from_mapping,
    read_stack_file,
)
from landing_zone.config.loading import stack_file, stack_of
from landing_zone.config.stack_yaml import StackYamlError, decode, parse

from .aws import add_session_arguments
from .common import EXIT_OK, StackLocation, UsageError, add_stack_arguments, locate_stack, report_config_error

if TYPE_CHECKING:
    from landing_zone.config.stack_edit import Edited, Where

# An edit: (the file's text, which accounts list in it) -> the edited text.
Edit = Callable[[str, "Where"], "Edited"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "account",
        help="add, move, suspend or close an account: edits the stack file in place",
        description="Edit one account of the stack file in place (comments and formatting kept), or of "
        "the account file that defines it (accountFiles; for an account stack, its organization stack's "
        "files), validate the result as lz validate does, write it and print the diff. Running the same "
        "edit twice changes nothing. Exit 2 on a bad argument or an invalid result (nothing written).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", help="the edit to make")
    add = actions.add_parser(
        "add",
        help="add an account in an OU",
        description="Add an entry to accounts (state active; its root email from organization.emailPattern "
        "unless --email). Adding the same account again changes nothing; another account of that name is "
        "an error.",
    )
    _common(add)
    add.add_argument("--ou", required=True, metavar="PATH", help="the OU path, e.g. Workloads/Production")
    add.add_argument("--email", help="its root email (default: from organization.emailPattern)")
    add.add_argument(
        "--file",
        metavar="PATH",
        help="with accountFiles: the account file to add it to (relative to the project: one the stack "
        "reads, or a new .yaml file under a folder it names); default: the stack file's own accounts list",
    )
    move = actions.add_parser(
        "move",
        help="move an account to another OU",
        description="Set the account's ou (pulumi up moves it in place: MoveAccount).",
    )
    _common(move)
    move.add_argument("--ou", required=True, metavar="PATH", help="the OU path to move it to")
    suspend = actions.add_parser(
        "suspend",
        help="state: suspended (suspended OU, deny-all, no access, no baseline)",
        description="Set state: suspended: the account moves to organization.suspendedOu, loses its Identity "
        "Center assignments and its baseline. With --allow-close, the deployed suspension also arms it for "
        "lz account close.",
    )
    _common(suspend)
    suspend.add_argument(
        "--allow-close",
        action="store_true",
        help="also set allowClose: true, so that the deployed suspension arms it for lz account close",
    )
    close = actions.add_parser(
        "close",
        help="state: closed (from suspended; AWS closes it on deploy)",
        description="Set state: closed on a suspended account allowed to close: pulumi up closes it "
        "(CloseAccount, within AWS's quota of 10 %% of the member accounts per rolling 30 days); the entry "
        "stays as a record.",
    )
    _common(close)
    rename = actions.add_parser(
        "rename",
        help="change the name AWS shows, in place (account:PutAccountName), then displayName",
        description="Rename the account in AWS (the provider would replace it), then set displayName. "
        "NAME stays the account's key in the stack.",
    )
    _common(rename)
    rename.add_argument("--to", required=True, metavar="DISPLAY_NAME", help="the new name in AWS")
    add_session_arguments(rename)
    change_email = actions.add_parser(
        "change-email",
        help="change the root email in place (AWS sends a one-time code to the new address), then email",
        description="Start the primary email update (account:StartPrimaryEmailUpdate), ask for the one-time "
        "code AWS sends to the new address (or take --otp), accept it (account:AcceptPrimaryEmailUpdate), "
        "then set email in the stack file. The provider would replace the account instead.",
    )
    _common(change_email)
    change_email.add_argument("--email", required=True, help="the new root email")
    change_email.add_argument("--otp", help="the one-time code from the new mailbox (default: asked for)")
    add_session_arguments(change_email)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the account's name in accounts")
    add_stack_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from landing_zone.config import stack_edit

    edits: dict[str, Edit] = {
        "add": lambda text, where: stack_edit.add_account(text, where, args.name, args.ou, args.email),
        "move": lambda text, where: stack_edit.move_account(text, where, args.name, args.ou),
        "suspend": lambda text, where: stack_edit.set_state(
            text, where, args.name, "suspended", args.allow_close
        ),
        "close": lambda text, where: stack_edit.set_state(text, where, args.name, "closed"),
        "rename": lambda text, where: stack_edit.set_field(
            text, where, args.name, "displayName", args.to, args.name
        ),
        "change-email": lambda text, where: stack_edit.set_field(
            text, where, args.name, "email", args.email, _current(args).email
        ),
    }
    if args.action in ("rename", "change-email"):
        return _update_in_aws(args, edits[args.action])
    return edit_stack_file(args, edits[args.action])


@dataclass(frozen=True)
class _Current:
    account: AccountConfig
    email: str


def _current(args: argparse.Namespace) -> _Current:
    """The account as the stack's config defines it now (its organization's, for an account stack)."""
    from landing_zone.config import load_stack_file

    location = locate_stack(args)
    try:
        config = load_stack_file(location.config_file, location.project, location.project_dir).config
    except ConfigError as err:
        problems = "; ".join(str(p) for p in err.problems)
        raise UsageError(f"the stack file is not valid now (lz validate says why): {problems}") from None
    for account in config.accounts:
        if account.name.lower() == args.name.lower():
            return _Current(account, config.email_for(account))
    raise UsageError(f"NAME: no account named '{args.name}' in {location.project}:accounts")


@dataclass(frozen=True)
class _Target:
    """The file an edit writes, and the organization it belongs to."""

    path: Path
    where: Where
    organization_file: Path  # the stack file with the organization's config
    files: tuple[str, ...]  # the organization's account files (relative to the project), in order
    entry: dict[str, Any] | None  # the account's entry as it is now, wherever it is defined
    account_stack: str | None  # the stack named, when it is an account stack


def _target(args: argparse.Namespace, location: StackLocation) -> _Target:
    """Where the named account is defined: the organization's stack file or one of its account
    files; for `add` of a new account, `--file` or else the stack file's own list."""
    from landing_zone.config.account_files import AccountFilesError, files_named
    from landing_zone.config.stack_edit import Where
    from landing_zone.config.stacks import valid_stack_name

    namespace, project_dir = location.project, location.project_dir
    values = _values(location.config_file)
    organization = values.get(f"{namespace}:organizationStack")
    account_stack = None
    organization_file, organization_values = location.config_file, values
    if organization is not None:
        if not valid_stack_name(organization) or organization == location.stack:
            raise UsageError(f"{namespace}:organizationStack is not valid (lz validate says why)")
        account_stack = location.stack
        organization_file = stack_file(project_dir, organization)
        organization_values = _values(organization_file)
    own = organization_values.get(f"{namespace}:accounts") or []
    entries = organization_values.get(f"{namespace}:accountFiles")
    files: list[str] = []
    if entries is not None:
        try:
            files = files_named(entries, project_dir, f"{namespace}:accountFiles")
        except (AccountFilesError, TypeError):
            raise UsageError(f"{namespace}:accountFiles is not valid (lz validate says why)") from None
    units = organization_values.get(f"{namespace}:organizationalUnits") or []
    ou_paths = frozenset(str(u.get("path")) for u in units if isinstance(u, dict))
    in_stack_file = Where(namespace)

    def target(path: Path, where: Where, entry: dict[str, Any] | None) -> _Target:
        if entry is not None and account_stack is not None:
            _require_own(args.name, entry, account_stack, str(organization), organization_values, namespace)
        return _Target(path, where, organization_file, tuple(files), entry, account_stack)

    entry = _named(own, args.name)
    if entry is not None:
        return target(organization_file, in_stack_file, entry)
    for name in files:
        entry = _named(_values_of_account_file(project_dir / name).get("accounts") or [], args.name)
        if entry is not None:
            return target(project_dir / name, Where(namespace, name, ou_paths), entry)
    chosen = getattr(args, "file", None)
    if chosen is None:
        return target(organization_file, in_stack_file, None)
    if entries is None:
        raise UsageError(f"--file: {organization_file.name} names no {namespace}:accountFiles to add to")
    name = _new_file(chosen, project_dir, entries, files)
    return target(project_dir / name, Where(namespace, name, ou_paths), None)


def _require_own(
    name: str,
    entry: dict[str, Any],
    account_stack: str,
    organization: str,
    organization_values: dict[str, Any],
    namespace: str,
) -> None:
    """An account stack edits the accounts of its own slice only (checked before any edit)."""
    from landing_zone.config.stacks import in_subtree

    stacks = organization_values.get(f"{namespace}:accountStacks")
    owner = organization
    for stack, slice_ in stacks.items() if isinstance(stacks, dict) else []:
        paths = slice_.get("organizationalUnits") if isinstance(slice_, dict) else None
        if isinstance(paths, list) and any(in_subtree(entry.get("ou"), str(path)) for path in paths):
            owner = stack
            break
    if owner != account_stack:
        raise UsageError(
            f"NAME: account '{name}' is deployed by stack {owner}, not {account_stack}: run the command "
            f"with --stack {owner}"
        )


def _named(accounts: Any, name: str) -> dict[str, Any] | None:
    for entry in accounts if isinstance(accounts, list) else []:
        if isinstance(entry, dict) and str(entry.get("name", "")).lower() == name.lower():
            return entry
    return None


def _values(path: Path) -> dict[str, Any]:
    try:
        return read_stack_file(path)
    except ConfigError as err:
        raise UsageError(f"{'; '.join(str(p) for p in err.problems)} (lz validate says more)") from None


def _values_of_account_file(path: Path) -> dict[str, Any]:
    try:
        document = parse(decode(path.read_bytes()))
    except (OSError, StackYamlError):
        raise UsageError(f"{path} does not read (lz validate says why)") from None
    return document if isinstance(document, dict) else {}


def _new_file(chosen: str, project_dir: Path, entries: Any, files: list[str]) -> str:
    """`--file`: an account file the stack reads, or a new one where it would read it."""
    path = PurePosixPath(chosen)
    name = path.as_posix()
    if name in files:
        return name
    if (
        path.is_absolute()
        or ".." in path.parts
        or path.suffix not in (".yaml", ".yml")
        or any(part.startswith(".") for part in path.parts)
    ):
        raise UsageError(
            f"--file: {chosen!r} must be a .yaml file in the project, relative to it, not hidden"
        )
    if (project_dir / path).exists():
        raise UsageError(f"--file: {name} is not read by the stack: name it in accountFiles first")
    root = project_dir.resolve()
    folders = [e for e in (entries if isinstance(entries, list) else [entries]) if isinstance(e, str)]
    for folder in folders:
        inside = PurePosixPath(folder)
        if (
            (root / inside).is_dir()
            and path.is_relative_to(inside)
            and (root / path).resolve().is_relative_to(root)
        ):
            return name
    raise UsageError(
        f"--file: {name} would not be read: put it under a folder accountFiles names "
        f"({', '.join(folders) or 'none'}), or name it there first"
    )


@dataclass(frozen=True)
class _Prepared:
    path: Path
    label: str  # the file's name in the diff
    original: str
    edited: Edited


def _prepare(args: argparse.Namespace, edit: Edit, before_aws: bool = False) -> _Prepared | int:
    """The file as read and as `edit` leaves it, the organization's result validated as
    `lz validate` does; an exit code instead when there is nothing to write (no change, or an
    invalid result: then neither AWS, when the edit comes `before_aws`, nor the file is changed)."""
    from landing_zone.config.stack_edit import StackEditError

    location = locate_stack(args)
    target = _target(args, location)
    path = target.path
    original = _read(path) if path.exists() or target.entry is not None else ""
    try:
        edited = edit(original, target.where)
    except StackEditError as err:
        raise UsageError(str(err)) from None
    if edited.unchanged is not None:
        print(edited.unchanged)
        return EXIT_OK
    try:
        config = _validated(target, edited.text, location)
    except StackYamlError as err:
        raise UsageError(f"the edited file would not read back: {err.message}") from None
    except ConfigError as err:
        refused = "nothing was changed" if before_aws else f"{path} is unchanged"
        print(f"lz account {args.action}: the result would not be valid; {refused}:", file=sys.stderr)
        return report_config_error(err)
    _check_slice(args, target, config)
    label = target.where.account_file or path.name
    return _Prepared(path, label, original, edited)


def _validated(target: _Target, text: str, location: StackLocation) -> LandingZoneConfig:
    """The organization's config with `text` in place of the target file, loaded as the program
    loads it: from a scratch copy of its account files when it has some."""
    namespace = location.project
    organization_text = text if target.path == target.organization_file else _read(target.organization_file)
    if target.where.account_file is None and not target.files:
        return load_from_mapping(parse(organization_text).get("config") or {}, namespace)
    project_dir = location.project_dir.resolve()
    scratch = Path(tempfile.mkdtemp(prefix=".lz-account-", dir=project_dir))
    try:
        for name in target.files:
            copy = scratch / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(project_dir / name, copy)  # the same bytes, without copying 5,000 accounts
            except OSError:
                shutil.copyfile(project_dir / name, copy)
        if target.where.account_file is not None:
            edited = scratch / target.where.account_file
            edited.parent.mkdir(parents=True, exist_ok=True)
            edited.unlink(missing_ok=True)  # a link to the real file: never written through
            edited.write_text(text, encoding="utf-8")
        return load_from_mapping(parse(organization_text).get("config") or {}, namespace, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _check_slice(args: argparse.Namespace, target: _Target, config: LandingZoneConfig) -> None:
    """An account stack edits the accounts of its own slice; a move to another stack's slice is
    said out loud (its resources must move between the stacks' states)."""
    from landing_zone.config.stacks import claimed_subtrees, owner_of

    if not config.account_stacks:
        return
    claimed = claimed_subtrees(config.account_stacks)
    organization_stack = stack_of(target.organization_file)

    def deploying_stack(ou: Any) -> str:
        return owner_of(AccountConfig(name=args.name, ou=ou), claimed) or organization_stack

    after = next(
        (deploying_stack(a.ou) for a in config.accounts if a.name.lower() == args.name.lower()), None
    )
    before = deploying_stack(target.entry.get("ou")) if target.entry is not None else None
    if target.account_stack is not None and before is None and after != target.account_stack:
        own = ", ".join(config.account_stacks[target.account_stack].organizational_units)
        raise UsageError(
            f"--ou: the accounts of {args.ou} are deployed by stack {after}, not "
            f"{target.account_stack}: choose an OU of {target.account_stack}'s ({own}), or run the "
            f"command with --stack {after}"
        )
    if before is not None and after is not None and before != after:
        print(
            f"warning: account '{args.name}' moves from stack {before} to stack {after}: move its resources "
            f"with `pulumi state move --source {before} --dest {after}` before either stack runs pulumi up",
            file=sys.stderr,
        )


def _update_in_aws(args: argparse.Namespace, edit: Edit) -> int:
    """Check the edit first (nothing is asked of AWS for an edit that cannot be written), make
    the change in AWS, then write the file (read again: the file may change meanwhile)."""
    from landing_zone.live import account_updates

    from .aws import clients_from_args, reading_the_organization

    prepared = _prepare(args, edit, before_aws=True)
    if not isinstance(prepared, _Prepared):
        return prepared
    current = _current(args)
    account, old_email = current.account, current.email
    clients = clients_from_args(args)
    with reading_the_organization(f"account {account.name} ({old_email})"):
        try:
            account_id = account_updates.account_id_by_email(clients, old_email)
        except account_updates.AccountNotFound as err:
            raise UsageError(f"NAME: {err}") from None
        if args.action == "rename":
            account_updates.rename_account(clients, account_id, args.to)
            print(f"renamed {account_id} to {args.to} in AWS")
        else:
            status = account_updates.start_email_update(clients, account_id, args.email)
            print(f"AWS sent a one-time code to {args.email} (update {status or 'started'})")
            otp = args.otp or input("one-time code from the new mailbox: ").strip()
            if not otp:
                raise UsageError("--otp: no code given; the update stays pending, run the command again")
            status = account_updates.accept_email_update(clients, account_id, args.email, otp)
            print(f"root email of {account_id} is now {args.email} ({status or 'accepted'})")
    return edit_stack_file(args, edit)


def edit_stack_file(args: argparse.Namespace, edit: Edit) -> int:
    from landing_zone.config.stack_edit import unified_diff

    prepared = _prepare(args, edit)
    if not isinstance(prepared, _Prepared):
        return prepared
    _write(prepared.path, prepared.original, prepared.edited.text)
    print(unified_diff(prepared.original, prepared.edited.text, prepared.label), end="")
    return EXIT_OK


def _read(path: Path) -> str:
    try:
        return decode(path.read_bytes())
    except (OSError, StackYamlError) as err:
        raise UsageError(f"cannot read {path}: {err}") from None


def _write(path: Path, original: str, text: str) -> None:
    """Whole or not at all: a temporary file beside it, read back, then moved over it; and only
    if nobody changed the file since it was read (a new file: if nobody made it meanwhile)."""
    temporary = path.with_name(f".{path.name}.lz-tmp")
    try:
        if (_read(path) != original) if path.exists() else bool(original):
            raise UsageError(f"{path} changed while it was being edited: run the command again")
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")  # bytes: line endings stay as they are
        temporary.write_bytes(data)
        if temporary.read_bytes() != data:
            raise UsageError(f"{path}: what was written does not read back the same; {path} is unchanged")
        if not original:
            os.link(temporary, path)  # a new file: refused if one appeared meanwhile (never overwritten)
            temporary.unlink()
        else:
            temporary.replace(path)
    except FileExistsError:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"{path} appeared while it was being written: run the command again") from None
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {err.strerror}") from None
