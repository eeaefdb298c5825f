"""What every config module shares: the frozen camelCase base model, string rules that carry
the words a user reads when a value breaks them, and the identifiers AWS defines.

This is the one home of these rules in the program: the live readers, the importer and
`lz sso-config` check AWS's values with the same objects (`ACCOUNT_ID.matches(text)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, StringConstraints
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError, core_schema

# The error type shape errors carry; loading turns it into "'<value>' is not <words>".
RULE_ERROR = "string_rule"


@dataclass(frozen=True)
class Matching:
    """A whole-string rule, and how it reads in an error: "'x' is not <words>".

    Matched with `fullmatch` in ASCII mode: `$` would accept a trailing newline, and `\\d`
    would accept digits of every script, neither of which AWS does.
    """

    pattern: str
    words: str
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.words.strip():
            raise ValueError(f"the rule {self.pattern!r} needs words for its error message")
        object.__setattr__(self, "_regex", re.compile(self.pattern, re.ASCII))

    def matches(self, value: object) -> bool:
        return isinstance(value, str) and self._regex.fullmatch(value) is not None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_after_validator_function(self._validate, handler(source))

    def _validate(self, value: str) -> str:
        if not self.matches(value):
            raise PydanticCustomError(RULE_ERROR, "is not {words}", {"words": self.words})
        return value


def matching(pattern: str, words: str) -> Any:
    """A string type that must match `pattern`; `words` say what it is, for error messages."""
    return Annotated[str, Matching(pattern, words)]


# Identifiers AWS defines.
ACCOUNT_ID = Matching(r"\d{12}", "an AWS account id of 12 digits")
OU_ID = Matching(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}", "an OU id like ou-ab12-cd34ef56")
ORGANIZATION_ID = Matching(r"o-[a-z0-9]{10,32}", "an organization id like o-a1b2c3d4e5")
ROOT_ID = Matching(r"r-[0-9a-z]{4,32}", "a root id like r-ab12")
POLICY_ID = Matching(r"p-[0-9a-z_]{8,128}", "a policy id like p-ab12cd34")
# us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5: letters, then a number.
REGION = Matching(r"[a-z]{2}(-[a-z]+)+-\d{1,2}", "an AWS region code like eu-west-1")
ROLE_NAME = Matching(r"[\w+=,.@-]{1,64}", "an IAM role name of 1 to 64 letters, digits and +=,.@_-")
ROLE_ARN = Matching(
    r"arn:aws[a-z-]*:iam::(\d{12}|\*):role/[\w+=,.@/*?-]+",
    "an IAM role ARN like arn:aws:iam::*:role/BreakGlass",
)
POLICY_NAME = Matching(r"[\w+=,.@-]{1,128}", "a policy name of 1 to 128 letters, digits and +=,.@_-")
# Identity Center's rule for PermissionSet.Name (1 to 32 of [\w+=,.@-]:
# https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html). It admits
# no IAM wildcard (* or ?), which matters where guardrails render names into ArnNotLike patterns.
PERMISSION_SET_NAME = Matching(
    r"[\w+=,.@-]{1,32}", "a permission set name of 1 to 32 letters, digits and +=,.@_-"
)
# Every email address of a stack: root emails, contacts, subscribers, Identity Center users.
EMAIL = Matching(
    r"[A-Za-z0-9._%+-]+@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    "a valid email address",
)

# Names the landing zone gives.
ORG_NAME = Matching(
    r"[a-z0-9][a-z0-9-]{0,30}", "a short lowercase code (letters, digits, '-'; at most 31 characters)"
)
DOMAIN = Matching(
    r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", "a lowercase DNS domain like acme-corp.io"
)
# AWS Organizations allows printable ASCII account names of 1 to 50 characters.
ACCOUNT_NAME = Matching(r"[\x20-\x7e]{1,50}", "1 to 50 printable ASCII characters (AWS account name rules)")
PHONE = Matching(r"[\s0-9()+-]{1,25}", "a phone number of digits, spaces, '+', '-', '(' and ')'")

AccountId = Annotated[str, ACCOUNT_ID]
OrganizationalUnitId = Annotated[str, OU_ID]
OrganizationId = Annotated[str, ORGANIZATION_ID]
PolicyId = Annotated[str, POLICY_ID]
Region = Annotated[str, REGION]
RoleName = Annotated[str, ROLE_NAME]
RoleArn = Annotated[str, ROLE_ARN]
PolicyName = Annotated[str, POLICY_NAME]
PermissionSetName = Annotated[str, PERMISSION_SET_NAME]
Tags = dict[
    Annotated[str, StringConstraints(min_length=1, max_length=128)],
    Annotated[str, StringConstraints(max_length=256)],
]

# The policy types both AWS and pulumi-aws 7.51 take (landing_zone/guardrails/policy_types.py,
# pinned to this list by a test).
PolicyType = Literal[
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "CHATBOT_POLICY",
    "SECURITYHUB_POLICY",
    "INSPECTOR_POLICY",
    "BEDROCK_POLICY",
    "S3_POLICY",
    "UPGRADE_ROLLOUT_POLICY",
]
# Config spells alternate contact types in lowercase; AWS in uppercase (BILLING, ...).
ContactType = Literal["billing", "security", "operations"]
CONTACT_TYPES: tuple[ContactType, ...] = ("billing", "security", "operations")


def aws_contact_type(contact_type: ContactType) -> str:
    """The `AlternateContactType` AWS uses for a config contact type."""
    return contact_type.upper()


# As AWS spells them, in the order AWS lists them.
AWS_CONTACT_TYPES: tuple[str, ...] = tuple(sorted(aws_contact_type(t) for t in CONTACT_TYPES))


class ConfigModel(BaseModel):
    """Base of every config object: frozen, camelCase aliases, no unknown keys."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        str_strip_whitespace=True,
    )
