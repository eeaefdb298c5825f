"""`lz import` of IAM Identity Center: `landing-zone:identityCenter` with import ids.

Permission sets (with their policies), groups, users and memberships (when Identity Center is
the identity source), and group assignments as access rules naming explicit accounts, each
rule marked `import: true`. Assignments to users are left alone: access rules give groups
access. The instance's ARN and identity store id are written as strings, because import ids
are built from them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from landing_zone.config import LandingZoneConfig
from landing_zone.config.base import EMAIL

from .identity_center import LiveIdentityCenter, LivePermissionSet, LiveUser
from .organization import LiveOrganization

DEFAULT_SESSION_DURATION = "PT1H"  # Identity Center's, when a permission set has none
MANAGEMENT_NAMES = ("management", "management-account")


def identity_center_section(
    center: LiveIdentityCenter, live: LiveOrganization, config: LandingZoneConfig
) -> tuple[dict[str, Any], list[str]]:
    """The identityCenter mapping and comments; `config` holds the accounts already written."""
    comments: list[str] = []
    external = any(g.external for g in center.groups) or any(u.external for u in center.users)
    taken = {account.name.lower() for account in config.accounts}
    management_name = next(
        (n for n in MANAGEMENT_NAMES if n not in taken), f"management-{live.management_account_id}"
    )
    section: dict[str, Any] = {}
    if external:
        section["identitySource"] = "external"
        comments.append(
            "identityCenter: groups come from an identity provider: they are looked up by name, "
            "users and memberships stay the provider's"
        )
    if management_name != "management":
        section["managementAccountName"] = management_name
    section["permissionSets"] = [_permission_set(ps) for ps in center.permission_sets]
    users = {} if external else _users(center.users, comments)
    if users:
        section["users"] = list(users.values())
    section["groups"] = [
        _group(group.display_name, group.description, group.id, group.memberships, users, external)
        for group in center.groups
    ]
    account_names = {account.import_id: account.name for account in config.accounts}
    account_names[live.management_account_id] = management_name
    access = _access_rules(center, account_names, comments)
    if access:
        section["access"] = access
    admins = _management_admins(center, access, management_name)
    if admins:
        # Adopted as they are live, and said so: the list is the review of who owns the organization.
        section["managementAdminGroups"] = admins
        comments.append(
            f"identityCenter.managementAdminGroups: {', '.join(admins)} hold admin on the management "
            "account live; keep only the groups that should"
        )
    adopted: dict[str, Any] = {
        "instanceArn": center.instance_arn,
        "identityStoreId": center.identity_store_id,
    }
    if any(management_name in rule["accounts"] for rule in access):
        adopted["managementAccountId"] = live.management_account_id
    section["import"] = adopted
    return section, comments


def _permission_set(ps: LivePermissionSet) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": ps.name}
    adopted: dict[str, Any] = {"arn": ps.arn}
    if ps.description:
        entry["description"] = ps.description
    entry["sessionDuration"] = ps.session_duration or DEFAULT_SESSION_DURATION
    if ps.managed_policies:
        entry["managedPolicies"] = adopted["managedPolicies"] = list(ps.managed_policies)
    if ps.customer_managed_policies:
        references = [{"name": r.name, "path": r.path} for r in ps.customer_managed_policies]
        entry["customerManagedPolicies"] = adopted["customerManagedPolicies"] = references
    if ps.inline_policy:
        entry["inlinePolicy"] = _pretty(ps.inline_policy)
        adopted["inlinePolicy"] = True
    if ps.boundary is not None:
        reference = ps.boundary.customer_managed_policy
        entry["permissionsBoundary"] = (
            {"customerManagedPolicy": {"name": reference.name, "path": reference.path}}
            if reference is not None
            else {"managedPolicyArn": ps.boundary.managed_policy_arn}
        )
        adopted["permissionsBoundary"] = True
    if ps.relay_state:
        entry["relayState"] = ps.relay_state
    if ps.tags:
        entry["tags"] = dict(ps.tags)
    entry["import"] = adopted
    return entry


def _pretty(policy: str) -> str:
    """An inline policy as an indented block (the provider compares policies as JSON)."""
    try:
        return json.dumps(json.loads(policy), indent=2) + "\n"
    except ValueError:
        return policy


def _users(live_users: tuple[LiveUser, ...], comments: list[str]) -> dict[str, dict[str, Any]]:
    """Config entries by user id for the users the config can describe."""
    users: dict[str, dict[str, Any]] = {}
    for user in live_users:
        if not (user.given_name and user.family_name and user.email and EMAIL.matches(user.email)):
            comments.append(
                f"not imported: user {user.user_name} ({user.id}) lacks a given name, family name or "
                "valid email; it and its memberships stay as they are"
            )
            continue
        entry: dict[str, Any] = {
            "userName": user.user_name,
            "givenName": user.given_name,
            "familyName": user.family_name,
            "email": user.email,
        }
        if user.display_name and user.display_name != f"{user.given_name} {user.family_name}":
            entry["displayName"] = user.display_name
        entry["import"] = user.id
        users[user.id] = entry
    return users


def _group(
    name: str,
    description: str | None,
    group_id: str,
    memberships: dict[str, str],
    users: dict[str, dict[str, Any]],
    external: bool,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name}
    if description:
        entry["description"] = description
    if not external:
        members = {users[user_id]["userName"]: m for user_id, m in memberships.items() if user_id in users}
        if members:
            entry["members"] = sorted(members)
            entry["importMemberships"] = dict(sorted(members.items()))
    entry["import"] = group_id
    return entry


def _access_rules(
    center: LiveIdentityCenter, account_names: dict[str | None, str], comments: list[str]
) -> list[dict[str, Any]]:
    """One rule per group and set of accounts, with every permission set given there."""
    groups = {g.id: g.display_name for g in center.groups}
    permission_sets = {ps.arn: ps.name for ps in center.permission_sets}
    # group -> permission set -> accounts
    granted: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    user_assignments = 0
    for assignment in center.assignments:
        if assignment.principal_type != "GROUP":
            user_assignments += 1
            continue
        account = account_names.get(assignment.account_id)
        group = groups.get(assignment.principal_id)
        permission_set = permission_sets.get(assignment.permission_set_arn)
        if account is None or group is None or permission_set is None:
            comments.append(
                f"not imported: the assignment of {assignment.permission_set_arn} to group "
                f"{assignment.principal_id} in account {assignment.account_id} (not in this stack)"
            )
            continue
        granted[group][permission_set].add(account)
    if user_assignments:
        comments.append(
            f"not imported: {user_assignments} account assignments to users (access rules give groups "
            "access); they stay as they are"
        )
    rules = []
    for group in sorted(granted):
        by_accounts: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for permission_set, targets in granted[group].items():
            by_accounts[tuple(sorted(targets))].append(permission_set)
        for accounts, names in sorted(by_accounts.items()):
            rules.append(
                {"group": group, "permissionSets": sorted(names), "accounts": list(accounts), "import": True}
            )
    return rules


def _is_admin(ps: LivePermissionSet) -> bool:
    """Admin as the config reads it (landing_zone.admin_access): managed or inline admin policy."""
    return ps.admin_reason() is not None


def _management_admins(
    center: LiveIdentityCenter, access: list[dict[str, Any]], management_name: str
) -> list[str]:
    """Groups the imported rules give an admin-equivalent permission set on the management account."""
    admin_sets = {ps.name for ps in center.permission_sets if _is_admin(ps)}
    return sorted(
        {
            rule["group"]
            for rule in access
            if management_name in rule["accounts"] and admin_sets & set(rule["permissionSets"])
        }
    )
