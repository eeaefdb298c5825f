"""The AWS Organization: looked up by default, created or imported when the config says so; and
IAM's centralized root access management of its member accounts, an organization-wide setting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_aws.iam.organizations_features import OrganizationsFeatures
from pulumi_aws.organizations import organization as aws_organization
from pulumi_aws.organizations.get_organization import get_organization_output

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
        managed = None
        if args.config.create or args.config.import_id:
            managed = self._create_managed(name, args.config)
        else:
            self._lookup_existing(args.config)
        self.root_access = self._create_root_access(name, args.config, managed)
        self.register_outputs(
            {
                "organizationId": self.organization_id,
                "rootId": self.root_id,
                "managementAccountId": self.management_account_id,
            }
        )

    def _create_managed(self, name: str, config: OrganizationConfig) -> aws_organization.Organization:
        organization = aws_organization.Organization(
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
        return organization

    def _create_root_access(
        self, name: str, config: OrganizationConfig, managed: aws_organization.Organization | None
    ) -> OrganizationsFeatures | None:
        root_access = config.root_access_management
        if root_access is None:
            return None
        # IAM refuses the features until the organization gives it trusted access (validation
        # requires iam.amazonaws.com in awsServiceAccessPrincipals): a managed organization is
        # updated first; a looked-up one is checked by `_ready_root_id`, which fails the preview.
        return OrganizationsFeatures(
            f"{name}-root-access",
            enabled_features=list(root_access.features),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[managed] if managed is not None else None),
        )

    def _lookup_existing(self, config: OrganizationConfig) -> None:
        found = get_organization_output(opts=pulumi.InvokeOutputOptions(parent=self))
        # A looked-up organization is read-only: what the stack needs of it (policy types for its
        # policies, trusted access for contacts, delegation, the trail, Identity Center) must be
        # there already. Checked on the root id, which every OU, account and policy waits for, so
        # that `pulumi preview` fails before anything is created.
        self.root_id = pulumi.Output.all(
            found.roots.apply(_first_root_id), found.enabled_policy_types, found.aws_service_access_principals
        ).apply(lambda live: _ready_root_id(config, live[0], live[1], live[2]))
        self.organization_id = found.id
        self.management_account_id = found.master_account_id


def _ready_root_id(
    config: OrganizationConfig, root_id: str, live_types: Sequence[str], live_principals: Sequence[str]
) -> str:
    missing = [
        f"  organization.enabledPolicyTypes: {policy_type} is not enabled on the root "
        f"(aws organizations enable-policy-type --root-id {root_id} --policy-type {policy_type})"
        for policy_type in config.enabled_policy_types
        if policy_type not in live_types
    ]
    missing += [
        f"  organization.awsServiceAccessPrincipals: {principal} has no trusted access "
        f"(aws organizations enable-aws-service-access --service-principal {principal})"
        for principal in config.aws_service_access_principals
        if principal not in live_principals
    ]
    if missing:
        raise pulumi.RunError(
            "the existing organization lacks what this stack needs; enable it in AWS Organizations "
            "(management account), or set organization.import to manage the organization here:\n"
            + "\n".join(missing)
        )
    return root_id


def _first_root_id(roots: Sequence[Any]) -> str:
    """An organization has exactly one root; its id is where top-level OUs hang."""
    if not roots or not roots[0].id:
        raise pulumi.RunError("the organization reports no root: is all-features mode enabled?")
    return roots[0].id
