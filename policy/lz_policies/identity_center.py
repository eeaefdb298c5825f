"""IAM Identity Center: short sessions, and administrator access to production for few groups."""

from __future__ import annotations

import re
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from .program_rules import ACCOUNT, ACCOUNT_ASSIGNMENT, ORGANIZATIONAL_UNIT, PERMISSION_SET
from .program_rules import IDENTITY_STORE_GROUP as GROUP
from .props import is_unknown, plain, tag_matches
from .schema import string_list
from .stack import (
    References,
    Resource,
    of_type,
    resources_of,
)

DEFAULT_SESSION = "PT1H"
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def session_hours(duration: str) -> float | None:
    """Hours in an ISO-8601 time duration like PT8H or PT1H30M; None if it is not one."""
    match = _DURATION.match(duration)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours + minutes / 60 + seconds / 3600


def _check_session(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != PERMISSION_SET:
        return
    props = plain(args.props)
    duration = props.get("sessionDuration") or DEFAULT_SESSION
    if is_unknown(duration):
        return
    name = props.get("name") if isinstance(props.get("name"), str) else args.name
    maximum = args.get_config().get("maxSessionHours", 12)
    hours = session_hours(str(duration))
    if hours is None:
        report_violation(
            f"permission set '{name}' has session duration {duration!r}, not an ISO-8601 duration like PT8H",
            None,
        )
    elif hours > maximum:
        report_violation(
            f"permission set '{name}' allows sessions of {duration} ({hours:g} hours); "
            f"the maximum is {maximum:g} hours",
            None,
        )


permission_set_session_limit = ResourceValidationPolicy(
    name="permission-set-session-limit",
    description="Identity Center sessions are short: a permission set's session duration has a maximum.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_session,
    config_schema=PolicyConfigSchema(
        properties={
            "maxSessionHours": {
                "type": "number",
                "default": 12,
                "description": "longest session a permission set may allow, in hours",
            },
        }
    ),
)


class _Production:
    """Which accounts are production: by tag, or by the path of the OU they sit in (memoized)."""

    def __init__(self, accounts: list[Resource], units: list[Resource], config: Any) -> None:
        self.units = units
        self.unit_of = References(units)
        self.tags = config.get("productionAccountTags", ["environment=production"])
        self.wanted = config.get("productionOus", ["Production"])
        self._known: dict[str, bool] = {}

    def __call__(self, account: Resource) -> bool:
        if account.urn not in self._known:
            self._known[account.urn] = self._judge(account)
        return self._known[account.urn]

    def _judge(self, account: Resource) -> bool:
        if tag_matches(account.props.get("tags"), self.tags):
            return True
        unit = self.unit_of.of(account, "parentId")
        if unit is None:
            return False
        path = self.ou_path(unit)
        return path is not None and any(path == ou or path.endswith("/" + ou) for ou in self.wanted)

    def ou_path(self, unit: Resource) -> str | None:
        """`Workloads/Production` for an OU, or None when its parents cannot be told yet."""
        names: list[str] = []
        current: Resource | None = unit
        for _ in range(len(self.units) + 1):
            if current is None:
                return None
            name = current.props.get("name")
            if not isinstance(name, str) or is_unknown(name):
                return None
            names.append(name)
            parent_id = current.props.get("parentId")
            if isinstance(parent_id, str) and parent_id.startswith("r-"):
                return "/".join(reversed(names))
            parent = self.unit_of.of(current, "parentId")
            if parent is None:
                # The root id is unknown, or the parent is outside this stack.
                return "/".join(reversed(names)) if not is_unknown(parent_id) else None
            current = parent
        return None


def _check_production_admin(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    admin_sets = config.get("permissionSets", ["AdministratorAccess"])
    allowed_groups = config.get("allowedGroups", [])
    resources = resources_of(args, ACCOUNT, ORGANIZATIONAL_UNIT, PERMISSION_SET, GROUP, ACCOUNT_ASSIGNMENT)
    accounts = of_type(resources, ACCOUNT)
    is_production = _Production(accounts, of_type(resources, ORGANIZATIONAL_UNIT), config)
    account_of = References(accounts)
    permission_set_of = References(of_type(resources, PERMISSION_SET), match_on=("arn",))
    group_of = References(of_type(resources, GROUP), match_on=("id", "groupId"))
    for assignment in of_type(resources, ACCOUNT_ASSIGNMENT):
        permission_set = permission_set_of.of(assignment, "permissionSetArn")
        if permission_set is None or permission_set.props.get("name") not in admin_sets:
            continue
        account = account_of.of(assignment, "targetId")
        if account is None or not is_production(account):
            continue
        principal_type = assignment.props.get("principalType")
        if is_unknown(principal_type):
            continue
        if principal_type == "GROUP":
            group = group_of.of(assignment, "principalId")
            if group is None:
                continue  # a group from outside the stack, or not known yet
            principal = group.props.get("displayName")
            if is_unknown(principal) or principal in allowed_groups:
                continue
        else:
            principal = assignment.props.get("principalId")
        report_violation(
            f"{permission_set.props['name']} on production account '{account.label()}' is assigned to "
            f"{principal_type} '{principal}', which is not in allowedGroups",
            assignment.urn,
        )


production_admin_restricted = StackValidationPolicy(
    name="production-admin-restricted",
    description="Administrator permission sets on production accounts go to allow-listed groups only.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_production_admin,
    config_schema=PolicyConfigSchema(
        properties={
            "permissionSets": string_list(
                "permission set names that count as administrator access", ["AdministratorAccess"]
            ),
            "productionOus": string_list("OU names or paths whose accounts are production", ["Production"]),
            "productionAccountTags": string_list(
                "key=value tags that mark an account as production", ["environment=production"]
            ),
            "allowedGroups": string_list(
                "display names of the groups that may hold those permission sets there"
            ),
        }
    ),
)
