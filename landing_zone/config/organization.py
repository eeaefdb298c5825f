"""The organization's structure in config: the organization, its OUs, its accounts, contacts,
and the checks on them. Other domains refer to accounts and OUs through `OrganizationStructure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from landing_zone import principals

from .account_settings import (
    OptInRegions,
    PrimaryContactConfig,
    ResolvedPrimaryContact,
    RootAccessManagementConfig,
    check_opt_in_regions,
    check_primary_contact,
    merged_opt_in_regions,
    resolve_primary_contact,
)
from .base import (
    ACCOUNT_NAME,
    CONTACT_TYPES,
    DOMAIN,
    ORG_NAME,
    PHONE,
    AccountId,
    ConfigModel,
    ContactType,
    Matching,
    OrganizationalUnitId,
    OrganizationId,
    PolicyType,
    RoleName,
    Tags,
)
from .checker import Checker, is_placeholder_domain, repeats
from .naming import DEFAULT_EMAIL_PATTERN, EMAIL_PATTERN_FIELDS, fill, pattern_problem

MAX_OU_DEPTH = 5  # AWS allows five levels of OUs below the root
MAX_OU_NAME_LENGTH = 128
ServicePrincipal = Annotated[
    str, Matching(r"[a-z0-9.-]+\.amazonaws\.com", "an AWS service principal (like sso.amazonaws.com)")
]
WHY_EMAIL_ACCOUNT = "every account needs its own root email"
# The role Organizations creates in the accounts it creates, and only in those.
CREATED_ACCOUNT_ROLE = "OrganizationAccountAccessRole"
# The tag that marks a suspended account (policy/: account-lifecycle-safe's closingTags).
LIFECYCLE_TAG = "lifecycle"

ContactName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ContactTitle = Annotated[str, StringConstraints(min_length=1, max_length=50)]
Phone = Annotated[str, PHONE]


class Contact(ConfigModel):
    """An alternate contact; `email` defaults to the organization's notification list."""

    name: ContactName
    title: ContactTitle
    phone: Phone
    email: str | None = None


@dataclass(frozen=True)
class ResolvedContact:
    """An alternate contact with every field known, as AWS needs it."""

    name: str
    title: str
    email: str
    phone: str


class ContactOverride(ConfigModel):
    """Per-account changes to an organization-wide contact; unset fields keep the default."""

    name: ContactName | None = None
    title: ContactTitle | None = None
    phone: Phone | None = None
    email: str | None = None


class Contacts(ConfigModel):
    billing: Contact
    security: Contact
    operations: Contact


class ContactOverrides(ConfigModel):
    billing: ContactOverride | None = None
    security: ContactOverride | None = None
    operations: ContactOverride | None = None


class ManagementAccountConfig(ConfigModel):
    """The management account's own settings; present: its contacts and opt-in regions are
    managed as a member's are (organization defaults, then these), set without an account id."""

    contacts: ContactOverrides | None = None
    primary_contact: PrimaryContactConfig | None = None
    opt_in_regions: OptInRegions = Field(default_factory=dict)


class OrganizationConfig(ConfigModel):
    name: Annotated[str, ORG_NAME]
    domain: Annotated[str, StringConstraints(to_lower=True), DOMAIN]
    # A production stack refuses placeholder domains such as example.com.
    production: bool = False
    # By default the existing organization is looked up (enabling Identity Center creates one).
    create: bool = False
    import_id: OrganizationId | None = Field(default=None, alias="import")
    feature_set: Literal["ALL", "CONSOLIDATED_BILLING"] = "ALL"
    enabled_policy_types: tuple[PolicyType, ...] = ("SERVICE_CONTROL_POLICY",)
    aws_service_access_principals: tuple[ServicePrincipal, ...] = (
        principals.ACCOUNT,
        principals.IDENTITY_CENTER,
    )
    email_pattern: str = DEFAULT_EMAIL_PATTERN
    notification_email: str
    contacts: Contacts
    # Every managed account's primary contact (mailing address), unless the account overrides it.
    primary_contact: PrimaryContactConfig | None = None
    # Opt-in regions enabled (true) or disabled (false) in every member account.
    opt_in_regions: OptInRegions = Field(default_factory=dict)
    # None: the stack leaves IAM's centralized root access as it is.
    root_access_management: RootAccessManagementConfig | None = None
    # None: the stack leaves the management account's contacts and regions as they are.
    management_account: ManagementAccountConfig | None = None
    # The OU path suspended and closed accounts move to (landing_zone.config.lifecycle);
    # needed as soon as one account is not active.
    suspended_ou: str | None = None
    # The OU path a new account starts in until its baseline is applied (quarantine.py);
    # None: new accounts go straight to their OU.
    quarantine_ou: str | None = None
    tags: Tags = Field(default_factory=dict)


class OrganizationalUnitConfig(ConfigModel):
    # A slash-separated path from the root, e.g. "Workloads/Production".
    path: Annotated[str, StringConstraints(min_length=1)]
    import_id: OrganizationalUnitId | None = Field(default=None, alias="import")
    tags: Tags = Field(default_factory=dict)

    @property
    def parent_path(self) -> str | None:
        head, _, _ = self.path.rpartition("/")
        return head or None


AccountState = Literal["active", "suspended", "closed"]


class AccountConfig(ConfigModel):
    # The account's key in this stack (its logical name, email slug, references): never changes.
    name: Annotated[str, ACCOUNT_NAME]
    # The name AWS shows, by default `name`; changed in place by `lz account rename`.
    display_name: Annotated[str, ACCOUNT_NAME] | None = None
    # active; suspended: in organization.suspendedOu, no access, no baseline; closed: a record
    # of an account this stack closed (landing_zone.config.lifecycle).
    state: AccountState = "active"
    # This account may be closed (state: closed); closeOnDeletion accounts may be anyway.
    allow_close: bool = False
    # The OU path the account lives in; None places it directly under the root.
    ou: str | None = None
    # Explicit root email; by default built from organization.emailPattern.
    email: str | None = None
    # Sandboxes may opt in to being closed when removed from config; nothing else should.
    close_on_deletion: bool = False
    iam_user_access_to_billing: Literal["ALLOW", "DENY"] = "ALLOW"
    # Given at creation; also the role this stack assumes in the account (baseline, log bucket).
    role_name: RoleName = CREATED_ACCOUNT_ROLE
    # Adopt an existing account (created by hand, or a legacy one) without replacing it.
    import_id: AccountId | None = Field(default=None, alias="import")
    tags: Tags = Field(default_factory=dict)
    contacts: ContactOverrides | None = None
    primary_contact: PrimaryContactConfig | None = None
    # On top of organization.optInRegions, region by region.
    opt_in_regions: OptInRegions = Field(default_factory=dict)

    @property
    def aws_name(self) -> str:
        return self.display_name or self.name

    @property
    def active(self) -> bool:
        return self.state == "active"

    @property
    def closable(self) -> bool:
        """The config allows closing it: disposable, or explicitly allowed."""
        return self.allow_close or self.close_on_deletion

    @property
    def role_name_set(self) -> bool:
        """`roleName` is written in the stack config: an imported account says which role exists."""
        return "role_name" in self.model_fields_set


@dataclass(frozen=True)
class ResolvedAccount:
    """What AWS gets for one account: its root email, contacts and tags, every default applied."""

    config: AccountConfig
    email: str
    contacts: dict[ContactType, ResolvedContact]
    tags: dict[str, str]
    primary_contact: ResolvedPrimaryContact | None = None
    opt_in_regions: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class ResolvedManagementAccount:
    """What the stack sets in the management account itself (`organization.managementAccount`)."""

    contacts: dict[ContactType, ResolvedContact]
    primary_contact: ResolvedPrimaryContact | None
    opt_in_regions: dict[str, bool]


@dataclass(frozen=True)
class OrganizationStructure:
    """The organization, its OUs and accounts: what every other domain refers to by name."""

    organization: OrganizationConfig
    organizational_units: tuple[OrganizationalUnitConfig, ...]
    accounts: tuple[AccountConfig, ...]

    @cached_property
    def account_names(self) -> frozenset[str]:
        return frozenset(account.name for account in self.accounts)

    @cached_property
    def active_account_names(self) -> frozenset[str]:
        return frozenset(account.name for account in self.accounts if account.active)

    @cached_property
    def live_accounts(self) -> tuple[AccountConfig, ...]:
        """The accounts with a resource in the stack: every one but the closed."""
        return tuple(account for account in self.accounts if account.state != "closed")

    def parent_ou(self, account: AccountConfig) -> str | None:
        """The OU path the account is in: its own, or the suspended OU once not active."""
        if not account.active and self.organization.suspended_ou is not None:
            return self.organization.suspended_ou
        return account.ou

    @cached_property
    def ou_paths(self) -> frozenset[str]:
        return frozenset(ou.path for ou in self.organizational_units)

    @cached_property
    def account_import_ids(self) -> dict[str, str | None]:
        """Live account id by account name (None: created by this stack)."""
        return {account.name: account.import_id for account in self.accounts}

    @cached_property
    def ou_import_ids(self) -> dict[str, str | None]:
        """Live OU id by path (None: created by this stack)."""
        return {ou.path: ou.import_id for ou in self.organizational_units}

    def accounts_in_ou(self, path: str) -> list[str]:
        """Names of the member accounts in the OU at `path` or any OU below it (where they are:
        a suspended account is in the suspended OU), in the order of `accounts`."""
        below = path + "/"
        found = [
            position
            for ou, positions in self._live_accounts_by_ou.items()
            if ou == path or ou.startswith(below)
            for position in positions
        ]
        return [self.live_accounts[position].name for position in sorted(found)]

    @cached_property
    def _live_accounts_by_ou(self) -> dict[str, list[int]]:
        """Positions in `live_accounts` by the OU each is in: one pass, then a lookup per OU."""
        by_ou: dict[str, list[int]] = {}
        for position, account in enumerate(self.live_accounts):
            ou = self.parent_ou(account)
            if ou is not None:
                by_ou.setdefault(ou, []).append(position)
        return by_ou

    def email_for(self, account: AccountConfig) -> str:
        """The account's root email: explicit, or built from the organization's pattern."""
        if account.email:
            return account.email
        org = self.organization
        return fill(org.email_pattern, account_name=account.name, org=org.name, domain=org.domain)

    def contacts_for(
        self, account: AccountConfig | ManagementAccountConfig
    ) -> dict[ContactType, ResolvedContact]:
        """The account's three alternate contacts: organization defaults plus its overrides."""
        resolved: dict[ContactType, ResolvedContact] = {}
        for contact_type in CONTACT_TYPES:
            default: Contact = getattr(self.organization.contacts, contact_type)
            override = getattr(account.contacts, contact_type) if account.contacts else None
            fields = {
                **default.model_dump(),
                **(override.model_dump(exclude_none=True) if override else {}),
            }
            fields["email"] = fields["email"] or self.organization.notification_email
            resolved[contact_type] = ResolvedContact(**fields)
        return resolved

    def resolve(self, account: AccountConfig) -> ResolvedAccount:
        return ResolvedAccount(
            config=account,
            email=self.email_for(account),
            contacts=self.contacts_for(account),
            tags=self.tags_for(account),
            primary_contact=resolve_primary_contact(
                self.organization.primary_contact, account.primary_contact
            ),
            opt_in_regions=self.opt_in_regions_for(account),
        )

    def tags_for(self, account: AccountConfig) -> dict[str, str]:
        """The organization's tags, the account's, and `lifecycle: suspended` once suspended (for
        people in the console, and the policy pack's closingTags)."""
        tags = {**self.organization.tags, **account.tags}
        if not account.active:
            tags[LIFECYCLE_TAG] = account.state
        return tags

    def resolve_management(self) -> ResolvedManagementAccount | None:
        management = self.organization.management_account
        if management is None:
            return None
        return ResolvedManagementAccount(
            contacts=self.contacts_for(management),
            primary_contact=resolve_primary_contact(
                self.organization.primary_contact, management.primary_contact
            ),
            opt_in_regions=self.opt_in_regions_for(management),
        )

    def opt_in_regions_for(self, account: AccountConfig | ManagementAccountConfig) -> dict[str, bool]:
        """Opt-in regions by name, enabled or not: the organization's, then the account's."""
        return merged_opt_in_regions(self.organization.opt_in_regions, account.opt_in_regions)


# Checks: one small function per rule, each reporting every case it finds.


def check_organization(structure: OrganizationStructure, checker: Checker) -> None:
    """`checker` reports under `organization`."""
    org = structure.organization
    if org.create and org.import_id:
        checker.report(
            ("import",),
            "cannot be set together with organization.create: "
            "either create a new organization or import the existing one",
        )
    if org.production and is_placeholder_domain(org.domain):
        checker.report(
            ("domain",),
            f"{org.domain} is a placeholder domain, refused in a production stack "
            "(organization.production is true)",
        )
    problem = pattern_problem(org.email_pattern, EMAIL_PATTERN_FIELDS, WHY_EMAIL_ACCOUNT)
    if problem is not None:
        checker.report(("emailPattern",), problem)
    checker.email(("notificationEmail",), org.notification_email)
    for contact_type in CONTACT_TYPES:
        contact: Contact = getattr(org.contacts, contact_type)
        if contact.email is not None:
            checker.email(("contacts", contact_type, "email"), contact.email)
    if org.feature_set != "ALL" and org.enabled_policy_types:
        checker.report(
            ("enabledPolicyTypes",),
            "policy types need featureSet ALL; CONSOLIDATED_BILLING cannot enable them",
        )
    _check_account_settings(org, checker)


def _check_account_settings(org: OrganizationConfig, checker: Checker) -> None:
    """Root access management, the primary contact, opt-in regions and the management account's."""
    root_access = org.root_access_management
    if root_access is not None:
        # IAM's centralized root access needs trusted access for IAM in the organization
        # (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management).
        if principals.IAM not in org.aws_service_access_principals:
            checker.report(
                ("rootAccessManagement",),
                f"needs trusted access for IAM: add {principals.IAM} to "
                "organization.awsServiceAccessPrincipals",
            )
        if org.feature_set != "ALL":
            checker.report(("rootAccessManagement",), "needs featureSet ALL (trusted access does)")
        if not root_access.features:
            checker.report(
                ("rootAccessManagement",),
                "enables nothing: set credentialsManagement or rootSessions to true, or remove the key",
            )
    check_primary_contact(checker, ("primaryContact",), org.primary_contact)
    check_opt_in_regions(checker, ("optInRegions",), org.opt_in_regions)
    management = org.management_account
    if management is not None:
        _check_contact_override_emails(management.contacts, checker, ("managementAccount",))
        check_primary_contact(
            checker, ("managementAccount", "primaryContact"), org.primary_contact, management.primary_contact
        )
        check_opt_in_regions(checker, ("managementAccount", "optInRegions"), management.opt_in_regions)


def check_organizational_units(structure: OrganizationStructure, checker: Checker) -> None:
    """`checker` reports under `organizationalUnits`."""
    units = structure.organizational_units
    well_formed = {index for index, ou in enumerate(units) if _check_ou_path(index, ou, checker)}
    for index, first in repeats(ou.path if index in well_formed else None for index, ou in enumerate(units)):
        checker.report((index, "path"), f"same path as organizationalUnits[{first}]")
    for index, ou in enumerate(units):
        parent = ou.parent_path
        if index in well_formed and parent is not None and parent not in structure.ou_paths:
            checker.report((index, "path"), f"parent OU '{parent}' is not defined in organizationalUnits")
    _check_unique_imports(checker, "organizationalUnits", [ou.import_id for ou in units])


def _check_ou_path(index: int, ou: OrganizationalUnitConfig, checker: Checker) -> bool:
    """Names not empty nor too long, depth within AWS's limit. True when the path is usable."""
    parts = (index, "path")
    segments = ou.path.split("/")
    if any(not segment.strip() for segment in segments):
        checker.report(parts, f"'{ou.path}' has an empty name; write paths like Workloads/Production")
        return False
    too_long = [segment for segment in segments if len(segment) > MAX_OU_NAME_LENGTH]
    if too_long:
        checker.report(
            parts, f"OU name '{too_long[0][:20]}...' is longer than {MAX_OU_NAME_LENGTH} characters"
        )
    if len(segments) > MAX_OU_DEPTH:
        checker.report(
            parts, f"'{ou.path}' is {len(segments)} levels deep; AWS allows at most {MAX_OU_DEPTH}"
        )
    return True


def check_accounts(structure: OrganizationStructure, checker: Checker) -> None:
    """`checker` reports under `accounts`."""
    accounts = structure.accounts
    if accounts and principals.ACCOUNT not in structure.organization.aws_service_access_principals:
        # Every member account gets its three alternate contacts, set from the management account:
        # without trusted access AWS refuses each one (AccessDeniedException).
        # https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
        checker.report(
            (),
            "member accounts get alternate contacts, which need trusted access: "
            f"add {principals.ACCOUNT} to organization.awsServiceAccessPrincipals",
        )
    for index, first in repeats(account.name.lower() for account in accounts):
        checker.report((index, "name"), f"same name as accounts[{first}] ({accounts[first].name})")
    for index, account in enumerate(accounts):
        if account.ou is not None and account.ou not in structure.ou_paths:
            checker.report((index, "ou"), f"OU '{account.ou}' is not defined in organizationalUnits")
    _check_root_emails(structure, checker)
    _check_contact_overrides(structure, checker)
    _check_unique_imports(checker, "accounts", [account.import_id for account in accounts])


def _check_root_emails(structure: OrganizationStructure, checker: Checker) -> None:
    """Valid, at most 64 characters, distinct (AWS refuses an email already in use)."""
    pattern_ok = (
        pattern_problem(structure.organization.email_pattern, EMAIL_PATTERN_FIELDS, WHY_EMAIL_ACCOUNT) is None
    )
    valid: list[str | None] = []
    for index, account in enumerate(structure.accounts):
        if not account.email and not pattern_ok:
            valid.append(None)  # reported once, at organization.emailPattern
            continue
        origin = "" if account.email else " (from organization.emailPattern)"
        email = structure.email_for(account)
        valid.append(email.lower() if checker.email((index, "email"), email, origin) else None)
    for index, first in repeats(valid):
        checker.report(
            (index, "email"), f"same address as accounts[{first}] ({structure.accounts[first].name})"
        )


def _check_contact_overrides(structure: OrganizationStructure, checker: Checker) -> None:
    org = structure.organization
    for index, account in enumerate(structure.accounts):
        _check_contact_override_emails(account.contacts, checker, (index,))
        if account.primary_contact is not None:
            origin = " (with organization.primaryContact)" if org.primary_contact is not None else ""
            layers = (org.primary_contact, account.primary_contact)
            check_primary_contact(checker, (index, "primaryContact"), *layers, origin=origin)
        check_opt_in_regions(checker, (index, "optInRegions"), account.opt_in_regions)


def _check_contact_override_emails(
    contacts: ContactOverrides | None, checker: Checker, parts: tuple[str | int, ...]
) -> None:
    if contacts is None:
        return
    for contact_type in CONTACT_TYPES:
        override: ContactOverride | None = getattr(contacts, contact_type)
        if override is not None and override.email is not None:
            checker.email((*parts, "contacts", contact_type, "email"), override.email)


def _check_unique_imports(checker: Checker, collection: str, import_ids: list[str | None]) -> None:
    """`checker` reports under `collection`: one live resource is adopted once."""
    for index, first in repeats(import_ids):
        checker.report((index, "import"), f"{import_ids[index]} is already imported by {collection}[{first}]")
