"""Quarantine for new accounts (`organization.quarantineOu`): an account the stack creates starts
in that OU, under the deny-all guardrail (only the role the stack assumes is exempt), gets its
baseline through that role, and moves to its own OU at the next update.

The program learns what the last update did from the stack's own outputs (a StackReference to
itself, components/landing_zone.py): an account it already created (`accountIds`) or baselined
(`baselinedAccounts`) is never quarantined. The outputs are written once per update, after every
baseline resource is created (the export waits for them), so a failed update leaves a new
account where it is: in quarantine, the safe side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .checker import Checker
from .lifecycle import SUSPENDED_GUARDRAIL, deny_all_exemptions, in_ou, missing_deny_all, role_exempt
from .model import LandingZoneConfig

# Stack outputs the decision reads (exported by __main__.py).
ACCOUNT_IDS_OUTPUT = "accountIds"
BASELINED_OUTPUT = "baselinedAccounts"


def quarantine_candidates(config: LandingZoneConfig) -> frozenset[str]:
    """The accounts that start in quarantine when the stack creates them: active, created by the
    stack (an imported account is already in use) and given the baseline the quarantine waits for."""
    if config.organization.quarantine_ou is None or config.baseline is None:
        return frozenset()
    excluded = set(config.baseline.exclude_accounts)
    return frozenset(
        account.name
        for account in config.accounts
        if account.active and account.import_id is None and account.name not in excluded
    )


def deployed_accounts(previous_outputs: Mapping[str, Any]) -> frozenset[str]:
    """The accounts the last update created or baselined, from its outputs (`{}` before the first
    update). Raises ValueError on outputs this program did not write: they are untrusted text,
    and guessing could move an account in use into quarantine."""
    ids = previous_outputs.get(ACCOUNT_IDS_OUTPUT)
    baselined = previous_outputs.get(BASELINED_OUTPUT)
    if ids is not None and not (isinstance(ids, Mapping) and all(isinstance(k, str) for k in ids)):
        raise ValueError(f"the stack's last output {ACCOUNT_IDS_OUTPUT} is not a map of account names")
    if baselined is not None and not (
        isinstance(baselined, list) and all(isinstance(name, str) for name in baselined)
    ):
        raise ValueError(f"the stack's last output {BASELINED_OUTPUT} is not a list of account names")
    return frozenset(ids or ()) | frozenset(baselined or ())


def check_quarantine(config: LandingZoneConfig, checker: Checker) -> None:
    """`checker` reports at the root of the namespace (`organization.quarantineOu`, `accounts[i]`)."""
    path = config.organization.quarantine_ou
    if path is None:
        return
    key = ("organization", "quarantineOu")
    if path not in config.structure.ou_paths:
        checker.report(key, f"OU '{path}' is not defined in organizationalUnits")
        return
    if config.baseline is None:
        checker.report(
            key,
            "needs a baseline section: a new account stays in quarantine until its baseline is applied",
        )
    for index, account in enumerate(config.accounts):
        if account.active and in_ou(account, path):
            checker.report(
                ("accounts", index, "ou"),
                f"'{account.ou}' is the quarantine OU (organization.quarantineOu), where every action "
                "is denied: a new account passes through it by itself; choose the OU it ends in",
            )
    exempt = deny_all_exemptions(config, path)
    if exempt is None:
        checker.report(key, missing_deny_all(path))
        return
    candidates = quarantine_candidates(config)
    for index, account in enumerate(config.accounts):
        if account.name in candidates and not role_exempt(account, exempt):
            checker.report(
                ("accounts", index, "roleName"),
                f"{account.name} starts in quarantine, but the {SUSPENDED_GUARDRAIL} guardrail on "
                f"'{path}' does not exempt arn:aws:iam::*:role/{account.role_name}, the role the stack "
                "assumes there to apply its baseline: add it to the guardrail's exemptRoleArns",
            )
