"""Security services administered from one member account (usually audit) for the organization."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from landing_zone.config.delegated_administrators import DelegatedAdministratorsConfig
from landing_zone.principals import DELEGATED_SERVICES


@dataclass(frozen=True)
class DelegatedAdministratorsArgs:
    config: DelegatedAdministratorsConfig
    account_id: pulumi.Input[str]  # the delegated administrator (config.account)


class DelegatedAdministrators(pulumi.ComponentResource):
    def __init__(
        self, name: str, args: DelegatedAdministratorsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("landing-zone:delegated-administrators:DelegatedAdministrators", name, None, opts)
        for service in args.config.services:
            self._delegate(name, service, args.account_id)
        self.register_outputs({})

    def _delegate(self, name: str, service: str, account_id: pulumi.Input[str]) -> None:
        child = pulumi.ResourceOptions(parent=self)
        resource_name = f"{name}-{service}"
        # GuardDuty and Security Hub have their own call, which also registers the delegated
        # administrator with Organizations and sets the service up for it; the others only
        # need the Organizations registration.
        if service == "guardduty":
            aws.guardduty.OrganizationAdminAccount(resource_name, admin_account_id=account_id, opts=child)
        elif service == "securityhub":
            aws.securityhub.OrganizationAdminAccount(resource_name, admin_account_id=account_id, opts=child)
        else:
            aws.organizations.DelegatedAdministrator(
                resource_name,
                account_id=account_id,
                service_principal=DELEGATED_SERVICES[service],
                opts=child,
            )
