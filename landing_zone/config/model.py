"""The shape of the landing zone's stack config: typed, immutable, unknown keys refused.

Field names are snake_case in Python and camelCase in `Pulumi.<stack>.yaml`, the form
`pulumi config set --path 'landing-zone:accounts[0].closeOnDeletion' true` edits.
Cross-references (OU paths, unique emails, ...) are checked afterwards by `validation.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

# Anchored patterns: the first line of defence for values that AWS would reject later.
ACCOUNT_ID_PATTERN = r"^\d{12}$"
OU_ID_PATTERN = r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"
ORGANIZATION_ID_PATTERN = r"^o-[a-z0-9]{10,32}$"
# A short client code: the {org} in email patterns, profile names and tags.
ORG_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,30}$"
DOMAIN_PATTERN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
# AWS Organizations allows printable ASCII account names of 1 to 50 characters.
ACCOUNT_NAME_PATTERN = r"^[\x20-\x7e]{1,50}$"
PHONE_PATTERN = r"^[\s0-9()+-]{1,25}$"

# How each pattern reads in an error message.
PATTERN_DESCRIPTIONS = {
    ACCOUNT_ID_PATTERN: "an AWS account id of 12 digits",
    OU_ID_PATTERN: "an OU id like ou-ab12-cd34ef56",
    ORGANIZATION_ID_PATTERN: "an organization id like o-a1b2c3d4e5",
    ORG_NAME_PATTERN: "a short lowercase code (letters, digits, '-'; at most 31 characters)",
    DOMAIN_PATTERN: "a lowercase DNS domain like acme-corp.io",
    ACCOUNT_NAME_PATTERN: "1 to 50 printable ASCII characters (AWS account name rules)",
    PHONE_PATTERN: "a phone number of digits, spaces, '+', '-', '(' and ')'",
}

AccountId = Annotated[str, StringConstraints(pattern=ACCOUNT_ID_PATTERN)]
OrganizationalUnitId = Annotated[str, StringConstraints(pattern=OU_ID_PATTERN)]
OrganizationId = Annotated[str, StringConstraints(pattern=ORGANIZATION_ID_PATTERN)]
Tags = dict[
    Annotated[str, StringConstraints(min_length=1, max_length=128)],
    Annotated[str, StringConstraints(max_length=256)],
]

PolicyType = Literal[
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "CHATBOT_POLICY",
]
ContactType = Literal["billing", "security", "operations"]
CONTACT_TYPES: tuple[ContactType, ...] = ("billing", "security", "operations")


class _PatternFields(dict):
    """Leaves unknown placeholders as they are; validation reports them once, by key."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class ConfigModel(BaseModel):
    """Base of every config object: frozen, camelCase aliases, no unknown keys."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        str_strip_whitespace=True,
    )


class Contact(ConfigModel):
    """An alternate contact; `email` defaults to the organization's notification list."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    phone: Annotated[str, StringConstraints(pattern=PHONE_PATTERN)]
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

    name: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    title: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    phone: Annotated[str, StringConstraints(pattern=PHONE_PATTERN)] | None = None
    email: str | None = None


class Contacts(ConfigModel):
    billing: Contact
    security: Contact
    operations: Contact


class ContactOverrides(ConfigModel):
    billing: ContactOverride | None = None
    security: ContactOverride | None = None
    operations: ContactOverride | None = None


class OrganizationConfig(ConfigModel):
    name: Annotated[str, StringConstraints(pattern=ORG_NAME_PATTERN)]
    domain: Annotated[str, StringConstraints(pattern=DOMAIN_PATTERN, to_lower=True)]
    # A production stack refuses placeholder domains such as example.com.
    production: bool = False
    # By default the existing organization is looked up (enabling Identity Center creates one).
    create: bool = False
    import_id: OrganizationId | None = Field(default=None, alias="import")
    feature_set: Literal["ALL", "CONSOLIDATED_BILLING"] = "ALL"
    enabled_policy_types: tuple[PolicyType, ...] = ("SERVICE_CONTROL_POLICY",)
    aws_service_access_principals: tuple[str, ...] = (
        "account.amazonaws.com",
        "sso.amazonaws.com",
    )
    email_pattern: str = "aws-{org}+{account}@{domain}"
    notification_email: str
    contacts: Contacts
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


class AccountConfig(ConfigModel):
    name: Annotated[str, StringConstraints(pattern=ACCOUNT_NAME_PATTERN)]
    # The OU path the account lives in; None places it directly under the root.
    ou: str | None = None
    # Explicit root email; by default built from organization.emailPattern.
    email: str | None = None
    # Sandboxes may opt in to being closed when removed from config; nothing else should.
    close_on_deletion: bool = False
    iam_user_access_to_billing: Literal["ALLOW", "DENY"] = "ALLOW"
    role_name: Annotated[str, StringConstraints(pattern=r"^[\w+=,.@-]{1,64}$")] = (
        "OrganizationAccountAccessRole"
    )
    # Adopt an existing account (created by hand, or a legacy one) without replacing it.
    import_id: AccountId | None = Field(default=None, alias="import")
    tags: Tags = Field(default_factory=dict)
    contacts: ContactOverrides | None = None


# After ConfigModel: identity.py derives its models from it.
# Feature modules derive ConfigModel and AccountConfig above, so they are imported here.
from .baseline import BaselineConfig  # noqa: E402
from .cost_controls import BudgetsConfig  # noqa: E402
from .delegated_administrators import DelegatedAdministratorsConfig  # noqa: E402
from .guardrails import GuardrailConfig  # noqa: E402
from .identity import IdentityCenterConfig  # noqa: E402
from .organization_trail import OrganizationTrailConfig  # noqa: E402


class LandingZoneConfig(ConfigModel):
    """Every `landing-zone:*` key of a stack."""

    organization: OrganizationConfig
    organizational_units: tuple[OrganizationalUnitConfig, ...] = ()
    accounts: tuple[AccountConfig, ...] = ()
    # None: this stack leaves IAM Identity Center alone.
    identity_center: IdentityCenterConfig | None = None
    guardrails: tuple[GuardrailConfig, ...] = ()
    budgets: BudgetsConfig | None = None
    baseline: BaselineConfig | None = None
    organization_trail: OrganizationTrailConfig | None = None
    delegated_administrators: DelegatedAdministratorsConfig | None = None

    def email_for(self, account: AccountConfig) -> str:
        """The account's root email: explicit, or built from the organization's pattern."""
        if account.email:
            return account.email
        org = self.organization
        return org.email_pattern.format_map(
            _PatternFields(org=org.name, account=account.name.lower().replace(" ", "-"), domain=org.domain)
        )

    def contacts_for(self, account: AccountConfig) -> dict[ContactType, ResolvedContact]:
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
