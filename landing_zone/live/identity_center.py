"""The live IAM Identity Center: instance, permission sets with their policies, groups, users,
memberships and account assignments."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from landing_zone.admin_access import admin_grant, admin_managed_policy

from .errors import AWS_ERRORS, describe_error
from .session import Clients, paginate

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveCustomerManagedPolicy:
    name: str
    path: str


@dataclass(frozen=True)
class LiveBoundary:
    managed_policy_arn: str | None = None
    customer_managed_policy: LiveCustomerManagedPolicy | None = None


@dataclass(frozen=True)
class LivePermissionSet:
    arn: str
    name: str
    session_duration: str | None
    description: str | None = None
    relay_state: str | None = None
    managed_policies: tuple[str, ...] = ()
    customer_managed_policies: tuple[LiveCustomerManagedPolicy, ...] = ()
    inline_policy: str | None = None
    boundary: LiveBoundary | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def admin_reason(self) -> str | None:
        """Why the set is admin as the config reads it (landing_zone.admin_access): an AWS
        managed admin policy or an inline policy that grants admin; None otherwise."""
        for arn in self.managed_policies:
            if (name := admin_managed_policy(arn)) is not None:
                return f"it carries the AWS managed policy {name}"
        if not self.inline_policy:
            return None
        try:
            reason = admin_grant(json.loads(self.inline_policy))
        except ValueError:
            return None
        return None if reason is None else f"its inline policy is admin: {reason}"


@dataclass(frozen=True)
class LiveGroup:
    id: str
    display_name: str
    description: str | None = None
    external: bool = False  # provisioned by an identity provider (SCIM)
    # Membership id by user id.
    memberships: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LiveUser:
    id: str
    user_name: str
    display_name: str | None
    given_name: str | None
    family_name: str | None
    email: str | None  # the primary email, else the first
    external: bool = False


@dataclass(frozen=True)
class LiveAssignment:
    account_id: str
    permission_set_arn: str
    principal_type: str  # USER or GROUP
    principal_id: str


@dataclass(frozen=True)
class LiveIdentityCenter:
    instance_arn: str
    identity_store_id: str
    permission_sets: tuple[LivePermissionSet, ...]
    groups: tuple[LiveGroup, ...]
    assignments: tuple[LiveAssignment, ...]
    users: tuple[LiveUser, ...] = ()
    notes: tuple[str, ...] = ()  # what could not be read (an endpoint without the call)


def list_instances(clients: Clients, region: str | None = None) -> list[dict[str, Any]]:
    """The Identity Center instances visible in `region` (default the session's; one at most)."""
    return list(paginate(clients.client("sso-admin", region), "list_instances", "Instances"))


def read_identity_center(clients: Clients, region: str | None = None) -> LiveIdentityCenter | None:
    """Permission sets, groups and assignments of the organization's instance in `region`
    (default the session's); None without one."""
    instances = list_instances(clients, region)
    if not instances:
        return None
    instance_arn = instances[0]["InstanceArn"]
    store_id = instances[0]["IdentityStoreId"]
    sso = clients.client("sso-admin", region)
    optional = _Optional()
    permission_sets = [
        _read_permission_set(sso, instance_arn, arn, optional)
        for arn in paginate(sso, "list_permission_sets", "PermissionSets", InstanceArn=instance_arn)
    ]
    assignments = []
    store = clients.client("identitystore", region)
    groups = [
        LiveGroup(
            id=g["GroupId"],
            display_name=g.get("DisplayName", ""),
            description=g.get("Description") or None,
            external=bool(g.get("ExternalIds")),
            memberships={
                m["MemberId"]["UserId"]: m["MembershipId"]
                for m in paginate(
                    store,
                    "list_group_memberships",
                    "GroupMemberships",
                    IdentityStoreId=store_id,
                    GroupId=g["GroupId"],
                )
                if "UserId" in m.get("MemberId", {})
            },
        )
        for g in paginate(store, "list_groups", "Groups", IdentityStoreId=store_id)
    ]
    users = [_user(u) for u in paginate(store, "list_users", "Users", IdentityStoreId=store_id)]
    # By principal: ListAccountsForProvisionedPermissionSet would miss unprovisioned assignments.
    principals = [("GROUP", g.id) for g in groups] + [("USER", user.id) for user in users]
    for principal_type, principal_id in principals:
        assignments += [
            LiveAssignment(
                account_id=a["AccountId"],
                permission_set_arn=a["PermissionSetArn"],
                principal_type=principal_type,
                principal_id=principal_id,
            )
            for a in paginate(
                sso,
                "list_account_assignments_for_principal",
                "AccountAssignments",
                InstanceArn=instance_arn,
                PrincipalType=principal_type,
                PrincipalId=principal_id,
            )
        ]
    log.info(
        "identity center %s: %d permission sets, %d groups, %d assignments",
        instance_arn,
        len(permission_sets),
        len(groups),
        len(assignments),
    )
    return LiveIdentityCenter(
        instance_arn=instance_arn,
        identity_store_id=store_id,
        permission_sets=tuple(sorted(permission_sets, key=lambda p: p.name)),
        groups=tuple(sorted(groups, key=lambda g: g.display_name)),
        assignments=tuple(assignments),
        users=tuple(sorted(users, key=lambda u: u.user_name.lower())),
        notes=tuple(optional.notes),
    )


class _Optional:
    """Calls some endpoints lack (moto: tags, boundaries): noted once, then not tried again."""

    def __init__(self) -> None:
        self.failed: set[str] = set()
        self.notes: list[str] = []

    def call(self, what: str, consequence: str, read: Callable[[], T], default: T) -> T:
        if what in self.failed:
            return default
        try:
            return read()
        except AWS_ERRORS as err:
            self.failed.add(what)
            self.notes.append(f"{what} not read ({consequence}): {describe_error(err)}")
            return default


def _read_permission_set(sso: Any, instance_arn: str, arn: str, optional: _Optional) -> LivePermissionSet:
    described = sso.describe_permission_set(InstanceArn=instance_arn, PermissionSetArn=arn)["PermissionSet"]
    ids = {"InstanceArn": instance_arn, "PermissionSetArn": arn}
    managed = tuple(
        p["Arn"]
        for p in paginate(sso, "list_managed_policies_in_permission_set", "AttachedManagedPolicies", **ids)
    )
    customer_managed = tuple(
        LiveCustomerManagedPolicy(r["Name"], r.get("Path", "/"))
        for r in paginate(
            sso,
            "list_customer_managed_policy_references_in_permission_set",
            "CustomerManagedPolicyReferences",
            **ids,
        )
    )
    inline = sso.get_inline_policy_for_permission_set(**ids).get("InlinePolicy") or None
    boundary = optional.call(
        "permissions boundaries", "any stay as they are, unmanaged", lambda: _boundary(sso, ids), None
    )
    tags: dict[str, str] = optional.call(
        "permission set tags",
        "`pulumi up` would remove any: add them to permissionSets[].tags",
        lambda: {
            t["Key"]: t.get("Value", "")
            for t in paginate(
                sso, "list_tags_for_resource", "Tags", InstanceArn=instance_arn, ResourceArn=arn
            )
        },
        {},
    )
    return LivePermissionSet(
        arn=arn,
        name=described["Name"],
        session_duration=described.get("SessionDuration"),
        description=described.get("Description") or None,
        relay_state=described.get("RelayState") or None,
        managed_policies=tuple(sorted(managed)),
        customer_managed_policies=tuple(sorted(customer_managed, key=lambda r: (r.path, r.name))),
        inline_policy=inline,
        boundary=boundary,
        tags=tags,
    )


def _boundary(sso: Any, ids: dict[str, str]) -> LiveBoundary | None:
    try:
        found = sso.get_permissions_boundary_for_permission_set(**ids)["PermissionsBoundary"]
    except sso.exceptions.ResourceNotFoundException:
        return None  # no boundary
    reference = found.get("CustomerManagedPolicyReference")
    return LiveBoundary(
        managed_policy_arn=found.get("ManagedPolicyArn"),
        customer_managed_policy=LiveCustomerManagedPolicy(reference["Name"], reference.get("Path", "/"))
        if reference
        else None,
    )


def _user(user: dict[str, Any]) -> LiveUser:
    emails = user.get("Emails") or []
    primary = next((e for e in emails if e.get("Primary")), emails[0] if emails else {})
    name = user.get("Name") or {}
    return LiveUser(
        id=user["UserId"],
        user_name=user.get("UserName", ""),
        display_name=user.get("DisplayName") or None,
        given_name=name.get("GivenName") or None,
        family_name=name.get("FamilyName") or None,
        email=primary.get("Value"),
        external=bool(user.get("ExternalIds")),
    )
