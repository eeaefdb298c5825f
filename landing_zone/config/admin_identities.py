"""Separate identities for admin work and daily work (`identityCenter.adminIdentities`): which
groups are for admin work, which users are admin identities, and the check that keeps them apart.

The guides: "Create separate SSO users for their admin activities and development work, so that
development happens in a low-privilege context."
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .checker import Checker, Key
from .identity import IdentityCenterConfig, UserConfig, admin_reason, expand_access
from .organization import OrganizationStructure

KEY = "identityCenter.adminIdentities"


@dataclass(frozen=True)
class AdminGrant:
    """Why a group is for admin work: one admin-equivalent permission set it has, and where."""

    permission_set: str
    account: str
    reason: str

    def __str__(self) -> str:
        return f"permission set '{self.permission_set}' on account '{self.account}': {self.reason}"


def admin_groups(identity: IdentityCenterConfig, structure: OrganizationStructure) -> dict[str, AdminGrant]:
    """The groups meant for admin work, each with its first admin grant (by account name).

    A group is for admin work when an access rule gives it an admin-equivalent permission set on
    an account that is not closed on deletion. Admin of a disposable sandbox is daily work: the
    account is a developer's own and can be thrown away. Every other group is meant for daily
    work, including a group with no access yet (a rule added later would not revisit members).
    """
    admin_sets = {ps.name: reason for ps in identity.permission_sets if (reason := admin_reason(ps))}
    disposable = {account.name for account in structure.accounts if account.close_on_deletion}
    found: dict[str, AdminGrant] = {}
    for grant in expand_access(identity, structure):
        reason = admin_sets.get(grant.permission_set)
        if reason is not None and grant.account not in disposable:
            found.setdefault(grant.group, AdminGrant(grant.permission_set, grant.account, reason))
    return found


def names_admin_identity(pattern: str | None, user_name: str) -> bool:
    """Whether `user_name` follows the naming convention (`*` is any text; case-insensitive,
    as identity store user names are). The policy pack keeps a copy (program_rules.py), pinned by
    tests/test_shared_rules.py."""
    if not pattern:
        return False
    body = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(body, user_name, re.IGNORECASE | re.DOTALL) is not None


def check_admin_identities(
    identity: IdentityCenterConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    """Reports under `identityCenter`: a user in an admin group and a daily group, and an admin
    identity in a daily group; warns (with `userNames`) of an admin group member not named as one."""
    settings = identity.admin_identities
    users = {user.user_name: (index, user) for index, user in enumerate(identity.users)}
    for position, name in enumerate(settings.allow_admin_and_daily):
        if name not in users:
            checker.report(
                ("adminIdentities", "allowAdminAndDaily", position),
                f"user '{name}' is not defined in identityCenter.users",
            )
    allowed = set(settings.allow_admin_and_daily)
    admin = admin_groups(identity, structure)
    # The first admin group of each user, in the order of the stack file.
    admin_group_of: dict[str, str] = {}
    for group in identity.groups:
        if group.name in admin:
            for member in group.members:
                admin_group_of.setdefault(member, group.name)
    for index, group in enumerate(identity.groups):
        for position, member in enumerate(group.members):
            if member in allowed or member not in users:
                continue
            key = ("groups", index, "members", position)
            if group.name in admin:
                _check_named_as_admin(checker, key, settings.user_names, users[member], group.name)
                continue
            if member in admin_group_of:
                first = admin_group_of[member]
                checker.report(
                    key,
                    f"user '{member}' is in admin group '{first}' ({admin[first]}) and in group "
                    f"'{group.name}', meant for daily work: give admin work a separate user, or list "
                    f"'{member}' in {KEY}.allowAdminAndDaily",
                )
                continue
            marked = _marked_admin(settings.user_names, users[member])
            if marked is not None:
                checker.report(
                    key,
                    f"user '{member}' is an admin identity ({marked}) and group '{group.name}' is meant "
                    f"for daily work: add the person's daily user instead, or list '{member}' in "
                    f"{KEY}.allowAdminAndDaily",
                )


def _marked_admin(pattern: str | None, entry: tuple[int, UserConfig]) -> str | None:
    index, user = entry
    if user.admin:
        return f"identityCenter.users[{index}].admin is true"
    if names_admin_identity(pattern, user.user_name):
        return f"its name matches {KEY}.userNames '{pattern}'"
    return None


def _check_named_as_admin(
    checker: Checker, key: Key, pattern: str | None, entry: tuple[int, UserConfig], group: str
) -> None:
    if pattern is None or _marked_admin(pattern, entry) is not None:
        return
    name = entry[1].user_name
    # A warning: the user is not in a daily group, so nothing is mixed yet; but nobody reading
    # a sign-in or a CloudTrail event can tell this identity is an admin one.
    checker.warn(
        key,
        f"user '{name}' is in admin group '{group}' but is not named as an admin identity: name it "
        f"like {KEY}.userNames '{pattern}', or set admin: true on it",
    )
