"""Pulumi mocks that answer like AWS would: real-looking ids and ARNs, deterministic per name.

Used by `lz plan` and the tests. Identifiers derive from the resource's logical name (or its
import id), so two plans of the same config are identical and values built from them
(ARNs, provider role ARNs, profile account ids) have the shape a user will see in AWS.
Lookups answer for a `MockOrganization`; what AWS would refuse is judged after the run
(`landing_zone.plan.aws_rules`) on what was registered and looked up, recorded here.
"""

from __future__ import annotations

import hashlib
import string
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from landing_zone import principals
from landing_zone.resource_types import (
    ACCOUNT,
    ANOMALY_MONITOR,
    BUCKET,
    IDENTITY_STORE_GROUP,
    IDENTITY_STORE_USER,
    ORGANIZATION,
    ORGANIZATIONAL_UNIT,
    PERMISSION_SET,
    POLICY,
    TRAIL,
)

ORGANIZATION_SEED = "organization"
REGION = "eu-west-1"
GET_ORGANIZATION = "aws:organizations/getOrganization:getOrganization"
GET_SSO_INSTANCES = "aws:ssoadmin/getInstances:getInstances"
SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"
STACK_REFERENCE = "pulumi:pulumi:StackReference"
_ALNUM = string.ascii_lowercase + string.digits


def _digest(seed: str) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:16], "big")


def fake_digits(seed: str, length: int) -> str:
    return str(_digest(seed) % 10**length).zfill(length)


def fake_alnum(seed: str, length: int) -> str:
    value, chars = _digest(seed), []
    for _ in range(length):
        value, index = divmod(value, len(_ALNUM))
        chars.append(_ALNUM[index])
    return "".join(chars)


MANAGEMENT_ACCOUNT_ID = fake_digits("management-account", 12)
ORGANIZATION_ID = f"o-{fake_alnum(ORGANIZATION_SEED, 10)}"
ROOT_ID = f"r-{fake_alnum('root', 4)}"
SSO_INSTANCE_ARN = f"arn:aws:sso:::instance/ssoins-{fake_alnum('sso', 16)}"
IDENTITY_STORE_ID = f"d-{fake_digits('identity-store', 10)}"


# The policy types the example stacks use between them (pinned by a test): every type.
EXAMPLE_POLICY_TYPES = (
    SERVICE_CONTROL_POLICY,
    "RESOURCE_CONTROL_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "SECURITYHUB_POLICY",
    "INSPECTOR_POLICY",
    "CHATBOT_POLICY",
    "BEDROCK_POLICY",
    "S3_POLICY",
    "UPGRADE_ROLLOUT_POLICY",
)


@dataclass(frozen=True)
class MockOrganization:
    """The existing organization the mocks answer for, when the stack looks it up.

    The default is a landing zone's organization as the example stacks expect it: service
    control policies enabled, trusted access for contacts, Identity Center, the organization
    trail, the delegated security services and IAM (root access management), an Identity
    Center instance. A stack that
    registers its own `Organization` is judged on that resource's inputs instead.
    """

    enabled_policy_types: tuple[str, ...] = EXAMPLE_POLICY_TYPES
    trusted_services: tuple[str, ...] = (
        principals.ACCOUNT,
        principals.IDENTITY_CENTER,
        principals.CLOUDTRAIL,
        *principals.DELEGATED_SERVICES.values(),
        principals.IAM,
        principals.INSPECTOR,
    )
    # Identity Center's organization instance is enabled in the console, never by API.
    identity_center_instance: bool = True
    # Dimensions of the AWS managed (DIMENSIONAL) anomaly monitors already in each account:
    # AWS creates the AWS services one (SERVICE) by itself in most accounts.
    existing_monitor_dimensions: tuple[str, ...] = ("SERVICE",)


def organization_outputs(organization: MockOrganization | None = None) -> dict[str, Any]:
    """What an organization (resource or lookup) reports, in the engine's camelCase."""
    organization = organization or MockOrganization()
    return {
        "id": ORGANIZATION_ID,
        "arn": f"arn:aws:organizations::{MANAGEMENT_ACCOUNT_ID}:organization/{ORGANIZATION_ID}",
        "masterAccountId": MANAGEMENT_ACCOUNT_ID,
        "masterAccountArn": (
            f"arn:aws:organizations::{MANAGEMENT_ACCOUNT_ID}:account/"
            f"{ORGANIZATION_ID}/{MANAGEMENT_ACCOUNT_ID}"
        ),
        "masterAccountEmail": "aws-management@mock.invalid",
        "featureSet": "ALL",
        "roots": [
            {
                "id": ROOT_ID,
                "name": "Root",
                "arn": f"arn:aws:organizations::{MANAGEMENT_ACCOUNT_ID}:root/{ORGANIZATION_ID}/{ROOT_ID}",
                "policyTypes": [
                    {"type": policy_type, "status": "ENABLED"}
                    for policy_type in organization.enabled_policy_types
                ],
            }
        ],
        "awsServiceAccessPrincipals": list(organization.trusted_services),
        "enabledPolicyTypes": list(organization.enabled_policy_types),
    }


@dataclass(frozen=True)
class RecordedCall:
    """A data source the program looked up, with its arguments (camelCase, as the engine sends them)."""

    token: str
    args: Mapping[str, Any]


def _org_arn(kind: str, resource_id: str) -> str:
    return f"arn:aws:organizations::{MANAGEMENT_ACCOUNT_ID}:{kind}/{ORGANIZATION_ID}/{resource_id}"


def _account(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    account_id = import_id or fake_digits(f"account:{name}", 12)
    return account_id, {"arn": _org_arn("account", account_id), "status": "ACTIVE"}


def _organizational_unit(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    ou_id = import_id or f"ou-{ROOT_ID[2:]}-{fake_alnum(f'ou:{name}', 8)}"
    return ou_id, {"arn": _org_arn("ou", ou_id), "accounts": []}


def _organization(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    # A managed organization reports what its inputs enable.
    managed = MockOrganization(
        enabled_policy_types=tuple(inputs.get("enabledPolicyTypes") or ()),
        trusted_services=tuple(inputs.get("awsServiceAccessPrincipals") or ()),
    )
    outputs = organization_outputs(managed)
    outputs["featureSet"] = inputs.get("featureSet") or "ALL"
    return import_id or outputs.pop("id"), outputs


def _policy(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    policy_id = import_id or f"p-{fake_alnum(f'policy:{name}', 8)}"
    return policy_id, {"arn": _org_arn("policy", policy_id), "awsManaged": False}


def _permission_set(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    arn = f"{SSO_INSTANCE_ARN.replace(':instance/', ':permissionSet/')}/ps-{fake_alnum(name, 16)}"
    return import_id or f"{arn},{inputs.get('instanceArn', SSO_INSTANCE_ARN)}", {"arn": arn}


def _identity_store_entity(prefix: str) -> Callable[[str, dict, str], tuple[str, dict]]:
    def build(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
        entity_id = str(uuid.UUID(int=_digest(f"{prefix}:{name}")))
        store = inputs.get("identityStoreId", IDENTITY_STORE_ID)
        return import_id or f"{store}/{entity_id}", {f"{prefix}Id": entity_id}

    return build


def _provider(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    return fake_alnum(f"provider:{name}", 8), {}


def _bucket(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    bucket = import_id or inputs.get("bucket") or f"{name}-{fake_alnum(f'bucket:{name}', 8)}"
    return bucket, {"bucket": bucket, "arn": f"arn:aws:s3:::{bucket}"}


def _anomaly_monitor(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    arn = import_id or (
        f"arn:aws:ce::{MANAGEMENT_ACCOUNT_ID}:anomalymonitor/{uuid.UUID(int=_digest(f'monitor:{name}'))}"
    )
    return arn, {"arn": arn}


def _trail(name: str, inputs: dict, import_id: str) -> tuple[str, dict]:
    arn = f"arn:aws:cloudtrail:{REGION}:{MANAGEMENT_ACCOUNT_ID}:trail/{inputs.get('name', name)}"
    return import_id or arn, {"arn": arn}


RESOURCE_BUILDERS: dict[str, Callable[[str, dict, str], tuple[str, dict]]] = {
    ORGANIZATION: _organization,
    ACCOUNT: _account,
    ORGANIZATIONAL_UNIT: _organizational_unit,
    POLICY: _policy,
    PERMISSION_SET: _permission_set,
    IDENTITY_STORE_GROUP: _identity_store_entity("group"),
    IDENTITY_STORE_USER: _identity_store_entity("user"),
    "pulumi:providers:aws": _provider,
    BUCKET: _bucket,
    ANOMALY_MONITOR: _anomaly_monitor,
    TRAIL: _trail,
}


class LandingZoneMocks(pulumi.runtime.Mocks):
    """Answers registrations and lookups; records the lookups for `aws_rules.judge`."""

    def __init__(
        self,
        organization: MockOrganization | None = None,
        stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.organization = organization or MockOrganization()
        self.calls: list[RecordedCall] = []
        # What a StackReference reads, by full stack name (org/project/stack): the outputs of
        # each stack that exists (`{}`: one never updated). A name not here is a stack that
        # does not exist.
        self.stack_outputs = {name: dict(outputs) for name, outputs in (stack_outputs or {}).items()}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict]:
        if args.typ == STACK_REFERENCE:
            return self._read_stack(args.resource_id or args.name)
        builder = RESOURCE_BUILDERS.get(args.typ)
        import_id = args.resource_id or ""
        if builder is None:
            resource_id = import_id or f"{args.name}-{fake_alnum(args.typ + args.name, 8)}"
            return resource_id, dict(args.inputs)
        resource_id, outputs = builder(args.name, args.inputs, import_id)
        return resource_id, {**args.inputs, **outputs}

    def _read_stack(self, stack_name: str) -> tuple[str, dict]:
        """A StackReference read by its stack name (the resource id), as the engine's builtin
        provider reads the stack's last outputs (pulumi/pulumi pkg/resource/deploy/builtins.go,
        readStackReference). A stack that does not exist fails the read, and the program with
        it: `unknown stack "<name>"` (pkg/backend/backend.go, backendClient.GetStackOutputs);
        one that exists but was never updated has no outputs."""
        if stack_name not in self.stack_outputs:
            known = ", ".join(sorted(self.stack_outputs)) or "none"
            raise pulumi.RunError(f'unknown stack "{stack_name}" (the stacks this plan knows: {known})')
        return stack_name, {
            "name": stack_name,
            "outputs": self.stack_outputs[stack_name],
            "secretOutputNames": [],
        }

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list[tuple[str, str]] | None]:
        self.calls.append(RecordedCall(args.token, dict(args.args)))
        if args.token == GET_ORGANIZATION:
            return organization_outputs(self.organization), []
        answer = CALLS.get(args.token)
        if answer is None:
            raise NotImplementedError(f"the offline plan has no mock for data source {args.token}")
        return answer(args.args), []


CALLS: dict[str, Callable[[dict], dict]] = {
    # Answered with the instance even where the organization has none (a new one, or a
    # MockOrganization without it): the rest of the plan is still judged, and
    # `aws_rules` refuses the lookup, as the program would stop on an empty answer.
    GET_SSO_INSTANCES: lambda _: {
        "arns": [SSO_INSTANCE_ARN],
        "identityStoreIds": [IDENTITY_STORE_ID],
    },
    "aws:identitystore/getGroup:getGroup": lambda args: _existing_group(args),
    "aws:index/getCallerIdentity:getCallerIdentity": lambda _: {
        "accountId": MANAGEMENT_ACCOUNT_ID,
        "arn": f"arn:aws:iam::{MANAGEMENT_ACCOUNT_ID}:user/mock",
        "userId": "AIDAMOCK",
        "id": MANAGEMENT_ACCOUNT_ID,
    },
    "aws:index/getRegion:getRegion": lambda _: {"name": REGION, "region": REGION, "id": REGION},
    "aws:index/getPartition:getPartition": lambda _: {
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "id": "aws",
    },
}


def _existing_group(args: dict) -> dict:
    """A group provisioned by an external identity provider, found by its display name."""
    name = args["alternateIdentifier"]["uniqueAttribute"]["attributeValue"]
    store = args.get("identityStoreId") or IDENTITY_STORE_ID
    group_id = str(uuid.UUID(int=_digest(f"external-group:{name}")))
    return {
        "id": group_id,
        "groupId": group_id,
        "displayName": name,
        "identityStoreId": store,
        "description": "",
        "externalIds": [{"id": f"scim-{fake_alnum(name, 12)}", "issuer": "https://scim.example-idp.invalid"}],
    }
