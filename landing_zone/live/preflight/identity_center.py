"""IAM Identity Center: the instance in the stack's region, the groups an external identity
source must provide, and the permission sets and groups the stack imports."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from landing_zone.config.identity import IdentityCenterConfig, IdentityCenterImport

from ..session import paginate
from .model import Check, Preflight, Prerequisite, blocked, ready

NOT_FOUND = ("ResourceNotFoundException",)


def _instance(preflight: Preflight, identity: IdentityCenterConfig) -> tuple[str, dict[str, Any] | None]:
    region = identity.region or preflight.home_region
    sso = preflight.clients.client("sso-admin", region)
    instances = list(paginate(sso, "list_instances", "Instances"))
    return region, (instances[0] if instances else None)


def instance(preflight: Preflight) -> list[Prerequisite]:
    identity = preflight.config.identity_center
    if identity is None:
        return []
    region, found = _instance(preflight, identity)
    subject = f"Identity Center in {region}"
    if found is None:
        return [
            blocked(
                "identity-center.instance",
                subject,
                "no instance (identityCenter needs the organization's instance)",
                f"enable IAM Identity Center in the management account's console in {region} (no API "
                "enables an organization instance), or set identityCenter.region to the instance's region",
            )
        ]
    adopted = identity.import_
    arn, store_id = found["InstanceArn"], found["IdentityStoreId"]
    if adopted is not None and (adopted.instance_arn, adopted.identity_store_id) != (arn, store_id):
        return [
            blocked(
                "identity-center.instance",
                subject,
                f"identityCenter.import names {adopted.instance_arn} ({adopted.identity_store_id}); "
                f"the instance is {arn} ({store_id})",
                f"set identityCenter.import.instanceArn to {arn} and identityStoreId to {store_id}",
            )
        ]
    management = preflight.live.management_account_id
    if adopted is not None and adopted.management_account_id not in (None, management):
        return [
            blocked(
                "identity-center.instance",
                subject,
                f"identityCenter.import.managementAccountId is {adopted.management_account_id}; "
                f"the management account is {management}",
                f"set identityCenter.import.managementAccountId to '{management}'",
            )
        ]
    return [ready("identity-center.instance", subject, f"{arn} (identity store {store_id})")]


def _named_groups(identity: IdentityCenterConfig) -> dict[str, str]:
    """Group display name -> the config key that names it first."""
    named: dict[str, str] = {}
    for index, group in enumerate(identity.groups):
        named.setdefault(group.name, f"identityCenter.groups[{index}].name")
    for index, rule in enumerate(identity.access):
        named.setdefault(rule.group, f"identityCenter.access[{index}].group")
    return named


def external_groups(preflight: Preflight) -> list[Prerequisite]:
    """With an external identity source the stack looks each group up by display name."""
    identity = preflight.config.identity_center
    if identity is None or not identity.external_groups:
        return []
    region, found = _instance(preflight, identity)
    if found is None:
        return []  # reported by identity-center.instance
    store = preflight.clients.client("identitystore", region)
    results = []
    for name, key in _named_groups(identity).items():
        try:
            group_id = store.get_group_id(
                IdentityStoreId=found["IdentityStoreId"],
                AlternateIdentifier={
                    "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": name}
                },
            )["GroupId"]
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") not in NOT_FOUND:
                raise
            results.append(
                blocked(
                    "identity-center.external-groups",
                    f"group '{name}'",
                    "not in the identity store (the external identity source has not provisioned it)",
                    f"provision '{name}' from the identity provider (SCIM), or change {key}",
                )
            )
            continue
        results.append(ready("identity-center.external-groups", f"group '{name}'", f"exists ({group_id})"))
    return results


def _adopted_instance(
    preflight: Preflight, identity: IdentityCenterConfig | None
) -> IdentityCenterImport | None:
    """`identityCenter.import` when it names the live instance, so that what it holds can be
    looked at (otherwise identity-center.instance says what to fix, and every id would seem gone)."""
    adopted = identity.import_ if identity is not None else None
    if identity is None or adopted is None:
        return None
    _, found = _instance(preflight, identity)
    if found is None or found["InstanceArn"] != adopted.instance_arn:
        return None
    return adopted if found["IdentityStoreId"] == adopted.identity_store_id else None


def imported_permission_sets(preflight: Preflight) -> list[Prerequisite]:
    identity = preflight.config.identity_center
    adopted = _adopted_instance(preflight, identity)
    if identity is None or adopted is None:
        return []
    region = identity.region or preflight.home_region
    sso = preflight.clients.client("sso-admin", region)
    results = []
    for index, permission_set in enumerate(identity.permission_sets):
        if permission_set.import_ is None:
            continue
        key = f"identityCenter.permissionSets[{index}]"
        arn = permission_set.import_.arn
        subject = f"permission set '{permission_set.name}'"
        try:
            live = sso.describe_permission_set(InstanceArn=adopted.instance_arn, PermissionSetArn=arn)[
                "PermissionSet"
            ]
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") not in NOT_FOUND:
                raise
            results.append(
                blocked("imports.permission-sets", subject, f"{arn} does not exist", f"remove {key}.import")
            )
            continue
        if live.get("Name") != permission_set.name:
            results.append(
                blocked(
                    "imports.permission-sets",
                    subject,
                    f"{arn} is named '{live.get('Name')}' (a new name replaces the permission set)",
                    f"set {key}.name to '{live.get('Name')}'",
                )
            )
            continue
        results.append(ready("imports.permission-sets", subject, f"{arn} exists"))
    return results


def imported_groups(preflight: Preflight) -> list[Prerequisite]:
    identity = preflight.config.identity_center
    adopted = _adopted_instance(preflight, identity)
    if identity is None or adopted is None:
        return []
    region = identity.region or preflight.home_region
    store = preflight.clients.client("identitystore", region)
    results = []
    for index, group in enumerate(identity.groups):
        if group.import_id is None:
            continue
        subject = f"group '{group.name}'"
        try:
            live = store.describe_group(IdentityStoreId=adopted.identity_store_id, GroupId=group.import_id)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") not in NOT_FOUND:
                raise
            results.append(
                blocked(
                    "imports.groups",
                    subject,
                    f"{group.import_id} does not exist",
                    f"remove identityCenter.groups[{index}].import",
                )
            )
            continue
        name = live.get("DisplayName")
        detail = f"{group.import_id} exists" + (
            "" if name == group.name else f", named '{name}' (pulumi up renames it)"
        )
        results.append(ready("imports.groups", subject, detail))
    return results


CHECKS = (
    Check("identity-center.instance", instance, "Identity Center"),
    Check("identity-center.external-groups", external_groups, "Identity Center groups"),
)
# After the Organizations imports: the issue ranks the instance before them, the ids with them.
IMPORT_CHECKS = (
    Check("imports.permission-sets", imported_permission_sets, "permission sets"),
    Check("imports.groups", imported_groups, "groups"),
)
