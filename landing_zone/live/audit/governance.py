"""What the landing zone sets up organization-wide, live: the organization trail logs in every
region, and the delegated administrators are the configured accounts, no more, no fewer."""

from __future__ import annotations

from landing_zone import principals
from landing_zone.config import LandingZoneConfig

from ..organization import LiveOrganization
from ..session import Clients, paginate
from .drift import match_accounts
from .model import Check, Finding


def _trail_evidence(clients: Clients, trail: dict[str, object]) -> tuple[bool, str]:
    """Whether the trail covers the organization in every region and is logging, and how it reads."""
    name = str(trail.get("Name"))
    status = clients.client("cloudtrail").get_trail_status(Name=str(trail.get("TrailARN") or name))
    facts = {
        "organization trail": trail.get("IsOrganizationTrail") is True,
        "multi-region": trail.get("IsMultiRegionTrail") is True,
        "logging": status.get("IsLogging") is True,
    }
    missing = [what for what, ok in facts.items() if not ok]
    shown = f"{name}: " + (
        f"not {', not '.join(missing)}" if missing else "organization, multi-region, logging"
    )
    return not missing, shown


def organization_trail(clients: Clients, config: LandingZoneConfig | None = None) -> Finding:
    """With a config naming the trail, that trail; else any trail of the management account."""
    # Shadow trails too: a multi-region trail made in another region shows here as its shadow, and
    # GetTrailStatus reads a shadow trail by its ARN (CloudTrail API reference, GetTrailStatus).
    trails = clients.client("cloudtrail").describe_trails(includeShadowTrails=True).get("trailList") or []
    wanted = config.organization_trail.name if config and config.organization_trail else None
    if wanted is not None:
        trails = [t for t in trails if t.get("Name") == wanted]
        if not trails:
            return Finding.failed(f"no trail named {wanted} (organizationTrail.name) in {clients.region}")
    evidence, good = [], False
    for trail in trails:
        ok, shown = _trail_evidence(clients, trail)
        good = good or ok
        evidence.append(shown)
    if not trails:
        return Finding.failed(f"no trail in {clients.region}")
    return Finding("pass" if good else "fail", tuple(evidence))


def delegated_administrators(clients: Clients, config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    """Configured (account, service) pairs against the live ones, both ways.

    A live delegation of a service the config can name (guardduty, securityhub, access-analyzer,
    config) that the config does not make fails; delegations of other services (IAM's root access,
    Identity Center, ...) are shown, since this stack does not manage them.
    """
    delegated = config.delegated_administrators
    if delegated is None:
        return Finding("manual", ("the stack config has no delegatedAdministrators: nothing to compare",))
    org = clients.client("organizations")
    live_pairs: set[tuple[str, str]] = set()
    names = {a.id: a.name for a in live.accounts}
    for admin in paginate(org, "list_delegated_administrators", "DelegatedAdministrators"):
        for service in paginate(
            org, "list_delegated_services_for_account", "DelegatedServices", AccountId=admin["Id"]
        ):
            live_pairs.add((str(admin["Id"]), str(service["ServicePrincipal"])))
    ids = {account.name: found.id for account, found in match_accounts(config, live).pairs}
    account_id = ids.get(delegated.account)
    wanted = {principals.DELEGATED_SERVICES[s] for s in delegated.services}
    problems = []
    if account_id is None:
        problems.append(
            f"account {delegated.account} (delegatedAdministrators.account) is not in the organization"
        )
    else:
        problems += [
            f"{principal} is not delegated to {delegated.account} ({account_id})"
            for principal in sorted(wanted)
            if (account_id, principal) not in live_pairs
        ]
    managed = set(principals.DELEGATED_SERVICES.values())
    others = []
    for admin_id, principal in sorted(live_pairs):
        if admin_id == account_id and principal in wanted:
            continue
        shown = f"{principal} is delegated to {names.get(admin_id, '?')} ({admin_id})"
        if principal in managed:
            problems.append(f"{shown}, which the config does not say")
        else:
            others.append(f"{shown} (not managed by this stack)")
    clean = f"{', '.join(sorted(wanted))} delegated to {delegated.account} ({account_id}) only"
    return Finding("fail", (*problems, *others)) if problems else Finding("pass", (clean, *others))


ORGANIZATION_TRAIL = Check(
    "organization.trail-logging",
    "An organization trail covers every region and is logging",
    organization_trail,
)
DELEGATED_ADMINISTRATORS = Check(
    "stack.delegated-administrators",
    "Delegated administrators are the configured account, for the configured services",
    delegated_administrators,
)
