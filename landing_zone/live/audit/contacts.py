"""Alternate contacts of an account, a member's or the management account's own (CIS 1.2 / Security
Hub Account.1 for SECURITY)."""

from __future__ import annotations

from landing_zone.config.base import AWS_CONTACT_TYPES

from ..session import Clients
from .model import Check, Finding


def alternate_contacts(clients: Clients) -> Finding:
    """Read from inside the account (its own contacts), so no trusted access is needed."""
    account = clients.client("account")
    present, missing = [], []
    for contact_type in AWS_CONTACT_TYPES:
        try:
            contact = account.get_alternate_contact(AlternateContactType=contact_type)["AlternateContact"]
        except account.exceptions.ResourceNotFoundException:
            missing.append(f"no {contact_type} alternate contact")
            continue
        present.append(f"{contact_type}: {contact.get('Name')} <{contact.get('EmailAddress')}>")
    return Finding("fail" if missing else "pass", (*missing, *present))


MEMBER_CONTACTS = Check(
    "member.alternate-contacts",
    "BILLING, SECURITY and OPERATIONS alternate contacts set",
    alternate_contacts,
)
MANAGEMENT_CONTACTS = Check(
    "management.alternate-contacts",
    "BILLING, SECURITY and OPERATIONS alternate contacts set on the management account",
    alternate_contacts,
)
