"""The whole landing zone: the organization, its OU tree and its member accounts."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from landing_zone.config import AccountConfig, LandingZoneConfig
from landing_zone.config.identity import expand_access

from .identity_center import IdentityCenter, IdentityCenterArgs
from .member_account import MemberAccount, MemberAccountArgs
from .organization import Organization, OrganizationArgs
from .organizational_units import (
    OrganizationalUnits,
    OrganizationalUnitsArgs,
    OrganizationalUnitSpec,
)


@dataclass(frozen=True)
class LandingZoneArgs:
    config: LandingZoneConfig


class LandingZone(pulumi.ComponentResource):
    organization: Organization
    organizational_units: OrganizationalUnits
    accounts: dict[str, MemberAccount]
    identity_center: IdentityCenter | None

    def __init__(self, name: str, args: LandingZoneArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:landing-zone:LandingZone", name, None, opts)
        self.config = args.config
        self.organization = self._create_organization(name)
        self.organizational_units = self._create_organizational_units(name)
        self.accounts = {account.name: self._create_account(account) for account in self.config.accounts}
        self.identity_center = self._create_identity_center(name)
        self.register_outputs(
            {
                "organizationId": self.organization.organization_id,
                "rootId": self.organization.root_id,
                "accountIds": self.account_ids,
            }
        )

    @property
    def account_ids(self) -> pulumi.Output[dict[str, str]]:
        return pulumi.Output.all(**{name: account.account_id for name, account in self.accounts.items()})

    def _create_organization(self, name: str) -> Organization:
        org = self.config.organization
        return Organization(
            name,
            OrganizationArgs(
                create=org.create,
                import_id=org.import_id,
                feature_set=org.feature_set,
                enabled_policy_types=org.enabled_policy_types,
                aws_service_access_principals=org.aws_service_access_principals,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_organizational_units(self, name: str) -> OrganizationalUnits:
        tags = self.config.organization.tags
        units = [
            OrganizationalUnitSpec(path=ou.path, import_id=ou.import_id, tags={**tags, **ou.tags})
            for ou in self.config.organizational_units
        ]
        return OrganizationalUnits(
            name,
            OrganizationalUnitsArgs(root_id=self.organization.root_id, units=units),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_identity_center(self, name: str) -> IdentityCenter | None:
        identity = self.config.identity_center
        if identity is None:
            return None
        account_ids: dict[str, pulumi.Input[str]] = {
            account_name: account.account_id for account_name, account in self.accounts.items()
        }
        account_ids[identity.management_account_name] = self.organization.management_account_id
        return IdentityCenter(
            name,
            IdentityCenterArgs(
                config=identity,
                grants=expand_access(self.config),
                account_ids=account_ids,
                tags=self.config.organization.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_account(self, account: AccountConfig) -> MemberAccount:
        contacts = {
            contact_type.upper(): contact
            for contact_type, contact in self.config.contacts_for(account).items()
        }
        parent_id = (
            self.organizational_units.ids[account.ou] if account.ou is not None else self.organization.root_id
        )
        return MemberAccount(
            account.name,
            MemberAccountArgs(
                account_name=account.name,
                email=self.config.email_for(account),
                parent_id=parent_id,
                contacts=contacts,
                tags={**self.config.organization.tags, **account.tags},
                close_on_deletion=account.close_on_deletion,
                role_name=account.role_name,
                iam_user_access_to_billing=account.iam_user_access_to_billing,
                import_id=account.import_id,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
