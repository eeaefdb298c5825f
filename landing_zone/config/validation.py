"""Second phase of loading: every domain's cross-reference checks over a parsed config.

All of them report through one `Checker`, so that a user fixing a stack sees every problem
at once, each under the key they would edit.
"""

from __future__ import annotations

from .admin_identities import check_admin_identities
from .baseline import check_assumed_roles, check_baseline
from .checker import Checker, Key
from .cost_controls import check_budgets
from .delegated_administrators import check_delegated_administrators
from .errors import Problem
from .guardrails import check_guardrails
from .identity import check_identity_center
from .keys import config_position
from .lifecycle import check_lifecycle
from .model import LandingZoneConfig
from .organization import check_accounts, check_organization, check_organizational_units
from .organization_trail import check_organization_trail
from .quarantine import check_quarantine
from .regions import check_allowed_regions_enabled
from .stacks import check_account_stacks


def validate(config: LandingZoneConfig, namespace: str) -> list[Problem]:
    """Every cross-reference problem in `config`, in the order of the stack file."""
    return _in_file_order(_run_checks(config, namespace).problems)


def config_warnings(config: LandingZoneConfig, namespace: str) -> list[Problem]:
    """What is allowed but would hurt on a later change, in the order of the stack file."""
    return _in_file_order(_run_checks(config, namespace).warnings)


def _in_file_order(located: list[tuple[Key, Problem]]) -> list[Problem]:
    # The order of the stack file, whatever order the rules ran in (the sort is stable).
    return [problem for _, problem in sorted(located, key=lambda item: config_position(item[0]))]


def _run_checks(config: LandingZoneConfig, namespace: str) -> Checker:
    structure = config.structure
    checker = Checker(
        namespace, account_names=structure.account_names, production=config.organization.production
    )
    check_organization(structure, checker.under("organization"))
    check_organizational_units(structure, checker.under("organizationalUnits"))
    check_accounts(structure, checker.under("accounts"))
    check_lifecycle(config, checker)
    check_quarantine(config, checker)
    if config.identity_center is not None:
        check_identity_center(config.identity_center, structure, checker.under("identityCenter"))
        check_admin_identities(config.identity_center, structure, checker.under("identityCenter"))
    identity = config.identity_center
    permission_sets = None if identity is None else {ps.name for ps in identity.permission_sets}
    check_guardrails(config.guardrails, structure, checker.under("guardrails"), permission_sets)
    check_allowed_regions_enabled(config.guardrails, structure, checker.under("accounts"))
    if config.budgets is not None:
        check_budgets(config.budgets, structure, checker.under("budgets"))
    if config.baseline is not None:
        check_baseline(config.baseline, structure, config.guardrails, checker.under("baseline"))
    trail = config.organization_trail
    check_assumed_roles(
        config.baseline, trail.log_archive_account if trail else None, structure, checker.under("accounts")
    )
    if config.organization_trail is not None:
        check_organization_trail(config.organization_trail, structure, checker.under("organizationTrail"))
    if config.delegated_administrators is not None:
        check_delegated_administrators(
            config.delegated_administrators, structure, checker.under("delegatedAdministrators")
        )
    if config.account_stacks:
        check_account_stacks(
            config.account_stacks, structure, _organization_stack_references(config), checker
        )
    return checker


def _organization_stack_references(config: LandingZoneConfig) -> dict[str, list[tuple[Key, str]]]:
    """Accounts the organization stack's own resources need the id of (it registers them, and
    reads no account stack's outputs): account name -> [(key, what refers to it)]."""
    references: dict[str, list[tuple[Key, str]]] = {}
    if config.organization_trail is not None:
        name = config.organization_trail.log_archive_account
        references.setdefault(name, []).append(
            (("organizationTrail", "logArchiveAccount"), "the trail's log archive")
        )
    if config.delegated_administrators is not None:
        name = config.delegated_administrators.account
        references.setdefault(name, []).append(
            (("delegatedAdministrators", "account"), "the delegated administrator")
        )
    for index, entry in enumerate(config.guardrails):
        for position, name in enumerate(entry.accounts):
            references.setdefault(name, []).append(
                (("guardrails", index, "accounts", position), f"a target of guardrail '{entry.policy_name}'")
            )
    return references
