"""The catalog of guardrails: service control policies kept as data, one JSON document each.

A document may hold placeholders, strings like `"{{allowedRegions}}"` standing for a whole
value; `render` replaces them with the stack's parameters (or the defaults below) and
`minify` gives the text the program sends to AWS, whose size is what the 5,120 limit counts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

MAX_POLICY_SIZE = 5120  # characters of a service control policy, as sent (minified)
MAX_POLICIES_PER_TARGET = 5  # SCPs directly attached to one root, OU or account
# AWS's own policy, attached everywhere when SCPs are enabled; it counts towards the five.
FULL_AWS_ACCESS = "FullAWSAccess"

PLACEHOLDER = re.compile(r"^\{\{([A-Za-z]+)\}\}$")
# Parameters with a default. The default exemption is the role the management account uses to
# reach member accounts (and through which this project manages their baseline): the way in
# when everything else is denied.
DEFAULT_EXEMPT_ROLE_ARNS = ("arn:aws:iam::*:role/OrganizationAccountAccessRole",)
PARAMETER_DEFAULTS: Mapping[str, Sequence[str]] = {"exemptRoleArns": DEFAULT_EXEMPT_ROLE_ARNS}

DESCRIPTIONS: Mapping[str, str] = {
    "deny-leaving-organization": "Member accounts cannot leave the organization.",
    "deny-root-user": "Denies every action to a member account's root user, except sessions "
    "opened through centralized root access (aws:AssumedRoot).",
    "deny-root-access-keys": "The root user cannot create access keys.",
    "deny-unapproved-regions": "Denies regional services outside the allowed regions; global "
    "services and the exempt roles are not affected.",
    "protect-security-services": "CloudTrail, AWS Config, GuardDuty, Security Hub and IAM Access "
    "Analyzer cannot be stopped, deleted or detached, except by the exempt roles.",
    "deny-iam-users": "No IAM users, console passwords or access keys (sign in through IAM "
    "Identity Center), except by the exempt roles.",
    "protect-account-settings": "Alternate contacts, contact information and account closure "
    "are managed from the management account only.",
    "deny-region-changes": "Regions cannot be enabled or disabled from member accounts.",
}


@dataclass(frozen=True)
class Guardrail:
    name: str
    description: str
    document: Mapping[str, Any]
    parameters: tuple[str, ...]  # placeholder names, in document order

    @property
    def required_parameters(self) -> tuple[str, ...]:
        return tuple(p for p in self.parameters if p not in PARAMETER_DEFAULTS)

    def render(self, parameters: Mapping[str, Sequence[str]]) -> dict[str, Any]:
        """The document with every placeholder replaced; unknown parameters are ignored."""
        values = {**PARAMETER_DEFAULTS, **parameters}
        missing = [p for p in self.parameters if p not in values]
        if missing:
            raise KeyError(f"guardrail {self.name} needs parameter {missing[0]}")
        return _substitute(self.document, values)


def minify(document: Mapping[str, Any]) -> str:
    """The policy text as sent to AWS: no insignificant whitespace."""
    return json.dumps(document, separators=(",", ":"))


@cache
def catalog() -> dict[str, Guardrail]:
    """Every guardrail shipped in `documents/`, by name."""
    found: dict[str, Guardrail] = {}
    for entry in sorted(resources.files(f"{__name__}.documents").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        name = entry.name.removesuffix(".json")
        document = json.loads(entry.read_text(encoding="utf-8"))
        found[name] = Guardrail(
            name=name,
            description=DESCRIPTIONS.get(name, ""),
            document=document,
            parameters=tuple(dict.fromkeys(_placeholders(document))),
        )
    return found


def _placeholders(value: Any) -> list[str]:
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        return [match.group(1)] if match else []
    if isinstance(value, Mapping):
        return [name for item in value.values() for name in _placeholders(item)]
    if isinstance(value, list):
        return [name for item in value for name in _placeholders(item)]
    return []


def _substitute(value: Any, values: Mapping[str, Sequence[str]]) -> Any:
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        return list(values[match.group(1)]) if match else value
    if isinstance(value, Mapping):
        return {key: _substitute(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, values) for item in value]
    return value
