"""The whole landing zone: organization, OUs, accounts, Identity Center, guardrails, costs, baselines.

This component only wires: each leaf component gets its config section and the ids it refers
to; what is derived from config (emails, targets, import ids, aliases) comes from the pure
functions beside the config.

A stack of a split organization registers its slice (landing_zone.config.stacks): the
organization stack the organization-level resources and its own accounts, an account stack
only its accounts and what belongs to them, with the organization's ids from the organization
stack's outputs. Either way under the same names and parents as a single stack.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from landing_zone.config.stacks import StackSlice

from .account_baseline import AccountBaseline, AccountBaselineArgs, BaselineRegion, create_password_policy
from .account_settings import ManagementAccountSettings, ManagementAccountSettingsArgs
from .cost_controls import CostControls, CostControlsArgs
from .delegated_administrators import REGIONAL_SERVICES, DelegatedAdministrators, DelegatedAdministratorsArgs
from .guardrails import Guardrails, GuardrailsArgs
from .identity_center import DeployedIdentityCenter, IdentityCenter, IdentityCenterArgs
from .ids import StackIds
from .member_account import MemberAccount, MemberAccountArgs
from .member_provider import MemberProviders, management_account_provider
from .organization import Organization, OrganizationArgs
from .organization_reference import (
    GROUP_IDS,
    MANAGEMENT_ACCOUNT_ID,
    OU_IDS,
    PERMISSION_SET_ARNS,
    ROOT_ID,
    SSO_INSTANCE_ARN,
    OrganizationReference,
    OrganizationStack,
)
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
    # What this stack deploys of the organization (StackSettings.slice); None: all of it.
    slice: StackSlice | None = None
    # An account stack's organization stack, in full (org/project/stack): the reference it reads
    # the organization's ids from. Required when `slice` is an account stack's.
    organization_stack_name: str | None = None


class LandingZone(pulumi.ComponentResource):
    # The organization stack's (or a single stack's); None in an account stack, which has
    # `organization_reference` instead.
    organization: Organization | None
    organizational_units: OrganizationalUnits | None
    organization_reference: OrganizationReference | None
    accounts: dict[str, MemberAccount]
    identity_center: IdentityCenter | None
    # With organization.quarantineOu: the accounts whose baseline this update applied.
    baselined_accounts: pulumi.Output[list[str]] | None

    def __init__(self, name: str, args: LandingZoneArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:landing-zone:LandingZone", name, None, opts)
        config = args.config
        # The organization stack (or a single stack) registers the organization-level resources.
        self.organization_wide = args.slice is None or args.slice.is_organization_stack
        organization_ids = self._organization(name, config, args)
        # A closed account's entry is a record: its resource leaves the stack, and Pulumi's Delete
        # closes it (armed while suspended: landing_zone.config.lifecycle).
        live = tuple(
            a for a in config.structure.live_accounts if args.slice is None or args.slice.owns(a.name)
        )
        deployed = self._last_update(name, config, args.stack_name, frozenset(a.name for a in live))
        self.accounts = {
            account.name: self._create_account(config, account, deployed, organization_ids)
            for account in live
        }
        ids = StackIds(
            root_id=organization_ids.root_id,
            management_account_id=organization_ids.management_account_id,
            organizational_units=organization_ids.organizational_units,
            accounts={name: account.account_id for name, account in self.accounts.items()},
        )
        self.management_settings = (
            self._create_management_settings(name, config) if self.organization_wide else None
        )
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
        self.cost_controls = self._create_cost_controls(name, config, ids)
        regions = self._governed_regions(config, args.region)
        self.baselines = self._create_baselines(config, ids, providers, regions)
        self.guardrails = None
        self.organization_trail = None
        self.delegated_administrators = None
        organization = self.organization
        if organization is not None:
            self.guardrails = self._create_guardrails(name, config, ids, organization)
            self._create_management_password_policy(name, config)
            self.organization_trail = self._create_organization_trail(config, ids, providers, organization)
            self.delegated_administrators = self._create_delegated_administrators(
                name, config, ids, regions, organization
            )
        self.baselined_accounts = None
        if config.organization.quarantine_ou is not None:
            # Known only once every baseline resource is created: the outputs of an update that
            # failed on a baseline are not written, and its new accounts stay in quarantine.
            names = sorted(self.baselines)
            self.baselined_accounts = pulumi.Output.all(*(b.applied for b in self.baselines.values())).apply(
                lambda _: names
            )
        if self.organization_reference is not None:
            self._describe_organization_stack(
                name, config, organization_ids, self.organization_reference, deployed is not None
            )
        if self.organization is not None:
            self.register_outputs(
                {
                    "organizationId": self.organization.organization_id,
                    "rootId": self.organization.root_id,
                    "accountIds": self.account_ids,
                }
            )
        else:
            self.register_outputs({"rootId": organization_ids.root_id, "accountIds": self.account_ids})

    @property
    def account_ids(self) -> pulumi.Output[dict[str, str]]:
        return pulumi.Output.all(**{name: account.account_id for name, account in self.accounts.items()})

    def _organization(self, name: str, config: LandingZoneConfig, args: LandingZoneArgs) -> OrganizationIds:
        """The organization, its OUs and the management account: registered here, or (an account
        stack) read from the organization stack's outputs."""
        child = pulumi.ResourceOptions(parent=self)
        self.organization_reference = None
        if self.organization_wide:
            self.organization = Organization(name, OrganizationArgs(config.organization), opts=child)
            self.organizational_units = OrganizationalUnits(
                name,
                OrganizationalUnitsArgs(
                    config.organizational_units, self.organization.root_id, config.organization.tags
                ),
                opts=child,
            )
            return OrganizationIds(
                self.organization.root_id,
                self.organization.management_account_id,
                self.organizational_units.ids,
            )
        if args.organization_stack_name is None:
            raise ValueError("an account stack needs LandingZoneArgs.organization_stack_name")
        self.organization = None
        self.organizational_units = None
        reference = OrganizationReference(name, args.organization_stack_name, parent=self)
        self.organization_reference = reference
        return OrganizationIds(
            reference.output(ROOT_ID),
            reference.output(MANAGEMENT_ACCOUNT_ID),
            reference.entries(OU_IDS, "OU", config.structure.ou_paths),
        )

    def _describe_organization_stack(
        self,
        name: str,
        config: LandingZoneConfig,
        organization: OrganizationIds,
        reference: OrganizationReference,
        quarantines: bool,
    ) -> None:
        """An account stack's view of what it refers to of its organization stack (for the policy pack)."""
        structure = config.structure
        owned = [a for a in structure.live_accounts if a.name in self.accounts]
        paths = {ou for a in owned if (ou := structure.parent_ou(a)) is not None}
        if quarantines and config.organization.quarantine_ou is not None:
            paths.add(config.organization.quarantine_ou)
        identity = config.identity_center
        grants = self.identity_center.grants if self.identity_center is not None else ()
        permission_sets = {}
        groups = {}
        if identity is not None and self.identity_center is not None:
            configs = {ps.name: ps for ps in identity.permission_sets}
            for grant in grants:
                arn = self.identity_center.permission_set_arns[grant.permission_set]
                permission_sets[grant.permission_set] = (arn, configs[grant.permission_set])
                groups[grant.group] = self.identity_center.group_ids[grant.group]
        OrganizationStack(
            name,
            reference,
            {path: organization.organizational_units[path] for path in paths},
            permission_sets,
            groups,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _last_update(
        self, name: str, config: LandingZoneConfig, stack_name: str | None, owned: frozenset[str]
    ) -> pulumi.Output[frozenset[str] | None] | None:
        """The accounts the stack's last update created or baselined, from its own outputs; None
        inside the Output when they are unknown; None when none of this stack's accounts
        (`owned`) can start in quarantine."""
        if not quarantine_candidates(config) & owned:
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
        organization: OrganizationIds,
    ) -> MemberAccount:
        ou = config.structure.parent_ou(account)
        parent_id: pulumi.Input[str] = (
            organization.organizational_units[ou] if ou is not None else organization.root_id
        )
        quarantine_ou = config.organization.quarantine_ou
        if (
            deployed is not None
            and quarantine_ou is not None
            and account.name in quarantine_candidates(config)
        ):
            # Created by this update: in quarantine until the next one (parentId changes in place).
            parent_id = pulumi.Output.all(
                deployed, organization.organizational_units[quarantine_ou], parent_id
            ).apply(lambda ids: _quarantined_parent(account.name, quarantine_ou, ou, ids[0], ids[1], ids[2]))
        if account.import_id is not None:
            # The management account's id is known only from the organization: checked on the
            # account's parent id, which the import waits for, so that `pulumi preview` stops
            # before the management account is adopted as a member.
            index, import_id = config.accounts.index(account), account.import_id
            parent_id = pulumi.Output.all(parent_id, organization.management_account_id).apply(
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
        if self.organization_wide:
            account_ids[identity.management_account_name] = ids.management_account_id
        # The assignments to this stack's accounts (and the management account's, with the
        # organization), each in the stack that deploys its account.
        grants = [
            grant for grant in expand_access(identity, config.structure) if grant.account in account_ids
        ]
        deployed = None
        reference = self.organization_reference
        if reference is not None:
            if not grants:
                return None
            deployed = DeployedIdentityCenter(
                instance_arn=reference.output(SSO_INSTANCE_ARN),
                permission_set_arns=reference.entries(
                    PERMISSION_SET_ARNS, "permission set", (ps.name for ps in identity.permission_sets)
                ),
                group_ids=reference.entries(GROUP_IDS, "group", (group.name for group in identity.groups)),
            )
        return IdentityCenter(
            name,
            IdentityCenterArgs(
                config=identity,
                grants=grants,
                account_ids=account_ids,
                assignment_import_ids=assignment_import_ids(identity, config.structure),
                tags=config.organization.tags,
                deployed=deployed,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_guardrails(
        self, name: str, config: LandingZoneConfig, ids: StackIds, organization: Organization
    ) -> Guardrails | None:
        if not config.guardrails:
            return None
        targets = {entry.policy_name: targets_of(entry, config.structure) for entry in config.guardrails}
        return Guardrails(
            name,
            GuardrailsArgs(
                config.guardrails,
                targets,
                ids,
                organization_id=organization.organization_id,
                tags=config.organization.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_cost_controls(
        self, name: str, config: LandingZoneConfig, ids: StackIds
    ) -> CostControls | None:
        budgets = config.budgets
        if budgets is None:
            return None
        if not self.organization_wide and not any(b.account in ids.accounts for b in budgets.accounts):
            return None
        return CostControls(
            name,
            CostControlsArgs(
                budgets,
                subscribers_of(budgets, config.organization),
                ids.accounts,
                organization_wide=self.organization_wide,
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
            if account.name in self.accounts
        }

    def _create_organization_trail(
        self, config: LandingZoneConfig, ids: StackIds, providers: MemberProviders, organization: Organization
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
                organization_id=organization.organization_id,
                management_account_id=ids.management_account_id,
                log_archive_provider=providers.for_account(trail.log_archive_account),
                tags=config.organization.tags,
            ),
            opts=pulumi.ResourceOptions(parent=self, aliases=aliases),
        )

    def _create_delegated_administrators(
        self,
        name: str,
        config: LandingZoneConfig,
        ids: StackIds,
        regions: tuple[str | None, ...],
        organization: Organization,
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
            opts=pulumi.ResourceOptions(parent=self, depends_on=[organization]),
        )


@dataclass(frozen=True)
class OrganizationIds:
    """What accounts refer to of the organization: registered here or read from its stack."""

    root_id: pulumi.Output[str]
    management_account_id: pulumi.Output[str]
    # By OU path.
    organizational_units: Mapping[str, pulumi.Output[str]]


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
