"""IAM Identity Center: short sessions, and administrator access to production and to the
management account for few groups.

"Administrator" is what a permission set can do (its managed, inline and customer managed
policies), never its name; production is an OU subtree; a group is known by its display name,
whether the stack creates it or looks it up from an external identity provider.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
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

from . import iam_semantics as iam
from .native import normalized
from .organization_stack import ReferencedOrganization
from .organization_view import PRODUCTION_KNOBS, VIEW_TYPES, OrganizationView
from .program_rules import (
    ACCOUNT,
    ACCOUNT_ASSIGNMENT,
    CUSTOMER_MANAGED_POLICY_ATTACHMENT,
    EXTERNAL_GROUP,
    MANAGED_POLICY_ATTACHMENT,
    PERMISSION_SET,
    PERMISSION_SET_INLINE_POLICY,
)
from .program_rules import IDENTITY_STORE_GROUP as GROUP
from .props import is_unknown, json_value, undecided
from .schema import string_list
from .stack import References, Resource, of_type, resources_of

# --- permission-set-session-limit ---------------------------------------------------------------

DEFAULT_SESSION = "PT1H"
MIN_SESSION_HOURS = 1
# The ISO-8601 duration form CreatePermissionSet's SessionDuration accepts (its pattern in the API
# reference), with AWS's own limits of 1 to 12 hours:
# https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreatePermissionSet.html#singlesignon-CreatePermissionSet-request-SessionDuration
_DURATION = re.compile(
    r"^P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?"
    r"(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$",
    re.ASCII,
)
_HOURS_PER = {"Y": 365 * 24, "M": 30 * 24, "W": 7 * 24, "D": 24}


def session_hours(duration: str) -> float | None:
    """Hours in an ISO-8601 duration (PT8H, PT1H30M, P0DT4H); None if it is not one."""
    match = _DURATION.match(duration)
    if not match:
        return None
    years, months, days, day_unit, hours, minutes, seconds = match.groups()
    total = int(years or 0) * _HOURS_PER["Y"] + int(months or 0) * _HOURS_PER["M"]
    total += int(days or 0) * _HOURS_PER[day_unit or "D"]
    return total + int(hours or 0) + int(minutes or 0) / 60 + float(seconds or 0) / 3600


def _check_session(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    resource_type, props = normalized(args)
    if resource_type != PERMISSION_SET:
        return
    name = props.get("name") if isinstance(props.get("name"), str) else args.name
    duration = props.get("sessionDuration")
    if duration is None or duration == "":
        duration = DEFAULT_SESSION
    if is_unknown(duration):
        report_violation(undecided(f"permission set '{name}'", "sessionDuration"), None)
        return
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
    elif hours < MIN_SESSION_HOURS:
        report_violation(
            f"permission set '{name}' has session duration {duration} ({hours:g} hours); "
            "Identity Center's minimum is PT1H",
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


# --- who holds administrator access where -------------------------------------------------------

ADMIN_TYPES = (
    *VIEW_TYPES,
    PERMISSION_SET,
    MANAGED_POLICY_ATTACHMENT,
    CUSTOMER_MANAGED_POLICY_ATTACHMENT,
    PERMISSION_SET_INLINE_POLICY,
    GROUP,
    EXTERNAL_GROUP,
    ACCOUNT_ASSIGNMENT,
)


def _admin_reasons(resources: list[Resource], admin_names: list[str]) -> dict[str, str]:
    """Why each admin-equivalent permission set (by URN) is admin, or counts as admin because
    the pack cannot see what it allows (deny when unsure)."""
    sets = of_type(resources, PERMISSION_SET)
    set_of = References(sets, match_on=("arn",))
    reasons: dict[str, str] = {}

    def note(attachment: Resource, reason: str) -> None:
        owner = set_of.of(attachment, "permissionSetArn")
        if owner is not None:
            reasons.setdefault(owner.urn, reason)

    for attachment in of_type(resources, MANAGED_POLICY_ATTACHMENT):
        arn = attachment.props.get("managedPolicyArn")
        if is_unknown(arn):
            note(attachment, "its managed policy ARN is not known yet, so it counts as admin")
        elif (name := iam.admin_managed_policy(arn)) is not None:
            note(attachment, f"it carries the AWS managed policy {name}")
    for inline in of_type(resources, PERMISSION_SET_INLINE_POLICY):
        document = json_value(inline.props.get("inlinePolicy"))
        if is_unknown(document):
            note(inline, "its inline policy is not known yet, so it counts as admin")
        elif (reason := iam.admin_grant(document)) is not None:
            note(inline, f"its inline policy is admin: {reason}")
    for attachment in of_type(resources, CUSTOMER_MANAGED_POLICY_ATTACHMENT):
        reference = attachment.props.get("customerManagedPolicyReference")
        name = reference.get("name") if isinstance(reference, dict) else None
        note(
            attachment,
            f"the pack cannot read its customer managed policy '{name}', so it counts as admin",
        )
    for permission_set in sets:
        if permission_set.props.get("name") in admin_names:
            reasons.setdefault(permission_set.urn, "the policy config names it as admin")
    return reasons


@dataclass
class AdminAssignment:
    """An account assignment of an admin-equivalent permission set."""

    assignment: Resource
    permission_set: str  # its name, or its ARN for a set outside the stack
    reason: str | None  # why it is (or counts as) admin; None when which set it is cannot be told
    account: Resource | None  # the member account it targets, when the stack manages it
    target: Any  # its targetId


def _described_reason(name: str, described: dict[str, Any], admin_names: list[str]) -> str | None:
    """Why a permission set of the organization stack, as an account stack describes it, is (or
    counts as) admin; None when what it carries is not admin. The same reasons, in the same
    order, as for the permission set's own resources (`_admin_reasons`)."""
    for arn in described.get("managedPolicies") or []:
        if not isinstance(arn, str) or is_unknown(arn):
            return "its managed policy ARN is not known yet, so it counts as admin"
        if (policy := iam.admin_managed_policy(arn)) is not None:
            return f"it carries the AWS managed policy {policy}"
    inline = described.get("inlinePolicy")
    if inline is not None:
        document = json_value(inline)
        if is_unknown(document):
            return "its inline policy is not known yet, so it counts as admin"
        if (reason := iam.admin_grant(document)) is not None:
            return f"its inline policy is admin: {reason}"
    for policy in described.get("customerManagedPolicies") or []:
        return f"the pack cannot read its customer managed policy '{policy}', so it counts as admin"
    if name in admin_names:
        return "the policy config names it as admin"
    return None


def admin_assignments(resources: list[Resource], admin_names: list[str]) -> Iterator[AdminAssignment]:
    reasons = _admin_reasons(resources, admin_names)
    set_of = References(of_type(resources, PERMISSION_SET), match_on=("arn",))
    account_of = References(of_type(resources, ACCOUNT))
    referenced = ReferencedOrganization(resources)
    for assignment in of_type(resources, ACCOUNT_ASSIGNMENT):
        permission_set = set_of.of(assignment, "permissionSetArn")
        arn = assignment.props.get("permissionSetArn")
        if permission_set is None and isinstance(arn, str) and arn in referenced.permission_sets:
            # An account stack's assignment of its organization stack's permission set.
            label, described = referenced.permission_sets[arn]
            reason = _described_reason(label, described, admin_names)
            if reason is None:
                continue
        elif permission_set is None:
            label = arn if isinstance(arn, str) and not is_unknown(arn) else assignment.name
            reason = (
                "it is not created by this stack: the pack cannot see what it allows, so it counts as admin"
                if label == arn
                else None
            )
        else:
            label = permission_set.label()
            if permission_set.urn not in reasons:
                continue
            reason = reasons[permission_set.urn]
        target = assignment.props.get("targetId")
        yield AdminAssignment(assignment, label, reason, account_of.of(assignment, "targetId"), target)


class Principals:
    """Names an assignment's principal: a group by display name (created or looked up)."""

    def __init__(self, resources: list[Resource]) -> None:
        self.groups = References(
            of_type(resources, GROUP) + of_type(resources, EXTERNAL_GROUP), match_on=("groupId", "id")
        )
        # An account stack's: its organization stack's groups, by id.
        self.referenced_names = ReferencedOrganization(resources).group_names

    def describe(self, assignment: Resource, allowed: list[str], key: str) -> str | None:
        """None when the principal is an allowed group; else what it is, for the message."""
        principal_type = assignment.props.get("principalType")
        principal_id = assignment.props.get("principalId")
        if principal_type == "USER":
            return f"user '{principal_id}'; administrator access there goes to groups in {key} only"
        group = self.groups.of(assignment, "principalId")
        if group is None and isinstance(principal_id, str) and principal_id in self.referenced_names:
            referenced = self.referenced_names[principal_id]
            return None if referenced in allowed else f"group '{referenced}', which is not in {key}"
        if group is None:
            shown = "whose id is not known yet" if is_unknown(principal_id) else f"'{principal_id}'"
            return (
                f"group {shown}, which this stack neither creates nor looks up by name; assign a group "
                "of identityCenter.groups"
            )
        name = group.props.get("displayName")
        if name in allowed:
            return None
        return f"group '{name}', which is not in {key}"


def _report_unallowed(
    grant: AdminAssignment, where: str, why: str, who: str | None, report_violation: ReportViolation
) -> None:
    """Report an admin grant on `where` to `who`, a principal outside allowedGroups (None: an
    allowed group, nothing to report); undecided when which permission set it is cannot be told."""
    if who is None:
        return
    if grant.reason is None:
        report_violation(
            undecided(f"assignment '{grant.assignment.name}'", "permissionSetArn"), grant.assignment.urn
        )
        return
    report_violation(
        f"permission set '{grant.permission_set}' is admin ({grant.reason}) and is assigned on "
        f"{where} to {who}{why}",
        grant.assignment.urn,
    )


def _check_production_admin(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    allowed = config.get("allowedGroups", [])
    resources = resources_of(args, *ADMIN_TYPES)
    view = OrganizationView(resources)
    principals = Principals(resources)
    for grant in admin_assignments(resources, config.get("permissionSets", [])):
        if grant.account is None:
            continue  # not a member account of this stack: management-admin-restricted judges it
        production = view.is_production(grant.account, config)
        if production is False:
            continue
        subject = f"permission set '{grant.permission_set}' on account '{grant.account.label()}'"
        if production is None:
            report_violation(undecided(subject, "the OU of the account"), grant.assignment.urn)
            continue
        where = f"production account '{grant.account.label()}'"
        _report_unallowed(
            grant,
            where,
            "",
            principals.describe(grant.assignment, allowed, "allowedGroups"),
            report_violation,
        )


production_admin_restricted = StackValidationPolicy(
    name="production-admin-restricted",
    description="Admin-equivalent permission sets on production accounts go to allow-listed groups only.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_production_admin,
    config_schema=PolicyConfigSchema(
        properties={
            "permissionSets": string_list(
                "permission set names that count as administrator access whatever they allow",
                ["AdministratorAccess"],
            ),
            **PRODUCTION_KNOBS,
            "allowedGroups": string_list(
                "display names of the groups that may hold administrator access there"
            ),
        }
    ),
)


def _check_management_admin(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    allowed = config.get("allowedGroups", [])
    resources = resources_of(args, *ADMIN_TYPES)
    view = OrganizationView(resources)
    principals = Principals(resources)
    for grant in admin_assignments(resources, config.get("permissionSets", [])):
        if grant.account is not None:
            continue  # a member account the stack manages
        if is_unknown(grant.target):
            subject = f"permission set '{grant.permission_set}' in assignment '{grant.assignment.name}'"
            report_violation(undecided(subject, "targetId"), grant.assignment.urn)
            continue
        if grant.target in view.management_ids:
            where = f"the management account {grant.target}"
        else:
            # Positive facts only: an account the stack does not manage as a member may be the
            # management account.
            where = f"account {grant.target}, which this stack does not manage as a member,"
        why = "; admin there is admin of the whole organization"
        _report_unallowed(
            grant,
            where,
            why,
            principals.describe(grant.assignment, allowed, "allowedGroups"),
            report_violation,
        )


management_admin_restricted = StackValidationPolicy(
    name="management-admin-restricted",
    description=(
        "Admin-equivalent permission sets on the management account, or on any account the stack "
        "does not manage as a member, go to allow-listed groups only."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_management_admin,
    config_schema=PolicyConfigSchema(
        properties={
            "permissionSets": string_list(
                "permission set names that count as administrator access whatever they allow",
                ["AdministratorAccess"],
            ),
            "allowedGroups": string_list(
                "display names of the groups that may hold administrator access on the management account"
            ),
        }
    ),
)
