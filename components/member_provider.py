"""AWS providers that act inside member accounts, through each account's organization access
role, and in the management account's other regions."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from landing_zone.config.regions import region_suffix

SESSION_NAME = "landing-zone"


def member_account_provider(
    name: str,
    account_id: pulumi.Input[str],
    role_name: str,
    region: str | None,
    opts: pulumi.ResourceOptions | None = None,
) -> aws.Provider:
    """A provider assuming `role_name` in `account_id`; it refuses to act in any other account."""
    role_arn = pulumi.Output.concat("arn:aws:iam::", account_id, f":role/{role_name}")
    return aws.Provider(
        name,
        assume_roles=[aws.ProviderAssumeRoleArgs(role_arn=role_arn, session_name=SESSION_NAME)],
        # A safety net: were the role to resolve elsewhere (the management account), every
        # operation fails instead of changing the wrong account.
        allowed_account_ids=[account_id],
        region=region,
        opts=opts,
    )


def management_account_provider(
    name: str,
    management_account_id: pulumi.Input[str],
    region: str,
    opts: pulumi.ResourceOptions | None = None,
) -> aws.Provider:
    """The stack's own credentials (the management account's) in `region`: it assumes no role,
    and refuses to act in any account but the management account."""
    return aws.Provider(name, allowed_account_ids=[management_account_id], region=region, opts=opts)


class MemberProviders:
    """One provider per member account and region, made the first time something needs it."""

    def __init__(
        self,
        account_ids: Mapping[str, pulumi.Output[str]],
        role_names: Mapping[str, str],
        region: str | None,
        parent: pulumi.Resource,
    ) -> None:
        self._account_ids = account_ids
        self._role_names = role_names
        self._region = region  # the stack's aws:region
        self._parent = parent
        self._made: dict[tuple[str, str | None], aws.Provider] = {}

    def for_account(self, name: str, region: str | None = None) -> aws.Provider:
        """Acting in account `name` in `region` (None: the stack's region).

        Named `<account>-member` in the stack's region, as before regions were governed (a
        rename would replace every resource it holds), `<account>-member-<region>` elsewhere.
        """
        if region is None:
            region = self._region
        key = (name, region)
        if key not in self._made:
            self._made[key] = member_account_provider(
                f"{name}-member{region_suffix(region, self._region)}",
                self._account_ids[name],
                self._role_names[name],
                region,
                opts=pulumi.ResourceOptions(parent=self._parent),
            )
        return self._made[key]
