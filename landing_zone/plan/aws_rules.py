"""The AWS rules the offline plan holds a program to: what AWS, or the provider before it, would refuse.

Each rule has an id, the words a user reads, the source it was checked against, and its check.
The mocks accept every registration; `judge` runs once the program has finished, over every
registration and lookup of the run, and returns every refusal at once (a user wants all the
problems of a plan, not the first). Judging at the end also means that a resource is judged
against the organization's final inputs, whatever order the program registered them in: the
engine orders the real calls by their dependencies (in this program everything inside the
organization depends on the `Organization` resource through the root id).
"""

from __future__ import annotations

import json
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from landing_zone import principals
from landing_zone.config.account_settings import (
    PRIMARY_REQUIRED,
    ROOT_ACCESS_FEATURES,
    primary_contact_field_problems,
)
from landing_zone.config.base import ACCOUNT_ID, ACCOUNT_NAME, ROOT_ID, Matching
from landing_zone.config.baseline import ACCOUNT_ALIAS as ACCOUNT_ALIAS_RULE
from landing_zone.config.baseline import ANALYZER_NAME
from landing_zone.config.cost_controls import BUDGET_NAME
from landing_zone.config.guardrails import MAX_POLICY_DESCRIPTION
from landing_zone.config.identity import PermissionSetName
from landing_zone.config.organization import MAX_OU_DEPTH, MAX_OU_NAME_LENGTH
from landing_zone.config.organization_trail import BUCKET_NAME, TRAIL_NAME
from landing_zone.config.region_opt_in import is_opt_in_region
from landing_zone.guardrails.policy_types import AWS_POLICY_TYPES
from landing_zone.guardrails.policy_types import POLICY_TYPES as POLICY_TYPE_RULES
from landing_zone.resource_types import (
    ACCESS_ANALYZER,
    ACCOUNT,
    ACCOUNT_ALIAS,
    ACCOUNT_REGION,
    ALTERNATE_CONTACT,
    ANOMALY_MONITOR,
    ANOMALY_SUBSCRIPTION,
    BUCKET,
    BUDGET,
    DELEGATED_ADMINISTRATOR,
    ORGANIZATION,
    ORGANIZATIONAL_UNIT,
    ORGANIZATIONS_FEATURES,
    PERMISSION_SET,
    POLICY,
    POLICY_ATTACHMENT,
    PRIMARY_CONTACT,
    SECURITY_HUB_ADMIN_ACCOUNT,
    TRAIL,
)

from .mocks import GET_SSO_INSTANCES, MANAGEMENT_ACCOUNT_ID, SERVICE_CONTROL_POLICY, MockOrganization

if TYPE_CHECKING:
    from .mocks import RecordedCall
    from .runner import RegisteredResource

# Organizations' policy types, as AWS spells them (CreatePolicy's `Type`; botocore's model has
# the same list, pinned by tests/test_aws_rules.py). Their limits live in policy_types.py.
POLICY_TYPES: tuple[str, ...] = AWS_POLICY_TYPES
# Policies of a type directly attached to one root, OU or account, per the quotas page's table.
# Types the table does not list are not counted.
MAX_ATTACHED_PER_TARGET: dict[str, int] = {
    name: rules.max_attached for name, rules in POLICY_TYPE_RULES.items() if rules.max_attached is not None
}
# Characters of a policy document, as sent, per the quotas page's table.
MAX_SIZE: dict[str, int] = {
    name: rules.max_size for name, rules in POLICY_TYPE_RULES.items() if rules.max_size is not None
}
# AWS's own policies, attached to every root, OU and account once the type is enabled; they
# cannot be detached from the last place and count towards the quota.
ALWAYS_ATTACHED: dict[str, str] = {
    name: rules.always_attached
    for name, rules in POLICY_TYPE_RULES.items()
    if rules.always_attached is not None
}
MONITOR_TYPES = ("DIMENSIONAL", "CUSTOM")
MONITOR_DIMENSIONS = ("SERVICE", "LINKED_ACCOUNT", "TAG", "COST_CATEGORY")
SHOWN_LENGTH = 60  # longer values are shown cut
COUNTED_LENGTH = 20  # longer values are shown with their length: one too many shows


@dataclass(frozen=True)
class Refusal:
    """One registration (or lookup) AWS would refuse, and why: as `pulumi up` would fail on it."""

    rule: str  # the rule's id
    type: str  # the resource's type token, or the data source's
    name: str  # the resource's logical name; "" for a lookup
    urn: str  # "" for a lookup
    message: str  # what is wrong with this one
    words: str  # the rule, as a user reads it
    source: str  # where the rule was checked: AWS's documentation or the provider's code

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "type": self.type,
            "name": self.name,
            "urn": self.urn,
            "message": self.message,
            "words": self.words,
            "source": self.source,
        }


@dataclass(frozen=True)
class OrganizationState:
    """The organization the run is judged against: the stack's `Organization` resource, if it
    registers one, else the mock's looked-up organization."""

    managed: bool  # the stack registers the Organization (created or imported)
    created: bool  # ... and creates it: a new organization
    enabled_policy_types: frozenset[str]
    trusted_services: frozenset[str]
    identity_center_instance: bool
    existing_monitor_dimensions: frozenset[str]


class Finding(NamedTuple):
    type: str
    name: str
    urn: str
    message: str


class Run:
    """What the checks read: the run's custom resources by type and id, its lookups, its organization."""

    def __init__(
        self, resources: Sequence[RegisteredResource], calls: Sequence[RecordedCall], model: MockOrganization
    ) -> None:
        self.by_type: dict[str, list[RegisteredResource]] = defaultdict(list)
        self.by_id: dict[str, RegisteredResource] = {}
        for resource in resources:
            if resource.custom:
                self.by_type[resource.type].append(resource)
                if resource.id:
                    self.by_id[resource.id] = resource
        self.calls = calls
        self.organization = organization_state(self.of_type(ORGANIZATION), model)

    def of_type(self, type_: str) -> list[RegisteredResource]:
        """The resources of `type_`, by logical name: checks report in a stable order."""
        return sorted(self.by_type.get(type_, ()), key=lambda r: r.name)

    def policy_of(self, attachment: RegisteredResource) -> RegisteredResource | None:
        """The attached policy, when this stack registers it (else its type is unknown here)."""
        policy = self.by_id.get(str(attachment.inputs.get("policyId")))
        return policy if policy is not None and policy.type == POLICY else None

    def describe_target(self, target_id: Any) -> str:
        if ROOT_ID.matches(target_id):
            return f"the root ({target_id})"
        target = self.by_id.get(str(target_id))
        if target is not None and target.type == ORGANIZATIONAL_UNIT:
            return f"OU '{target.inputs.get('name')}' ({target_id})"
        if target is not None and target.type == ACCOUNT:
            return f"account '{target.inputs.get('name')}' ({target_id})"
        return f"target {target_id}"


def organization_state(
    organizations: Sequence[RegisteredResource], model: MockOrganization
) -> OrganizationState:
    existing = frozenset(model.existing_monitor_dimensions)
    if not organizations:
        return OrganizationState(
            managed=False,
            created=False,
            enabled_policy_types=frozenset(model.enabled_policy_types),
            trusted_services=frozenset(model.trusted_services),
            identity_center_instance=model.identity_center_instance,
            existing_monitor_dimensions=existing,
        )
    organization = organizations[0]
    inputs = organization.inputs
    # Policy types and trusted access need all features (the provider's default).
    all_features = inputs.get("featureSet", "ALL") == "ALL"
    return OrganizationState(
        managed=True,
        created=not organization.import_id,
        enabled_policy_types=frozenset(inputs.get("enabledPolicyTypes") or ())
        if all_features
        else frozenset(),
        trusted_services=frozenset(inputs.get("awsServiceAccessPrincipals") or ())
        if all_features
        else frozenset(),
        # A new organization has none; an adopted one has what the mock's organization has.
        identity_center_instance=bool(organization.import_id) and model.identity_center_instance,
        existing_monitor_dimensions=existing,
    )


Check = Callable[[Run], Iterable[Finding]]


@dataclass(frozen=True)
class AwsRule:
    id: str
    words: str
    source: str
    check: Check


def judge(
    resources: Sequence[RegisteredResource],
    calls: Sequence[RecordedCall],
    organization: MockOrganization | None = None,
) -> list[Refusal]:
    """Every refusal of a run, rule by rule in the table's order, each rule's in a stable order."""
    run = Run(resources, calls, organization or MockOrganization())
    return [
        Refusal(rule.id, found.type, found.name, found.urn, found.message, rule.words, rule.source)
        for rule in RULES
        for found in sorted(set(rule.check(run)))
    ]


# Helpers for the checks.


def _found(resource: RegisteredResource, message: str) -> Finding:
    return Finding(resource.type, resource.name, resource.urn, message)


def _shown(value: str) -> str:
    """A value as a message quotes it: cut when long, and with its length (one too many shows)."""
    quoted = f"'{value}'" if len(value) <= SHOWN_LENGTH else f"'{value[: SHOWN_LENGTH - 20]}...'"
    return f"{quoted} ({len(value)} characters)" if len(value) > COUNTED_LENGTH else quoted


def _policy_type(policy: RegisteredResource) -> str:
    # The provider sends SERVICE_CONTROL_POLICY when `type` is not set.
    return str(policy.inputs.get("type") or SERVICE_CONTROL_POLICY)


def _normalized(value: Any) -> str:
    """A spelling AWS might read as the same value, to catch 'service' or ' SERVICE'."""
    return str(value or "").strip().upper()


def _listed(values: Iterable[str]) -> str:
    return ", ".join(sorted(values)) or "none"


# Organizations: policy types, attachments, OUs.


def _policy_type_enabled(run: Run) -> Iterator[Finding]:
    enabled = run.organization.enabled_policy_types
    for attachment in run.of_type(POLICY_ATTACHMENT):
        policy = run.policy_of(attachment)
        if policy is None:
            continue
        policy_type = _policy_type(policy)
        if policy_type not in enabled:
            yield _found(
                attachment,
                f"policy '{policy.inputs.get('name', policy.name)}' is a {policy_type} and the root "
                f"does not enable {policy_type} (enabled: {_listed(enabled)})",
            )


def _policy_type_valid(run: Run) -> Iterator[Finding]:
    for policy in run.of_type(POLICY):
        policy_type = _policy_type(policy)
        if policy_type not in POLICY_TYPES:
            yield _found(policy, f"type '{policy_type}' is not a policy type AWS knows")
    for organization in run.of_type(ORGANIZATION):
        for policy_type in organization.inputs.get("enabledPolicyTypes") or ():
            if policy_type not in POLICY_TYPES:
                yield _found(
                    organization, f"enabledPolicyTypes: '{policy_type}' is not a policy type AWS knows"
                )


def _policy_type_trusted_access(run: Run) -> Iterator[Finding]:
    for organization in run.of_type(ORGANIZATION):
        for policy_type in organization.inputs.get("enabledPolicyTypes") or ():
            rules = POLICY_TYPE_RULES.get(policy_type)
            service = rules.trusted_service if rules is not None else None
            if service is not None and service not in run.organization.trusted_services:
                yield _found(
                    organization,
                    f"enabledPolicyTypes: {policy_type} needs trusted access for {service} "
                    f"(trusted: {_listed(run.organization.trusted_services)})",
                )


def _distinct_attachments(run: Run) -> dict[tuple[str, str], list[tuple[RegisteredResource, str]]]:
    """(target id, policy type) -> [(attachment, policy id)], one per distinct policy."""
    groups: dict[tuple[str, str], list[tuple[RegisteredResource, str]]] = defaultdict(list)
    for attachment in run.of_type(POLICY_ATTACHMENT):
        policy = run.policy_of(attachment)
        if policy is None:
            continue
        key = (str(attachment.inputs.get("targetId")), _policy_type(policy))
        policy_id = str(attachment.inputs.get("policyId"))
        if all(policy_id != seen for _, seen in groups[key]):
            groups[key].append((attachment, policy_id))
    return groups


def _policies_per_target(run: Run) -> Iterator[Finding]:
    for (target, policy_type), attached in _distinct_attachments(run).items():
        limit = MAX_ATTACHED_PER_TARGET.get(policy_type)
        if limit is None:
            continue
        always = ALWAYS_ATTACHED.get(policy_type)
        total = len(attached) + (1 if always else 0)
        if total <= limit:
            continue
        included = f" ({always} included)" if always else ""
        for attachment, _ in attached[limit - (1 if always else 0) :]:
            yield _found(
                attachment,
                f"{run.describe_target(target)} would have {total} {policy_type}s attached{included}; "
                f"AWS allows {limit}",
            )


def _policy_size(run: Run) -> Iterator[Finding]:
    for policy in run.of_type(POLICY):
        policy_type = _policy_type(policy)
        content = policy.inputs.get("content")
        limit = MAX_SIZE.get(policy_type)
        if limit is not None and isinstance(content, str) and len(content) > limit:
            yield _found(
                policy,
                f"content is {len(content):,} characters; AWS allows {limit:,} for a {policy_type}",
            )


def _attachment_unique(run: Run) -> Iterator[Finding]:
    first: dict[tuple[str, str], RegisteredResource] = {}
    for attachment in run.of_type(POLICY_ATTACHMENT):
        key = (str(attachment.inputs.get("policyId")), str(attachment.inputs.get("targetId")))
        if key in first:
            yield _found(
                attachment,
                f"policy {key[0]} is already attached to {run.describe_target(key[1])} "
                f"by '{first[key].name}'",
            )
        else:
            first[key] = attachment


def _ou_depth(run: Run) -> Iterator[Finding]:
    units = {unit.id: unit for unit in run.of_type(ORGANIZATIONAL_UNIT) if unit.id}

    def path_of(unit: RegisteredResource) -> list[str]:
        path: list[str] = []
        seen: set[str | None] = set()
        current: RegisteredResource | None = unit
        while current is not None and current.id not in seen:
            seen.add(current.id)
            path.append(str(current.inputs.get("name")))
            current = units.get(str(current.inputs.get("parentId")))
        return path[::-1]

    for unit in run.of_type(ORGANIZATIONAL_UNIT):
        path = path_of(unit)
        if len(path) > MAX_OU_DEPTH:
            yield _found(
                unit,
                f"'{'/'.join(path)}' is {len(path)} levels below the root; AWS allows {MAX_OU_DEPTH}",
            )


# Trusted access and lookups of the organization.


# What Account Management sets in an account, the management account's own or a member's (accountId).
ACCOUNT_SETTINGS = (ALTERNATE_CONTACT, PRIMARY_CONTACT, ACCOUNT_REGION)


def _account_settings(run: Run) -> Iterator[RegisteredResource]:
    for type_ in ACCOUNT_SETTINGS:
        yield from run.of_type(type_)


def _contact_trusted_access(run: Run) -> Iterator[Finding]:
    if principals.ACCOUNT in run.organization.trusted_services:
        return
    for setting in _account_settings(run):
        account_id = setting.inputs.get("accountId")
        # Without accountId a setting is made in the caller's account (the management account's
        # own id is refused by the rule below).
        if account_id and account_id != MANAGEMENT_ACCOUNT_ID:
            yield _found(
                setting,
                f"{run.describe_target(account_id)} is a member account and the organization does not "
                f"give trusted access to {principals.ACCOUNT}",
            )


def _own_account_id(run: Run) -> Iterator[Finding]:
    for setting in _account_settings(run):
        if setting.inputs.get("accountId") == MANAGEMENT_ACCOUNT_ID:
            yield _found(
                setting,
                f"accountId {MANAGEMENT_ACCOUNT_ID} is the management account's own: leave accountId out",
            )


def _root_access_trusted_access(run: Run) -> Iterator[Finding]:
    organizations = run.of_type(ORGANIZATION)
    for features in run.of_type(ORGANIZATIONS_FEATURES):
        if principals.IAM not in run.organization.trusted_services:
            yield _found(
                features,
                f"the organization does not give trusted access to {principals.IAM} "
                f"(trusted: {_listed(run.organization.trusted_services)})",
            )
        elif organizations and not any(o.urn in features.dependencies for o in organizations):
            # The engine creates what nothing orders in parallel: IAM would be asked before
            # Organizations has enabled its trusted access.
            yield _found(
                features,
                f"does not depend on the Organization '{organizations[0].name}' that enables "
                f"trusted access for {principals.IAM}: the engine may create it first",
            )


def _root_access_features(run: Run) -> Iterator[Finding]:
    for features in run.of_type(ORGANIZATIONS_FEATURES):
        values = features.inputs.get("enabledFeatures")
        if not isinstance(values, list) or not values:
            yield _found(features, "enabledFeatures is empty")
            continue
        for value in values:
            if value not in ROOT_ACCESS_FEATURES:
                yield _found(
                    features, f"enabledFeatures '{value}' is not one of {', '.join(ROOT_ACCESS_FEATURES)}"
                )


AWS_PROVIDER = "pulumi:providers:aws"


def _provider_account(provider: RegisteredResource) -> str:
    """The account an aws provider acts in: its allowed account, else its last assumed role's, else
    the stack's own credentials' (the management account)."""
    for key, pick in (("allowedAccountIds", lambda v: v[0]), ("assumeRoles", lambda v: v[-1]["roleArn"])):
        value = provider.inputs.get(key)
        try:
            parsed = json.loads(value) if isinstance(value, str) else value
            found = str(pick(parsed)) if parsed else ""
        except (ValueError, LookupError, TypeError):
            continue
        if ACCOUNT_ID.matches(found):
            return found
        if found.startswith("arn:"):
            return found.split(":")[4]
    return MANAGEMENT_ACCOUNT_ID


def _opt_in_region_enabled_first(run: Run) -> Iterator[Finding]:
    enablers = {
        (
            str(region.inputs.get("accountId") or MANAGEMENT_ACCOUNT_ID),
            str(region.inputs.get("regionName")),
        ): region
        for region in run.of_type(ACCOUNT_REGION)
        if region.inputs.get("enabled") is True
    }
    for provider in run.of_type(AWS_PROVIDER):
        key = (_provider_account(provider), str(provider.inputs.get("region")))
        enabler = enablers.get(key)
        if enabler is not None and enabler.urn not in provider.dependencies:
            yield _found(
                provider,
                f"acts in {key[1]} of account {key[0]}, which '{enabler.name}' enables, and does not wait "
                "for it: AWS refuses every call there until the region is enabled",
            )


def _default_region_disabled(run: Run) -> Iterator[Finding]:
    for region in run.of_type(ACCOUNT_REGION):
        name = region.inputs.get("regionName")
        if isinstance(name, str) and not is_opt_in_region(name) and region.inputs.get("enabled") is False:
            yield _found(region, f"{name} is enabled by default and cannot be disabled")


def _primary_contact_fields(run: Run) -> Iterator[Finding]:
    for contact in run.of_type(PRIMARY_CONTACT):
        fields = {name: contact.inputs.get(_input_name(name)) for name in PRIMARY_FIELD_INPUTS}
        present = {name: value for name, value in fields.items() if value is not None}
        for problem in primary_contact_field_problems(present, _input_name):
            yield _found(contact, problem)


# The provider's input names of the config's primary contact fields.
PRIMARY_FIELD_INPUTS = (
    *PRIMARY_REQUIRED,
    "company_name",
    "address_line2",
    "address_line3",
    "state_or_region",
    "district_or_county",
    "website_url",
)


def _input_name(field: str) -> str:
    head, *rest = ("phone_number" if field == "phone" else field).split("_")
    return head + "".join(part.capitalize() for part in rest)


def _delegated_administrator_trusted_access(run: Run) -> Iterator[Finding]:
    for delegation in run.of_type(DELEGATED_ADMINISTRATOR):
        principal = delegation.inputs.get("servicePrincipal")
        if principal not in run.organization.trusted_services:
            yield _found(
                delegation,
                f"the organization does not give trusted access to {principal} "
                f"(trusted: {_listed(run.organization.trusted_services)})",
            )


def _security_hub_trusted_access(run: Run) -> Iterator[Finding]:
    # GuardDuty's EnableOrganizationAdminAccount enables its trusted access itself (GuardDuty
    # User Guide, "Permissions required to designate a delegated GuardDuty administrator
    # account"): not a refusal. Security Hub's needs it first.
    if principals.SECURITY_HUB in run.organization.trusted_services:
        return
    for delegation in run.of_type(SECURITY_HUB_ADMIN_ACCOUNT):
        yield _found(
            delegation, f"the organization does not give trusted access to {principals.SECURITY_HUB}"
        )


def _identity_center_instance(run: Run) -> Iterator[Finding]:
    if run.organization.identity_center_instance:
        return
    why = (
        "this stack creates the organization, and a new organization has none"
        if run.organization.created
        else "the organization has none"
    )
    for call in run.calls:
        if call.token == GET_SSO_INSTANCES:
            region = call.args.get("region")
            where = f" in {region}" if region else ""
            yield Finding(call.token, "", "", f"no IAM Identity Center instance{where}: {why}")


# Cost Anomaly Detection.


def _monitor_per_dimension(run: Run) -> Iterator[Finding]:
    by_account: dict[tuple[str, str], list[RegisteredResource]] = defaultdict(list)
    for monitor in run.of_type(ANOMALY_MONITOR):
        dimension = _normalized(monitor.inputs.get("monitorDimension"))
        if _normalized(monitor.inputs.get("monitorType")) == "DIMENSIONAL" and dimension:
            # The provider a resource goes through is the account it lands in ("": the management account).
            by_account[(monitor.provider, dimension)].append(monitor)
    for (_, dimension), monitors in by_account.items():
        for position, monitor in enumerate(monitors):
            if dimension in run.organization.existing_monitor_dimensions:
                yield _found(
                    monitor,
                    f"the account already has its AWS managed {dimension} monitor "
                    "(AWS creates the AWS services one by itself)",
                )
            elif position > 0:
                yield _found(monitor, f"'{monitors[0].name}' is already the account's {dimension} monitor")


def _monitor_values(run: Run) -> Iterator[Finding]:
    for monitor in run.of_type(ANOMALY_MONITOR):
        monitor_type = monitor.inputs.get("monitorType")
        if monitor_type not in MONITOR_TYPES:
            yield _found(monitor, f"monitorType '{monitor_type}' is not one of {', '.join(MONITOR_TYPES)}")
        dimension = monitor.inputs.get("monitorDimension")
        if dimension is not None and dimension not in MONITOR_DIMENSIONS:
            yield _found(
                monitor, f"monitorDimension '{dimension}' is not one of {', '.join(MONITOR_DIMENSIONS)}"
            )


# Names.


def _name_check(type_: str, key: str, rule: Matching) -> Check:
    def check(run: Run) -> Iterator[Finding]:
        for resource in run.of_type(type_):
            value = resource.inputs.get(key)
            if isinstance(value, str) and not rule.matches(value):
                yield _found(resource, f"{key} {_shown(value)} is not {rule.words}")

    return check


# What replaces an account in the provider (ForceNew in its schema): an account cannot be
# replaced (a new one would be created and the old one removed), so each must be ignored.
ACCOUNT_FORCE_NEW = ("email", "iamUserAccessToBilling", "name", "roleName")


def _account_never_replaced(run: Run) -> Iterator[Finding]:
    for account in run.of_type(ACCOUNT):
        missing = [key for key in ACCOUNT_FORCE_NEW if key not in account.ignore_changes]
        if missing:
            yield _found(
                account,
                f"ignoreChanges lacks {', '.join(missing)}: a change would replace the account "
                "(name and email change in place with lz account rename / change-email)",
            )


def _matching_of(annotated: Any) -> Matching:
    """The rule inside a constrained string type of the config (`Annotated[str, Matching(...)]`)."""
    return next(arg for arg in typing.get_args(annotated) if isinstance(arg, Matching))


def _any_characters(low: int, high: int, words: str) -> Matching:
    return Matching(rf"[\s\S]{{{low},{high}}}", words)


ORGANIZATIONS_API = "https://docs.aws.amazon.com/organizations/latest/APIReference"
QUOTAS = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html"
PROVIDER_CODE = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service"
BOTOCORE_DATA = "https://github.com/boto/botocore/blob/develop/botocore/data"

RULES: tuple[AwsRule, ...] = (
    AwsRule(
        "policy-type-enabled",
        "A policy can be attached only once its type is enabled on the organization's root.",
        f"{ORGANIZATIONS_API}/API_AttachPolicy.html#API_AttachPolicy_Errors (PolicyTypeNotEnabledException)",
        _policy_type_enabled,
    ),
    AwsRule(
        "policy-type-valid",
        "A policy type is one AWS defines, spelled as AWS spells it "
        "(SERVICE_CONTROL_POLICY, TAG_POLICY, ...).",
        f"{ORGANIZATIONS_API}/API_CreatePolicy.html#organizations-CreatePolicy-request-Type",
        _policy_type_valid,
    ),
    AwsRule(
        "policy-type-trusted-access",
        "Inspector and Security Hub policies are enabled only once the organization gives "
        "trusted access to inspector2.amazonaws.com and securityhub.amazonaws.com.",
        "https://www.pulumi.com/registry/packages/aws/api-docs/organizations/organization/ "
        "(enabledPolicyTypes)",
        _policy_type_trusted_access,
    ),
    AwsRule(
        "policies-per-target",
        "A root, OU or account has at most 10 service control policies attached (FullAWSAccess "
        "included), 5 resource control policies (RCPFullAWSAccess included), 5 AI services "
        "opt-out or chat applications policies, 10 of the other types.",
        f"{QUOTAS}#min-max-policies",
        _policies_per_target,
    ),
    AwsRule(
        "policy-size",
        "A policy's content is at most 10,240 characters for service control policies, 5,120 "
        "for resource control policies and upgrade rollout policies, 2,500 for AI services "
        "opt-out policies, 10,000 for declarative, backup, tag, chat applications and Security "
        "Hub policies (every character counts, white space too).",
        f"{QUOTAS}#min-max-values (Maximum size of a policy document) and https://docs.aws.amazon.com/"
        "organizations/latest/userguide/orgs_manage_policies_upgrade_syntax.html",
        _policy_size,
    ),
    AwsRule(
        "policy-attached-once",
        "A policy is attached to a target once.",
        f"{ORGANIZATIONS_API}/API_AttachPolicy.html#API_AttachPolicy_Errors "
        "(DuplicatePolicyAttachmentException)",
        _attachment_unique,
    ),
    AwsRule(
        "ou-depth",
        f"OUs nest at most {MAX_OU_DEPTH} levels below the root.",
        f"{QUOTAS}#min-max-values (OU maximum nesting in a root)",
        _ou_depth,
    ),
    AwsRule(
        "contact-trusted-access",
        f"A member account's alternate contacts, primary contact and opt-in regions are set from the "
        f"management account only once the organization gives trusted access to {principals.ACCOUNT}.",
        "https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html",
        _contact_trusted_access,
    ),
    AwsRule(
        "account-settings-own-account",
        "The management account sets its own contacts and regions without AccountId: it cannot name itself.",
        "https://docs.aws.amazon.com/accounts/latest/reference/API_PutContactInformation.html "
        '(AccountId: "The management account can\'t specify its own AccountId")',
        _own_account_id,
    ),
    AwsRule(
        "root-access-trusted-access",
        f"IAM's centralized root access (RootCredentialsManagement, RootSessions) is enabled only once "
        f"the organization gives trusted access to {principals.IAM}, and so after it.",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management "
        f"and {BOTOCORE_DATA}/iam/2010-05-08/service-2.json (EnableOrganizationsRootCredentialsManagement, "
        "EnableOrganizationsRootSessions: ServiceAccessNotEnabledException)",
        _root_access_trusted_access,
    ),
    AwsRule(
        "root-access-features",
        f"IAM's organization features are {', '.join(ROOT_ACCESS_FEATURES)}.",
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html",
        _root_access_features,
    ),
    AwsRule(
        "default-region-disabled",
        "Only opt-in regions can be disabled; regions launched before 20 March 2019 are enabled for good.",
        "https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html and "
        f'{PROVIDER_CODE}/account/region.go ("cannot disable region ... that is enabled by default")',
        _default_region_disabled,
    ),
    AwsRule(
        "opt-in-region-enabled-first",
        "Nothing acts in an opt-in region of an account before the region is enabled there.",
        "https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html",
        _opt_in_region_enabled_first,
    ),
    AwsRule(
        "primary-contact-fields",
        "A primary contact has a full name, first address line, city, postal code, country code and "
        "phone, within AWS's lengths, and a state or region in the countries that need one.",
        f"{BOTOCORE_DATA}/account/2021-02-01/service-2.json (ContactInformation)",
        _primary_contact_fields,
    ),
    AwsRule(
        "delegated-administrator-trusted-access",
        "A delegated administrator is registered for a service only once the organization gives "
        "that service trusted access.",
        f"{ORGANIZATIONS_API}/API_RegisterDelegatedAdministrator.html "
        "(ConstraintViolationException SERVICE_ACCESS_NOT_ENABLED)",
        _delegated_administrator_trusted_access,
    ),
    AwsRule(
        "security-hub-administrator-trusted-access",
        f"Security Hub's delegated administrator is designated only once the organization gives "
        f"trusted access to {principals.SECURITY_HUB}.",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
        "aws-resource-securityhub-delegatedadmin.html",
        _security_hub_trusted_access,
    ),
    AwsRule(
        "identity-center-instance",
        "IAM Identity Center's organization instance is enabled in the console of the management "
        "account, never by API: an organization without one (a new one) has none to look up.",
        "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateInstance.html",
        _identity_center_instance,
    ),
    AwsRule(
        "anomaly-monitor-per-dimension",
        "An account has at most one AWS managed (DIMENSIONAL) anomaly monitor per dimension, and AWS "
        "creates the AWS services (SERVICE) one by itself in most accounts; customer managed "
        "monitors (CUSTOM) are not limited so.",
        "https://aws.amazon.com/aws-cost-management/aws-cost-anomaly-detection/faqs/ and "
        "https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2515",
        _monitor_per_dimension,
    ),
    AwsRule(
        "anomaly-monitor-values",
        "An anomaly monitor's type and dimension are spelled as AWS spells them.",
        f"{PROVIDER_CODE}/ce/anomaly_monitor.go (enum.Validate)",
        _monitor_values,
    ),
    AwsRule(
        "account-name",
        f"An account's name is {ACCOUNT_NAME.words}.",
        f"{ORGANIZATIONS_API}/API_CreateAccount.html#organizations-CreateAccount-request-AccountName",
        _name_check(ACCOUNT, "name", ACCOUNT_NAME),
    ),
    AwsRule(
        "account-never-replaced",
        "The provider replaces an account when its email, name, roleName or iamUserAccessToBilling "
        "changes (ForceNew); AWS changes name and email in place (account:PutAccountName, "
        "account:StartPrimaryEmailUpdate), so the program ignores them.",
        f"{PROVIDER_CODE}/organizations/account.go (ForceNew)",
        _account_never_replaced,
    ),
    AwsRule(
        "ou-name",
        f"An OU's name is 1 to {MAX_OU_NAME_LENGTH} characters.",
        f"{ORGANIZATIONS_API}/API_CreateOrganizationalUnit.html#organizations-CreateOrganizationalUnit-request-Name",
        _name_check(
            ORGANIZATIONAL_UNIT,
            "name",
            _any_characters(1, MAX_OU_NAME_LENGTH, f"1 to {MAX_OU_NAME_LENGTH} characters"),
        ),
    ),
    AwsRule(
        "policy-name",
        "An Organizations policy's name is 1 to 128 characters.",
        f"{ORGANIZATIONS_API}/API_CreatePolicy.html#organizations-CreatePolicy-request-Name",
        _name_check(POLICY, "name", _any_characters(1, 128, "1 to 128 characters")),
    ),
    AwsRule(
        "policy-description",
        f"An Organizations policy's description is at most {MAX_POLICY_DESCRIPTION} characters.",
        f"{ORGANIZATIONS_API}/API_CreatePolicy.html#organizations-CreatePolicy-request-Description",
        _name_check(
            POLICY,
            "description",
            _any_characters(0, MAX_POLICY_DESCRIPTION, f"at most {MAX_POLICY_DESCRIPTION} characters"),
        ),
    ),
    AwsRule(
        "account-alias",
        f"An IAM account alias is {ACCOUNT_ALIAS_RULE.words}.",
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html",
        _name_check(ACCOUNT_ALIAS, "accountAlias", ACCOUNT_ALIAS_RULE),
    ),
    AwsRule(
        "access-analyzer-name",
        f"An IAM Access Analyzer is named with {ANALYZER_NAME.words} (the API also takes a leading "
        "'_'; the provider does not).",
        f"{PROVIDER_CODE}/accessanalyzer/analyzer.go",
        _name_check(ACCESS_ANALYZER, "analyzerName", ANALYZER_NAME),
    ),
    AwsRule(
        "bucket-name",
        f"An S3 general purpose bucket is named with {BUCKET_NAME.words}.",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
        _name_check(BUCKET, "bucket", BUCKET_NAME),
    ),
    AwsRule(
        "trail-name",
        f"A CloudTrail trail is named with {TRAIL_NAME.words}.",
        "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html"
        "#awscloudtrail-CreateTrail-request-Name",
        _name_check(TRAIL, "name", TRAIL_NAME),
    ),
    AwsRule(
        "budget-name",
        f"A budget is named with {BUDGET_NAME.words}.",
        "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html"
        "#awscostmanagement-Type-budgets_Budget-BudgetName",
        _name_check(BUDGET, "name", BUDGET_NAME),
    ),
    AwsRule(
        "permission-set-name",
        f"An Identity Center permission set is named with {_matching_of(PermissionSetName).words}.",
        "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreatePermissionSet.html"
        "#singlesignon-CreatePermissionSet-request-Name",
        _name_check(PERMISSION_SET, "name", _matching_of(PermissionSetName)),
    ),
    AwsRule(
        "anomaly-monitor-name",
        "An anomaly monitor's name is 1 to 1024 characters.",
        f"{PROVIDER_CODE}/ce/anomaly_monitor.go",
        _name_check(ANOMALY_MONITOR, "name", _any_characters(1, 1024, "1 to 1024 characters")),
    ),
    AwsRule(
        "anomaly-subscription-name",
        "An anomaly subscription's name is 1 to 1024 characters.",
        f"{PROVIDER_CODE}/ce/anomaly_subscription.go",
        _name_check(ANOMALY_SUBSCRIPTION, "name", _any_characters(1, 1024, "1 to 1024 characters")),
    ),
)
