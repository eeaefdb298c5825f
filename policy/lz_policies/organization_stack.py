"""What an account stack tells of its organization stack: the OUs, permission sets and groups
its resources refer to by id or ARN, which the organization stack registers.

An account stack of a split organization holds its accounts and their assignments, not the
OUs, permission sets and groups: the program registers one `OrganizationStack` component naming
them (the OU path of an id, the name and policies of a permission set ARN, the name of a group
id). Only known string values count; anything else stays unknown to the policies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .program_rules import ORGANIZATION_STACK
from .props import is_unknown
from .stack import Resource, of_type


def _known(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not is_unknown(value)


class ReferencedOrganization:
    """The organization stack as the account stack's `OrganizationStack` components describe it
    (empty in a stack that registers the organization itself)."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self.ou_paths: dict[str, str] = {}  # OU id -> path
        self.management_ids: set[str] = set()
        self.permission_sets: dict[str, tuple[str, dict[str, Any]]] = {}  # ARN -> (name, description)
        self.group_names: dict[str, str] = {}  # group id -> display name
        for view in of_type(resources, ORGANIZATION_STACK):
            props = view.props
            if _known(props.get("managementAccountId")):
                self.management_ids.add(props["managementAccountId"])
            for path, ou_id in _mapping(props.get("organizationalUnitIds")).items():
                if _known(ou_id):
                    self.ou_paths.setdefault(ou_id, path)
            for name, described in _mapping(props.get("permissionSets")).items():
                if isinstance(described, dict) and _known(described.get("arn")):
                    self.permission_sets.setdefault(described["arn"], (name, described))
            for name, group_id in _mapping(props.get("groupIds")).items():
                if _known(group_id):
                    self.group_names.setdefault(group_id, name)


def _mapping(value: Any) -> dict[str, Any]:
    return {k: v for k, v in value.items() if isinstance(k, str)} if isinstance(value, dict) else {}
