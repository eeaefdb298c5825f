"""The whole landing zone: organization, OUs, accounts, Identity Center, guardrails, costs, baselines."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from landing_zone.config import AccountConfig, LandingZoneConfig
from landing_zone.config.baseline import BaselineConfig, alias_for, baseline_accounts
from landing_zone.config.cost_controls import subscribers_of
from landing_zone.config.guardrails import root_attachment_import_id
from landing_zone.config.identity import assignment_import_ids, expand_access

from .account_baseline import AccountBaseline, AccountBaselineArgs
from .cost_controls import AnomalyDetectionSpec, BudgetSpec, CostControls, CostControlsArgs, NotificationSpec
from .delegated_administrators import DelegatedAdministrators, DelegatedAdministratorsArgs
from .guardrails import GuardrailPolicySpec, Guardrails, GuardrailsArgs, GuardrailTarget
from .identity_center import IdentityCenter, IdentityCenterArgs
from .member_account import MemberAccount, MemberAccountArgs
from .member_provider import member_account_provider
from .organization import Organization, OrganizationArgs
from .organization_trail import OrganizationTrail, OrganizationTrailArgs
from .organizational_units import (
    OrganizationalUnits,
    OrganizationalUnitsArgs,
    OrganizationalUnitSpec,
)


@dataclass(frozen=True)
class LandingZoneArgs:
    config: LandingZoneConfig
    # The stack's aws:region: explicit providers (member accounts) do not read stack config.
    # None: they take the region from the environment, as the default provider would.
    region: str | None = None


class LandingZone(pulumi.ComponentResource):
    organization: Organization
    organizational_units: OrganizationalUnits
    accounts: dict[str, MemberAccount]
    identity_center: IdentityCenter | None

    def __init__(self, name: str, args: LandingZoneArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:landing-zone:LandingZone", name, None, opts)
        self.config = args.config
        self.organization = self._create_organization(name)
        self.organizational_units = self._create_organizational_units(name)
        self.accounts = {account.name: self._create_account(account) for account in self.config.accounts}
        self.identity_center = self._create_identity_center(name)
        self.region = args.region
        self.member_providers: dict[str, aws.Provider] = {}
        self.guardrails = self._create_guardrails(name)
        self.cost_controls = self._create_cost_controls(name)
        self.baselines = self._create_baselines()
        self.organization_trail = self._create_organization_trail(name)
        self.delegated_administrators = self._create_delegated_administrators(name)
        self.register_outputs(
            {
                "organizationId": self.organization.organization_id,
                "rootId": self.organization.root_id,
                "accountIds": self.account_ids,
            }
        )

    @property
    def account_ids(self) -> pulumi.Output[dict[str, str]]:
        return pulumi.Output.all(**{name: account.account_id for name, account in self.accounts.items()})

    def _create_organization(self, name: str) -> Organization:
        org = self.config.organization
        return Organization(
            name,
            OrganizationArgs(
                create=org.create,
                import_id=org.import_id,
                feature_set=org.feature_set,
                enabled_policy_types=org.enabled_policy_types,
                aws_service_access_principals=org.aws_service_access_principals,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_organizational_units(self, name: str) -> OrganizationalUnits:
        tags = self.config.organization.tags
        units = [
            OrganizationalUnitSpec(path=ou.path, import_id=ou.import_id, tags={**tags, **ou.tags})
            for ou in self.config.organizational_units
        ]
        return OrganizationalUnits(
            name,
            OrganizationalUnitsArgs(root_id=self.organization.root_id, units=units),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_identity_center(self, name: str) -> IdentityCenter | None:
        identity = self.config.identity_center
        if identity is None:
            return None
        account_ids: dict[str, pulumi.Input[str]] = {
            account_name: account.account_id for account_name, account in self.accounts.items()
        }
        account_ids[identity.management_account_name] = self.organization.management_account_id
        return IdentityCenter(
            name,
            IdentityCenterArgs(
                config=identity,
                grants=expand_access(self.config),
                account_ids=account_ids,
                assignment_import_ids=assignment_import_ids(self.config),
                tags=self.config.organization.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_account(self, account: AccountConfig) -> MemberAccount:
        contacts = {
            contact_type.upper(): contact
            for contact_type, contact in self.config.contacts_for(account).items()
        }
        parent_id = (
            self.organizational_units.ids[account.ou] if account.ou is not None else self.organization.root_id
        )
        return MemberAccount(
            account.name,
            MemberAccountArgs(
                account_name=account.name,
                email=self.config.email_for(account),
                parent_id=parent_id,
                contacts=contacts,
                tags={**self.config.organization.tags, **account.tags},
                close_on_deletion=account.close_on_deletion,
                role_name=account.role_name,
                iam_user_access_to_billing=account.iam_user_access_to_billing,
                import_id=account.import_id,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _member_provider(self, account: AccountConfig) -> aws.Provider:
        """The provider acting in a member account (one per account, made on first use)."""
        if account.name not in self.member_providers:
            self.member_providers[account.name] = member_account_provider(
                f"{account.name}-member",
                self.accounts[account.name].account_id,
                account.role_name,
                self.region,
                opts=pulumi.ResourceOptions(parent=self),
            )
        return self.member_providers[account.name]

    def _create_guardrails(self, name: str) -> Guardrails | None:
        if not self.config.guardrails:
            return None
        policies = []
        ou_ids = {ou.path: ou.import_id for ou in self.config.organizational_units}
        account_ids = {account.name: account.import_id for account in self.config.accounts}
        for entry in self.config.guardrails:
            adopted = entry.import_
            targets = (
                [GuardrailTarget("root", self.organization.root_id, root_attachment_import_id(adopted))]
                if entry.root
                else []
            )
            targets += [
                GuardrailTarget(
                    f"ou-{p}",
                    self.organizational_units.ids[p],
                    adopted.attachment_import_id(ou_ids[p]) if adopted else None,
                )
                for p in entry.organizational_units
            ]
            targets += [
                GuardrailTarget(
                    f"account-{a}",
                    self.accounts[a].account_id,
                    adopted.attachment_import_id(account_ids[a]) if adopted else None,
                )
                for a in entry.accounts
            ]
            policies.append(
                GuardrailPolicySpec(
                    name=entry.policy_name,
                    description=entry.policy_description,
                    content=entry.rendered(),
                    targets=targets,
                    import_id=adopted.policy if adopted else None,
                )
            )
        return Guardrails(
            name,
            GuardrailsArgs(policies=policies, tags=self.config.organization.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_cost_controls(self, name: str) -> CostControls | None:
        budgets = self.config.budgets
        if budgets is None:
            return None
        notifications = [NotificationSpec(n.type, float(n.threshold)) for n in budgets.notifications]
        specs = []
        if budgets.monthly_limit is not None:
            specs.append(BudgetSpec(f"{name}-monthly", f"{budgets.monthly_limit:f}", notifications))
        for budget in budgets.accounts:
            specs.append(
                BudgetSpec(
                    f"{name}-{budget.account}-monthly",
                    f"{budget.monthly_limit:f}",
                    notifications,
                    account_id=self.accounts[budget.account].account_id,
                )
            )
        if budgets.zero_spend:
            # AWS's zero-spend template: told as soon as actual spend passes one cent.
            specs.append(BudgetSpec(f"{name}-zero-spend", "0.01", [NotificationSpec("ACTUAL", 100.0)]))
        anomaly = budgets.anomaly_detection
        return CostControls(
            name,
            CostControlsArgs(
                budgets=specs,
                subscribers=subscribers_of(self.config),
                anomaly_detection=AnomalyDetectionSpec(
                    name=f"{name}-cost-anomalies",
                    threshold=f"{anomaly.threshold:f}",
                    frequency=anomaly.frequency,
                    monitor_arn=anomaly.monitor_arn,
                )
                if anomaly is not None
                else None,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_baselines(self) -> dict[str, AccountBaseline]:
        baseline = self.config.baseline
        if baseline is None:
            return {}
        return {
            account.name: self._create_baseline(account, baseline)
            for account in baseline_accounts(self.config)
        }

    def _create_baseline(self, account: AccountConfig, baseline: BaselineConfig) -> AccountBaseline:
        return AccountBaseline(
            account.name,
            AccountBaselineArgs(
                account_id=self.accounts[account.name].account_id,
                password_policy=baseline.password_policy,
                account_alias=alias_for(self.config, account),
                s3_public_access_block=baseline.s3_public_access_block,
                ebs_encryption_by_default=baseline.ebs_encryption_by_default,
                access_analyzer_name=f"{self.config.organization.name}-account"
                if baseline.access_analyzer
                else None,
            ),
            opts=pulumi.ResourceOptions(parent=self, provider=self._member_provider(account)),
        )

    def _create_organization_trail(self, name: str) -> OrganizationTrail | None:
        trail = self.config.organization_trail
        if trail is None:
            return None
        log_archive = next(a for a in self.config.accounts if a.name == trail.log_archive_account)
        log_archive_id = self.accounts[log_archive.name].account_id
        return OrganizationTrail(
            trail.name,
            OrganizationTrailArgs(
                trail_name=trail.name,
                bucket_name=pulumi.Output.concat(
                    self.config.organization.name, "-cloudtrail-", log_archive_id
                ),
                organization_id=self.organization.organization_id,
                management_account_id=self.organization.management_account_id,
                log_archive_provider=self._member_provider(log_archive),
                tags=self.config.organization.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_delegated_administrators(self, name: str) -> DelegatedAdministrators | None:
        delegated = self.config.delegated_administrators
        if delegated is None:
            return None
        return DelegatedAdministrators(
            name,
            DelegatedAdministratorsArgs(
                account_id=self.accounts[delegated.account].account_id, services=delegated.services
            ),
            # Trusted access must be enabled first when the organization is managed here.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.organization]),
        )
