"""Each account's region for its profiles, where the stack knows one better than its `aws:region`.

The stack knows where an account may work from its `deny-unapproved-regions` guardrails: service
control policies attached to the root, to any OU above the account, or to the account itself
all apply, so the account may use only the regions every one of them allows. When the stack's
`aws:region` is among them (or nothing restricts the account) it is the account's region too;
otherwise the account's region is the first its nearest guardrail lists among those allowed. The
management account is never restricted by a service control policy: it keeps `aws:region`.
"""

from __future__ import annotations

from landing_zone.config import LandingZoneConfig
from landing_zone.config.organization import AccountConfig


def account_regions(config: LandingZoneConfig, home_region: str | None) -> dict[str, str]:
    """The accounts (by name) whose profiles belong in another region than `home_region`,
    with that region. Accounts missing here use the stack's region. An account no region is
    allowed in (guardrails whose lists do not meet) is missing too: no region would work."""
    regions: dict[str, str] = {}
    for account in config.structure.accounts:
        allowed = _allowed(config, account)
        if allowed is None or home_region in allowed:
            continue
        if allowed:
            regions[account.name] = allowed[0]
    return regions


def _allowed(config: LandingZoneConfig, account: AccountConfig) -> tuple[str, ...] | None:
    """The regions every region guardrail over `account` allows, in the order of the nearest
    one's list; None when no guardrail restricts the account's regions."""
    ancestors = _ou_ancestors(account.ou)
    by_depth: list[tuple[int, tuple[str, ...]]] = []
    for entry in config.guardrails:
        listed = entry.parameters.allowed_regions
        if listed is None:
            continue
        depths = [0] if entry.root else []
        depths += [ancestors.index(path) + 1 for path in entry.organizational_units if path in ancestors]
        depths += [len(ancestors) + 1] if account.name in entry.accounts else []
        by_depth += [(depth, listed) for depth in depths]
    if not by_depth:
        return None
    common = set.intersection(*(set(listed) for _, listed in by_depth))
    _, nearest = max(by_depth, key=lambda item: item[0])
    return tuple(region for region in nearest if region in common)


def _ou_ancestors(path: str | None) -> list[str]:
    """`Workloads/Prod` -> [`Workloads`, `Workloads/Prod`]: the OUs above an account, outermost first."""
    if path is None:
        return []
    parts = path.split("/")
    return ["/".join(parts[: index + 1]) for index in range(len(parts))]
