"""What every config module shares: the frozen camelCase base model and anchored patterns."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

# Anchored patterns: the first line of defence for values that AWS would reject later.
ACCOUNT_ID_PATTERN = r"^\d{12}$"
OU_ID_PATTERN = r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"
ORGANIZATION_ID_PATTERN = r"^o-[a-z0-9]{10,32}$"
# A short client code: the {org} in email patterns, profile names and tags.
ORG_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,30}$"
DOMAIN_PATTERN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
# AWS Organizations allows printable ASCII account names of 1 to 50 characters.
ACCOUNT_NAME_PATTERN = r"^[\x20-\x7e]{1,50}$"
PHONE_PATTERN = r"^[\s0-9()+-]{1,25}$"

# How each pattern reads in an error message.
PATTERN_DESCRIPTIONS = {
    ACCOUNT_ID_PATTERN: "an AWS account id of 12 digits",
    OU_ID_PATTERN: "an OU id like ou-ab12-cd34ef56",
    ORGANIZATION_ID_PATTERN: "an organization id like o-a1b2c3d4e5",
    ORG_NAME_PATTERN: "a short lowercase code (letters, digits, '-'; at most 31 characters)",
    DOMAIN_PATTERN: "a lowercase DNS domain like acme-corp.io",
    ACCOUNT_NAME_PATTERN: "1 to 50 printable ASCII characters (AWS account name rules)",
    PHONE_PATTERN: "a phone number of digits, spaces, '+', '-', '(' and ')'",
}

AccountId = Annotated[str, StringConstraints(pattern=ACCOUNT_ID_PATTERN)]
OrganizationalUnitId = Annotated[str, StringConstraints(pattern=OU_ID_PATTERN)]
OrganizationId = Annotated[str, StringConstraints(pattern=ORGANIZATION_ID_PATTERN)]
Tags = dict[
    Annotated[str, StringConstraints(min_length=1, max_length=128)],
    Annotated[str, StringConstraints(max_length=256)],
]

PolicyType = Literal[
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "CHATBOT_POLICY",
]
ContactType = Literal["billing", "security", "operations"]
CONTACT_TYPES: tuple[ContactType, ...] = ("billing", "security", "operations")


# The one rule for every email address in a stack (root emails, contacts, subscribers).
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


class ConfigModel(BaseModel):
    """Base of every config object: frozen, camelCase aliases, no unknown keys."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        str_strip_whitespace=True,
    )
