"""Organizational units as a tree, built from slash-separated paths like `Workloads/Production`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class OrganizationalUnitSpec:
    path: str
    import_id: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrganizationalUnitsArgs:
    root_id: pulumi.Input[str]
    units: Sequence[OrganizationalUnitSpec]


class OrganizationalUnits(pulumi.ComponentResource):
    ids: dict[str, pulumi.Output[str]]
    """OU id by path."""

    def __init__(
        self,
        name: str,
        args: OrganizationalUnitsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("landing-zone:organizational-units:OrganizationalUnits", name, None, opts)
        self.ids = {}
        # Parents before children, whatever the order in config.
        for unit in sorted(args.units, key=lambda u: u.path.count("/")):
            self._create_unit(unit, args.root_id)
        self.register_outputs({"ids": self.ids})

    def _create_unit(self, unit: OrganizationalUnitSpec, root_id: pulumi.Input[str]) -> None:
        parent_path, _, leaf = unit.path.rpartition("/")
        ou = aws.organizations.OrganizationalUnit(
            # The path is the natural key: reordering config never renames anything.
            unit.path,
            name=leaf,
            parent_id=self.ids[parent_path] if parent_path else root_id,
            tags=dict(unit.tags),
            opts=pulumi.ResourceOptions(parent=self, import_=unit.import_id),
        )
        self.ids[unit.path] = ou.id
