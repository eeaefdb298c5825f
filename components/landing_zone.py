"""The whole landing zone: organization, OUs, accounts, Identity Center, guardrails, costs, baselines.

This component only wires: each leaf component gets its config section and the ids it refers
to; what is derived from config (emails, targets, import ids, aliases) comes from the pure
functions beside the config.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from landing_zone.config import AccountConfig, LandingZoneConfig
from landing_zone.config.baseline import (
    account_analyzer,
    alias_for,
    baseline_accounts,
    management_password_policy,
)
from landing_zone.config.cost_controls import subscribers_of
from landing_zone.config.guardrails import targets_of
from landing_zone.config.identity import assignment_import_ids, expand_access
from landing_zone.config.organization_trail import trail_bucket_name
from landing_zone.config.quarantine import deployed_accounts, quarantine_candidates
from landing_zone.config.regions import governed_regions, region_suffix

from .account_baseline import AccountBaseline, AccountBaselineArgs, BaselineRegion, create_password_policy
from .account_settings import ManagementAccountSettings, ManagementAccountSettingsArgs
from .cost_controls import CostControls, CostControlsArgs
from .delegated_administrators import REGIONAL_SERVICES, DelegatedAdministrators, DelegatedAdministratorsArgs
from .guardrails import Guardrails, GuardrailsArgs
from .identity_center import IdentityCenter, IdentityCenterArgs
from .ids import StackIds
from .member_account import MemberAccount, MemberAccountArgs
from .member_provider import MemberProviders, management_account_provider
from .organization import Organization, OrganizationArgs
from .organization_trail import OrganizationTrail, OrganizationTrailArgs
from .organizational_units import OrganizationalUnits, OrganizationalUnitsArgs

TRAIL_COMPONENT_NAME = "organization-trail"


@dataclass(frozen=True)
class LandingZoneArgs:
    config: LandingZoneConfig
    # The stack's aws:region: explicit providers (member accounts) do not read stack config.
    # None: they take the region from the environment, as the default provider would.
    region: str | None = None
    # The stack's aws:profile: the wait for a new account's role calls AWS with it.
    profile: str | None = None
    # The stack's full name (org/project/stack): with organization.quarantineOu, the program
    # reads its own last outputs (landing_zone.config.quarantine).
    stack_name: str | None = None


class LandingZone(pulumi.ComponentResource):
    organization: Organization
    organizational_units: OrganizationalUnits
    accounts: dict[str, MemberAccount]
    identity_center: IdentityCenter | None
    # With organization.quarantineOu: the accounts whose baseline this update applied.
    baselined_accounts: pulumi.Output[list[str]] | None

    def __init__(self, name: str, args: LandingZoneArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:landing-zone:LandingZone", name, None, opts)
        config = args.config
        child = pulumi.ResourceOptions(parent=self)
        self.organization = Organization(name, OrganizationArgs(config.organization), opts=child)
        self.organizational_units = OrganizationalUnits(
            name,
            OrganizationalUnitsArgs(
                config.organizational_units, self.organization.root_id, config.organization.tags
            ),
            opts=child,
        )
        # A closed account's entry is a record: its resource leaves the stack, and Pulumi's Delete
        # closes it (armed while suspended: landing_zone.config.lifecycle).
        live = config.structure.live_accounts
        deployed = self._last_update(name, config, args.stack_name)
        self.accounts = {account.name: self._create_account(config, account, deployed) for account in live}
        ids = StackIds(
            root_id=self.organization.root_id,
            management_account_id=self.organization.management_account_id,
            organizational_units=self.organizational_units.ids,
            accounts={name: account.account_id for name, account in self.accounts.items()},
        )
        self.management_settings = self._create_management_settings(name, config)
        providers = MemberProviders(
            ids.accounts,
            {a.name: a.role_name for a in live},
            args.region,
            parent=self,
            created=frozenset(a.name for a in live if a.import_id is None),
            profile=args.profile,
            enabled_regions={name: account.enabled_regions for name, account in self.accounts.items()},
        )
        self.identity_center = self._create_identity_center(name, config, ids)
        self.guardrails = self._create_guardrails(name, config, ids)
        self.cost_controls = self._create_cost_controls(name, config, ids)
        self._create_management_password_policy(name, config)
        regions = self._governed_regions(config, args.region)
        self.baselines = self._create_baselines(config, ids, providers, regions)
        self.organization_trail = self._create_organization_trail(config, ids, providers)
        self.delegated_administrators = self._create_delegated_administrators(name, config, ids, regions)
        self.baselined_accounts = None
        if config.organization.quarantine_ou is not None:
            # Known only once every baseline resource is created: the outputs of an update that
            # failed on a baseline are not written, and its new accounts stay in quarantine.
            names = sorted(self.baselines)
            self.baselined_accounts = pulumi.Output.all(*(b.applied for b in self.baselines.values())).apply(
                lambda _: names
            )
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

    def _last_update(
        self, name: str, config: LandingZoneConfig, stack_name: str | None
    ) -> pulumi.Output[frozenset[str] | None] | None:
        """The accounts the stack's last update created or baselined, from its own outputs; None
        inside the Output when they are unknown; None when no account can start in quarantine."""
        if not quarantine_candidates(config):
            return None
        if stack_name is None:
            raise ValueError("organization.quarantineOu needs LandingZoneArgs.stack_name")
        # A reference to this very stack (pulumi/pulumi#3722): it sees the outputs the last update
        # wrote, as a component's outputs change only through RegisterResourceOutputs, at the end
        # of the program ("any that exist must be from a previous execution", pulumi/pulumi
        # pkg/engine/update.go); before the first update there are none (get_output gives None,
        # sdk/python/lib/pulumi/stack_reference.py).
        reference = pulumi.StackReference(
            f"{name}-last-update", stack_name=stack_name, opts=pulumi.ResourceOptions(parent=self)
        )
        return pulumi.Output.from_input(_deployed(reference.outputs))

    def _create_account(
        self,
        config: LandingZoneConfig,
        account: AccountConfig,
        deployed: pulumi.Output[frozenset[str] | None] | None,
    ) -> MemberAccount:
        ou = config.structure.parent_ou(account)
        parent_id: pulumi.Input[str] = (
            self.organizational_units.ids[ou] if ou is not None else self.organization.root_id
        )
        quarantine_ou = config.organization.quarantine_ou
        if (
            deployed is not None
            and quarantine_ou is not None
            and account.name in quarantine_candidates(config)
        ):
            # Created by this update: in quarantine until the next one (parentId changes in place).
            parent_id = pulumi.Output.all(
                deployed, self.organizational_units.ids[quarantine_ou], parent_id
            ).apply(lambda ids: _quarantined_parent(account.name, quarantine_ou, ou, ids[0], ids[1], ids[2]))
        if account.import_id is not None:
            # The management account's id is known only from the organization: checked on the
            # account's parent id, which the import waits for, so that `pulumi preview` stops
            # before the management account is adopted as a member.
            index, import_id = config.accounts.index(account), account.import_id
            parent_id = pulumi.Output.all(parent_id, self.organization.management_account_id).apply(
                lambda ids: _not_management_account(index, account.name, import_id, ids[0], ids[1])
            )
        return MemberAccount(
            account.name,
            MemberAccountArgs(account=config.structure.resolve(account), parent_id=parent_id),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_identity_center(
        self, name: str, config: LandingZoneConfig, ids: StackIds
    ) -> IdentityCenter | None:
        identity = config.identity_center
        if identity is None:
            return None
        account_ids: dict[str, pulumi.Input[str]] = dict(ids.accounts)
        account_ids[identity.management_account_name] = ids.management_account_id
        return IdentityCenter(
            name,
            IdentityCenterArgs(
                config=identity,
                grants=expand_access(identity, config.structure),
                account_ids=account_ids,
                assignment_import_ids=assignment_import_ids(identity, config.structure),
                tags=config.organization.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_guardrails(self, name: str, config: LandingZoneConfig, ids: StackIds) -> Guardrails | None:
        if not config.guardrails:
            return None
        targets = {entry.policy_name: targets_of(entry, config.structure) for entry in config.guardrails}
        return Guardrails(
            name,
            GuardrailsArgs(
                config.guardrails,
                targets,
                ids,
                organization_id=self.organization.organization_id,
                tags=config.organization.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_cost_controls(
        self, name: str, config: LandingZoneConfig, ids: StackIds
    ) -> CostControls | None:
        if config.budgets is None:
            return None
        return CostControls(
            name,
            CostControlsArgs(
                config.budgets, subscribers_of(config.budgets, config.organization), ids.accounts
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_management_password_policy(self, name: str, config: LandingZoneConfig) -> None:
        # The management account meets the rules it sets for members (and lz audit's
        # management.password-policy): through the default provider, its own credentials.
        create_password_policy(
            f"{name}-management-password-policy",
            management_password_policy(config.baseline),
            pulumi.ResourceOptions(parent=self),
        )

    def _create_management_settings(
        self, name: str, config: LandingZoneConfig
    ) -> ManagementAccountSettings | None:
        settings = config.structure.resolve_management()
        if settings is None:
            return None
        return ManagementAccountSettings(
            f"{name}-management-account",
            ManagementAccountSettingsArgs(settings),
            opts=pulumi.ResourceOptions(parent=self),
        )

    @staticmethod
    def _governed_regions(config: LandingZoneConfig, home_region: str | None) -> tuple[str | None, ...]:
        """Where regional settings go: the stack's region first (landing_zone.config.regions).

        Raises ConfigError (under `aws:region`) when that region is not named but others are.
        """
        if config.baseline is None and config.delegated_administrators is None:
            return (home_region,)
        return governed_regions(home_region, config.guardrails)

    def _create_baselines(
        self,
        config: LandingZoneConfig,
        ids: StackIds,
        providers: MemberProviders,
        regions: tuple[str | None, ...],
    ) -> dict[str, AccountBaseline]:
        baseline = config.baseline
        if baseline is None:
            return {}
        org_name = config.organization.name
        home = regions[0]
        return {
            account.name: AccountBaseline(
                account.name,
                AccountBaselineArgs(
                    config=baseline,
                    account_id=ids.accounts[account.name],
                    regions=[
                        BaselineRegion(
                            provider=providers.for_account(account.name, region),
                            suffix=region_suffix(region, home),
                            analyzer=account_analyzer(baseline, org_name, account.name, region, home),
                        )
                        for region in regions
                    ],
                    account_alias=alias_for(baseline, org_name, account),
                ),
                opts=pulumi.ResourceOptions(parent=self, provider=providers.for_account(account.name)),
            )
            for account in baseline_accounts(baseline, config.structure)
        }

    def _create_organization_trail(
        self, config: LandingZoneConfig, ids: StackIds, providers: MemberProviders
    ) -> OrganizationTrail | None:
        trail = config.organization_trail
        if trail is None:
            return None
        log_archive_id = ids.accounts[trail.log_archive_account]
        # A stable logical name: renaming the trail must not recreate its protected bucket
        # under the same physical name. Stacks deployed when the trail's name was the logical
        # name move over through an alias (children follow their parent's alias).
        aliases = [pulumi.Alias(name=trail.name)] if trail.name != TRAIL_COMPONENT_NAME else None
        return OrganizationTrail(
            TRAIL_COMPONENT_NAME,
            OrganizationTrailArgs(
                config=trail,
                bucket_name=log_archive_id.apply(
                    lambda account_id: trail_bucket_name(config.organization.name, account_id)
                ),
                organization_id=self.organization.organization_id,
                management_account_id=ids.management_account_id,
                log_archive_provider=providers.for_account(trail.log_archive_account),
                tags=config.organization.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self, aliases=aliases),
        )

    def _create_delegated_administrators(
        self, name: str, config: LandingZoneConfig, ids: StackIds, regions: tuple[str | None, ...]
    ) -> DelegatedAdministrators | None:
        delegated = config.delegated_administrators
        if delegated is None:
            return None
        # The management account in each other governed region, for the regional services.
        enablers = self.management_settings.enabled_regions if self.management_settings else {}
        other_regions = {
            region: management_account_provider(
                f"management-{region}",
                ids.management_account_id,
                region,
                # An opt-in region the management account enables here is enabled first.
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=[enablers[region]] if region in enablers else None
                ),
            )
            for region in regions[1:]
            if region is not None and any(s in REGIONAL_SERVICES for s in delegated.services)
        }
        return DelegatedAdministrators(
            name,
            DelegatedAdministratorsArgs(
                config=delegated, account_id=ids.accounts[delegated.account], other_regions=other_regions
            ),
            # Trusted access must be enabled first when the organization is managed here.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.organization]),
        )


async def _deployed(outputs: pulumi.Output[dict[str, Any]]) -> frozenset[str] | None:
    # Unknown (a preview that cannot read the stack): every account counts as deployed, so that
    # no account in use is ever planned into quarantine; `pulumi up` reads the real outputs.
    if not await outputs.is_known():
        return None
    try:
        return deployed_accounts(await outputs.future() or {})
    except ValueError as err:
        raise pulumi.RunError(
            f"organization.quarantineOu: {err}; fix the stack's outputs or remove quarantineOu"
        ) from None


def _quarantined_parent(
    name: str,
    quarantine_ou: str,
    ou: str | None,
    deployed: frozenset[str] | None,
    quarantine_id: str,
    parent_id: str,
) -> str:
    if deployed is None or name in deployed:
        return parent_id
    # Shown in `pulumi up` and `lz plan`: the account is unusable until another update runs.
    pulumi.log.warn(
        f"account {name} starts in the quarantine OU {quarantine_ou}, where only the role the stack "
        f"assumes may act, until its baseline is applied: run the update again to move it to "
        f"{ou or 'the root'}"
    )
    return quarantine_id


def _not_management_account(index: int, name: str, import_id: str, parent_id: str, management_id: str) -> str:
    if import_id == management_id:
        raise pulumi.RunError(
            f"accounts[{index}].import: account '{name}' imports {import_id}, the management account; "
            "the management account is not a member account (service control policies never restrict it, "
            "and closing or moving it is refused): remove it from accounts"
        )
    return parent_id
