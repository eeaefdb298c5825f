"""IAM Identity Center content: permission sets, groups, users, memberships and account
assignments. The instance is looked up: it is enabled once, by hand, in the management account.
Whatever config marks as imported is adopted with import ids built from its live ids.

An account stack registers only the assignments to its accounts, under the same component
and names as a single stack would (so `pulumi state move` maps them one to one); the instance,
permission sets and groups are the organization stack's, known by its outputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_aws.get_region import get_region_output
from pulumi_aws.identitystore._inputs import (
    GetGroupAlternateIdentifierArgs,
    GetGroupAlternateIdentifierUniqueAttributeArgs,
    UserEmailsArgs,
    UserNameArgs,
)
from pulumi_aws.identitystore.get_group import get_group_output
from pulumi_aws.identitystore.group import Group
from pulumi_aws.identitystore.group_membership import GroupMembership
from pulumi_aws.identitystore.user import User
from pulumi_aws.ssoadmin._inputs import (
    CustomerManagedPolicyAttachmentCustomerManagedPolicyReferenceArgs,
    PermissionsBoundaryAttachmentPermissionsBoundaryArgs,
    PermissionsBoundaryAttachmentPermissionsBoundaryCustomerManagedPolicyReferenceArgs,
)
from pulumi_aws.ssoadmin.account_assignment import AccountAssignment
from pulumi_aws.ssoadmin.customer_managed_policy_attachment import CustomerManagedPolicyAttachment
from pulumi_aws.ssoadmin.get_instances import get_instances_output
from pulumi_aws.ssoadmin.managed_policy_attachment import ManagedPolicyAttachment
from pulumi_aws.ssoadmin.permission_set import PermissionSet
from pulumi_aws.ssoadmin.permission_set_inline_policy import PermissionSetInlinePolicy
from pulumi_aws.ssoadmin.permissions_boundary_attachment import PermissionsBoundaryAttachment

from landing_zone.config.identity import (
    AccessGrant,
    GroupConfig,
    IdentityCenterConfig,
    PermissionSetConfig,
    PermissionSetImportIds,
    UserConfig,
    permission_set_import_ids,
    store_import_id,
)
from landing_zone.resource_types import EXTERNAL_GROUP


@dataclass(frozen=True)
class IdentityCenterArgs:
    config: IdentityCenterConfig
    # The expanded access rules: one assignment each.
    grants: Sequence[AccessGrant]
    # Account id by the name access rules use, the management account included.
    account_ids: Mapping[str, pulumi.Input[str]]
    # Import ids of the assignments that exist live (from imported access rules).
    assignment_import_ids: Mapping[AccessGrant, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    # An account stack's: the organization stack's instance, permission sets and groups; only
    # the assignments are registered. None: everything is registered here.
    deployed: DeployedIdentityCenter | None = None


@dataclass(frozen=True)
class DeployedIdentityCenter:
    """What the organization stack deployed of Identity Center, as an account stack reads it."""

    instance_arn: pulumi.Output[str]
    # By the config's names; a name missing from the organization stack's outputs stops the
    # program when an assignment uses it (components.organization_reference).
    permission_set_arns: Mapping[str, pulumi.Output[str]]
    group_ids: Mapping[str, pulumi.Output[str]]


class IdentityCenter(pulumi.ComponentResource):
    instance_arn: pulumi.Output[str]
    identity_store_id: pulumi.Output[str]
    region: pulumi.Output[str]
    start_url: pulumi.Output[str]
    permission_set_arns: Mapping[str, pulumi.Output[str]]
    group_ids: Mapping[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: IdentityCenterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("landing-zone:identity-center:IdentityCenter", name, None, opts)
        self.config = args.config
        self.grants = tuple(args.grants)
        self._attachments: dict[str, list[pulumi.Resource]] = {}
        if args.deployed is not None:
            self._create_assignments_only(args, args.deployed)
            return
        self._lookup_instance()
        # Permission sets are provisioned to accounts by their assignments: attach the
        # policies first so that the first provisioning already carries them.
        self.permission_set_arns = {
            ps.name: self._create_permission_set(ps, args.tags) for ps in self.config.permission_sets
        }
        users = {user.user_name: self._create_user(user) for user in self.config.users}
        self.group_ids = {group.name: self._group_id(group) for group in self.config.groups}
        for group in self.config.groups:
            for member in group.members:
                self._create_membership(
                    group.name, member, users[member], group.import_memberships.get(member)
                )
        for grant in args.grants:
            self._create_assignment(
                grant, args.account_ids[grant.account], args.assignment_import_ids.get(grant)
            )
        self.register_outputs(
            {
                "instanceArn": self.instance_arn,
                "identityStoreId": self.identity_store_id,
                "startUrl": self.start_url,
                "region": self.region,
                "permissionSetArns": self.permission_set_arns,
                "groupIds": self.group_ids,
            }
        )

    def _create_assignments_only(self, args: IdentityCenterArgs, deployed: DeployedIdentityCenter) -> None:
        """An account stack's part: its assignments, to the organization stack's permission sets
        (whose policies that stack attached) and groups."""
        self.instance_arn = deployed.instance_arn
        self.permission_set_arns = deployed.permission_set_arns
        self.group_ids = deployed.group_ids
        for grant in args.grants:
            self._create_assignment(
                grant, args.account_ids[grant.account], args.assignment_import_ids.get(grant)
            )
        self.register_outputs({"instanceArn": self.instance_arn})

    def _lookup_instance(self) -> None:
        region = self.config.region
        adopted = self.config.import_
        if adopted is not None:
            # Known in config (lz import wrote them, or the bootstrap of a new organization
            # copied them from the console): no lookup to depend on.
            self.instance_arn = pulumi.Output.from_input(adopted.instance_arn)
            self.identity_store_id = pulumi.Output.from_input(adopted.identity_store_id)
        else:
            instances = get_instances_output(region=region, opts=pulumi.InvokeOutputOptions(parent=self))
            where = f" in {region}" if region else ""
            self.instance_arn = instances.arns.apply(lambda arns: _the_one(arns, where))
            self.identity_store_id = instances.identity_store_ids.apply(lambda ids: _the_one(ids, where))
        if region is not None:
            self.region = pulumi.Output.from_input(region)
        else:
            self.region = get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        if self.config.start_url is not None:
            self.start_url = pulumi.Output.from_input(self.config.start_url)
        else:
            self.start_url = self.identity_store_id.apply(lambda store: f"https://{store}.awsapps.com/start")

    def _options(
        self, depends_on: Sequence[pulumi.Resource] = (), import_id: str | None = None
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, depends_on=list(depends_on), import_=import_id)

    def _create_permission_set(self, ps: PermissionSetConfig, tags: Mapping[str, str]) -> pulumi.Output[str]:
        import_ids = permission_set_import_ids(self.config, ps)
        permission_set = PermissionSet(
            ps.name,
            instance_arn=self.instance_arn,
            name=ps.name,
            description=ps.description,
            session_duration=ps.session_duration,
            relay_state=ps.relay_state,
            tags={**tags, **ps.tags},
            region=self.config.region,
            opts=self._options(import_id=import_ids.permission_set),
        )
        self._attachments[ps.name] = self._attach_policies(ps, permission_set.arn, import_ids)
        return permission_set.arn

    def _attach_policies(
        self, ps: PermissionSetConfig, arn: pulumi.Output[str], import_ids: PermissionSetImportIds
    ) -> list[pulumi.Resource]:
        """Managed, customer managed, inline policies and the boundary: what assignments wait for."""
        common = {"instance_arn": self.instance_arn, "permission_set_arn": arn, "region": self.config.region}
        attachments: list[pulumi.Resource] = [
            ManagedPolicyAttachment(
                f"{ps.name}-{policy_arn.rpartition(':policy/')[2]}",
                managed_policy_arn=policy_arn,
                **common,
                opts=self._options(import_id=import_ids.managed_policies.get(policy_arn)),
            )
            for policy_arn in ps.managed_policies
        ]
        attachments += [
            CustomerManagedPolicyAttachment(
                f"{ps.name}-cm-{reference.path}{reference.name}",
                customer_managed_policy_reference=CustomerManagedPolicyAttachmentCustomerManagedPolicyReferenceArgs(
                    name=reference.name, path=reference.path
                ),
                **common,
                opts=self._options(import_id=import_ids.customer_managed_policies.get(reference)),
            )
            for reference in ps.customer_managed_policies
        ]
        if ps.inline_policy is not None:
            attachments.append(
                PermissionSetInlinePolicy(
                    f"{ps.name}-inline",
                    inline_policy=ps.inline_policy,
                    **common,
                    opts=self._options(import_id=import_ids.inline_policy),
                )
            )
        boundary = ps.permissions_boundary
        if boundary is not None:
            reference = boundary.customer_managed_policy
            attachments.append(
                PermissionsBoundaryAttachment(
                    f"{ps.name}-boundary",
                    permissions_boundary=PermissionsBoundaryAttachmentPermissionsBoundaryArgs(
                        managed_policy_arn=boundary.managed_policy_arn,
                        customer_managed_policy_reference=(
                            PermissionsBoundaryAttachmentPermissionsBoundaryCustomerManagedPolicyReferenceArgs(
                                name=reference.name, path=reference.path
                            )
                            if reference is not None
                            else None
                        ),
                    ),
                    **common,
                    opts=self._options(import_id=import_ids.permissions_boundary),
                )
            )
        return attachments

    def _create_user(self, user: UserConfig) -> pulumi.Output[str]:
        created = User(
            f"user-{user.user_name}",
            identity_store_id=self.identity_store_id,
            user_name=user.user_name,
            display_name=self.config.display_name_of(user),
            name=UserNameArgs(given_name=user.given_name, family_name=user.family_name),
            emails=UserEmailsArgs(value=user.email, primary=True),
            region=self.config.region,
            opts=self._options(import_id=store_import_id(self.config, user.import_id)),
        )
        return created.user_id

    def _group_id(self, group: GroupConfig) -> pulumi.Output[str]:
        if self.config.external_groups:
            # Provisioned by the identity provider (SCIM): reference, never create.
            found = get_group_output(
                identity_store_id=self.identity_store_id,
                alternate_identifier=GetGroupAlternateIdentifierArgs(
                    unique_attribute=GetGroupAlternateIdentifierUniqueAttributeArgs(
                        attribute_path="DisplayName", attribute_value=group.name
                    )
                ),
                region=self.config.region,
                opts=pulumi.InvokeOutputOptions(parent=self),
            )
            # Registered so that the policy pack can name the group an assignment gives access to.
            ExternalGroup(group.name, found.group_id, pulumi.ResourceOptions(parent=self))
            return found.group_id
        created = Group(
            f"group-{group.name}",
            identity_store_id=self.identity_store_id,
            display_name=group.name,
            description=group.description,
            region=self.config.region,
            opts=self._options(import_id=store_import_id(self.config, group.import_id)),
        )
        return created.group_id

    def _create_membership(
        self, group: str, user_name: str, user_id: pulumi.Output[str], membership_id: str | None
    ) -> None:
        GroupMembership(
            f"{group}-{user_name}",
            identity_store_id=self.identity_store_id,
            group_id=self.group_ids[group],
            member_id=user_id,
            region=self.config.region,
            opts=self._options(import_id=store_import_id(self.config, membership_id)),
        )

    def _create_assignment(
        self, grant: AccessGrant, account_id: pulumi.Input[str], import_id: str | None
    ) -> None:
        AccountAssignment(
            grant.logical_name,
            instance_arn=self.instance_arn,
            permission_set_arn=self.permission_set_arns[grant.permission_set],
            principal_type="GROUP",
            principal_id=self.group_ids[grant.group],
            target_type="AWS_ACCOUNT",
            target_id=account_id,
            region=self.config.region,
            opts=self._options(
                depends_on=self._attachments.get(grant.permission_set, []), import_id=import_id
            ),
        )


class ExternalGroup(pulumi.ComponentResource):
    """A group the identity provider owns, as the stack looked it up: its display name and id.

    Nothing in AWS: it tells the policy pack which group an assignment's principal id is.
    """

    def __init__(self, display_name: str, group_id: pulumi.Output[str], opts: pulumi.ResourceOptions) -> None:
        props = {"displayName": display_name, "groupId": group_id}
        super().__init__(EXTERNAL_GROUP, f"external-group-{display_name}", props, opts)
        self.register_outputs(props)


def _the_one(values: Sequence[str], where: str) -> str:
    if not values:
        raise pulumi.RunError(
            f"no IAM Identity Center instance{where}: enable Identity Center in the management "
            "account (or set identityCenter.region to the region it lives in)"
        )
    return values[0]
