"""With `--stack`: each account's primary contact and opt-in regions as the config sets them, the
management account's own included (read without an account id: it cannot name itself).

moto has neither account:GetContactInformation nor GetRegionOptStatus: tested with botocore's Stubber.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from landing_zone.config import LandingZoneConfig
from landing_zone.config.account_settings import ResolvedPrimaryContact

from ..contacts import PRIMARY_CONTACT_FIELDS, read_primary_contact, read_region_status
from ..organization import LiveOrganization
from ..session import Clients
from .drift import match_accounts
from .model import Check, Finding

ENABLED_STATES = ("ENABLED", "ENABLED_BY_DEFAULT")
DISABLED_STATES = ("DISABLED",)


@dataclasses.dataclass(frozen=True)
class Configured:
    label: str  # "production (123456789012)", "management (...)"
    account_id: str | None  # None: the management account, read as the caller
    primary_contact: ResolvedPrimaryContact | None
    opt_in_regions: Mapping[str, bool]


def _configured(config: LandingZoneConfig, live: LiveOrganization) -> Iterator[Configured]:
    structure = config.structure
    management = structure.resolve_management()
    if management is not None:
        label = f"management account ({live.management_account_id})"
        yield Configured(label, None, management.primary_contact, management.opt_in_regions)
    for account, found in match_accounts(config, live).pairs:
        if not found.active:
            continue
        resolved = structure.resolve(account)
        yield Configured(
            f"{account.name} ({found.id})", found.id, resolved.primary_contact, resolved.opt_in_regions
        )


def _expected_fields(contact: ResolvedPrimaryContact) -> dict[str, str]:
    return {k: v for k, v in dataclasses.asdict(contact).items() if v is not None}


def primary_contacts(clients: Clients, config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    problems, checked = [], 0
    for entry in _configured(config, live):
        if entry.primary_contact is None:
            continue
        checked += 1
        found = read_primary_contact(clients, entry.account_id)
        if found is None:
            problems.append(f"{entry.label}: no primary contact")
            continue
        expected = _expected_fields(entry.primary_contact)
        # Field names only: botocore's model marks every field sensitive, and audits end up in CI logs.
        fields = PRIMARY_CONTACT_FIELDS.items()
        differ = [key for name, key in fields if found.get(name) != expected.get(name)]
        if differ:
            problems.append(f"{entry.label}: {', '.join(differ)} differ from the config")
    if checked == 0:
        return Finding.passed("the stack config sets no primary contact")
    return Finding.of(problems, f"{checked} accounts, each with its configured primary contact")


def opt_in_regions(clients: Clients, config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    problems, checked = [], 0
    for entry in _configured(config, live):
        for region, enabled in sorted(entry.opt_in_regions.items()):
            checked += 1
            status = read_region_status(clients, region, entry.account_id)
            # A region still ENABLING or DISABLING is not yet as configured (it can take hours).
            if status not in (ENABLED_STATES if enabled else DISABLED_STATES):
                wanted = "enabled" if enabled else "disabled"
                problems.append(f"{entry.label}: {region} is {status}, configured {wanted}")
    if checked == 0:
        return Finding.passed("the stack config sets no opt-in region")
    return Finding.of(problems, f"{checked} opt-in region settings, each as configured")


PRIMARY_CONTACTS = Check("stack.primary-contacts", "Primary contacts match the config", primary_contacts)
OPT_IN_REGIONS = Check(
    "stack.opt-in-regions", "Opt-in regions are enabled or disabled as configured", opt_in_regions
)
CHECKS = (PRIMARY_CONTACTS, OPT_IN_REGIONS)
