"""`lz sso-config --from-aws`: a group's access read from the live organization."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from landing_zone.live.group_access import read_group_access
from landing_zone.live.session import Clients
from landing_zone.sso.profiles import Reachable

STORE = "d-1234567890"
INSTANCE = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
GROUP = "a1b2c3d4-5678-90ab-cdef-111122223333"
ADMIN = f"arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-{'a' * 16}"
READ_ONLY = f"arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-{'b' * 16}"
PROD, DEV, CLOSED = "111111111111", "222222222222", "333333333333"


def account(account_id: str, name: str, state: str = "ACTIVE") -> dict[str, str]:
    return {"Id": account_id, "Name": name, "State": state}


def assignment(account_id: str, permission_set: str) -> dict[str, str]:
    return {
        "AccountId": account_id,
        "PermissionSetArn": permission_set,
        "PrincipalId": GROUP,
        "PrincipalType": "GROUP",
    }


def test_every_list_is_read_to_its_last_page():
    """Each list call answers in two pages, the first of ListInstances with no instance at all
    (AWS may return an empty page with a NextToken)."""
    clients = Clients(
        boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1")
    )
    sso = Stubber(clients.client("sso-admin"))
    store = Stubber(clients.client("identitystore"))
    organizations = Stubber(clients.client("organizations"))
    sso.add_response("list_instances", {"Instances": [], "NextToken": "i2"}, {})
    sso.add_response(
        "list_instances",
        {"Instances": [{"InstanceArn": INSTANCE, "IdentityStoreId": STORE}]},
        {"NextToken": "i2"},
    )
    store.add_response(
        "get_group_id",
        {
            "GroupId": GROUP,
            "IdentityStoreId": STORE,
            "GroupArn": f"arn:aws:identitystore:::group/{GROUP}",
        },
        {
            "IdentityStoreId": STORE,
            "AlternateIdentifier": {
                "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "Platform"}
            },
        },
    )
    organizations.add_response(
        "list_accounts", {"Accounts": [account(PROD, "production")], "NextToken": "a2"}, {}
    )
    organizations.add_response(
        "list_accounts",
        {"Accounts": [account(DEV, "dev"), account(CLOSED, "old", "SUSPENDED")]},
        {"NextToken": "a2"},
    )
    principal = {"InstanceArn": INSTANCE, "PrincipalId": GROUP, "PrincipalType": "GROUP"}
    sso.add_response(
        "list_account_assignments_for_principal",
        {"AccountAssignments": [assignment(PROD, ADMIN)], "NextToken": "p2"},
        principal,
    )
    sso.add_response("describe_permission_set", {"PermissionSet": {"Name": "AdministratorAccess"}})
    sso.add_response(
        "list_account_assignments_for_principal",
        {
            "AccountAssignments": [
                assignment(DEV, ADMIN),
                assignment(CLOSED, ADMIN),
                assignment(PROD, READ_ONLY),
            ]
        },
        {**principal, "NextToken": "p2"},
    )
    sso.add_response("describe_permission_set", {"PermissionSet": {"Name": "ReadOnlyAccess"}})
    with sso, store, organizations:
        access = read_group_access(clients, "Platform")
        for stubber in (sso, store, organizations):
            stubber.assert_no_pending_responses()
    assert access.start_url == f"https://{STORE}.awsapps.com/start"
    assert access.sso_region == "eu-west-1"
    # The suspended account is left out; each permission set is described once.
    assert access.reachable == (
        Reachable("dev", DEV, "AdministratorAccess"),
        Reachable("production", PROD, "AdministratorAccess"),
        Reachable("production", PROD, "ReadOnlyAccess"),
    )
