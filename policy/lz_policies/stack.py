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


def resources_of(args: StackValidationArgs, *types: str) -> list[Resource]:
    """The stack's resources of these types (every resource without types), in stack order.

    Only those are converted: a policy about accounts should not pay for thousands of
    assignments.
    """
    wanted = set(types)
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
        if not wanted or r.resource_type in wanted
    ]


def of_type(resources: Iterable[Resource], type_: str) -> list[Resource]:
    return [r for r in resources if r.type == type_]


class References:
    """Finds which of `candidates` a resource points at, by value or else by dependency.

    Built once per policy run: every lookup is a dictionary access, so a stack policy stays
    linear in the number of resources (thousands of assignments times hundreds of accounts
    would otherwise be millions of comparisons).
    """

    def __init__(self, candidates: Iterable[Resource], match_on: tuple[str, ...] = ("id", "arn")) -> None:
        self._by_value: dict[str, Resource] = {}
        self._by_urn: dict[str, Resource] = {}
        for candidate in candidates:
            self._by_urn.setdefault(candidate.urn, candidate)
            for field in match_on:
                value = candidate.props.get(field)
                if isinstance(value, str):
                    # The first candidate in stack order wins, as a scan would find it.
                    self._by_value.setdefault(value, candidate)

    def of(self, resource: Resource, key: str) -> Resource | None:
        """The candidate `resource.props[key]` points at; by dependency when the value is unknown."""
        value = resource.props.get(key)
        if isinstance(value, str) and not is_unknown(value):
            found = self._by_value.get(value)
            if found is not None:
                return found
        depended = {urn for urn in resource.dependencies if urn in self._by_urn}
        return self._by_urn[depended.pop()] if len(depended) == 1 else None
