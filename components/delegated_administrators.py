"""Security services administered from one member account (usually audit) for the organization."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_aws.guardduty import organization_admin_account as guardduty_admin
from pulumi_aws.organizations.delegated_administrator import DelegatedAdministrator
from pulumi_aws.securityhub import organization_admin_account as securityhub_admin

from landing_zone.config.delegated_administrators import DelegatedAdministratorsConfig
from landing_zone.principals import DELEGATED_SERVICES

# Their administrator is designated in each region (GuardDuty User Guide, "Designating a
# delegated GuardDuty administrator account"; Security Hub's EnableOrganizationAdminAccount is
# regional too); the others are registered once, with Organizations.
REGIONAL_SERVICES = ("guardduty", "securityhub")


@dataclass(frozen=True)
class DelegatedAdministratorsArgs:
    config: DelegatedAdministratorsConfig
    account_id: pulumi.Input[str]  # the delegated administrator (config.account)
    # The other governed regions, each with a provider acting in the management account there:
    # the regional services are delegated there too (the stack's region uses the default provider).
    other_regions: Mapping[str, pulumi.ProviderResource] = field(default_factory=dict)


class DelegatedAdministrators(pulumi.ComponentResource):
    def __init__(
        self, name: str, args: DelegatedAdministratorsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("landing-zone:delegated-administrators:DelegatedAdministrators", name, None, opts)
        for service in args.config.services:
            home = self._delegate(
                f"{name}-{service}", service, args.account_id, pulumi.ResourceOptions(parent=self)
            )
            if service not in REGIONAL_SERVICES:
                continue
            for region, provider in sorted(args.other_regions.items()):
                # After the stack's region: the first designation also registers the account
                # with Organizations, a one-time global action (GuardDuty User Guide, "Changing
                # the delegated GuardDuty administrator account"); the others find it done.
                self._delegate(
                    f"{name}-{service}-{region}",
                    service,
                    args.account_id,
                    pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[home]),
                )
        self.register_outputs({})

    def _delegate(
        self, resource_name: str, service: str, account_id: pulumi.Input[str], opts: pulumi.ResourceOptions
    ) -> pulumi.CustomResource:
        # A service has one delegated administrator per organization (GuardDuty, Security Hub and
        # Access Analyzer allow one): moving it to another account must deregister the old one
        # before registering the new, which Pulumi does only when told to.
        # https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(delete_before_replace=True))
        # GuardDuty and Security Hub have their own call, which also registers the delegated
        # administrator with Organizations and sets the service up for it; the others only
        # need the Organizations registration.
        if service == "guardduty":
            return guardduty_admin.OrganizationAdminAccount(
                resource_name, admin_account_id=account_id, opts=opts
            )
        if service == "securityhub":
            return securityhub_admin.OrganizationAdminAccount(
                resource_name, admin_account_id=account_id, opts=opts
            )
        return DelegatedAdministrator(
            resource_name, account_id=account_id, service_principal=DELEGATED_SERVICES[service], opts=opts
        )
