"""Organizational units as a tree, built from slash-separated paths like `Workloads/Production`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_aws.organizations.organizational_unit import OrganizationalUnit

from landing_zone.config import OrganizationalUnitConfig


@dataclass(frozen=True)
class OrganizationalUnitsArgs:
    config: Sequence[OrganizationalUnitConfig]
    root_id: pulumi.Input[str]
    # The organization's tags; each OU's own tags add to them.
    default_tags: Mapping[str, str] = field(default_factory=dict)


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
        for unit in sorted(args.config, key=lambda u: u.path.count("/")):
            self._create_unit(unit, args)
        self.register_outputs({"ids": self.ids})

    def _create_unit(self, unit: OrganizationalUnitConfig, args: OrganizationalUnitsArgs) -> None:
        parent_path, _, leaf = unit.path.rpartition("/")
        ou = OrganizationalUnit(
            # The path is the natural key: reordering config never renames anything.
            unit.path,
            name=leaf,
            parent_id=self.ids[parent_path] if parent_path else args.root_id,
            tags={**args.default_tags, **unit.tags},
            opts=pulumi.ResourceOptions(parent=self, import_=unit.import_id),
        )
        self.ids[unit.path] = ou.id
