"""Builders for policy tests: validation args as the SDK builds them, and synthetic resources.

The pack lives in `policy/` and is not part of the installed package (Pulumi runs it in its own
virtual environment), so its directory goes on sys.path here, as `python -m pulumi.policy .` does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from landing_zone.plan.runner import RegisteredResource

PACK_DIR = Path(__file__).resolve().parents[1] / "policy"
if str(PACK_DIR) not in sys.path:
    sys.path.insert(0, str(PACK_DIR))

UNKNOWN = UNKNOWN_STRING_VALUE
MEMBER_ROLE = "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole"


def schema_defaults(policy: Policy) -> dict[str, Any]:
    if policy.config_schema is None:
        return {}
    return {k: v["default"] for k, v in policy.config_schema.properties.items() if "default" in v}


def options(protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def provider(assume_role: str | None = None, *, name: str = "p", **props: Any) -> PolicyProviderResource:
    """An aws provider as the engine sends it: nested inputs as JSON text."""
    if assume_role is not None:
        props["assumeRoles"] = json.dumps([{"roleArn": assume_role}])
    return PolicyProviderResource(
        "pulumi:providers:aws", unknown_checking_proxy(props), urn_of("pulumi:providers:aws", name), name
    )


def check_resource(
    policy: ResourceValidationPolicy,
    type_: str,
    props: Mapping[str, Any],
    *,
    name: str = "res",
    protect: bool = False,
    provider: PolicyProviderResource | None = None,
    config: Mapping[str, Any] | None = None,
) -> list[str]:
    """Messages `policy` reports for one resource (config: schema defaults plus `config`)."""
    messages: list[str] = []
    args = ResourceValidationArgs(
        type_,
        unknown_checking_proxy(dict(props)),
        f"urn:pulumi:t::p::{type_}::{name}",
        name,
        options(protect),
        provider,
        {**schema_defaults(policy), **(config or {})},
    )
    policy.validate(args, lambda message, urn=None: messages.append(message))
    return messages


def stack_resource(
    type_: str,
    name: str,
    props: Mapping[str, Any],
    *,
    dependencies: list[PolicyResource] | None = None,
    property_dependencies: Mapping[str, list[PolicyResource]] | None = None,
    provider: PolicyProviderResource | None = None,
) -> PolicyResource:
    """A resource as a stack policy gets it; `property_dependencies` are not repeated in `dependencies`
    (the engine lists them in both: pass them in both when it matters)."""
    return PolicyResource(
        type_,
        unknown_checking_proxy(dict(props)),
        urn_of(type_, name),
        name,
        options(),
        provider,
        None,
        list(dependencies or []),
        dict(property_dependencies or {}),
    )


def urn_of(type_: str, name: str) -> str:
    return f"urn:pulumi:t::p::{type_}::{name}"


def check_stack(
    policy: StackValidationPolicy,
    resources: list[PolicyResource],
    config: Mapping[str, Any] | None = None,
) -> list[tuple[str, str | None]]:
    """(message, urn) pairs `policy` reports for the stack."""
    reported: list[tuple[str, str | None]] = []
    args = StackValidationArgs(resources, {**schema_defaults(policy), **(config or {})})
    policy.validate(args, lambda message, urn=None: reported.append((message, urn)))
    return reported


def registered(
    type_: str,
    name: str,
    inputs: Mapping[str, Any],
    *,
    stack: str = "prod",
    provider: str = "",
    protect: bool = False,
    dependencies: list[str] | None = None,
    property_dependencies: dict[str, list[str]] | None = None,
    resource_id: str | None = None,
) -> RegisteredResource:
    """A resource as `lz plan`'s runner records it, for the gRPC harness."""
    custom = not type_.startswith("landing-zone:")
    return RegisteredResource(
        type=type_,
        name=name,
        urn=f"urn:pulumi:{stack}::landing-zone::{type_}::{name}",
        id=resource_id or (f"{name}-id" if custom else None),
        custom=custom,
        parent=f"urn:pulumi:{stack}::landing-zone::pulumi:pulumi:Stack::landing-zone-{stack}",
        provider=provider,
        inputs=dict(inputs),
        outputs=dict(inputs),
        protect=protect,
        retain_on_delete=False,
        ignore_changes=[],
        dependencies=list(dependencies or []),
        property_dependencies=dict(property_dependencies or {}),
        import_id="",
    )
