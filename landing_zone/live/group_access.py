"""What one Identity Center group can reach, read from the live organization (for
`lz sso-config --from-aws`).

Run with management-account (or delegated administrator) credentials in the Identity
Center region: the session's region is taken as the SSO region.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from landing_zone.config.base import ACCOUNT_ID, PERMISSION_SET_NAME, REGION
from landing_zone.config.identity import START_URL
from landing_zone.sso.onboarding import Person
from landing_zone.sso.profiles import Reachable, SsoAccess, SsoSourceError, ini_value

from .identity_center import list_instances
from .session import Clients, paginate

log = logging.getLogger(__name__)


def read_group_access(clients: Clients, group: str, start_url: str | None = None) -> SsoAccess:
    instance = _instance(clients)
    return _access(clients, instance, [_group_id(clients, instance.store_id, group)], start_url)


def read_user_access(
    clients: Clients, user_name: str, start_url: str | None = None
) -> tuple[Person, SsoAccess]:
    """A user and what their groups reach (assignments to the user directly are not counted:
    the landing zone gives access to groups only)."""
    instance = _instance(clients)
    store = clients.client("identitystore")
    try:
        user_id = store.get_user_id(
            IdentityStoreId=instance.store_id,
            AlternateIdentifier={
                "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": user_name}
            },
        )["UserId"]
    except store.exceptions.ResourceNotFoundException:
        raise SsoSourceError(
            f"USER: no user named '{user_name}' in identity store {instance.store_id}"
        ) from None
    user = store.describe_user(IdentityStoreId=instance.store_id, UserId=user_id)
    group_ids = [
        m["GroupId"]
        for m in paginate(
            store,
            "list_group_memberships_for_member",
            "GroupMemberships",
            IdentityStoreId=instance.store_id,
            MemberId={"UserId": user_id},
        )
    ]
    groups = tuple(
        store.describe_group(IdentityStoreId=instance.store_id, GroupId=group_id).get("DisplayName", group_id)
        for group_id in group_ids
    )
    emails = user.get("Emails") or []
    email = next((e["Value"] for e in emails if e.get("Primary")), emails[0]["Value"] if emails else "")
    person = Person(
        user_name=user.get("UserName", user_name),
        display_name=user.get("DisplayName") or user.get("UserName", user_name),
        email=email,
        groups=tuple(sorted(groups)),
    )
    return person, _access(clients, instance, group_ids, start_url)


@dataclass(frozen=True)
class _Instance:
    region: str
    arn: str
    store_id: str


def _instance(clients: Clients) -> _Instance:
    # Not `clients.region`, which falls back to us-east-1: the SSO region is written into the
    # user's config, so it must be the one asked for.
    region = clients.session.region_name
    if not region:
        raise SsoSourceError("the AWS session has no region: pass --sso-region or set the profile's region")
    ini_value(region, REGION, "the session's region (--sso-region or the profile's)")
    instances = list_instances(clients)
    if not instances:
        raise SsoSourceError(f"no IAM Identity Center instance in {region}")
    return _Instance(region, instances[0]["InstanceArn"], instances[0]["IdentityStoreId"])


def _access(clients: Clients, instance: _Instance, group_ids: list[str], start_url: str | None) -> SsoAccess:
    """What the groups reach together: each (account, permission set) once."""
    accounts = _account_names(clients)
    sso_admin = clients.client("sso-admin")
    permission_set_names: dict[str, str] = {}
    reachable: set[Reachable] = set()
    for group_id in group_ids:
        for assignment in paginate(
            sso_admin,
            "list_account_assignments_for_principal",
            "AccountAssignments",
            InstanceArn=instance.arn,
            PrincipalId=group_id,
            PrincipalType="GROUP",
        ):
            account_id = ini_value(assignment["AccountId"], ACCOUNT_ID, "an account assignment's AccountId")
            if account_id not in accounts:
                log.warning("skipping account %s: not an active account of the organization", account_id)
                continue
            arn = assignment["PermissionSetArn"]
            if arn not in permission_set_names:
                described = sso_admin.describe_permission_set(InstanceArn=instance.arn, PermissionSetArn=arn)
                permission_set_names[arn] = ini_value(
                    described["PermissionSet"]["Name"],
                    PERMISSION_SET_NAME,
                    f"the name of permission set {arn}",
                )
            reachable.add(Reachable(accounts[account_id], account_id, permission_set_names[arn]))
    default_url = f"https://{instance.store_id}.awsapps.com/start"
    return SsoAccess(
        start_url=start_url
        or ini_value(default_url, START_URL, f"the start URL of identity store {instance.store_id!r}"),
        sso_region=instance.region,
        reachable=tuple(sorted(reachable)),
    )


def _group_id(clients: Clients, store_id: str, group: str) -> str:
    identity_store = clients.client("identitystore")
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


def _account_names(clients: Clients) -> dict[str, str]:
    """Active accounts of the organization, id -> name."""
    return {
        account["Id"]: account["Name"]
        for account in paginate(clients.client("organizations"), "list_accounts", "Accounts")
        if account.get("State", account.get("Status")) == "ACTIVE"
    }
