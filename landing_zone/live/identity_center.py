"""The live IAM Identity Center: instance, permission sets, groups and account assignments."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .session import Clients, paginate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LivePermissionSet:
    arn: str
    name: str
    session_duration: str | None


@dataclass(frozen=True)
class LiveGroup:
    id: str
    display_name: str


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


def list_instances(clients: Clients) -> list[dict[str, Any]]:
    """The Identity Center instances visible in the session's region (one at most, in practice)."""
    return list(paginate(clients.client("sso-admin"), "list_instances", "Instances"))


def read_identity_center(clients: Clients) -> LiveIdentityCenter | None:
    """Permission sets, groups and assignments of the organization's instance; None without one."""
    instances = list_instances(clients)
    if not instances:
        return None
    instance_arn = instances[0]["InstanceArn"]
    store_id = instances[0]["IdentityStoreId"]
    sso = clients.client("sso-admin")
    permission_sets = []
    assignments = []
    for arn in paginate(sso, "list_permission_sets", "PermissionSets", InstanceArn=instance_arn):
        described = sso.describe_permission_set(InstanceArn=instance_arn, PermissionSetArn=arn)
        permission_sets.append(
            LivePermissionSet(
                arn=arn,
                name=described["PermissionSet"]["Name"],
                session_duration=described["PermissionSet"].get("SessionDuration"),
            )
        )
    store = clients.client("identitystore")
    groups = [
        LiveGroup(id=g["GroupId"], display_name=g.get("DisplayName", ""))
        for g in paginate(store, "list_groups", "Groups", IdentityStoreId=store_id)
    ]
    user_ids = [u["UserId"] for u in paginate(store, "list_users", "Users", IdentityStoreId=store_id)]
    # By principal: ListAccountsForProvisionedPermissionSet would miss unprovisioned assignments.
    principals = [("GROUP", g.id) for g in groups] + [("USER", user_id) for user_id in user_ids]
    for principal_type, principal_id in principals:
        token = None
        while True:
            page = sso.list_account_assignments_for_principal(
                InstanceArn=instance_arn,
                PrincipalType=principal_type,
                PrincipalId=principal_id,
                **({"NextToken": token} if token else {}),
            )
            assignments += [
                LiveAssignment(
                    account_id=a["AccountId"],
                    permission_set_arn=a["PermissionSetArn"],
                    principal_type=principal_type,
                    principal_id=principal_id,
                )
                for a in page.get("AccountAssignments", [])
            ]
            token = page.get("NextToken")
            if not token:
                break
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
    )
