"""AWS providers that act inside member accounts, through each account's organization access role."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

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


class MemberProviders:
    """One provider per member account, made the first time something needs it."""

    def __init__(
        self,
        account_ids: Mapping[str, pulumi.Output[str]],
        role_names: Mapping[str, str],
        region: str | None,
        parent: pulumi.Resource,
    ) -> None:
        self._account_ids = account_ids
        self._role_names = role_names
        self._region = region
        self._parent = parent
        self._made: dict[str, aws.Provider] = {}

    def for_account(self, name: str) -> aws.Provider:
        if name not in self._made:
            self._made[name] = member_account_provider(
                f"{name}-member",
                self._account_ids[name],
                self._role_names[name],
                self._region,
                opts=pulumi.ResourceOptions(parent=self._parent),
            )
        return self._made[name]
