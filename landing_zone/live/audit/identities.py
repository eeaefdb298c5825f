"""With `--stack`: live Identity Center users who hold both an admin group and a daily group.

The same notion as `lz validate` (landing_zone/config/admin_identities.py), read live: a group is
for admin work when it is assigned an admin-equivalent permission set on an account that the
stack does not close on deletion (a sandbox); every other group is for daily work. The stack's
`identityCenter.adminIdentities.allowAdminAndDaily` users are exempt.
"""

from __future__ import annotations

from landing_zone.config import LandingZoneConfig

from ..identity_center import LiveIdentityCenter, read_identity_center
from ..organization import LiveOrganization
from ..session import Clients
from .drift import match_accounts
from .model import Check, Finding


def admin_and_daily_users(clients: Clients, config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    identity = config.identity_center
    if identity is None:
        return Finding.passed("the stack has no identityCenter config")
    region = identity.region or clients.region
    center = read_identity_center(clients, region)
    if center is None:
        return Finding.passed(f"no Identity Center instance in {region}")
    disposable = {
        found.id for account, found in match_accounts(config, live).pairs if account.close_on_deletion
    }
    names = {account.id: account.name for account in live.accounts}
    admin = _admin_groups(center, disposable, names)
    allowed = set(identity.admin_identities.allow_admin_and_daily)
    problems = []
    for user in center.users:
        if user.user_name in allowed:
            continue
        held = [g for g in center.groups if user.id in g.memberships]
        admin_held = [g for g in held if g.id in admin]
        daily = [g.display_name for g in held if g.id not in admin]
        if admin_held and daily:
            first = admin_held[0]
            problems.append(
                f"{user.user_name} is in admin group {first.display_name} ({admin[first.id]}) and in "
                f"{', '.join(daily)}, meant for daily work"
            )
    return Finding.of(problems, f"{len(center.users)} users: none in both an admin group and a daily group")


def _admin_groups(center: LiveIdentityCenter, disposable: set[str], names: dict[str, str]) -> dict[str, str]:
    """Why each admin group (by id) is one: its first admin grant, by account name."""
    reasons = {ps.arn: (ps.name, reason) for ps in center.permission_sets if (reason := ps.admin_reason())}
    grants: dict[str, list[str]] = {}
    for assignment in center.assignments:
        if assignment.principal_type != "GROUP" or assignment.account_id in disposable:
            continue
        if assignment.permission_set_arn in reasons:
            name, reason = reasons[assignment.permission_set_arn]
            account = names.get(assignment.account_id, assignment.account_id)
            grants.setdefault(assignment.principal_id, []).append(
                f"{name} on {account} ({assignment.account_id}): {reason}"
            )
    return {group: sorted(found)[0] for group, found in grants.items()}


ADMIN_AND_DAILY = Check(
    "stack.admin-identities-separate",
    "No Identity Center user is in both an admin group and a daily group",
    admin_and_daily_users,
)
