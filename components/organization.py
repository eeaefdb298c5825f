"""The AWS Organization: looked up by default, created or imported when the config says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from landing_zone.config import OrganizationConfig


@dataclass(frozen=True)
class OrganizationArgs:
    # Neither create nor import: adopt the existing organization read-only, by lookup.
    config: OrganizationConfig


class Organization(pulumi.ComponentResource):
    organization_id: pulumi.Output[str]
    root_id: pulumi.Output[str]
    management_account_id: pulumi.Output[str]

    def __init__(self, name: str, args: OrganizationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:organization:Organization", name, None, opts)
        if args.config.create or args.config.import_id:
            self._create_managed(name, args.config)
        else:
            self._lookup_existing(args.config)
        self.register_outputs(
            {
                "organizationId": self.organization_id,
                "rootId": self.root_id,
                "managementAccountId": self.management_account_id,
            }
        )

    def _create_managed(self, name: str, config: OrganizationConfig) -> None:
        organization = aws.organizations.Organization(
            name,
            feature_set=config.feature_set,
            enabled_policy_types=list(config.enabled_policy_types),
            aws_service_access_principals=list(config.aws_service_access_principals),
            # Deleting the organization would orphan every account: never let Pulumi do it.
            opts=pulumi.ResourceOptions(
                parent=self, protect=True, retain_on_delete=True, import_=config.import_id
            ),
        )
        self.organization_id = organization.id
        self.root_id = organization.roots.apply(_first_root_id)
        self.management_account_id = organization.master_account_id

    def _lookup_existing(self, config: OrganizationConfig) -> None:
        found = aws.organizations.get_organization_output(opts=pulumi.InvokeOutputOptions(parent=self))
        # A looked-up organization is read-only: say so when it lacks what the config expects
        # (alternate contacts need account.amazonaws.com, guardrails need their policy type).
        pulumi.Output.all(found.enabled_policy_types, found.aws_service_access_principals).apply(
            lambda live: self._warn_missing(config, live[0], live[1])
        )
        self.organization_id = found.id
        self.root_id = found.roots.apply(_first_root_id)
        self.management_account_id = found.master_account_id

    def _warn_missing(
        self, config: OrganizationConfig, live_types: Sequence[str], live_principals: Sequence[str]
    ) -> None:
        missing: list[str] = [t for t in config.enabled_policy_types if t not in live_types]
        missing += [p for p in config.aws_service_access_principals if p not in live_principals]
        if missing:
            pulumi.log.warn(
                f"the existing organization does not enable {', '.join(missing)}; enable them in "
                "AWS Organizations, or set organization.import to manage the organization here",
                resource=self,
            )


def _first_root_id(roots: Sequence[Any]) -> str:
    """An organization has exactly one root; its id is where top-level OUs hang."""
    if not roots or not roots[0].id:
        raise pulumi.RunError("the organization reports no root: is all-features mode enabled?")
    return roots[0].id
