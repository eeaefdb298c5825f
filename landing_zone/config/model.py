"""The shape of the landing zone's stack config: typed, immutable, unknown keys refused.

Field names are snake_case in Python and camelCase in `Pulumi.<stack>.yaml`, the form
`pulumi config set --path 'landing-zone:accounts[0].closeOnDeletion' true` edits.
Each domain's models live in their own module; cross-references are checked afterwards by
`validation.py`.
"""

from __future__ import annotations

from functools import cached_property

from pydantic import Field

from .base import ConfigModel, ContactType
from .baseline import BaselineConfig
from .cost_controls import BudgetsConfig
from .delegated_administrators import DelegatedAdministratorsConfig
from .guardrails import GuardrailConfig
from .identity import IdentityCenterConfig
from .organization import (
    AccountConfig,
    OrganizationalUnitConfig,
    OrganizationConfig,
    OrganizationStructure,
    ResolvedContact,
)
from .organization_trail import OrganizationTrailConfig
from .stacks import AccountStackConfig, StackName

__all__ = ["LandingZoneConfig"]


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
    # Files and folders of more `accounts` and `identityCenter.access` entries (account_files):
    # read at loading, their entries already in `accounts` and `identityCenter.access`.
    account_files: tuple[str, ...] = ()
    # Account stacks of this organization stack, by stack name, and the OUs each deploys (stacks).
    account_stacks: dict[StackName, AccountStackConfig] = Field(default_factory=dict)

    @cached_property
    def structure(self) -> OrganizationStructure:
        """The organization, its OUs and accounts, as the other domains refer to them."""
        return OrganizationStructure(self.organization, self.organizational_units, self.accounts)

    def email_for(self, account: AccountConfig) -> str:
        """The account's root email: explicit, or built from the organization's pattern."""
        return self.structure.email_for(account)

    def contacts_for(self, account: AccountConfig) -> dict[ContactType, ResolvedContact]:
        """The account's three alternate contacts: organization defaults plus its overrides."""
        return self.structure.contacts_for(account)
