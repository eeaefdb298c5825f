"""What a group can reach, read from the live organization and Identity Center with boto3.

Run with management-account (or delegated administrator) credentials in the Identity
Center region: the session's region is taken as the SSO region.
"""

from __future__ import annotations

import logging

import boto3

from .profiles import Reachable, SsoAccess, SsoSourceError

log = logging.getLogger(__name__)


def read_live_access(session: boto3.Session, group: str, start_url: str | None = None) -> SsoAccess:
    region = session.region_name
    if not region:
        raise SsoSourceError("the AWS session has no region: pass --sso-region or set the profile's region")
    sso_admin = session.client("sso-admin")
    instances = sso_admin.list_instances().get("Instances", [])
    if not instances:
        raise SsoSourceError(f"no IAM Identity Center instance in {region}")
    instance_arn = instances[0]["InstanceArn"]
    store_id = instances[0]["IdentityStoreId"]
    group_id = _group_id(session, store_id, group)
    accounts = _account_names(session)

    permission_set_names: dict[str, str] = {}
    reachable: set[Reachable] = set()
    paginator = sso_admin.get_paginator("list_account_assignments_for_principal")
    for page in paginator.paginate(InstanceArn=instance_arn, PrincipalId=group_id, PrincipalType="GROUP"):
        for assignment in page.get("AccountAssignments", []):
            account_id = assignment["AccountId"]
            if account_id not in accounts:
                log.warning("skipping account %s: not an active account of the organization", account_id)
                continue
            arn = assignment["PermissionSetArn"]
            if arn not in permission_set_names:
                described = sso_admin.describe_permission_set(InstanceArn=instance_arn, PermissionSetArn=arn)
                permission_set_names[arn] = described["PermissionSet"]["Name"]
            reachable.add(Reachable(accounts[account_id], account_id, permission_set_names[arn]))
    return SsoAccess(
        start_url=start_url or f"https://{store_id}.awsapps.com/start",
        sso_region=region,
        reachable=tuple(sorted(reachable)),
    )


def _group_id(session: boto3.Session, store_id: str, group: str) -> str:
    identity_store = session.client("identitystore")
    try:
        found = identity_store.get_group_id(
            IdentityStoreId=store_id,
            AlternateIdentifier={
                "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": group}
            },
        )
    except identity_store.exceptions.ResourceNotFoundException:
        raise SsoSourceError(f"no group named '{group}' in identity store {store_id}") from None
    return str(found["GroupId"])


def _account_names(session: boto3.Session) -> dict[str, str]:
    """Active accounts of the organization, id -> name."""
    organizations = session.client("organizations")
    names = {}
    for page in organizations.get_paginator("list_accounts").paginate():
        for account in page["Accounts"]:
            if account.get("State", account.get("Status")) == "ACTIVE":
                names[account["Id"]] = account["Name"]
    return names
