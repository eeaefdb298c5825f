"""IAM: humans sign in through Identity Center with MFA; no long-lived keys, no inline admin.

What a policy document allows, requires or denies is read with IAM's own semantics
(`iam_semantics`), never by comparing literal strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
from .native import input_name, normalized
from .organization_view import last_role_account
from .program_rules import PERMISSION_SET, PERMISSION_SET_INLINE_POLICY
from .props import UNKNOWN, as_list, is_unknown, json_value, plain, statements, undecided
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
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
MANAGED_POLICY = "aws:iam/policy:Policy"
USER_GROUP_MEMBERSHIP = "aws:iam/userGroupMembership:UserGroupMembership"
GROUP_MEMBERSHIP = "aws:iam/groupMembership:GroupMembership"
USER_POLICY = "aws:iam/userPolicy:UserPolicy"
# pulumi-aws-native's IAM resources are read as their classic twins (`native`): a native user's
# loginProfile is a UserLoginProfile, a native group's policies are GroupPolicy resources.
NATIVE_ROLE = "aws-native:iam:Role"
NATIVE_USER = "aws-native:iam:User"
NATIVE_GROUP = "aws-native:iam:Group"
MFA_KEY = "aws:MultiFactorAuthPresent"


def _scopes(args: StackValidationArgs) -> dict[str, str]:
    """The account each resource acts in, by URN: IAM names are per account.

    The account of its provider's last role when known, "" for the stack's own credentials
    (the management account), else the provider's URN (two such providers, two accounts).
    """
    scopes: dict[str, str] = {}
    for resource in args.resources:
        provider = resource.provider
        account = None if provider is None else last_role_account(plain(provider.props))
        if account is None:
            scopes[resource.urn] = ""
        elif isinstance(account, str) and account:
            scopes[resource.urn] = account
        else:
            scopes[resource.urn] = provider.urn if provider is not None else ""
    return scopes


def denies_everything_without_mfa(document: Any) -> bool:
    """The "force MFA" policy: a Deny of every action (bar MFA set-up in iam and sts), on any
    resource, that surely applies to a console session signed in without MFA."""
    return any(
        statement.get("Effect") == "Deny"
        and iam.covers_every_action(statement)
        and iam.covers_any_resource(statement)
        and iam.applies_without_mfa(statement)
        for statement in statements(document)
    )


# --- iam-users-require-mfa ----------------------------------------------------------------------


@dataclass
class _Group:
    forces_mfa: bool = False
    unknown: list[str] = field(default_factory=list)  # policies that cannot be read yet


@dataclass
class _Accounts:
    """IAM groups and memberships of one stack, keyed by (account scope, name): a name means
    a group or user only within its account."""

    groups: dict[tuple[str, str], _Group] = field(default_factory=dict)
    member_of: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    unknown_membership: dict[tuple[str, str], str] = field(default_factory=dict)

    def judge(self, scope: str, group: Any, document: Any, source: str) -> None:
        """Record whether the policy resource `source` gives `group` forces MFA."""
        if not isinstance(group, str) or is_unknown(group):
            return  # a group named by an output: memberships naming it are unknown too
        verdict = self.groups.setdefault((scope, group), _Group())
        if is_unknown(document):
            verdict.unknown.append(f"the policy of '{source}' for group '{group}'")
        elif denies_everything_without_mfa(document):
            verdict.forces_mfa = True

    def join(self, scope: str, user: str, groups: Any, source: str) -> None:
        key = (scope, user)
        for group in [UNKNOWN] if is_unknown(groups) else as_list(groups):
            if is_unknown(group):
                self.unknown_membership[key] = source
            elif isinstance(group, str):
                self.member_of.setdefault(key, set()).add(group)


_USER_TYPES = (
    USER,
    LOGIN_PROFILE,
    USER_GROUP_MEMBERSHIP,
    GROUP_MEMBERSHIP,
    MANAGED_POLICY,
    GROUP_POLICY,
    GROUP_POLICY_ATTACHMENT,
    POLICY_ATTACHMENT,
)


def _attached_document(managed: References, attachment: Resource) -> Any:
    """The document of the stack's managed policy an attachment names; None for one outside the stack."""
    policy = managed.of(attachment, "policyArn")
    if policy is None:
        return UNKNOWN if is_unknown(attachment.props.get("policyArn")) else None
    return json_value(policy.props.get("policy"))


def _read_groups(resources: list[Resource], scopes: dict[str, str]) -> _Accounts:
    accounts = _Accounts()
    managed = References(of_type(resources, MANAGED_POLICY), match_on=("arn",))
    for inline in of_type(resources, GROUP_POLICY):
        accounts.judge(
            scopes[inline.urn],
            inline.props.get("group"),
            json_value(inline.props.get("policy")),
            inline.name,
        )
    for attachment in of_type(resources, GROUP_POLICY_ATTACHMENT):
        document = _attached_document(managed, attachment)
        group = attachment.props.get("group")
        accounts.judge(scopes[attachment.urn], group, document, attachment.name)
    for attachment in of_type(resources, POLICY_ATTACHMENT):
        document = _attached_document(managed, attachment)
        for group in as_list(attachment.props.get("groups")):
            accounts.judge(scopes[attachment.urn], group, document, attachment.name)
    return accounts


def _read_users(
    resources: list[Resource], scopes: dict[str, str], accounts: _Accounts
) -> list[tuple[str, str, str]]:
    """Memberships into `accounts`, and the console users as (scope, user name, URN to report on)."""
    for membership in of_type(resources, USER_GROUP_MEMBERSHIP):
        user = membership.props.get("user")
        if isinstance(user, str) and not is_unknown(user):
            accounts.join(scopes[membership.urn], user, membership.props.get("groups"), membership.name)
    for membership in of_type(resources, GROUP_MEMBERSHIP):
        group = membership.props.get("group")
        for user in as_list(membership.props.get("users")):
            if isinstance(user, str) and not is_unknown(user):
                accounts.join(scopes[membership.urn], user, [group], membership.name)
    console: list[tuple[str, str, str]] = []
    user_urns = {(scopes[u.urn], u.props.get("name")): u.urn for u in of_type(resources, USER)}
    for login in of_type(resources, LOGIN_PROFILE):
        user = login.props.get("user")
        # A user named by another resource's output is id-like: judged once it is known.
        if isinstance(user, str) and not is_unknown(user):
            scope = scopes[login.urn]
            console.append((scope, user, user_urns.get((scope, user), login.urn)))
    return console


def _check_users_mfa(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    scopes = _scopes(args)
    resources = resources_of(args, *_USER_TYPES)
    accounts = _read_groups(resources, scopes)
    for scope, user, urn in _read_users(resources, scopes, accounts):
        groups = [
            accounts.groups.get((scope, g), _Group()) for g in accounts.member_of.get((scope, user), ())
        ]
        if any(group.forces_mfa for group in groups):
            continue
        unknown = [what for group in groups for what in group.unknown]
        if (scope, user) in accounts.unknown_membership:
            unknown.append(f"the group list of '{accounts.unknown_membership[(scope, user)]}'")
        if unknown:
            report_violation(undecided(f"IAM user '{user}'", unknown[0]), urn)
            continue
        report_violation(
            f"IAM user '{user}' has a console login but is in no group whose policy denies everything "
            "without MFA; people should sign in through Identity Center",
            urn,
        )


iam_users_require_mfa = StackValidationPolicy(
    name="iam-users-require-mfa",
    description=(
        "An IAM user with a console password is in a group of its account that denies everything without MFA."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_users_mfa,
)


# --- no-iam-user-access-keys --------------------------------------------------------------------


def _check_access_key(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    resource_type, props = normalized(args)
    if resource_type != ACCESS_KEY:
        return
    user = props.get("user")
    if is_unknown(user):
        return  # a user created in the same update: its name is an output (id-like)
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


# --- human-roles-require-mfa --------------------------------------------------------------------

_HUMAN_KINDS = ("anyone", "account", "user")


def _vendor_statement(statement: dict[str, Any], humans: list[str], vendors: list[Any]) -> bool:
    """Whether a trust statement is an allow-listed vendor's: every principal is an account of
    `vendors`, and the statement requires `sts:ExternalId` StringEquals to values listed for it.

    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
    """
    allowed: dict[str, set[str]] = {}
    for vendor in vendors:
        if isinstance(vendor, dict):
            allowed.setdefault(str(vendor.get("accountId")), set()).add(str(vendor.get("externalId")))
    accounts = {iam.principal_account(h) for h in humans}
    if None in accounts or any(iam.principal_kind("AWS", h) != "account" for h in humans):
        return False
    required = [
        {iam.condition_value_text(v) for v in as_list(values)}
        for operator, key, values in iam.condition_entries(statement)
        if operator.lower() == "stringequals" and key.lower() == "sts:externalid"
    ]
    return any(
        values and all(values <= allowed.get(str(account), set()) for account in accounts)
        for values in required
    )


def _denies_assume_role_without_mfa(statement: dict[str, Any]) -> bool:
    """A trust Deny of sts:AssumeRole to every principal that applies to every request without MFA."""
    return (
        statement.get("Effect") == "Deny"
        and "sts:assumerole" in iam.allowed_actions(statement)
        and ("AWS", "*") in iam.principals(statement)
        and all(iam.applies_without_mfa(statement, context) for context in iam.WITHOUT_MFA)
    )


def _check_role_trust(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    resource_type, props = normalized(args)
    if resource_type != ROLE:
        return
    name = props.get("name")
    name = name if isinstance(name, str) and not is_unknown(name) else args.name
    document = json_value(props.get("assumeRolePolicy"))
    if is_unknown(document):
        report_violation(
            undecided(f"role '{name}'", input_name(args.resource_type, "assumeRolePolicy")), None
        )
        return
    vendors = args.get_config().get("vendorRoles", [])
    # An explicit Deny wins over every Allow: one that refuses everyone without MFA covers the document.
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    mfa_by_deny = any(_denies_assume_role_without_mfa(s) for s in statements(document))
    for statement in statements(document):
        if not iam.allows_assume_role(statement):
            continue
        humans = [v for k, v in iam.principals(statement) if iam.principal_kind(k, v) in _HUMAN_KINDS]
        if not humans:
            continue
        if "*" in humans and not iam.restricted_to_named_callers(statement):
            report_violation(
                f"role '{name}' lets any AWS principal assume it (Principal \"*\"); name the accounts that "
                "may, or restrict callers with a condition on aws:PrincipalOrgID or aws:PrincipalAccount",
                None,
            )
        elif mfa_by_deny or iam.requires_mfa(statement) or _vendor_statement(statement, humans, vendors):
            continue
        else:
            report_violation(
                f"role '{name}' lets {', '.join(humans)} assume it without MFA; add the condition "
                f'"Bool": {{"{MFA_KEY}": "true"}} to its trust statement, or, for a vendor, list its '
                "accountId and externalId in vendorRoles and require sts:ExternalId with StringEquals",
                None,
            )


human_roles_require_mfa = ResourceValidationPolicy(
    name="human-roles-require-mfa",
    description=(
        "A role that people of an account may assume requires MFA in its trust policy, "
        "unless it is an allow-listed vendor's."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_role_trust,
    config_schema=PolicyConfigSchema(
        properties={
            "vendorRoles": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"accountId": {"type": "string"}, "externalId": {"type": "string"}},
                    "required": ["accountId", "externalId"],
                },
                "default": [],
                "description": "third-party accounts that may assume roles without MFA, each with the "
                "external id its trust statements must require",
            },
        }
    ),
)


# --- no-wildcard-inline-admin -------------------------------------------------------------------


def _policies(resources: list[Resource]) -> list[tuple[str, str, Any, str, str]]:
    """(kind, owner name, parsed document, property, urn) of every policy document the stack writes."""
    found: list[tuple[str, str, Any, str, str]] = []
    permission_sets = References(of_type(resources, PERMISSION_SET), match_on=("arn",))
    for inline in of_type(resources, PERMISSION_SET_INLINE_POLICY):
        owner = permission_sets.of(inline, "permissionSetArn")
        name = owner.label() if owner is not None else inline.name
        document = json_value(inline.props.get("inlinePolicy"))
        found.append(("permission set", name, document, "inlinePolicy", inline.urn))
    for role in of_type(resources, ROLE):
        for policy in as_list(role.props.get("inlinePolicies")):
            document = json_value(policy.get("policy")) if isinstance(policy, dict) else json_value(policy)
            found.append(("role", role.label(), document, "inlinePolicies", role.urn))
    for kind, type_, owner_key in (
        ("role", ROLE_POLICY, "role"),
        ("group", GROUP_POLICY, "group"),
        ("user", USER_POLICY, "user"),
    ):
        for policy in of_type(resources, type_):
            owner_name = policy.props.get(owner_key)
            name = owner_name if isinstance(owner_name, str) else policy.name
            found.append((kind, name, json_value(policy.props.get("policy")), "policy", policy.urn))
    for policy in of_type(resources, MANAGED_POLICY):
        found.append(
            ("managed policy", policy.label(), json_value(policy.props.get("policy")), "policy", policy.urn)
        )
    return found


def _check_inline_admin(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    allowed = args.get_config().get("allowedNames", [])
    resources = resources_of(
        args,
        PERMISSION_SET,
        PERMISSION_SET_INLINE_POLICY,
        ROLE,
        ROLE_POLICY,
        GROUP_POLICY,
        USER_POLICY,
        MANAGED_POLICY,
    )
    for kind, name, document, key, urn in _policies(resources):
        if name in allowed:
            continue
        if is_unknown(document):
            report_violation(undecided(f"{kind} '{name}'", key), urn)
            continue
        reason = iam.admin_grant(document)
        if reason is not None:
            report_violation(
                f"{kind} '{name}' has a policy that grants administrator access ({reason}); attach the "
                "AdministratorAccess managed policy where admin is meant, narrow the policy, or allow-list "
                "the name in allowedNames",
                urn,
            )


no_wildcard_inline_admin = StackValidationPolicy(
    name="no-wildcard-inline-admin",
    description=(
        "Policies the stack writes (permission sets, roles, groups, users) never grant administrator access."
    ),
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_inline_admin,
    config_schema=PolicyConfigSchema(
        properties={
            "allowedNames": string_list(
                "permission set, role, group, user or managed policy names whose policy may grant admin"
            ),
        }
    ),
)
