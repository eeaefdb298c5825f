"""IAM: humans sign in through Identity Center with MFA; no long-lived keys, no inline `*` on `*`."""

from __future__ import annotations

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

from .program_rules import ACCOUNT_ID, PERMISSION_SET, PERMISSION_SET_INLINE_POLICY
from .props import (
    as_list,
    condition_values,
    is_unknown,
    json_value,
    plain,
    statements,
)
from .schema import string_list
from .stack import References, Resource, of_type, resources_of

USER = "aws:iam/user:User"
LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile"
ACCESS_KEY = "aws:iam/accessKey:AccessKey"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
GROUP = "aws:iam/group:Group"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
GROUP_POLICY_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
MANAGED_POLICY = "aws:iam/policy:Policy"
USER_GROUP_MEMBERSHIP = "aws:iam/userGroupMembership:UserGroupMembership"
GROUP_MEMBERSHIP = "aws:iam/groupMembership:GroupMembership"
MFA_KEY = "aws:MultiFactorAuthPresent"
BOOL_OPERATORS = ("Bool", "BoolIfExists")


def denies_all_without_mfa(document: Any) -> bool:
    """The usual "force MFA" statement: deny (not-)actions on * when aws:MultiFactorAuthPresent is false."""
    for statement in statements(document):
        if statement.get("Effect") != "Deny":
            continue
        broad = "NotAction" in statement or "*" in as_list(statement.get("Action"))
        if broad and "false" in condition_values(statement, BOOL_OPERATORS, MFA_KEY):
            return True
    return False


def _groups_by_user(resources: list[Resource]) -> dict[str, set[str]]:
    """The IAM groups each user name is in, from both kinds of membership resource."""
    groups: dict[str, set[str]] = {}
    for membership in of_type(resources, USER_GROUP_MEMBERSHIP):
        user = membership.props.get("user")
        if isinstance(user, str):
            groups.setdefault(user, set()).update(
                g for g in as_list(membership.props.get("groups")) if isinstance(g, str)
            )
    for membership in of_type(resources, GROUP_MEMBERSHIP):
        group = membership.props.get("group")
        if not isinstance(group, str):
            continue
        for user in as_list(membership.props.get("users")):
            if isinstance(user, str):
                groups.setdefault(user, set()).add(group)
    return groups


def _groups_forcing_mfa(resources: list[Resource]) -> tuple[set[str], bool]:
    """Names of groups with a deny-without-MFA policy, and whether some group policy is unknown."""
    forcing: set[str] = set()
    unknown = False
    managed = References(of_type(resources, MANAGED_POLICY), match_on=("arn",))
    for inline in of_type(resources, GROUP_POLICY):
        document = json_value(inline.props.get("policy"))
        unknown |= is_unknown(document) or is_unknown(inline.props.get("group"))
        group = inline.props.get("group")
        if isinstance(group, str) and denies_all_without_mfa(document):
            forcing.add(group)
    for attachment in of_type(resources, GROUP_POLICY_ATTACHMENT):
        policy = managed.of(attachment, "policyArn")
        if policy is None:
            unknown |= is_unknown(attachment.props.get("policyArn"))
            continue
        document = json_value(policy.props.get("policy"))
        group = attachment.props.get("group")
        unknown |= is_unknown(document) or is_unknown(group)
        if isinstance(group, str) and denies_all_without_mfa(document):
            forcing.add(group)
    return forcing, unknown


def _check_users_mfa(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    resources = resources_of(
        args,
        USER,
        LOGIN_PROFILE,
        USER_GROUP_MEMBERSHIP,
        GROUP_MEMBERSHIP,
        MANAGED_POLICY,
        GROUP_POLICY,
        GROUP_POLICY_ATTACHMENT,
    )
    users: dict[str, Resource] = {}
    for user in of_type(resources, USER):
        name = user.props.get("name")
        if isinstance(name, str):
            users.setdefault(name, user)
    groups_of = _groups_by_user(resources)
    forcing, unknown_policies = _groups_forcing_mfa(resources)
    for login in of_type(resources, LOGIN_PROFILE):
        user_name = login.props.get("user")
        if not isinstance(user_name, str) or is_unknown(user_name):
            continue
        if groups_of.get(user_name, set()) & forcing or unknown_policies:
            continue
        user = users.get(user_name, login)
        report_violation(
            f"IAM user '{user_name}' has a console login but is in no group whose policy denies "
            "everything without MFA; people should sign in through Identity Center",
            user.urn,
        )


iam_users_require_mfa = StackValidationPolicy(
    name="iam-users-require-mfa",
    description="An IAM user with a console password belongs to a group that denies everything without MFA.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_users_mfa,
)


def _check_access_key(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != ACCESS_KEY:
        return
    user = plain(args.props).get("user")
    if is_unknown(user):
        return
    if user in args.get_config().get("allowedUsers", []):
        return
    report_violation(
        f"access key for IAM user '{user}': long-lived keys are refused; people use Identity Center, "
        "machines use roles (or list the user in allowedUsers)",
        None,
    )


no_iam_user_access_keys = ResourceValidationPolicy(
    name="no-iam-user-access-keys",
    description="IAM users get no long-lived access keys unless they are allow-listed.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_access_key,
    config_schema=PolicyConfigSchema(
        properties={
            "allowedUsers": string_list("IAM user names that may have access keys"),
        }
    ),
)


def _account_principals(statement: dict[str, Any]) -> list[str]:
    """Principals in a trust statement that stand for the people of an account."""
    principal = statement.get("Principal")
    values = as_list(principal.get("AWS")) if isinstance(principal, dict) else as_list(principal)
    humans = []
    for value in values:
        if not isinstance(value, str):
            continue
        if value == "*" or ACCOUNT_ID.fullmatch(value) or value.endswith(":root") or ":user/" in value:
            humans.append(value)
    return humans


def _assumes_role(statement: dict[str, Any]) -> bool:
    actions = [a.lower() for a in as_list(statement.get("Action")) if isinstance(a, str)]
    return any(a in ("sts:assumerole", "sts:*", "*") for a in actions)


def _check_role_trust(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != ROLE:
        return
    props = plain(args.props)
    document = json_value(props.get("assumeRolePolicy"))
    name = props.get("name") if isinstance(props.get("name"), str) else args.name
    for statement in statements(document):
        if statement.get("Effect") != "Allow" or not _assumes_role(statement):
            continue
        principals = _account_principals(statement)
        if principals and "true" not in condition_values(statement, BOOL_OPERATORS, MFA_KEY):
            report_violation(
                f"role '{name}' lets {', '.join(principals)} assume it without "
                f"{MFA_KEY}; add a Bool condition {MFA_KEY}: true to the trust policy",
                None,
            )


human_roles_require_mfa = ResourceValidationPolicy(
    name="human-roles-require-mfa",
    description="A role that IAM principals of an account may assume requires MFA in its trust policy.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_role_trust,
)


def grants_everything(document: Any) -> bool:
    for statement in statements(document):
        if statement.get("Effect") != "Allow" or "NotAction" in statement:
            continue
        if "*" in as_list(statement.get("Action")) and "*" in as_list(statement.get("Resource")):
            return True
    return False


def _inline_policies(resources: list[Resource]) -> list[tuple[str, str, Any, str]]:
    """(kind, owner name, parsed document, urn) of every inline policy in the stack."""
    found: list[tuple[str, str, Any, str]] = []
    permission_sets = References(of_type(resources, PERMISSION_SET), match_on=("arn",))
    for inline in of_type(resources, PERMISSION_SET_INLINE_POLICY):
        owner = permission_sets.of(inline, "permissionSetArn")
        name = owner.label() if owner is not None else inline.name
        found.append(("permission set", name, json_value(inline.props.get("inlinePolicy")), inline.urn))
    for role in of_type(resources, ROLE):
        for policy in as_list(role.props.get("inlinePolicies")):
            if isinstance(policy, dict):
                found.append(("role", role.label(), json_value(policy.get("policy")), role.urn))
    for policy in of_type(resources, ROLE_POLICY):
        owner_name = policy.props.get("role")
        name = owner_name if isinstance(owner_name, str) else policy.name
        found.append(("role", name, json_value(policy.props.get("policy")), policy.urn))
    return found


def _check_wildcard_inline(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    allowed = args.get_config().get("allowedNames", [])
    resources = resources_of(args, PERMISSION_SET, PERMISSION_SET_INLINE_POLICY, ROLE, ROLE_POLICY)
    for kind, name, document, urn in _inline_policies(resources):
        if name not in allowed and grants_everything(document):
            report_violation(
                f'{kind} \'{name}\' has an inline policy allowing "Action": "*" on "Resource": "*"; '
                "attach the AdministratorAccess managed policy instead, or allow-list it in allowedNames",
                urn,
            )


no_wildcard_inline_admin = StackValidationPolicy(
    name="no-wildcard-inline-admin",
    description='Inline policies of permission sets and roles never allow "*" on "*".',
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_wildcard_inline,
    config_schema=PolicyConfigSchema(
        properties={
            "allowedNames": string_list("permission set or role names whose inline policy may allow * on *"),
        }
    ),
)
