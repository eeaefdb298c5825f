"""An account's life cycle in config: `state` active, suspended or closed, and the rules that
keep a state change safe within one config (changes.py judges a change against the deployed one).

- suspended: the account moves to `organization.suspendedOu`, which carries the
  `deny-all-suspended` guardrail (every action denied but to the role the stack assumes);
  access rules stop producing assignments for it and the baseline stops (its resources are
  deleted through that role). An account the config allows to close is armed for closure:
  its Account resource drops protect and retainOnDelete and sets closeOnDeletion, so that
- closed: the entry stays as a record, the Account resource is no longer registered, and
  Pulumi's Delete closes it (account:CloseAccount). Pulumi reads protect and retainOnDelete
  of a removed resource from the state of the last update: hence closed only from suspended.
"""

from __future__ import annotations

import fnmatch

from landing_zone.guardrails import DEFAULT_EXEMPT_ROLE_ARNS

from .checker import Checker
from .model import LandingZoneConfig
from .organization import AccountConfig

SUSPENDED_GUARDRAIL = "deny-all-suspended"
# No account has this id: a pattern naming one account's id does not match it.
UNKNOWN_ID = "?" * 12


def closing_arms(account: AccountConfig) -> bool:
    """The Account resource is deletable and closes on Delete: disposable, or suspended and
    allowed to close (the step before `state: closed`)."""
    return account.close_on_deletion or (account.state == "suspended" and account.closable)


def check_lifecycle(config: LandingZoneConfig, checker: Checker) -> None:
    """`checker` reports at the root of the namespace (`accounts[i].state`, `organization.suspendedOu`)."""
    structure = config.structure
    suspended_ou = config.organization.suspended_ou
    not_active = [(i, a) for i, a in enumerate(config.accounts) if not a.active]
    for index, account in not_active:
        if suspended_ou is None:
            checker.report(
                ("accounts", index, "state"),
                f"{account.state} needs organization.suspendedOu: the OU path suspended accounts move to",
            )
        if account.state == "closed" and not account.closable:
            checker.report(
                ("accounts", index, "state"),
                f"closed, but {account.name} is not allowed to close: set allowClose: true on it "
                "(closing cannot be undone after 90 days)",
            )
    if suspended_ou is not None:
        _check_suspended_ou(config, suspended_ou, checker)
    _check_deny_all_targets(config, checker)
    identity = config.identity_center
    for index, rule in enumerate(identity.access if identity is not None else ()):
        for position, name in enumerate(rule.accounts):
            if name in structure.account_names and name not in structure.active_account_names:
                checker.warn(
                    ("identityCenter", "access", index, "accounts", position),
                    f"{name} is not active: this rule gives it no assignment until it is",
                )
    _check_references(config, checker)


def _check_suspended_ou(config: LandingZoneConfig, path: str, checker: Checker) -> None:
    structure = config.structure
    key = ("organization", "suspendedOu")
    if path not in structure.ou_paths:
        checker.report(key, f"OU '{path}' is not defined in organizationalUnits")
        return
    for index, account in enumerate(config.accounts):
        if account.active and in_ou(account, path):
            checker.report(
                ("accounts", index, "ou"),
                f"'{account.ou}' is the suspended OU (organization.suspendedOu), where every action is "
                "denied: set state: suspended instead, or choose another OU",
            )
    exempt = deny_all_exemptions(config, path)
    if exempt is None:
        checker.report(key, missing_deny_all(path))
        return
    for index, account in enumerate(config.accounts):
        if account.state == "suspended" and not role_exempt(account, exempt):
            checker.report(
                ("accounts", index, "state"),
                f"suspended, but the {SUSPENDED_GUARDRAIL} guardrail on '{path}' does not exempt "
                f"arn:aws:iam::*:role/{account.role_name}, the role the stack assumes in {account.name} "
                "to remove its baseline: add it to the guardrail's exemptRoleArns",
            )


def deny_all_exemptions(config: LandingZoneConfig, path: str) -> set[str] | None:
    """The role ARN patterns the deny-all guardrails on OU `path` exempt; None: no such guardrail."""
    entries = [
        entry
        for entry in config.guardrails
        if entry.guardrail == SUSPENDED_GUARDRAIL and path in entry.organizational_units
    ]
    if not entries:
        return None
    return {
        arn for entry in entries for arn in (entry.parameters.exempt_role_arns or DEFAULT_EXEMPT_ROLE_ARNS)
    }


def missing_deny_all(path: str) -> str:
    return (
        f"OU '{path}' needs the {SUSPENDED_GUARDRAIL} guardrail: add a guardrails entry with "
        f"guardrail: {SUSPENDED_GUARDRAIL} and organizationalUnits: [{path}]"
    )


def role_exempt(account: AccountConfig, exempt: set[str]) -> bool:
    """The role the stack assumes in `account` is exempt from the deny-all guardrail."""
    # ArnNotLike's wildcards are fnmatch's * and ?; a created account's id is not known yet,
    # so only a pattern that matches whatever the id is exempts its role.
    role_arn = f"arn:aws:iam::{account.import_id or UNKNOWN_ID}:role/{account.role_name}"
    return any(fnmatch.fnmatchcase(role_arn, pattern) for pattern in exempt)


def in_ou(account: AccountConfig, path: str) -> bool:
    """The account's configured OU is `path` or one below it."""
    return account.ou is not None and (account.ou == path or account.ou.startswith(path + "/"))


def _check_deny_all_targets(config: LandingZoneConfig, checker: Checker) -> None:
    """The deny-all guardrail stops every account it reaches: only the suspended OU and the
    quarantine OU (landing_zone.config.quarantine) take it."""
    organization = config.organization
    homes = [
        f"organization.{key} ({path})" if path else f"organization.{key}"
        for key, path in (
            ("suspendedOu", organization.suspended_ou),
            ("quarantineOu", organization.quarantine_ou),
        )
        if path or key == "suspendedOu"
    ]
    where = " or ".join(homes)
    allowed = {organization.suspended_ou, organization.quarantine_ou} - {None}
    for index, entry in enumerate(config.guardrails):
        if entry.guardrail != SUSPENDED_GUARDRAIL:
            continue
        if entry.root:
            checker.report(
                ("guardrails", index, "root"),
                f"{SUSPENDED_GUARDRAIL} denies everything: attach it to {where} only, never the root",
            )
        for position, path in enumerate(entry.organizational_units):
            if path not in allowed:
                checker.report(
                    ("guardrails", index, "organizationalUnits", position),
                    f"{SUSPENDED_GUARDRAIL} denies everything in '{path}': attach it to {where} only",
                )
        for position, name in enumerate(entry.accounts):
            checker.report(
                ("guardrails", index, "accounts", position),
                f"{SUSPENDED_GUARDRAIL} denies everything in {name}: suspend it (state: suspended) instead",
            )


def _check_references(config: LandingZoneConfig, checker: Checker) -> None:
    """What must be an active account (the trail's bucket, the delegated administrator) or at
    least an open one (budgets, guardrail targets)."""
    state = {account.name: account.state for account in config.accounts}
    trail = config.organization_trail
    if trail is not None and state.get(trail.log_archive_account, "active") != "active":
        checker.report(
            ("organizationTrail", "logArchiveAccount"),
            f"{trail.log_archive_account} is {state[trail.log_archive_account]}: the organization "
            "trail's bucket needs an active account; move it first",
        )
    delegated = config.delegated_administrators
    if delegated is not None and state.get(delegated.account, "active") != "active":
        checker.report(
            ("delegatedAdministrators", "account"),
            f"{delegated.account} is {state[delegated.account]}: a delegated administrator must be active",
        )
    if config.budgets is not None:
        for index, budget in enumerate(config.budgets.accounts):
            if state.get(budget.account) == "closed":
                checker.report(
                    ("budgets", "accounts", index, "account"),
                    f"{budget.account} is closed: remove its budget",
                )
    for index, entry in enumerate(config.guardrails):
        for position, name in enumerate(entry.accounts):
            if state.get(name) == "closed":
                checker.report(
                    ("guardrails", index, "accounts", position),
                    f"{name} is closed: remove it from the guardrail's targets",
                )
