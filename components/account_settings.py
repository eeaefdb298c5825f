"""Account settings set from the management account: a primary contact, opt-in regions, and the
management account's own alternate contacts.

A member account's settings name it by `account_id` (trusted access for account.amazonaws.com);
the management account's are set without one: "The management account can't specify its own
AccountId" (botocore's model of account:PutContactInformation, PutAlternateContact, EnableRegion).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_aws.account.alternative_contact import AlternativeContact
from pulumi_aws.account.primary_contact import PrimaryContact
from pulumi_aws.account.region import Region

from landing_zone.config.account_settings import ResolvedPrimaryContact
from landing_zone.config.base import ContactType, aws_contact_type
from landing_zone.config.organization import ResolvedContact, ResolvedManagementAccount


def create_alternate_contact(
    name: str,
    contact_type: ContactType,
    contact: ResolvedContact,
    account_id: pulumi.Input[str] | None,
    opts: pulumi.ResourceOptions,
) -> AlternativeContact:
    return AlternativeContact(
        f"{name}-{contact_type}",
        account_id=account_id,
        alternate_contact_type=aws_contact_type(contact_type),
        name=contact.name,
        title=contact.title,
        email_address=contact.email,
        phone_number=contact.phone,
        opts=opts,
    )


def create_primary_contact(
    name: str,
    contact: ResolvedPrimaryContact,
    account_id: pulumi.Input[str] | None,
    opts: pulumi.ResourceOptions,
) -> PrimaryContact:
    return PrimaryContact(
        f"{name}-primary-contact",
        account_id=account_id,
        full_name=contact.full_name,
        company_name=contact.company_name,
        address_line1=contact.address_line1,
        address_line2=contact.address_line2,
        address_line3=contact.address_line3,
        city=contact.city,
        state_or_region=contact.state_or_region,
        district_or_county=contact.district_or_county,
        postal_code=contact.postal_code,
        country_code=contact.country_code,
        phone_number=contact.phone,
        website_url=contact.website_url,
        opts=opts,
    )


def create_regions(
    name: str, regions: Mapping[str, bool], account_id: pulumi.Input[str] | None, opts: pulumi.ResourceOptions
) -> dict[str, Region]:
    """One resource per configured opt-in region, named after it (reordering changes nothing).

    Creating one returns once the region is ENABLED (the provider waits, up to 60 minutes), so what
    depends on it finds the region usable.

    Removing one from config leaves the region as it is: the provider's Delete does nothing
    (terraform-provider-aws internal/service/account/region.go, `DeleteWithoutTimeout: schema.NoopContext`).
    """
    return {
        region: Region(
            f"{name}-region-{region}", region_name=region, enabled=enabled, account_id=account_id, opts=opts
        )
        for region, enabled in sorted(regions.items())
    }


def enabling(regions: Mapping[str, Region], enabled: Mapping[str, bool]) -> dict[str, Region]:
    """The resources that enable a region, by region: what anything acting there must wait for
    (AWS refuses every call in an opt-in region until it is enabled)."""
    return {region: resource for region, resource in regions.items() if enabled.get(region) is True}


@dataclass(frozen=True)
class ManagementAccountSettingsArgs:
    settings: ResolvedManagementAccount


class ManagementAccountSettings(pulumi.ComponentResource):
    """The management account's alternate contacts, primary contact and opt-in regions, set through
    the default provider (the management account's own credentials), without an account id."""

    def __init__(
        self, name: str, args: ManagementAccountSettingsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("landing-zone:account-settings:ManagementAccountSettings", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        for contact_type, contact in sorted(settings.contacts.items()):
            create_alternate_contact(name, contact_type, contact, None, child)
        if settings.primary_contact is not None:
            create_primary_contact(name, settings.primary_contact, None, child)
        regions = create_regions(name, settings.opt_in_regions, None, child)
        self.enabled_regions = enabling(regions, settings.opt_in_regions)
        self.register_outputs({})
