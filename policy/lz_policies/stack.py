"""A plain view of the stack for stack policies, and how one resource refers to another.

A reference (an assignment's `targetId`, a contact's `accountId`) is a known id or ARN when the
target exists, and unknown during the preview that creates it; the engine then still tells us
which resources it depends on. `referenced` tries the value first and the dependencies second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulumi_policy import StackValidationArgs

from .props import is_unknown, plain

ACCOUNT = "aws:organizations/account:Account"
ORGANIZATIONAL_UNIT = "aws:organizations/organizationalUnit:OrganizationalUnit"
ALTERNATE_CONTACT = "aws:account/alternativeContact:AlternativeContact"
PERMISSION_SET = "aws:ssoadmin/permissionSet:PermissionSet"
ACCOUNT_ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment"
PERMISSION_SET_INLINE_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
GROUP = "aws:identitystore/group:Group"


@dataclass
class Resource:
    type: str
    name: str
    urn: str
    props: dict[str, Any]
    dependencies: list[str]

    def label(self, key: str = "name") -> str:
        value = self.props.get(key)
        return value if isinstance(value, str) else self.name


def resources_of(args: StackValidationArgs) -> list[Resource]:
    return [
        Resource(
            type=r.resource_type,
            name=r.name,
            urn=r.urn,
            props=plain(r.props),
            dependencies=[d.urn for d in r.dependencies]
            + [d.urn for deps in r.property_dependencies.values() for d in deps],
        )
        for r in args.resources
    ]


def of_type(resources: Iterable[Resource], type_: str) -> list[Resource]:
    return [r for r in resources if r.type == type_]


def referenced(
    resource: Resource, key: str, candidates: list[Resource], match_on: tuple[str, ...] = ("id", "arn")
) -> Resource | None:
    """The candidate that `resource.props[key]` points at, by value or else by dependency."""
    value = resource.props.get(key)
    if isinstance(value, str) and not is_unknown(value):
        for candidate in candidates:
            if any(candidate.props.get(field) == value for field in match_on):
                return candidate
    depended = [c for c in candidates if c.urn in resource.dependencies]
    return depended[0] if len(depended) == 1 else None
