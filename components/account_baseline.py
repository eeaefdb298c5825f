"""The settings every member account gets, applied through that account's own providers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_aws.accessanalyzer.analyzer import Analyzer
from pulumi_aws.ebs.encryption_by_default import EncryptionByDefault
from pulumi_aws.iam.account_alias import AccountAlias
from pulumi_aws.iam.account_password_policy import AccountPasswordPolicy
from pulumi_aws.s3.account_public_access_block import AccountPublicAccessBlock

from landing_zone.config.baseline import AccountAnalyzer, BaselineConfig, PasswordPolicy


class MissingProviderError(ValueError):
    """A cross-account component was built without the provider of the account it targets."""


@dataclass(frozen=True)
class BaselineRegion:
    """Where the regional settings go: EBS encryption by default and the account analyzer."""

    # Acts in the member account, in this region.
    provider: pulumi.ProviderResource
    # Ends the logical names (landing_zone.config.regions.region_suffix): "" in the stack's region.
    suffix: str = ""
    # None: no analyzer (baseline.accessAnalyzer is false).
    analyzer: AccountAnalyzer | None = None


@dataclass(frozen=True)
class AccountBaselineArgs:
    config: BaselineConfig
    account_id: pulumi.Input[str]
    # Every governed region, the stack's own first.
    regions: Sequence[BaselineRegion]
    # Derived per account (landing_zone.config.baseline.alias_for): None for none.
    account_alias: str | None = None


class AccountBaseline(pulumi.ComponentResource):
    """Needs `opts.provider`: a provider acting in the member account (see member_provider)."""

    def __init__(
        self, name: str, args: AccountBaselineArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if opts is None or opts.provider is None:
            # Without it every resource would land in the management account.
            raise MissingProviderError(
                f"AccountBaseline {name} needs opts.provider, a provider for the member account"
            )
        super().__init__("landing-zone:account-baseline:AccountBaseline", name, None, opts)
        self._provider = opts.provider
        self._created: list[pulumi.CustomResource] = [
            create_password_policy(f"{name}-password-policy", args.config.password_policy, self._child())
        ]
        if args.account_alias is not None:
            self._create_alias(name, args.account_alias)
        if args.config.s3_public_access_block:
            self._create_s3_public_access_block(name, args.account_id)
        for region in args.regions:
            if args.config.ebs_encryption_by_default:
                self._create_ebs_encryption(name, region)
            if region.analyzer is not None:
                self._create_access_analyzer(name, region, region.analyzer)
        # Known once every resource above is created: what the quarantine waits for
        # (landing_zone.config.quarantine).
        self.applied: pulumi.Output[list[str]] = pulumi.Output.all(*(r.id for r in self._created))
        self.register_outputs({})

    def _child(self, provider: pulumi.ProviderResource | None = None) -> pulumi.ResourceOptions:
        # Explicit on every child rather than inherited: the point of this component.
        return pulumi.ResourceOptions(parent=self, provider=provider or self._provider)

    def _create_alias(self, name: str, alias: str) -> None:
        # An account has one alias, and creating another overwrites it ("Your AWS account can
        # have only one alias", IAM User Guide, "Using an alias for your AWS account ID"):
        # created first, the new alias leaves nothing for the old one's delete, which fails
        # (pulumi/pulumi-aws#2208). Deleting first, a taken alias leaves the account without
        # one until the config is fixed, which `pulumi up` reports (EntityAlreadyExists).
        self._created.append(
            AccountAlias(
                f"{name}-alias",
                account_alias=alias,
                opts=pulumi.ResourceOptions.merge(
                    self._child(), pulumi.ResourceOptions(delete_before_replace=True)
                ),
            )
        )

    def _create_s3_public_access_block(self, name: str, account_id: pulumi.Input[str]) -> None:
        self._created.append(
            AccountPublicAccessBlock(
                f"{name}-s3-public-access-block",
                account_id=account_id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
                opts=self._child(),
            )
        )

    def _create_ebs_encryption(self, name: str, region: BaselineRegion) -> None:
        self._created.append(
            EncryptionByDefault(
                f"{name}-ebs-encryption-by-default{region.suffix}",
                enabled=True,
                opts=self._child(region.provider),
            )
        )

    def _create_access_analyzer(self, name: str, region: BaselineRegion, analyzer: AccountAnalyzer) -> None:
        # One account analyzer per account and region (IAM User Guide, IAM Access Analyzer:
        # "you can create only one analyzer with your account as the zone of trust"): a
        # replacement (a new name) must delete the old one first. An existing one is adopted
        # by its name, its import id (baseline.importAnalyzers).
        self._created.append(
            Analyzer(
                f"{name}-access-analyzer{region.suffix}",
                analyzer_name=analyzer.name,
                type="ACCOUNT",
                opts=pulumi.ResourceOptions.merge(
                    self._child(region.provider),
                    pulumi.ResourceOptions(delete_before_replace=True, import_=analyzer.import_id),
                ),
            )
        )


def create_password_policy(
    name: str, policy: PasswordPolicy, opts: pulumi.ResourceOptions
) -> AccountPasswordPolicy:
    """An account's IAM password policy, in the account `opts.provider` acts in (member accounts
    here, the management account in LandingZone)."""
    return AccountPasswordPolicy(
        name,
        minimum_password_length=policy.minimum_length,
        password_reuse_prevention=policy.reuse_prevention,
        max_password_age=policy.max_age,
        require_lowercase_characters=policy.require_lowercase,
        require_uppercase_characters=policy.require_uppercase,
        require_numbers=policy.require_numbers,
        require_symbols=policy.require_symbols,
        allow_users_to_change_password=True,
        opts=opts,
    )
