"""The Identity Center part of the plan report: permission sets and who can reach which account.

Read from the registered resources (and the stack outputs for names the resources do not
carry, such as groups of an external identity provider), so it shows what the program does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from landing_zone.resource_types import ACCOUNT_ASSIGNMENT as ASSIGNMENT
from landing_zone.resource_types import CUSTOMER_MANAGED_POLICY_ATTACHMENT as CUSTOMER_POLICY
from landing_zone.resource_types import IDENTITY_STORE_GROUP as GROUP
from landing_zone.resource_types import MANAGED_POLICY_ATTACHMENT as MANAGED_POLICY
from landing_zone.resource_types import ORGANIZATION_STACK, PERMISSION_SET
from landing_zone.resource_types import PERMISSION_SET_INLINE_POLICY as INLINE_POLICY
from landing_zone.resource_types import PERMISSIONS_BOUNDARY_ATTACHMENT as BOUNDARY

from .runner import PlanResult, RegisteredResource


@dataclass(frozen=True)
class PolicyReference:
    """A customer managed policy by name and path (None: not given, AWS's default `/`)."""

    name: str
    path: str | None

    @property
    def full_name(self) -> str:
        return f"{'/' if self.path is None else self.path}{self.name}"

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> PolicyReference:
        return cls(name=inputs["name"], path=inputs.get("path"))

    def to_json(self) -> dict[str, str]:
        # The engine's order for this input type: path, then name.
        return {**({"path": self.path} if self.path is not None else {}), "name": self.name}


@dataclass(frozen=True)
class PermissionsBoundary:
    """A permission set's boundary: an AWS managed policy or a customer managed one."""

    managed_policy_arn: str | None
    customer_managed_policy: PolicyReference | None

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> PermissionsBoundary:
        reference = inputs.get("customerManagedPolicyReference")
        return cls(
            managed_policy_arn=inputs.get("managedPolicyArn"),
            customer_managed_policy=PolicyReference.from_inputs(reference) if reference else None,
        )

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {}
        if self.managed_policy_arn is not None:
            document["managedPolicyArn"] = self.managed_policy_arn
        if self.customer_managed_policy is not None:
            document["customerManagedPolicyReference"] = self.customer_managed_policy.to_json()
        return document


@dataclass(frozen=True)
class PermissionSetEntry:
    name: str
    arn: str
    description: str | None
    session_duration: str | None  # ISO-8601; None: AWS's default (PT1H)
    managed_policies: tuple[str, ...]  # ARNs, sorted
    customer_managed_policies: tuple[PolicyReference, ...]  # by path, then name
    inline_policy: bool
    permissions_boundary: PermissionsBoundary | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "arn": self.arn,
            "description": self.description,
            "sessionDuration": self.session_duration,
            "managedPolicies": list(self.managed_policies),
            "customerManagedPolicies": [ref.to_json() for ref in self.customer_managed_policies],
            "inlinePolicy": self.inline_policy,
            "permissionsBoundary": (
                self.permissions_boundary.to_json() if self.permissions_boundary is not None else None
            ),
        }


@dataclass(frozen=True)
class AccessEntry:
    """One account assignment: the group can use the permission set in the account."""

    group: str
    permission_set: str
    account: str

    def to_json(self) -> dict[str, str]:
        return {"group": self.group, "permissionSet": self.permission_set, "account": self.account}


def permission_set_entries(result: PlanResult) -> tuple[PermissionSetEntry, ...]:
    """Every permission set with what is attached to it, by name."""
    entries = (_permission_set_entry(ps, result) for ps in result.of_type(PERMISSION_SET))
    return tuple(sorted(entries, key=lambda p: p.name))


def access_entries(result: PlanResult) -> tuple[AccessEntry, ...]:
    """Every assignment by names (ids where no name is known), by group, account, permission set."""
    names_by_arn = {ps.outputs.get("arn"): ps.inputs["name"] for ps in result.of_type(PERMISSION_SET)}
    groups, accounts = _group_names(result), result.account_names()
    # An account stack's assignments give its organization stack's permission sets and groups.
    for view in result.of_type(ORGANIZATION_STACK):
        for name, described in (view.inputs.get("permissionSets") or {}).items():
            names_by_arn.setdefault(described.get("arn"), name)
        for name, group_id in (view.inputs.get("groupIds") or {}).items():
            groups.setdefault(group_id, name)
    entries = (
        AccessEntry(
            group=groups.get(a.inputs["principalId"], a.inputs["principalId"]),
            permission_set=names_by_arn.get(a.inputs["permissionSetArn"], a.inputs["permissionSetArn"]),
            account=accounts.get(a.inputs["targetId"], a.inputs["targetId"]),
        )
        for a in result.of_type(ASSIGNMENT)
    )
    return tuple(sorted(entries, key=lambda e: (e.group, e.account, e.permission_set)))


def _attached(result: PlanResult, type_: str, arn: str) -> list[RegisteredResource]:
    return [r for r in result.of_type(type_) if r.inputs.get("permissionSetArn") == arn]


def _permission_set_entry(ps: RegisteredResource, result: PlanResult) -> PermissionSetEntry:
    arn = ps.outputs.get("arn", "")
    boundaries = _attached(result, BOUNDARY, arn)
    customer_policies = (
        PolicyReference.from_inputs(a.inputs["customerManagedPolicyReference"])
        for a in _attached(result, CUSTOMER_POLICY, arn)
    )
    return PermissionSetEntry(
        name=ps.inputs["name"],
        arn=arn,
        description=ps.inputs.get("description"),
        session_duration=ps.inputs.get("sessionDuration"),
        managed_policies=tuple(
            sorted(a.inputs["managedPolicyArn"] for a in _attached(result, MANAGED_POLICY, arn))
        ),
        customer_managed_policies=tuple(
            sorted(customer_policies, key=lambda ref: ("/" if ref.path is None else ref.path, ref.name))
        ),
        inline_policy=bool(_attached(result, INLINE_POLICY, arn)),
        permissions_boundary=(
            PermissionsBoundary.from_inputs(boundaries[0].inputs["permissionsBoundary"])
            if boundaries
            else None
        ),
    )


def _group_names(result: PlanResult) -> dict[str, str]:
    names = {
        str(g.outputs["groupId"]): g.inputs["displayName"]
        for g in result.of_type(GROUP)
        if g.outputs.get("groupId")
    }
    # Groups of an external identity provider are looked up: only the outputs name them.
    names.update({group_id: name for name, group_id in (result.outputs.get("ssoGroupIds") or {}).items()})
    return names
