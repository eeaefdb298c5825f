"""Member accounts that exist and get the baseline: the role the stack assumes there, and what
the baseline would collide with (an account analyzer: one per account and region) or
overwrite (the alias, the password policy).

A constant number of calls per account: AssumeRole, then GetAccountPasswordPolicy,
ListAccountAliases (with an alias pattern) and ListAnalyzers per governed region (with analyzers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from landing_zone.config.baseline import account_analyzer, alias_for, baseline_accounts
from landing_zone.config.organization import AccountConfig
from landing_zone.config.regions import governed_regions

from ..errors import AWS_ERRORS, describe_error
from ..session import Clients, paginate
from . import password_policy as password_policies
from .model import Preflight, Prerequisite, blocked, ready, unknown

ROLE, ANALYZERS, ALIAS, PASSWORD_POLICY = (
    "member.role",
    "member.analyzers",
    "member.alias",
    "member.password-policy",
)
# Refusals that mean the role is not there or does not trust the management account.
ROLE_REFUSED = ("AccessDenied", "AccessDeniedException")


@dataclass(frozen=True)
class Member:
    index: int  # in accounts
    config: AccountConfig
    account_id: str

    @property
    def subject(self) -> str:
        return f"account '{self.config.name}' ({self.account_id})"


def members(preflight: Preflight) -> list[Member]:
    """Baseline accounts that exist already (imported and active); new ones get the role at creation."""
    config = preflight.config
    governed = {account.name for account in baseline_accounts(config.baseline, config.structure)}
    found = []
    for index, account in enumerate(config.accounts):
        live = preflight.accounts_by_id.get(account.import_id or "")
        mine = preflight.deployed is None or account.name in preflight.deployed
        if mine and account.name in governed and live is not None and live.active:
            found.append(Member(index, account, live.id))
    return found


def member_task(preflight: Preflight, member: Member) -> Callable[[], list[Prerequisite]]:
    def run() -> list[Prerequisite]:
        role = member.config.role_name
        try:
            clients = preflight.clients.for_account(member.account_id, role)
        except AWS_ERRORS as err:
            code = err.response.get("Error", {}).get("Code") if isinstance(err, ClientError) else None
            if code not in ROLE_REFUSED:
                return [unknown(ROLE, member.subject, f"cannot tell: {describe_error(err)}")]
            return [
                blocked(
                    ROLE,
                    member.subject,
                    f"cannot assume {role}: {describe_error(err)}",
                    f"create role {role} in {member.account_id} trusting the management account "
                    f"{preflight.live.management_account_id}, set accounts[{member.index}].roleName to a "
                    f"role that does, or add {member.config.name} to baseline.excludeAccounts (or, if the "
                    "role is there, let these credentials call sts:AssumeRole on it, as pulumi up's will)",
                )
            ]
        results: list[Prerequisite] = []
        for check_id, check in ((PASSWORD_POLICY, password_policy), (ALIAS, alias), (ANALYZERS, analyzers)):
            try:
                results += check(preflight, member, clients)
            except AWS_ERRORS as err:
                results.append(unknown(check_id, member.subject, f"cannot tell: {describe_error(err)}"))
        return results

    return run


def password_policy(preflight: Preflight, member: Member, clients: Clients) -> list[Prerequisite]:
    change = password_policies.replaced(clients, password_policies.wanted_policy(preflight.config))
    return [ready(PASSWORD_POLICY, member.subject, change)] if change else []


def alias(preflight: Preflight, member: Member, clients: Clients) -> list[Prerequisite]:
    baseline = preflight.config.baseline
    wanted = alias_for(baseline, preflight.config.organization.name, member.config) if baseline else None
    if wanted is None:
        return []  # the stack leaves aliases alone
    existing = list(paginate(clients.client("iam"), "list_account_aliases", "AccountAliases"))
    if not existing or existing == [wanted]:
        return []
    return [
        ready(
            ALIAS,
            member.subject,
            f"pulumi up replaces alias '{existing[0]}' with '{wanted}' (IAM keeps one alias per account)",
        )
    ]


def analyzers(preflight: Preflight, member: Member, clients: Clients) -> list[Prerequisite]:
    """One account analyzer per account and region (IAM User Guide, "IAM Access Analyzer
    quotas"): an existing one blocks the baseline's `<org>-account` unless it is adopted."""
    config = preflight.config
    baseline = config.baseline
    if baseline is None or not baseline.access_analyzer:
        return []
    results = []
    for region in governed_regions(preflight.home_region, config.guardrails):
        region = region or preflight.home_region
        wanted = account_analyzer(
            baseline, config.organization.name, member.config.name, region, preflight.home_region
        )
        if wanted is None:
            continue
        live: list[dict[str, Any]] = list(
            paginate(clients.client("accessanalyzer", region), "list_analyzers", "analyzers", type="ACCOUNT")
        )
        names = [str(a.get("name")) for a in live]
        if wanted.import_id is not None:
            if wanted.import_id not in names:
                results.append(
                    blocked(
                        ANALYZERS,
                        member.subject,
                        f"baseline.importAnalyzers names '{wanted.import_id}' in {region}, "
                        "which does not exist",
                        "remove that entry from baseline.importAnalyzers",
                    )
                )
            continue
        if names:
            results.append(
                blocked(
                    ANALYZERS,
                    member.subject,
                    f"account analyzer '{names[0]}' exists in {region}; "
                    "AWS allows one per account and region",
                    f"add {{account: {member.config.name}, region: {region}, name: {names[0]}}} "
                    "to baseline.importAnalyzers",
                )
            )
    return results


MEMBER_CHECK_IDS = (ROLE, PASSWORD_POLICY, ALIAS, ANALYZERS)
