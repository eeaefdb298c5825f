"""AWS providers that act inside member accounts, through each account's organization access
role, and in the management account's other regions."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
from pulumi_aws._inputs import ProviderAssumeRoleArgs
from pulumi_aws.provider import Provider

from landing_zone.config.regions import region_suffix

from .access_role import AccessRoleReady, AccessRoleReadyArgs

SESSION_NAME = "landing-zone"


def member_account_provider(
    name: str,
    account_id: pulumi.Input[str],
    role_name: str,
    region: str | None,
    opts: pulumi.ResourceOptions | None = None,
) -> Provider:
    """A provider assuming `role_name` in `account_id`; it refuses to act in any other account."""
    return Provider(
        name,
        assume_roles=[
            ProviderAssumeRoleArgs(role_arn=access_role_arn(account_id, role_name), session_name=SESSION_NAME)
        ],
        # A safety net: were the role to resolve elsewhere (the management account), every
        # operation fails instead of changing the wrong account.
        allowed_account_ids=[account_id],
        region=region,
        opts=opts,
    )


def access_role_arn(account_id: pulumi.Input[str], role_name: str) -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:iam::", account_id, f":role/{role_name}")


def management_account_provider(
    name: str,
    management_account_id: pulumi.Input[str],
    region: str,
    opts: pulumi.ResourceOptions | None = None,
) -> Provider:
    """The stack's own credentials (the management account's) in `region`: it assumes no role,
    and refuses to act in any account but the management account."""
    return Provider(name, allowed_account_ids=[management_account_id], region=region, opts=opts)


class MemberProviders:
    """One provider per member account and region, made the first time something needs it.

    For an account this stack creates, the providers wait until its access role can be
    assumed (one `AccessRoleReady` per account): right after CreateAccount it often cannot.
    """

    def __init__(
        self,
        account_ids: Mapping[str, pulumi.Output[str]],
        role_names: Mapping[str, str],
        region: str | None,
        parent: pulumi.Resource,
        created: frozenset[str] = frozenset(),
        profile: str | None = None,
        enabled_regions: Mapping[str, Mapping[str, pulumi.Resource]] | None = None,
    ) -> None:
        self._account_ids = account_ids
        self._role_names = role_names
        self._region = region  # the stack's aws:region
        self._parent = parent
        self._created = created  # accounts without an import id: CreateAccount makes them
        self._profile = profile  # aws:profile, for the wait's own AWS calls
        # By account, the resources enabling its opt-in regions: a provider there waits for them.
        self._enabled_regions = enabled_regions or {}
        self._made: dict[tuple[str, str | None], Provider] = {}
        self._ready: dict[str, AccessRoleReady] = {}

    def _role_ready(self, name: str) -> list[pulumi.Resource]:
        if name not in self._created:
            return []
        if name not in self._ready:
            role_arn = access_role_arn(self._account_ids[name], self._role_names[name])
            self._ready[name] = AccessRoleReady(
                f"{name}-access-role-ready",
                AccessRoleReadyArgs(role_arn=role_arn, profile=self._profile, region=self._region),
                opts=pulumi.ResourceOptions(parent=self._parent),
            )
        return [self._ready[name]]

    def for_account(self, name: str, region: str | None = None) -> Provider:
        """Acting in account `name` in `region` (None: the stack's region).

        Named `<account>-member` in the stack's region, as before regions were governed (a
        rename would replace every resource it holds), `<account>-member-<region>` elsewhere.
        """
        if region is None:
            region = self._region
        key = (name, region)
        if key not in self._made:
            enabler = self._enabled_regions.get(name, {}).get(region) if region is not None else None
            self._made[key] = member_account_provider(
                f"{name}-member{region_suffix(region, self._region)}",
                self._account_ids[name],
                self._role_names[name],
                region,
                opts=pulumi.ResourceOptions(
                    parent=self._parent,
                    depends_on=[*self._role_ready(name), *([enabler] if enabler is not None else [])],
                ),
            )
        return self._made[key]
