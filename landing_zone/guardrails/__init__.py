"""The catalog of guardrails: organization policies kept as data, one JSON document each, in
`documents/<policy type in lower case>/<name>.json`.

A document may hold placeholders, strings like `"{{allowedRegions}}"` standing for a whole
value; `render` replaces them with the stack's parameters (or the defaults below) and
`minify` gives the text the program sends to AWS, whose size is what the type's limit counts
(policy_types.py). `{{organizationId}}` is filled from the organization when not given.
`exemptPermissionSets` is no placeholder: every guardrail with `{{exemptRoleArns}}` takes it,
and its names are rendered into the ARN patterns of their Identity Center roles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .policy_types import FULL_AWS_ACCESS as FULL_AWS_ACCESS
from .policy_types import POLICY_TYPES, SERVICE_CONTROL_POLICY

# Service control policies' limits, for the code that counts SCPs alone (preflight).
MAX_POLICY_SIZE = POLICY_TYPES[SERVICE_CONTROL_POLICY].max_size or 0
MAX_POLICIES_PER_TARGET = POLICY_TYPES[SERVICE_CONTROL_POLICY].max_attached or 0

PLACEHOLDER = re.compile(r"^\{\{([A-Za-z]+)\}\}$")
EXEMPT_ROLE_ARNS = "exemptRoleArns"
# Names of Identity Center permission sets whose roles join exemptRoleArns (its value or default).
EXEMPT_PERMISSION_SETS = "exemptPermissionSets"
# A scalar placeholder: the organization's id (o-...), which the program knows once the
# organization is created or looked up.
ORGANIZATION_ID = "organizationId"
# Parameters with a default. The default exemption is the role the management account uses to
# reach member accounts (and through which this project manages their baseline): the way in
# when everything else is denied.
DEFAULT_EXEMPT_ROLE_ARNS = ("arn:aws:iam::*:role/OrganizationAccountAccessRole",)
PARAMETER_DEFAULTS: Mapping[str, Sequence[str]] = {EXEMPT_ROLE_ARNS: DEFAULT_EXEMPT_ROLE_ARNS}

# The roles Identity Center creates for a permission set in each account it is assigned to:
#   arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<set>_<suffix>
# ("Referencing permission sets in resource policies",
# https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html), where
# aws:PrincipalArn of a role session is the role's ARN, path included. Roles of older instances
# in us-east-1 have no <region> segment (.../sso.amazonaws.com/AWSReservedSSO_...):
# https://repost.aws/questions/QUpP-HDDmXT4C1YvjWvoVl_A/aws-identity-center-assumed-role-principals
# https://masterpoint.io/blog/fix-iam-trust-policy-errors-with-aws-sso-regional-arn
# hence two patterns. Not one `sso.amazonaws.com/*AWSReservedSSO_<set>_...`: its `*` would also
# take the roles of a set named `x` + `AWSReservedSSO_<set>`. After `*/`, the role name (which
# has no '/') must be exactly the rest of the pattern.
SSO_ROLE_PREFIX = "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/"
SSO_ROLE_NAME_PREFIX = "AWSReservedSSO_"
# AWS's examples show a suffix of 16 hexadecimal characters (1234567890abcdef, abcdef0123456789),
# and 15 + 32 (the longest set name) + 1 + 16 is 64, IAM's limit on a role name. One `?` per
# character (ArnLike: "?" matches one character) makes the pattern match the named set only:
# with `_*`, `AWSReservedSSO_Platform_*` would also match the roles of a set `Platform_Admin`.
# Should AWS ever change the suffix's length, the exemption matches nothing: the set's users are
# denied like everyone else (the access role stays exempt), never widened to another set.
# Residual risk: AWS does not document that IAM refuses customer roles under /aws-reserved/, so
# whoever may create roles in a member account could name one to match, as with any exempt name.
SSO_ROLE_SUFFIX_LENGTH = 16

DESCRIPTIONS: Mapping[str, str] = {
    "deny-leaving-organization": "Member accounts cannot leave the organization.",
    "deny-root-user": "Denies every action to a member account's root user, except sessions "
    "opened through centralized root access (aws:AssumedRoot).",
    "deny-root-access-keys": "The root user cannot create access keys.",
    "deny-unapproved-regions": "Denies regional services outside the allowed regions; global "
    "services and the exempt roles are not affected.",
    # Only what turns a service off in the account it runs in: stopping or deleting a trail,
    # recorder, delivery channel, detector or analyzer; silencing a trail (UpdateTrail,
    # PutEventSelectors); suspending a detector (UpdateDetector); disabling Security Hub; leaving
    # the administrator. Creating recorders and delivery channels, and the administrator's side
    # (members, aggregators), stay open: SCPs bind the delegated administrator too, a member
    # account ("SCPs apply to member accounts that are designated as delegated administrators",
    # https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
    # and its own principals do that work (e.g. GuardDuty's administrator disassociates members,
    # https://docs.aws.amazon.com/guardduty/latest/ug/disassociate-remove-member-account-from-admin.html).
    # Exempting the administrator instead would need its account id, unknown until it is created.
    # Left open on purpose: PutConfigurationRecorder and PutDeliveryChannel could also narrow what
    # a recorder records or where it delivers. Service-linked roles (through which the services
    # enable members) are never restricted by SCPs (same page): no exemption for them.
    "protect-security-services": "CloudTrail, AWS Config, GuardDuty, Security Hub and IAM Access "
    "Analyzer cannot be stopped, deleted or detached, except by the exempt roles.",
    "deny-iam-users": "No IAM users, console passwords or access keys (sign in through IAM "
    "Identity Center), except by the exempt roles.",
    "protect-account-settings": "Alternate contacts, contact information and account closure "
    "are managed from the management account only.",
    "deny-region-changes": "Regions cannot be enabled or disabled from member accounts.",
    # Resource control policies: AWS's data perimeter examples,
    # https://github.com/aws-samples/data-perimeter-policy-examples
    # (resource_control_policies/identity_perimeter_rcp.json: EnforceOrgIdentities and
    # EnforceConfusedDeputyProtection), narrowed to the five services below. STS keeps the
    # actions principals of other organizations call on it; AssumeRoleWithSAML and
    # AssumeRoleWithWebIdentity are left out, as there (federated principals have no org id).
    "deny-access-from-outside-organization": "S3, STS, KMS, SQS and Secrets Manager resources "
    "are reached only by principals of the organization, and by AWS services acting for it.",
    # "Enforce secure transport" in AWS's RCP examples,
    # https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html
    "deny-insecure-transport": "S3, STS, KMS, SQS and Secrets Manager refuse requests without TLS.",
    # orgs_manage_policies_ai-opt-out_syntax.html: "default" covers every AI service.
    "opt-out-of-ai-services": "Every AWS AI service is opted out of using the organization's "
    "content to improve its models.",
    # orgs_manage_policies_declarative_syntax.html: image and snapshot block public access, and
    # instance metadata defaults (http_tokens required: IMDSv2 only).
    "block-public-images-and-require-imdsv2": "AMIs and EBS snapshots cannot be shared "
    "publicly; new instances require IMDSv2.",
    # orgs_manage_policies_example-tag-policies.html
    "require-cost-center-tag": "A CostCenter tag, spelled so, with one of the listed values, "
    "on instances, volumes and buckets.",
    # For organization.suspendedOu: the stack still removes the baseline through the exempt role;
    # and for organization.quarantineOu, where it applies a new account's baseline (one document
    # for both: landing_zone.config.quarantine).
    # The text stays as deployed (a new one would update every stack's policy).
    "deny-all-suspended": "Denies every action in a suspended account, except to the exempt "
    "roles (the role the stack assumes there).",
}


ParameterValue = Sequence[str] | str


@dataclass(frozen=True)
class Guardrail:
    name: str
    policy_type: str  # as AWS spells it: SERVICE_CONTROL_POLICY, ...
    description: str
    document: Mapping[str, Any]
    parameters: tuple[str, ...]  # placeholder names, in document order

    @property
    def required_parameters(self) -> tuple[str, ...]:
        # The organization's id comes from the organization when not given.
        return tuple(p for p in self.parameters if p not in PARAMETER_DEFAULTS and p != ORGANIZATION_ID)

    @property
    def accepted_parameters(self) -> tuple[str, ...]:
        """The placeholders, and exemptPermissionSets wherever exemptRoleArns is one."""
        derived = (EXEMPT_PERMISSION_SETS,) if EXEMPT_ROLE_ARNS in self.parameters else ()
        return (*self.parameters, *derived)

    def render(self, parameters: Mapping[str, ParameterValue]) -> dict[str, Any]:
        """The document with every placeholder replaced; unknown parameters are ignored."""
        values: dict[str, ParameterValue] = {**PARAMETER_DEFAULTS, **parameters}
        permission_sets = values.pop(EXEMPT_PERMISSION_SETS, ())
        if permission_sets:
            values[EXEMPT_ROLE_ARNS] = [
                *values[EXEMPT_ROLE_ARNS],
                *(arn for name in dict.fromkeys(permission_sets) for arn in permission_set_role_arns(name)),
            ]
        missing = [p for p in self.parameters if p not in values]
        if missing:
            raise KeyError(f"guardrail {self.name} needs parameter {missing[0]}")
        return _substitute(self.document, values)


def permission_set_role_arns(name: str) -> tuple[str, str]:
    """ArnLike patterns of the roles of permission set `name`, in every account and region:
    with the region segment, then without (instances in us-east-1)."""
    if not name or any(c in name for c in "*?/"):
        # The config refuses such names (PERMISSION_SET_NAME); a wildcard here would widen the
        # exemption to other roles.
        raise ValueError(f"'{name}' cannot be a permission set name")
    role = f"{SSO_ROLE_NAME_PREFIX}{name}_{'?' * SSO_ROLE_SUFFIX_LENGTH}"
    return f"{SSO_ROLE_PREFIX}*/{role}", f"{SSO_ROLE_PREFIX}{role}"


def minify(document: Mapping[str, Any]) -> str:
    """The policy text as sent to AWS: no insignificant whitespace."""
    return json.dumps(document, separators=(",", ":"))


@cache
def catalog() -> dict[str, Guardrail]:
    """Every guardrail shipped in `documents/<type>/`, by name (unique across types)."""
    found: dict[str, Guardrail] = {}
    root = resources.files(f"{__name__}.documents")
    for policy_type in POLICY_TYPES:
        directory = root / policy_type.lower()
        if not directory.is_dir():
            continue
        for entry in sorted(directory.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".json"):
                continue
            name = entry.name.removesuffix(".json")
            if name in found:
                raise ValueError(f"guardrail {name} is in the catalog twice")
            document = json.loads(entry.read_text(encoding="utf-8"))
            found[name] = Guardrail(
                name=name,
                policy_type=policy_type,
                description=DESCRIPTIONS.get(name, ""),
                document=document,
                parameters=tuple(dict.fromkeys(_placeholders(document))),
            )
    return dict(sorted(found.items()))


def _placeholders(value: Any) -> list[str]:
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        return [match.group(1)] if match else []
    if isinstance(value, Mapping):
        return [name for item in value.values() for name in _placeholders(item)]
    if isinstance(value, list):
        return [name for item in value for name in _placeholders(item)]
    return []


def _substitute(value: Any, values: Mapping[str, ParameterValue]) -> Any:
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        if not match:
            return value
        given = values[match.group(1)]
        return given if isinstance(given, str) else list(given)
    if isinstance(value, Mapping):
        return {key: _substitute(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, values) for item in value]
    return value
