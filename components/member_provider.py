"""An AWS provider that acts inside one member account, through its organization access role."""

from __future__ import annotations

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
