"""`lz account add|move|suspend|close`: edit one entry of the stack file in place, for review as
a pull request. The result is validated as `lz validate` does before anything is written; the
file is written whole (temporary file, read back, replaced) and the diff printed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from landing_zone.config import AccountConfig, ConfigError, LandingZoneConfig, load_from_mapping
from landing_zone.config.stack_yaml import StackYamlError, decode, parse

from .aws import add_session_arguments
from .common import EXIT_OK, UsageError, add_stack_arguments, locate_stack, report_config_error

if TYPE_CHECKING:
    from landing_zone.config.stack_edit import Edited

# An edit: (the file's text, the project's namespace) -> the edited text.
Edit = Callable[[str, str], "Edited"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "account",
        help="add, move, suspend or close an account: edits the stack file in place",
        description="Edit one account of the stack file in place (comments and formatting kept), "
        "validate the result as lz validate does, write it and print the diff. Running the same edit "
        "twice changes nothing. Exit 2 on a bad argument or an invalid result (nothing written).",
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
        "add": lambda text, ns: stack_edit.add_account(text, ns, args.name, args.ou, args.email),
        "move": lambda text, ns: stack_edit.move_account(text, ns, args.name, args.ou),
        "suspend": lambda text, ns: stack_edit.set_state(text, ns, args.name, "suspended", args.allow_close),
        "close": lambda text, ns: stack_edit.set_state(text, ns, args.name, "closed"),
        "rename": lambda text, ns: stack_edit.set_field(
            text, ns, args.name, "displayName", args.to, args.name
        ),
        "change-email": lambda text, ns: stack_edit.set_field(
            text, ns, args.name, "email", args.email, _current_email(args, text, ns)
        ),
    }
    if args.action in ("rename", "change-email"):
        return _update_in_aws(args, edits[args.action])
    return edit_stack_file(args, edits[args.action])


def _current_email(args: argparse.Namespace, text: str, namespace: str) -> str:
    return _config_of(text, namespace, args).email_for(_entry(args, text, namespace))


def _config_of(text: str, namespace: str, args: argparse.Namespace) -> LandingZoneConfig:
    try:
        return load_from_mapping(parse(text).get("config") or {}, namespace)
    except (ConfigError, StackYamlError) as err:
        raise UsageError(f"the stack file is not valid now (lz validate says why): {err}") from None


def _entry(args: argparse.Namespace, text: str, namespace: str) -> AccountConfig:
    for account in _config_of(text, namespace, args).accounts:
        if account.name.lower() == args.name.lower():
            return account
    raise UsageError(f"NAME: no account named '{args.name}' in {namespace}:accounts")


@dataclass(frozen=True)
class _Prepared:
    path: Path
    namespace: str
    original: str
    edited: Edited


def _prepare(args: argparse.Namespace, edit: Edit, before_aws: bool = False) -> _Prepared | int:
    """The stack file as read and as `edit` leaves it, the result validated as `lz validate` does;
    an exit code instead when there is nothing to write (no change, or an invalid result: then
    neither AWS, when the edit comes `before_aws`, nor the file is changed)."""
    from landing_zone.config.stack_edit import StackEditError

    location = locate_stack(args)
    path = location.config_file
    original = _read(path)
    try:
        edited = edit(original, location.project)
    except StackEditError as err:
        raise UsageError(str(err)) from None
    if edited.unchanged is not None:
        print(edited.unchanged)
        return EXIT_OK
    try:
        document = parse(edited.text)
        load_from_mapping(document.get("config") or {}, location.project)
    except StackYamlError as err:
        raise UsageError(f"the edited file would not read back: {err.message}") from None
    except ConfigError as err:
        refused = "nothing was changed" if before_aws else f"{path} is unchanged"
        print(f"lz account {args.action}: the result would not be valid; {refused}:", file=sys.stderr)
        return report_config_error(err)
    return _Prepared(path, location.project, original, edited)


def _update_in_aws(args: argparse.Namespace, edit: Edit) -> int:
    """Check the edit first (nothing is asked of AWS for an edit that cannot be written), make
    the change in AWS, then write the stack file (read again: the file may change meanwhile)."""
    from landing_zone.live import account_updates

    from .aws import clients_from_args, reading_the_organization

    prepared = _prepare(args, edit, before_aws=True)
    if not isinstance(prepared, _Prepared):
        return prepared
    account = _entry(args, prepared.original, prepared.namespace)
    old_email = _config_of(prepared.original, prepared.namespace, args).email_for(account)
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
    print(unified_diff(prepared.original, prepared.edited.text, prepared.path.name), end="")
    return EXIT_OK


def _read(path: Path) -> str:
    try:
        return decode(path.read_bytes())
    except (OSError, StackYamlError) as err:
        raise UsageError(f"cannot read {path}: {err}") from None


def _write(path: Path, original: str, text: str) -> None:
    """Whole or not at all: a temporary file beside it, read back, then moved over it; and only
    if nobody changed the file since it was read."""
    temporary = path.with_name(f".{path.name}.lz-tmp")
    try:
        if _read(path) != original:
            raise UsageError(f"{path} changed while it was being edited: run the command again")
        data = text.encode("utf-8")  # bytes: line endings stay as they are
        temporary.write_bytes(data)
        if temporary.read_bytes() != data:
            raise UsageError(f"{path}: what was written does not read back the same; {path} is unchanged")
        temporary.replace(path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {err.strerror}") from None
