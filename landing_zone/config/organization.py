"""The organization's structure in config: the organization, its OUs, its accounts, contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import (
    ACCOUNT_NAME_PATTERN,
    DOMAIN_PATTERN,
    ORG_NAME_PATTERN,
    PHONE_PATTERN,
    AccountId,
    ConfigModel,
    OrganizationalUnitId,
    OrganizationId,
    PolicyType,
    Tags,
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
