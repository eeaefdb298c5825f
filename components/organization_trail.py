"""An organization CloudTrail trail in the management account, logging to the log-archive account."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi_aws.cloudtrail.trail import Trail
from pulumi_aws.get_region import get_region_output
from pulumi_aws.s3._inputs import BucketVersioningVersioningConfigurationArgs
from pulumi_aws.s3.bucket import Bucket
from pulumi_aws.s3.bucket_policy import BucketPolicy
from pulumi_aws.s3.bucket_public_access_block import BucketPublicAccessBlock
from pulumi_aws.s3.bucket_versioning import BucketVersioning

from landing_zone.config.organization_trail import OrganizationTrailConfig
from landing_zone.principals import CLOUDTRAIL

from .account_baseline import MissingProviderError


@dataclass(frozen=True)
class OrganizationTrailArgs:
    config: OrganizationTrailConfig
    bucket_name: pulumi.Input[str]
    organization_id: pulumi.Input[str]
    management_account_id: pulumi.Input[str]
    # Acts in the log-archive account, where the bucket lives.
    log_archive_provider: pulumi.ProviderResource | None
    tags: Mapping[str, str] = field(default_factory=dict)


class OrganizationTrail(pulumi.ComponentResource):
    trail_arn: pulumi.Output[str]
    bucket_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: OrganizationTrailArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if args.log_archive_provider is None:
            raise MissingProviderError(
                f"OrganizationTrail {name} needs log_archive_provider, a provider for the log-archive account"
            )
        super().__init__("landing-zone:organization-trail:OrganizationTrail", name, None, opts)
        in_log_archive = pulumi.ResourceOptions(parent=self, provider=args.log_archive_provider)
        bucket = self._create_bucket(name, args, in_log_archive)
        policy = self._create_bucket_policy(name, bucket, args, in_log_archive)
        trail = Trail(
            name,
            name=args.config.name,
            s3_bucket_name=bucket.bucket,
            is_organization_trail=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            tags=dict(args.tags),
            # CloudTrail checks the bucket policy when the trail is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        self.trail_arn = trail.arn
        self.bucket_name = bucket.bucket
        self.register_outputs({"trailArn": self.trail_arn, "bucketName": self.bucket_name})

    def _create_bucket(self, name: str, args: OrganizationTrailArgs, opts: pulumi.ResourceOptions) -> Bucket:
        # The organization's audit record: `pulumi destroy` must not take it away.
        bucket = Bucket(
            f"{name}-logs",
            bucket=args.bucket_name,
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=True)),
        )
        BucketPublicAccessBlock(
            f"{name}-logs",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=opts,
        )
        BucketVersioning(
            f"{name}-logs",
            bucket=bucket.id,
            versioning_configuration=BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=opts,
        )
        return bucket

    def _create_bucket_policy(
        self, name: str, bucket: Bucket, args: OrganizationTrailArgs, opts: pulumi.ResourceOptions
    ) -> BucketPolicy:
        # The trail's region is the management provider's, where the trail is created.
        region = get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        document = pulumi.Output.all(
            bucket_arn=bucket.arn,
            organization_id=args.organization_id,
            management_account_id=args.management_account_id,
            region=region,
        ).apply(lambda values: json.dumps(trail_bucket_policy(trail_name=args.config.name, **values)))
        return BucketPolicy(f"{name}-logs", bucket=bucket.id, policy=document, opts=opts)


def trail_bucket_policy(
    *, bucket_arn: str, organization_id: str, management_account_id: str, trail_name: str, region: str
) -> dict[str, Any]:
    """CloudTrail's documented policy for an organization trail's bucket, plus TLS only."""
    trail_arn = f"arn:aws:cloudtrail:{region}:{management_account_id}:trail/{trail_name}"
    from_this_trail = {"StringEquals": {"aws:SourceArn": trail_arn}}
    write_condition = {
        "StringEquals": {"aws:SourceArn": trail_arn, "s3:x-amz-acl": "bucket-owner-full-control"}
    }
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:GetBucketAcl",
                "Resource": bucket_arn,
                "Condition": from_this_trail,
            },
            {
                "Sid": "CloudTrailWriteManagementAccount",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn}/AWSLogs/{management_account_id}/*",
                "Condition": write_condition,
            },
            {
                "Sid": "CloudTrailWriteOrganization",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL},
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn}/AWSLogs/{organization_id}/*",
                "Condition": write_condition,
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }
