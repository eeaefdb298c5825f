"""Alternate contacts read from the management account (its own, or a member's by AccountId).

Reading a member's contacts this way needs trusted access for account.amazonaws.com.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from landing_zone.config.base import AWS_CONTACT_TYPES

from .session import Clients

log = logging.getLogger(__name__)

WORKERS = 8


@dataclass(frozen=True)
class LiveContact:
    name: str
    title: str
    email: str
    phone: str


def read_contacts(clients: Clients, account_id: str | None = None) -> dict[str, LiveContact]:
    """The contacts that are set, by type; `account_id` None means the caller's own account."""
    account = clients.client("account")
    found: dict[str, LiveContact] = {}
    for contact_type in AWS_CONTACT_TYPES:
        kwargs = {"AlternateContactType": contact_type}
        if account_id is not None:
            kwargs["AccountId"] = account_id
        try:
            contact = account.get_alternate_contact(**kwargs)["AlternateContact"]
        except account.exceptions.ResourceNotFoundException:
            continue
        found[contact_type] = LiveContact(
            name=contact.get("Name", ""),
            title=contact.get("Title", ""),
            email=contact.get("EmailAddress", ""),
            phone=contact.get("PhoneNumber", ""),
        )
    return found


def read_member_contacts(clients: Clients, account_ids: list[str]) -> dict[str, dict[str, LiveContact]]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = pool.map(lambda account_id: read_contacts(clients, account_id), account_ids)
        return dict(zip(account_ids, results, strict=True))


# The primary contact's fields: the config's names -> ContactInformation's (botocore's account model).
PRIMARY_CONTACT_FIELDS: dict[str, str] = {
    "full_name": "FullName",
    "company_name": "CompanyName",
    "address_line1": "AddressLine1",
    "address_line2": "AddressLine2",
    "address_line3": "AddressLine3",
    "city": "City",
    "state_or_region": "StateOrRegion",
    "district_or_county": "DistrictOrCounty",
    "postal_code": "PostalCode",
    "country_code": "CountryCode",
    "phone": "PhoneNumber",
    "website_url": "WebsiteUrl",
}


def read_primary_contact(clients: Clients, account_id: str | None = None) -> dict[str, str] | None:
    """The primary contact's set fields by the config's names; None when the account has none.

    `account_id` None reads the caller's own: the management account cannot name itself.
    """
    account = clients.client("account")
    kwargs = {"AccountId": account_id} if account_id is not None else {}
    try:
        found = account.get_contact_information(**kwargs).get("ContactInformation") or {}
    except account.exceptions.ResourceNotFoundException:
        return None
    return {
        name: str(found[key]) for name, key in PRIMARY_CONTACT_FIELDS.items() if found.get(key) is not None
    }


def read_region_status(clients: Clients, region: str, account_id: str | None = None) -> str:
    """ENABLED, ENABLING, DISABLING, DISABLED or ENABLED_BY_DEFAULT (account:GetRegionOptStatus)."""
    kwargs = {"AccountId": account_id} if account_id is not None else {}
    answer = clients.client("account").get_region_opt_status(RegionName=region, **kwargs)
    return str(answer.get("RegionOptStatus"))
