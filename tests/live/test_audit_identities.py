"""`stack.admin-identities-separate` against moto: live users in an admin group and a daily group.

Identity Center content is planted in its own region (moto has an instance in each), so the
shared planted organization's eu-west-1 instance, which `lz import` tests read, stays as it is.
"""

from __future__ import annotations

import pytest

from landing_zone.config import load_from_mapping
from landing_zone.live.audit import identities
from landing_zone.live.audit.model import Finding
from landing_zone.live.organization import read_organization
from landing_zone.live.session import Clients
from tests.live.planted import audit_stack_values

REGION = "us-east-2"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"


@pytest.fixture(scope="module")
def planted_identities(planted_inprocess):
    session, planted = planted_inprocess
    sso = session.client("sso-admin", region_name=REGION)
    store = session.client("identitystore", region_name=REGION)
    instance = sso.list_instances()["Instances"][0]
    instance_arn, store_id = instance["InstanceArn"], instance["IdentityStoreId"]
    sets = {
        name: sso.create_permission_set(Name=name, InstanceArn=instance_arn)["PermissionSet"][
            "PermissionSetArn"
        ]
        for name in ("AdministratorAccess", "ReadOnlyAccess")
    }
    sso.attach_managed_policy_to_permission_set(
        InstanceArn=instance_arn, PermissionSetArn=sets["AdministratorAccess"], ManagedPolicyArn=ADMIN_POLICY
    )
    groups = {
        name: store.create_group(IdentityStoreId=store_id, DisplayName=name)["GroupId"]
        for name in ("Platform", "Developers")
    }
    memberships = {
        "alice": ["Platform", "Developers"],
        "alice+admin": ["Platform"],
        "bob": ["Developers"],
        "carol": ["Platform", "Developers"],
    }
    for user_name, member_of in memberships.items():
        user_id = store.create_user(
            IdentityStoreId=store_id,
            UserName=user_name,
            DisplayName=user_name,
            Name={"GivenName": user_name, "FamilyName": "Acme"},
        )["UserId"]
        for group in member_of:
            store.create_group_membership(
                IdentityStoreId=store_id, GroupId=groups[group], MemberId={"UserId": user_id}
            )
    for group, permission_set, account in (
        ("Platform", "AdministratorAccess", "production"),
        ("Developers", "ReadOnlyAccess", "production"),
        # Admin of a sandbox the stack closes on deletion is daily work.
        ("Developers", "AdministratorAccess", "sandbox-alice"),
    ):
        sso.create_account_assignment(
            InstanceArn=instance_arn,
            TargetId=planted.account_ids[account],
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=sets[permission_set],
            PrincipalType="GROUP",
            PrincipalId=groups[group],
        )
    return session, planted


def config_with(identity_center):
    values = audit_stack_values()
    values["landing-zone:accounts"][2]["closeOnDeletion"] = True  # sandbox-alice
    if identity_center is not None:
        values["landing-zone:identityCenter"] = identity_center
    return load_from_mapping(values)


CAROL = {"userName": "carol", "givenName": "Carol", "familyName": "Acme", "email": "carol@acme-corp.io"}


@pytest.mark.parametrize(
    ("identity_center", "expected"),
    [
        (
            {"region": REGION, "users": [CAROL], "adminIdentities": {"allowAdminAndDaily": ["carol"]}},
            lambda ids: Finding.failed(
                f"alice is in admin group Platform (AdministratorAccess on production ({ids['production']}): "
                "it carries the AWS managed policy AdministratorAccess) and in Developers, meant for daily work"
            ),
        ),
        (
            {"region": REGION},
            lambda ids: Finding.failed(
                f"alice is in admin group Platform (AdministratorAccess on production ({ids['production']}): "
                "it carries the AWS managed policy AdministratorAccess) and in Developers, meant for daily work",
                f"carol is in admin group Platform (AdministratorAccess on production ({ids['production']}): "
                "it carries the AWS managed policy AdministratorAccess) and in Developers, meant for daily work",
            ),
        ),
        (None, lambda ids: Finding.passed("the stack has no identityCenter config")),
        (
            {"region": "ap-south-2"},
            lambda ids: Finding.passed("0 users: none in both an admin group and a daily group"),
        ),
    ],
    ids=["one-allowed", "none-allowed", "no-identity-center", "empty-instance"],
)
def test_live_users_in_admin_and_daily_groups(planted_identities, identity_center, expected):
    session, planted = planted_identities
    clients = Clients(session)
    live = read_organization(clients, with_tags=False, with_policies=False)
    finding = identities.ADMIN_AND_DAILY.run(clients, config_with(identity_center), live)
    assert finding == expected(planted.account_ids)
