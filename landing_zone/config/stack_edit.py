"""Edits of one `accounts` entry in a stack file's text, or in an account file's (accountFiles),
for `lz account`: round-trip YAML (ruamel.yaml) so that comments, order and formatting stay as
they were outside the entry.

Pure text in, text out: the caller validates the result and writes it.
"""

from __future__ import annotations

import copy
import difflib
import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError


class StackEditError(Exception):
    """An edit that cannot be made; `argument` names what the user passed (NAME, --ou, ...)."""

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        self.message = message
        super().__init__(f"{argument}: {message}")


@dataclass(frozen=True)
class Edited:
    text: str
    # What changed, for the user; None when the file already says so (running twice is a no-op).
    unchanged: str | None = None


def _yaml(offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line the user wrote on one
    # The layout `pulumi config set` writes and the examples use: "  - name: x" under a key
    # (offset 2); PyYAML's, which lz import writes, has the dash under the key (offset 0).
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _list_offset(text: str) -> int:
    """How far the file's first block list's dashes sit right of their key (ruamel applies one
    indentation to the whole file: the file's own, or every line would change)."""
    key_indent = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if key_indent is not None and stripped.startswith("- "):
            return max(indent - key_indent, 0)
        key_indent = indent if stripped.rstrip().endswith(":") and not stripped.startswith("- ") else None
    return 2


@dataclass(frozen=True)
class Where:
    """Which accounts list an edit is on: a stack file's `<namespace>:accounts`, or, given
    `account_file` (its path in the project), an account file's `accounts`, whose OUs are the
    organization's `ou_paths`."""

    namespace: str
    account_file: str | None = None
    ou_paths: frozenset[str] = frozenset()


class StackText:
    """A stack file's document and its `<namespace>:accounts` list, or an account file's and its
    `accounts` list."""

    def __init__(self, text: str, where: Where | str) -> None:
        self.where = where if isinstance(where, Where) else Where(where)
        self.original = text
        self.namespace = self.where.namespace
        label = self.where.account_file or "the stack file"
        # Windows line endings are kept: edited as \n, written back as they were.
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.offset = _list_offset(text)
        try:
            self.document = _yaml(self.offset).load(text.replace("\r\n", "\n"))
        except YAMLError as err:
            raise StackEditError(label, f"is not YAML ruamel.yaml can keep: {err}") from None
        if self.where.account_file is not None:
            if self.document is None:  # a new file
                self.document = CommentedMap()
            if not isinstance(self.document, CommentedMap):
                raise StackEditError(label, "is not a mapping with an 'accounts' list")
            self.config = self.document
            self.key = "accounts"
            self.shown_key = f"{label}: accounts"
            return
        config = self.document.get("config") if isinstance(self.document, CommentedMap) else None
        if not isinstance(config, CommentedMap):
            raise StackEditError("the stack file", "has no 'config' mapping")
        self.config = config
        self.key = self.shown_key = f"{self.namespace}:accounts"

    @property
    def accounts(self) -> CommentedSeq:
        accounts = self.config.get(self.key)
        if accounts is None:
            accounts = self.config[self.key] = CommentedSeq()
        if not isinstance(accounts, CommentedSeq):
            raise StackEditError(self.where.account_file or "the stack file", f"{self.key} is not a list")
        return accounts

    def ou_paths(self) -> set[str]:
        if self.where.account_file is not None:
            return set(self.where.ou_paths)
        units = self.config.get(f"{self.namespace}:organizationalUnits") or []
        return {str(ou.get("path")) for ou in units if isinstance(ou, dict)}

    def find(self, name: str) -> CommentedMap | None:
        """The entry named `name` (AWS account names in this stack are unique, case aside)."""
        for entry in self.accounts:
            if isinstance(entry, CommentedMap) and str(entry.get("name", "")).lower() == name.lower():
                return entry
        return None

    def require(self, name: str) -> CommentedMap:
        entry = self.find(name)
        if entry is None:
            raise StackEditError("NAME", f"no account named '{name}' in {self.shown_key}")
        return entry

    def require_ou(self, path: str) -> None:
        if path not in self.ou_paths():
            known = ", ".join(sorted(self.ou_paths())) or "none"
            raise StackEditError(
                "--ou", f"OU '{path}' is not defined in {self.namespace}:organizationalUnits (known: {known})"
            )

    def text(self) -> str:
        stream = io.StringIO()
        _yaml(self.offset).dump(self.document, stream)
        return stream.getvalue().replace("\n", self.newline)


def add_account(text: str, where: Where | str, name: str, ou: str, email: str | None) -> Edited:
    stack = StackText(text, where)
    stack.require_ou(ou)
    wanted: dict[str, Any] = {"name": name, "ou": ou, **({"email": email} if email else {})}
    existing = stack.find(name)
    if existing is not None:
        if {key: existing.get(key) for key in wanted} == wanted and existing.get(
            "state", "active"
        ) == "active":
            return Edited(text, f"account '{name}' is already in {ou}: nothing to change")
        raise StackEditError("NAME", f"account name '{existing.get('name')}' is already taken")
    entry = CommentedMap(wanted)
    accounts = stack.accounts
    if len(accounts):
        _move_trailing_comment(accounts[-1], entry)
    accounts.append(entry)
    return Edited(stack.text())


def move_account(text: str, where: Where | str, name: str, ou: str) -> Edited:
    stack = StackText(text, where)
    entry = stack.require(name)
    stack.require_ou(ou)
    if entry.get("state", "active") == "closed":
        raise StackEditError("NAME", f"account '{name}' is closed: it stays as a record and cannot move")
    if entry.get("ou") == ou:
        return Edited(text, f"account '{name}' is already in {ou}: nothing to change")
    entry["ou"] = ou
    return Edited(stack.text())


def set_state(text: str, where: Where | str, name: str, state: str, allow_close: bool = False) -> Edited:
    """`state: suspended` (with allowClose when asked) or `state: closed`."""
    stack = StackText(text, where)
    entry = stack.require(name)
    current = entry.get("state", "active")
    if current == "closed" and state != "closed":
        raise StackEditError(
            "NAME", f"account '{name}' is closed: a closed account is not reopened from config"
        )
    if state == "closed" and current != "closed" and current != "suspended":
        raise StackEditError(
            "NAME",
            f"account '{name}' is {current}: suspend it first (lz account suspend), deploy, then close it",
        )
    wants_allow = allow_close and not entry.get("allowClose", False)
    if current == state and not wants_allow:
        return Edited(text, f"account '{name}' is already {state}: nothing to change")
    if current != state:
        _set_after(entry, "name", "state", state)
    if wants_allow:
        _set_after(entry, "state", "allowClose", True)
    return Edited(stack.text())


def _last_leaf(node: CommentedMap | CommentedSeq) -> tuple[CommentedMap | CommentedSeq, Any]:
    """The innermost last (container, key): where ruamel keeps the comment lines that follow."""
    while True:
        key = list(node.keys())[-1] if isinstance(node, CommentedMap) else len(node) - 1
        value = node[key]
        if not isinstance(value, (CommentedMap, CommentedSeq)) or not len(value):
            return node, key
        node = value


def _move_trailing_comment(previous: CommentedMap, entry: CommentedMap) -> None:
    """ruamel keeps the comment lines after a list (those above the next key) on the list's last
    value: an appended entry would land below them. They move to the new last value; the
    previous one keeps the end of its own line."""
    node, key = _last_leaf(previous)
    comments = node.ca.items.get(key)
    token = comments[2] if comments and len(comments) > 2 else None
    if token is None or "\n" not in token.value.rstrip("\n"):
        return
    end_of_line, _, after = token.value.partition("\n")
    new_token = copy.copy(token)
    new_token.value = "\n" + after
    token.value = end_of_line + "\n"
    last_key = list(entry.keys())[-1]
    entry.ca.items[last_key] = [None, None, new_token, None]


def _set_after(entry: CommentedMap, anchor: str, key: str, value: Any) -> None:
    """A new key right after `anchor` (name, state: where a reviewer looks first); an existing
    key keeps its place."""
    if key in entry:
        entry[key] = value
    else:
        keys = list(entry.keys())
        entry.insert(keys.index(anchor) + 1 if anchor in keys else 0, key, value)


def unified_diff(before: str, after: str, path: str) -> str:
    return "".join(
        difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{path}", f"b/{path}")
    )


def set_field(text: str, where: Where | str, name: str, key: str, value: str, default: str) -> Edited:
    """`email` or `displayName` of an entry; `default` is what the entry means without the key."""
    stack = StackText(text, where)
    entry = stack.require(name)
    if str(entry.get(key) or default) == value:
        return Edited(text, f"account '{name}' already has {key} {value}: nothing to change")
    entry[key] = value
    return Edited(stack.text())
