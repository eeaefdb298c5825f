"""The shape of the landing zone's stack config: typed, immutable, unknown keys refused.

Field names are snake_case in Python and camelCase in `Pulumi.<stack>.yaml`, the form
`pulumi config set --path 'landing-zone:accounts[0].closeOnDeletion' true` edits.
Each domain's models live in their own module; cross-references are checked afterwards by
`validation.py`.
"""

from __future__ import annotations

from .base import CONTACT_TYPES, ConfigModel, ContactType
from .baseline import BaselineConfig
from .cost_controls import BudgetsConfig
from .delegated_administrators import DelegatedAdministratorsConfig
from .guardrails import GuardrailConfig
from .identity import IdentityCenterConfig
from .organization import (
    AccountConfig,
    Contact,
    OrganizationalUnitConfig,
    OrganizationConfig,
    ResolvedContact,
)
from .organization_trail import OrganizationTrailConfig

__all__ = ["LandingZoneConfig"]


class _PatternFields(dict):
    """Leaves unknown placeholders as they are; validation reports them once, by key."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


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
