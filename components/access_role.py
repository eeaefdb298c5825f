"""A new member account's access role, waited for before any provider assumes it.

A Pulumi dynamic resource: its create polls AssumeRole (landing_zone.live.access_role) with the
credentials `pulumi up` runs with, so that the account's baseline does not fail on the role's
eventual consistency. Once it succeeded it has nothing more to do: later updates skip it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider

# How long `pulumi up` waits for a new account's role. Here, not imported from
# landing_zone.live.access_role: that module imports botocore, which the program does not need.
DEFAULT_TIMEOUT_SECONDS = 600


class _AccessRoleProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        # Imported here: the provider runs in Pulumi's dynamic provider host, not the program.
        import boto3

        from landing_zone.live.access_role import wait_until_assumable

        session = boto3.Session(profile_name=props.get("profile"), region_name=props.get("region"))
        wait_until_assumable(
            session.client("sts"), props["roleArn"], timeout_seconds=float(props["timeoutSeconds"])
        )
        return CreateResult(id_=props["roleArn"], outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # Another role (an account or roleName change) is waited for again; nothing else matters.
        changed = olds.get("roleArn") != news.get("roleArn")
        return DiffResult(
            changes=changed, replaces=["roleArn"] if changed else [], delete_before_replace=True
        )


@dataclass(frozen=True)
class AccessRoleReadyArgs:
    role_arn: pulumi.Input[str]
    # The credentials `pulumi up` uses for the management account (aws:profile, aws:region).
    profile: str | None = None
    region: str | None = None
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS


class AccessRoleReady(pulumi.dynamic.Resource):
    """Exists once `role_arn` can be assumed; make the member account's provider depend on it."""

    role_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: AccessRoleReadyArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            _AccessRoleProvider(),
            name,
            {
                "roleArn": args.role_arn,
                "profile": args.profile,
                "region": args.region,
                "timeoutSeconds": args.timeout_seconds,
            },
            opts,
        )
