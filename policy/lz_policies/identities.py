"""Separate identities for admin work and daily work: no user of the identity store is a member
of a group that holds an admin-equivalent permission set and of a group meant for daily work.

"Admin" is identity_center.py's notion (what a permission set can do); admin of an account closed
on deletion (a disposable sandbox) is daily work. Every group without admin elsewhere is meant
for daily work.
"""

from __future__ import annotations

from dataclasses import dataclass

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from .identity_center import ADMIN_TYPES, Principals, admin_assignments
from .program_rules import IDENTITY_STORE_MEMBERSHIP as MEMBERSHIP
from .program_rules import IDENTITY_STORE_USER as USER
from .program_rules import names_admin_identity
from .props import is_unknown, undecided
from .schema import string_list
from .stack import References, Resource, of_type, resources_of


@dataclass(frozen=True)
class _AdminGroup:
    why: str  # the grant that makes it admin, for the message
    undecided: str | None = None  # the assignment whose permission set cannot be told, if that is all
    rank: tuple[bool, str] = (True, "")


def _admin_groups(
    resources: list[Resource], admin_names: list[str], report_violation: ReportViolation
) -> dict[str, _AdminGroup]:
    """Admin groups by URN: a group given an admin-equivalent set on an account not closed on deletion."""
    principals = Principals(resources)
    found: dict[str, _AdminGroup] = {}
    for grant in admin_assignments(resources, admin_names):
        if grant.assignment.props.get("principalType") != "GROUP":
            continue  # a user assignment: production/management-admin-restricted judge it
        if grant.account is not None and grant.account.props.get("closeOnDeletion") is True:
            continue  # admin of a disposable sandbox is daily work
        group = principals.groups.of(grant.assignment, "principalId")
        if group is None:
            if is_unknown(grant.assignment.props.get("principalId")):
                report_violation(
                    undecided(f"assignment '{grant.assignment.name}'", "principalId"), grant.assignment.urn
                )
            continue  # a group the stack neither creates nor looks up: it has no members here
        if grant.reason is None:
            found.setdefault(group.urn, _AdminGroup("", undecided=grant.assignment.name))
            continue
        # The message names one grant: a member account by name before an id, the first by name.
        rank = (grant.account is None, grant.account.label() if grant.account else str(grant.target))
        why = f"permission set '{grant.permission_set}' on account '{rank[1]}': {grant.reason}"
        if group.urn not in found or found[group.urn].undecided or rank < found[group.urn].rank:
            found[group.urn] = _AdminGroup(why, rank=rank)
    return found


def _check_separate_identities(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    allowed = set(config.get("allowedUsers", []))
    pattern = config.get("adminUserNames", "")
    resources = resources_of(args, *ADMIN_TYPES, USER, MEMBERSHIP)
    admin = _admin_groups(resources, config.get("permissionSets", []), report_violation)
    groups = Principals(resources).groups
    users = References(of_type(resources, USER), match_on=("userId", "id"))
    # Each user's memberships, in stack order: (group, membership).
    memberships: dict[str, list[tuple[Resource, Resource]]] = {}
    user_of: dict[str, Resource] = {}
    for membership in of_type(resources, MEMBERSHIP):
        group = groups.of(membership, "groupId")
        user = users.of(membership, "memberId")
        if group is None or user is None:
            key = "groupId" if group is None else "memberId"
            report_violation(undecided(f"group membership '{membership.name}'", key), membership.urn)
            continue
        memberships.setdefault(user.urn, []).append((group, membership))
        user_of[user.urn] = user
    for urn, held in memberships.items():
        name = user_of[urn].label("userName")
        if is_unknown(user_of[urn].props.get("userName")):
            report_violation(undecided(f"user '{user_of[urn].name}'", "userName"), urn)
            continue
        if name in allowed:
            continue
        _judge_user(name, held, admin, pattern, report_violation)


def _judge_user(
    name: str,
    held: list[tuple[Resource, Resource]],
    admin: dict[str, _AdminGroup],
    pattern: str,
    report_violation: ReportViolation,
) -> None:
    admin_held = [(g, m) for g, m in held if g.urn in admin and not admin[g.urn].undecided]
    unsure = [(g, m) for g, m in held if g.urn in admin and admin[g.urn].undecided]
    daily = [(g, m) for g, m in held if g.urn not in admin]
    named = names_admin_identity(pattern, name)
    for group, membership in daily:
        label = group.label("displayName")
        if admin_held:
            first = admin_held[0][0]
            report_violation(
                f"user '{name}' is a member of admin group '{first.label('displayName')}' "
                f"({admin[first.urn].why}) and of group '{label}', meant for daily work; admin work "
                "needs a separate user (or list the user in allowedUsers)",
                membership.urn,
            )
        elif unsure:
            assignment = admin[unsure[0][0].urn].undecided
            report_violation(undecided(f"assignment '{assignment}'", "permissionSetArn"), membership.urn)
        elif named:
            report_violation(
                f"user '{name}' is named as an admin identity ('{pattern}', adminUserNames) and is a "
                f"member of group '{label}', meant for daily work",
                membership.urn,
            )


admin_identities_separate = StackValidationPolicy(
    name="admin-identities-separate",
    description=(
        "No user is a member of a group with admin-equivalent access and of a group meant for daily work."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_separate_identities,
    config_schema=PolicyConfigSchema(
        properties={
            "permissionSets": string_list(
                "permission set names that count as administrator access whatever they allow",
                ["AdministratorAccess"],
            ),
            "adminUserNames": {
                "type": "string",
                "default": "",
                "description": "user names of admin identities, * for any text (like *+admin@*), "
                "which are never in a daily group (default: no convention)",
            },
            "allowedUsers": string_list("user names that may be in an admin group and a daily group"),
        }
    ),
)
