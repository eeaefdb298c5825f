"""With `--stack`: the live organization against the stack's config.

A configured account is matched to a live one by its import id, else by its root email
(case-insensitive, emails are unique across AWS), else by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from landing_zone.config import AccountConfig, LandingZoneConfig

from ..organization import LiveAccount, LiveOrganization
from .model import Check, Finding


@dataclass(frozen=True)
class Matching:
    pairs: tuple[tuple[AccountConfig, LiveAccount], ...]
    unmatched_config: tuple[AccountConfig, ...]
    unmatched_live: tuple[LiveAccount, ...]


def match_accounts(config: LandingZoneConfig, live: LiveOrganization) -> Matching:
    remaining = {a.id: a for a in live.member_accounts}
    pairs, missing = [], []
    # A closed entry is a record: its account is SUSPENDED for 90 days, then gone.
    for account in config.structure.live_accounts:
        email = config.email_for(account).lower()
        found = (
            remaining.get(account.import_id or "")
            or next((a for a in remaining.values() if a.email.lower() == email), None)
            or next((a for a in remaining.values() if a.name == account.name), None)
        )
        if found is None:
            missing.append(account)
        else:
            pairs.append((account, remaining.pop(found.id)))
    return Matching(tuple(pairs), tuple(missing), tuple(remaining.values()))


def unmanaged_accounts(config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    matching = match_accounts(config, live)
    return Finding.of(
        [
            f"{a.id} {a.name} <{a.email}> ({a.ou_path or 'Root'}) is not in the config"
            for a in matching.unmatched_live
        ],
        f"every member account of {live.id} is in the config",
    )


def missing_accounts(config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    matching = match_accounts(config, live)
    return Finding.of(
        [f"{a.name} <{config.email_for(a)}> is not in the organization" for a in matching.unmatched_config],
        f"every configured account is in {live.id}",
    )


def misplaced_accounts(config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    matching = match_accounts(config, live)
    return Finding.of(
        [
            f"{a.name} ({found.id}) is in {found.ou_path or 'Root'}; configured in "
            f"{config.structure.parent_ou(a) or 'Root'}"
            for a, found in matching.pairs
            if (config.structure.parent_ou(a) or None) != found.ou_path
        ],
        f"{len(matching.pairs)} matched accounts, each in its configured OU",
    )


def off_pattern_emails(config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    matching = match_accounts(config, live)
    problems = []
    for account, live_account in matching.pairs:
        expected = config.email_for(account)
        if live_account.email != expected:
            origin = "configured" if account.email else f"from {config.organization.email_pattern}"
            problems.append(
                f"{account.name} ({live_account.id}): live email {live_account.email}, {origin} {expected}"
            )
    return Finding.of(problems, f"{len(matching.pairs)} matched accounts, each with its configured email")


UNMANAGED = Check(
    "stack.accounts-not-in-config", "Every member account is in the stack config", unmanaged_accounts
)
MISSING = Check("stack.accounts-not-in-organization", "Every configured account exists", missing_accounts)
MISPLACED = Check("stack.account-ou", "Accounts are in their configured OU", misplaced_accounts)
EMAILS = Check(
    "stack.account-emails", "Account emails match the config (pattern or explicit)", off_pattern_emails
)
CHECKS = (UNMANAGED, MISSING, MISPLACED, EMAILS)
