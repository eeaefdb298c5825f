"""A plain view of the stack for stack policies, and how one resource refers to another.

A reference (an assignment's `targetId`, a contact's `accountId`) is a known id or ARN when the
target exists, and unknown during the preview that creates it; the engine then still tells us
which resources it depends on. `referenced` tries the value first and the dependencies second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import StackValidationArgs

from .native import TWINS, Piece, twin
from .props import is_unknown, plain


@dataclass
class Provider:
    """The provider a resource goes through, as the engine sends it along with the resource."""

    type: str
    name: str
    urn: str
    props: dict[str, Any]


@dataclass
class Resource:
    type: str
    name: str
    urn: str
    props: dict[str, Any]
    dependencies: list[str]  # every dependency, property dependencies included
    # The resources each input was computed from: `accountId` -> [the account's URN].
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    provider: Provider | None = None
    # The type the program declared: an aws-native token for a resource judged as its classic twin.
    declared_type: str = ""

    def __post_init__(self) -> None:
        self.declared_type = self.declared_type or self.type

    def label(self, key: str = "name") -> str:
        value = self.props.get(key)
        return value if isinstance(value, str) else self.name


def resources_of(args: StackValidationArgs, *types: str) -> list[Resource]:
    """The stack's resources of these types (every resource without types), in stack order.

    An aws-native resource comes as its classic twin (`native`), followed, when `types` are
    given, by the classic attachments it embeds (under its URN and name, depending on it).
    Without types, the resources themselves: what every resource is and where it lives, not
    the pieces its inputs stand for (those live where their owner does).
    Only those are converted: a policy about accounts should not pay for thousands of
    assignments.
    """
    wanted = set(types)
    found: list[Resource] = []
    for r in args.resources:
        if r.resource_type not in TWINS and wanted and r.resource_type not in wanted:
            continue
        resource = Resource(
            type=r.resource_type,
            name=r.name,
            urn=r.urn,
            props=plain(r.props),
            dependencies=[d.urn for d in r.dependencies]
            + [d.urn for deps in r.property_dependencies.values() for d in deps],
            property_dependencies={
                key: [d.urn for d in deps] for key, deps in r.property_dependencies.items()
            },
            provider=None
            if r.provider is None
            else Provider(r.provider.resource_type, r.provider.name, r.provider.urn, plain(r.provider.props)),
        )
        pieces = _as_classic(resource, embedded=bool(wanted))
        found += [p for p in pieces if not wanted or p.type in wanted]
    return found


def _as_classic(resource: Resource, *, embedded: bool) -> list[Resource]:
    """A native resource as its classic twin (and its embedded attachments); others as they are."""
    found = twin(resource.type, resource.props, resource.name)
    if found is None:
        return [resource]
    pieces = [found.main, *found.embedded] if embedded else [found.main]
    return [_piece(resource, piece, is_main=piece is found.main) for piece in pieces]


def _piece(native: Resource, piece: Piece, *, is_main: bool) -> Resource:
    by_input = native.property_dependencies
    property_dependencies = {
        classic: by_input[source] for classic, source in piece.inputs.items() if source in by_input
    }
    for key in piece.from_owner:
        property_dependencies[key] = [native.urn]
    if is_main:
        dependencies = native.dependencies
    else:
        # What it was computed from: its owner, and the inputs it takes its values from.
        dependencies = [native.urn] + [u for urns in property_dependencies.values() for u in urns]
    return Resource(
        type=piece.type,
        name=native.name,
        urn=native.urn,
        props=piece.props,
        dependencies=dependencies,
        property_dependencies=property_dependencies,
        provider=native.provider,
        declared_type=native.type,
    )


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
            for key in match_on:
                value = candidate.props.get(key)
                if isinstance(value, str):
                    # The first candidate in stack order wins, as a scan would find it.
                    self._by_value.setdefault(value, candidate)

    def by_value(self, value: str) -> Resource | None:
        """The candidate whose id (or other matched field) is `value`."""
        return self._by_value.get(value)

    def of(self, resource: Resource, key: str) -> Resource | None:
        """The candidate `resource.props[key]` points at; by dependency when the value is unknown."""
        value = resource.props.get(key)
        if isinstance(value, str) and not is_unknown(value):
            found = self._by_value.get(value)
            if found is not None:
                return found
        depended = {urn for urn in resource.dependencies if urn in self._by_urn}
        return self._by_urn[depended.pop()] if len(depended) == 1 else None

    def through_input(self, resource: Resource, key: str) -> Resource | None:
        """The candidate `resource.props[key]` names: by value, or, while the value is unknown,
        the one candidate that input was computed from (its property dependencies, not any
        dependency: a `dependsOn` says nothing about where a value points)."""
        value = resource.props.get(key)
        if isinstance(value, str) and not is_unknown(value):
            return self._by_value.get(value)
        if not is_unknown(value):
            return None
        sources = {urn for urn in resource.property_dependencies.get(key, []) if urn in self._by_urn}
        return self._by_urn[sources.pop()] if len(sources) == 1 else None
