"""Organization-level power: who administers the organization's services, which guardrails the
root and the production OUs keep, where production accounts sit, and that the management
account is never managed as a member.

Each is a stack policy: the answer depends on other resources (the accounts an id names, the
OU tree an attachment sits in), which only the stack view shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from .organization_view import PRODUCTION_KNOBS, VIEW_TYPES, OrganizationView, in_subtree
from .program_rules import (
    ACCOUNT_ID,
    AUTHORIZATION_POLICY_TYPES,
    DEFAULT_POLICY_TYPE,
    DELEGATED_ADMINISTRATOR,
    GUARDDUTY_ADMIN_ACCOUNT,
    POLICY,
    POLICY_ATTACHMENT,
    SECURITY_HUB_ADMIN_ACCOUNT,
)
from .props import UNKNOWN, arn_account, as_list, is_unknown, json_value, statements, tag_matches, undecided
from .schema import string_list
from .stack import References, Resource, of_type, resources_of

RESOURCE_POLICY = "aws:organizations/resourcePolicy:ResourcePolicy"
# The Organizations resource policy delegates policy management (and read access) to the
# accounts it names: https://docs.aws.amazon.com/organizations/latest/userguide/orgs-policy-delegate.html
ORGANIZATIONS_PRINCIPAL = "organizations.amazonaws.com"
# Services with their own "make this account the administrator" resource: (principal, input).
# Each also registers the account as the service's delegated administrator with Organizations:
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html
SERVICE_ADMIN_TYPES = {
    GUARDDUTY_ADMIN_ACCOUNT: ("guardduty.amazonaws.com", "adminAccountId"),
    SECURITY_HUB_ADMIN_ACCOUNT: ("securityhub.amazonaws.com", "adminAccountId"),
    "aws:macie2/organizationAdminAccount:OrganizationAdminAccount": ("macie.amazonaws.com", "adminAccountId"),
    "aws:detective/organizationAdminAccount:OrganizationAdminAccount": (
        "detective.amazonaws.com",
        "accountId",
    ),
    "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount": ("inspector2.amazonaws.com", "accountId"),
    "aws:fms/adminAccount:AdminAccount": ("fms.amazonaws.com", "accountId"),
}
DELEGATION_TYPES = (DELEGATED_ADMINISTRATOR, RESOURCE_POLICY, *SERVICE_ADMIN_TYPES)


# --- delegated-administrators-designated ------------------------------------------------------


class _Delegations:
    """Who a delegation names, as the allow-list names accounts: by the stack's account names."""

    def __init__(
        self, view: OrganizationView, allowed: Mapping[str, list[str]], report: ReportViolation
    ) -> None:
        self.view = view
        self.allowed = allowed
        self.report = report

    def account_label(self, account_id: str) -> str:
        account = self.view.account_of.by_value(account_id)
        if account is not None:
            return account.label()
        return "the management account" if account_id in self.view.management_ids else account_id

    def check(self, resource: Resource, principal: Any, label: str | None) -> None:
        """`label` (an account name or id, None when it cannot be told) administers `principal`."""
        subject = f"{resource.declared_type} '{resource.name}'"
        if label is None:
            self.report(undecided(subject, "the account it delegates to"), resource.urn)
            return
        if is_unknown(principal):
            self.report(undecided(subject, "servicePrincipal"), resource.urn)
            return
        listed = self.allowed.get(principal, [])
        if label in listed:
            return
        self.report(
            f"{subject} makes account '{label}' a delegated administrator of {principal}, which "
            f"delegatedAdministrators does not allow ({', '.join(listed) or 'no account'}); delegate "
            f"to a designated account, or designate '{label}' for {principal} in the policy config",
            resource.urn,
        )

    def account_input(self, resource: Resource, key: str) -> str | None:
        """The account `resource.props[key]` names: the stack's account name, else its id."""
        account = self.view.account_of.through_input(resource, key)
        if account is not None:
            return account.label()
        value = resource.props.get(key)
        return self.account_label(value) if isinstance(value, str) and not is_unknown(value) else None


def _policy_principals(content: Any) -> list[str] | Any:
    """The accounts an Organizations resource policy allows ("*" for anyone); UNKNOWN if not known."""
    document = json_value(content)
    if is_unknown(document):
        return document
    accounts: list[str] = []
    for statement in statements(document):
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        values = as_list(principal.get("AWS")) if isinstance(principal, dict) else as_list(principal)
        for value in values:
            if not isinstance(value, str):
                continue
            account = value if ACCOUNT_ID.fullmatch(value) else arn_account(value)
            accounts.append(account or value)
    return accounts


def _check_delegations(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    resources = resources_of(args, *VIEW_TYPES, *DELEGATION_TYPES)
    delegations = _Delegations(
        OrganizationView(resources), config.get("delegatedAdministrators", {}), report_violation
    )
    for resource in resources:
        if resource.type == DELEGATED_ADMINISTRATOR:
            label = delegations.account_input(resource, "accountId")
            delegations.check(resource, resource.props.get("servicePrincipal"), label)
        elif resource.type in SERVICE_ADMIN_TYPES:
            principal, key = SERVICE_ADMIN_TYPES[resource.type]
            delegations.check(resource, principal, delegations.account_input(resource, key))
        elif resource.type == RESOURCE_POLICY:
            principals = _policy_principals(resource.props.get("content"))
            if is_unknown(principals):
                subject = f"{resource.declared_type} '{resource.name}'"
                report_violation(undecided(subject, "content"), resource.urn)
                continue
            for principal in principals:
                label = "anyone" if principal == "*" else delegations.account_label(principal)
                delegations.check(resource, ORGANIZATIONS_PRINCIPAL, label)


delegated_administrators_designated = StackValidationPolicy(
    name="delegated-administrators-designated",
    description="Organization services are delegated only to the accounts designated for each of them.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_delegations,
    config_schema=PolicyConfigSchema(
        properties={
            "delegatedAdministrators": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "default": {},
                "description": (
                    "account names allowed to administer each service principal "
                    f"({ORGANIZATIONS_PRINCIPAL} for Organizations policy management); "
                    "a principal not listed may be delegated to no account"
                ),
            },
        }
    ),
)


# --- guardrails-stay-attached --------------------------------------------------------------------


# The conditions a deny-all may carry: exemptions of named principals, nothing that narrows
# what is denied (a region, a service, a tag would leave the rest allowed).
_EXEMPTING_OPERATORS = frozenset({"arnnotlike", "arnnotequals", "stringnotlike", "stringnotequals"})
# An exempt role must be one role, in any account: its name literal, but for the `?`s that end an
# Identity Center role's name (AWSReservedSSO_<set>_ + 16 characters, as exemptPermissionSets
# writes it, under a path whose region segment may be `*`); `role/*` or `*` would exempt everyone.
_ONE_ROLE = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}|\*):role/(([\w+=,.@-]+|\*)/)*[\w+=,.@-]+\?*")


def _denies_everything(content: Any) -> bool | None:
    """Whether a service control policy has a statement denying every action on every resource,
    conditioned at most on the principal being one of a few named roles."""
    document = json_value(content)
    if document is UNKNOWN:
        return None
    for statement in statements(document):
        if statement.get("Effect") != "Deny" or "NotAction" in statement or "NotResource" in statement:
            continue
        if "*" not in as_list(statement.get("Action")) or "*" not in as_list(statement.get("Resource")):
            continue
        condition = statement.get("Condition") or {}
        if not isinstance(condition, dict):
            continue
        exemptions_only = all(
            isinstance(keys, dict)
            and operator.lower() in _EXEMPTING_OPERATORS
            and all(
                key.lower() == "aws:principalarn"
                and all(isinstance(v, str) and _ONE_ROLE.fullmatch(v) for v in as_list(values))
                for key, values in keys.items()
            )
            for operator, keys in condition.items()
        )
        if exemptions_only:
            return True
    return False


class _Attachments:
    """Which guardrails (names of service and resource control policies) are attached to the
    root and to each OU.

    Only authorization policies guard anything: a tag, backup or other management policy that
    bears a required guardrail's name (say, an SCP turned into an AI opt-out policy) restricts
    nothing and does not count; a policy whose type is unknown keeps the verdict open.
    """

    ROOT = "root"

    def __init__(self, view: OrganizationView, resources: list[Resource]) -> None:
        self.view = view
        policies = of_type(resources, POLICY)
        policy_of = References(policies)
        self.attached: dict[str, set[str]] = {}  # target (ROOT or an OU's URN) -> policy names
        self.undecided: set[str] = set()  # policy names attached to a target that cannot be told
        self.not_guarding: dict[str, str] = {}  # policy name -> its (management) type
        self.unknown_type: set[str] = set()  # policy names whose type is not known yet
        # Service control policies that deny every action to all but named roles, by their text
        # (a name alone is a claim: `deny-all-suspended` could allow everything); None: not known yet.
        self.denies_everything: dict[str, bool | None] = {}
        for attachment in of_type(resources, POLICY_ATTACHMENT):
            policy = policy_of.of(attachment, "policyId")
            name = policy.props.get("name") if policy is not None else None
            if policy is None or not isinstance(name, str) or is_unknown(name):
                continue
            policy_type = policy.props.get("type", DEFAULT_POLICY_TYPE)
            if is_unknown(policy_type):
                self.unknown_type.add(name)
                continue
            if policy_type not in AUTHORIZATION_POLICY_TYPES:
                self.not_guarding[name] = str(policy_type)
                continue
            if policy_type == DEFAULT_POLICY_TYPE:
                self.denies_everything[name] = _denies_everything(policy.props.get("content"))
            target = self._target(attachment)
            if target is None:
                self.undecided.add(name)
            else:
                self.attached.setdefault(target, set()).add(name)

    def _target(self, attachment: Resource) -> str | None:
        target_id = attachment.props.get("targetId")
        if isinstance(target_id, str) and not is_unknown(target_id) and target_id.startswith("r-"):
            return self.ROOT
        unit = self.view.unit_of.of(attachment, "targetId")
        if unit is not None:
            return unit.urn
        if self.view.is_root_reference(attachment, "targetId"):
            return self.ROOT
        # An account, or an OU outside this stack: neither is the root nor a production OU.
        return "other" if not is_unknown(target_id) else None

    def reaching(self, unit: Resource) -> set[str]:
        """Policy names attached to the OU, to an OU above it, or to the root.

        An SCP attached above an OU restricts every account below it: https://docs.aws.amazon.com/
        organizations/latest/userguide/orgs_manage_policies_inheritance_auth.html
        """
        names = set(self.attached.get(self.ROOT, set()))
        current: Resource | None = unit
        seen: set[str] = set()
        while current is not None and current.urn not in seen:
            seen.add(current.urn)
            names |= self.attached.get(current.urn, set())
            current = self.view.unit_of.of(current, "parentId")
        return names


def _not_guarding(attachments: _Attachments, name: str) -> str:
    """Words for a required guardrail that exists only as a management policy."""
    policy_type = attachments.not_guarding.get(name)
    if policy_type is None:
        return ""
    return (
        f" a {policy_type} of that name is attached, which guards nothing (only service and "
        "resource control policies do);"
    )


def _is_production_ou(path: str, entries: list[str]) -> bool:
    """The OU is one the knob names (not one below it: guardrails attached above reach those)."""
    return any(path == entry if "/" in entry else path.rsplit("/", 1)[-1] == entry for entry in entries)


def _check_guardrails(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    root_required = config.get("rootGuardrails", [])
    production_required = config.get("productionGuardrails", [])
    production_ous = config.get("productionOus", ["Production"])
    resources = resources_of(args, *VIEW_TYPES, POLICY, POLICY_ATTACHMENT)
    view = OrganizationView(resources)
    attachments = _Attachments(view, resources)
    # An account stack attaches no guardrail to the root: whether its organization stack does is
    # judged there, never assumed here (its production OUs are judged there too).
    for name in root_required if not view.account_stack else ():
        if name in attachments.attached.get(_Attachments.ROOT, set()):
            continue
        if name in attachments.unknown_type:
            report_violation(undecided(f"guardrail '{name}'", "its policy type"), None)
            continue
        if name in attachments.undecided:
            report_violation(undecided(f"guardrail '{name}'", "the target it is attached to"), None)
            continue
        report_violation(
            f"guardrail '{name}' is not attached to the organization's root, which rootGuardrails "
            f"requires;{_not_guarding(attachments, name)} attach it to the root (guardrails: root: true) "
            "or take it out of rootGuardrails",
            None,
        )
    for unit in view.units:
        path = view.ou_path(unit)
        if path is None:
            if production_required:
                report_violation(undecided(f"OU '{unit.label()}'", "its place in the OU tree"), unit.urn)
            continue
        if not _is_production_ou(path, production_ous):
            continue
        reaching = attachments.reaching(unit)
        for name in production_required:
            if name in reaching:
                continue
            if name in attachments.unknown_type:
                report_violation(undecided(f"guardrail '{name}'", "its policy type"), unit.urn)
                continue
            if name in attachments.undecided:
                report_violation(undecided(f"guardrail '{name}'", "the target it is attached to"), unit.urn)
                continue
            report_violation(
                f"guardrail '{name}' does not reach production OU '{path}', which productionGuardrails "
                f"requires;{_not_guarding(attachments, name)} attach it to that OU, an OU above it or the "
                "root, or take it out of productionGuardrails",
                unit.urn,
            )


guardrails_stay_attached = StackValidationPolicy(
    name="guardrails-stay-attached",
    description="The root and the production OUs keep the service and resource control policies the "
    "organization requires of them.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_guardrails,
    config_schema=PolicyConfigSchema(
        properties={
            "rootGuardrails": string_list(
                "names of the service or resource control policies that stay attached to the root"
            ),
            "productionGuardrails": string_list(
                "names of the service or resource control policies that reach every production OU "
                "(attached to it or above it)"
            ),
            "productionOus": string_list("OU names or paths that are production OUs", ["Production"]),
        }
    ),
)


# --- suspended-accounts-contained -----------------------------------------------------------------


def _check_suspended_contained(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    suspended_tags = config.get("suspendedTags", ["lifecycle=suspended"])
    required = config.get("suspendedGuardrails", ["deny-all-suspended"])
    resources = resources_of(args, *VIEW_TYPES, POLICY, POLICY_ATTACHMENT)
    view = OrganizationView(resources)
    attachments = _Attachments(view, resources)
    for account in view.accounts:
        tags = account.props.get("tags")
        if is_unknown(tags) or not tag_matches(tags, suspended_tags):
            continue  # unknown tags: account-lifecycle-safe reports them
        name = account.label()
        unit = view.unit_of.of(account, "parentId")
        if unit is None and is_unknown(account.props.get("parentId")):
            report_violation(undecided(f"account '{name}'", "the OU it sits in (parentId)"), account.urn)
            continue
        reaching = (
            attachments.reaching(unit)
            if unit is not None
            else attachments.attached.get(_Attachments.ROOT, set())
        )
        present = [guardrail for guardrail in required if guardrail in reaching]
        if any(attachments.denies_everything.get(guardrail) for guardrail in present):
            continue
        if any(guardrail in attachments.undecided for guardrail in required):
            report_violation(
                undecided(f"guardrail '{required[0]}'", "the target it is attached to"), account.urn
            )
            continue
        unread = [g for g in present if attachments.denies_everything.get(g) is None]
        if unread:
            report_violation(undecided(f"guardrail '{unread[0]}'", "its content"), account.urn)
            continue
        if present:
            report_violation(
                f"account '{name}' is suspended under {', '.join(present)}, which does not deny every "
                "action: a deny-all guardrail denies Action * on Resource *, exempting at most named "
                "roles (aws:PrincipalArn), with no other condition",
                account.urn,
            )
            continue
        report_violation(
            f"account '{name}' is suspended but sits in {view.placement(account)}, which no "
            f"{' or '.join(required) or 'suspendedGuardrails'} guardrail reaches: everything must stay "
            "denied there; attach it to the suspended OU (organization.suspendedOu)",
            account.urn,
        )


suspended_accounts_contained = StackValidationPolicy(
    name="suspended-accounts-contained",
    description="A suspended account sits where a deny-all guardrail reaches it.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_suspended_contained,
    config_schema=PolicyConfigSchema(
        properties={
            "suspendedTags": string_list(
                "key=value tags that mark a suspended account", ["lifecycle=suspended"]
            ),
            "suspendedGuardrails": string_list(
                "names of the policies, one of which reaches every suspended account", ["deny-all-suspended"]
            ),
        }
    ),
)


# --- production-accounts-in-production-ous ----------------------------------------------------


def _check_production_placement(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    production_ous = config.get("productionOus", ["Production"])
    deny_all = config.get("denyAllGuardrails", ["deny-all-suspended"])
    resources = resources_of(args, *VIEW_TYPES, POLICY, POLICY_ATTACHMENT)
    view = OrganizationView(resources)
    attachments = _Attachments(view, resources)
    for account in view.accounts:
        name = account.label()
        # Marked by name or tag, not by OU: where it sits is the question.
        marked = view.marked_production(account, config)
        if marked is None:
            report_violation(undecided(f"account '{name}'", "tags"), account.urn)
            continue
        if not marked:
            continue
        path = view.parent_path(account)
        if path is None and is_unknown(account.props.get("parentId")):
            report_violation(undecided(f"account '{name}'", "the OU it sits in (parentId)"), account.urn)
            continue
        if path is not None and in_subtree(path, production_ous):
            continue
        unit = view.unit_of.of(account, "parentId")
        if unit is not None and any(
            g in attachments.reaching(unit) and attachments.denies_everything.get(g) for g in deny_all
        ):
            # Contained (a new account in quarantine, organization.quarantineOu): everything is
            # denied there, more than any production guardrail; judged by the attachment, not the
            # OU's name, so that a name alone cannot take an account out of its guardrails.
            continue
        report_violation(
            f"production account '{name}' sits in {view.placement(account)}, outside the production OUs "
            f"({', '.join(production_ous) or 'none'}), whose guardrails it would lose; move it back "
            "under a production OU",
            account.urn,
        )


production_accounts_in_production_ous = StackValidationPolicy(
    name="production-accounts-in-production-ous",
    description="Production accounts stay under a production OU, where its guardrails apply.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_production_placement,
    config_schema=PolicyConfigSchema(
        properties={
            **PRODUCTION_KNOBS,
            "denyAllGuardrails": string_list(
                "names of deny-all policies: a production account in an OU they reach (a new account "
                "in quarantine) is contained",
                ["deny-all-suspended"],
            ),
        }
    ),
)


# --- management-account-not-a-member ----------------------------------------------------------


def _check_management_not_member(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    view = OrganizationView(resources_of(args, *VIEW_TYPES), config.get("managementAccountIds", []))
    for account in view.accounts:
        account_id = view.account_id(account)
        if account_id in view.management_ids:
            report_violation(
                f"account '{account.label()}' is the management account ({account_id}), which cannot be "
                "managed as a member account (guardrails never restrict it); remove it from the stack's "
                "accounts",
                account.urn,
            )


management_account_not_a_member = StackValidationPolicy(
    name="management-account-not-a-member",
    description="The management account is never managed as one of the stack's member accounts.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_management_not_member,
    config_schema=PolicyConfigSchema(
        properties={
            "managementAccountIds": string_list(
                "ids of the management account (the stack's own resources also tell it)"
            ),
        }
    ),
)
