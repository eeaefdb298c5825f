"""Edits of one `accounts` entry in a stack file's text, for `lz account`: round-trip YAML
(ruamel.yaml) so that comments, order and formatting stay as they were outside the entry.

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


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line the user wrote on one
    # The layout `pulumi config set` writes and the examples use: "  - name: x" under a key.
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


class StackText:
    """A stack file's document, and its `<namespace>:accounts` list."""

    def __init__(self, text: str, namespace: str) -> None:
        self.original = text
        self.namespace = namespace
        # Windows line endings are kept: edited as \n, written back as they were.
        self.newline = "\r\n" if "\r\n" in text else "\n"
        try:
            self.document = _yaml().load(text.replace("\r\n", "\n"))
        except YAMLError as err:
            raise StackEditError("the stack file", f"is not YAML ruamel.yaml can keep: {err}") from None
        config = self.document.get("config") if isinstance(self.document, CommentedMap) else None
        if not isinstance(config, CommentedMap):
            raise StackEditError("the stack file", "has no 'config' mapping")
        self.config = config

    @property
    def accounts(self) -> CommentedSeq:
        key = f"{self.namespace}:accounts"
        accounts = self.config.get(key)
        if accounts is None:
            accounts = self.config[key] = CommentedSeq()
        if not isinstance(accounts, CommentedSeq):
            raise StackEditError("the stack file", f"{key} is not a list")
        return accounts

    def ou_paths(self) -> set[str]:
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
            raise StackEditError("NAME", f"no account named '{name}' in {self.namespace}:accounts")
        return entry

    def require_ou(self, path: str) -> None:
        if path not in self.ou_paths():
            known = ", ".join(sorted(self.ou_paths())) or "none"
            raise StackEditError(
                "--ou", f"OU '{path}' is not defined in {self.namespace}:organizationalUnits (known: {known})"
            )

    def text(self) -> str:
        stream = io.StringIO()
        _yaml().dump(self.document, stream)
        return stream.getvalue().replace("\n", self.newline)


def add_account(text: str, namespace: str, name: str, ou: str, email: str | None) -> Edited:
    stack = StackText(text, namespace)
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


def move_account(text: str, namespace: str, name: str, ou: str) -> Edited:
    stack = StackText(text, namespace)
    entry = stack.require(name)
    stack.require_ou(ou)
    if entry.get("state", "active") == "closed":
        raise StackEditError("NAME", f"account '{name}' is closed: it stays as a record and cannot move")
    if entry.get("ou") == ou:
        return Edited(text, f"account '{name}' is already in {ou}: nothing to change")
    entry["ou"] = ou
    return Edited(stack.text())


def set_state(text: str, namespace: str, name: str, state: str, allow_close: bool = False) -> Edited:
    """`state: suspended` (with allowClose when asked) or `state: closed`."""
    stack = StackText(text, namespace)
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


def set_field(text: str, namespace: str, name: str, key: str, value: str, default: str) -> Edited:
    """`email` or `displayName` of an entry; `default` is what the entry means without the key."""
    stack = StackText(text, namespace)
    entry = stack.require(name)
    if str(entry.get(key) or default) == value:
        return Edited(text, f"account '{name}' already has {key} {value}: nothing to change")
    entry[key] = value
    return Edited(stack.text())
