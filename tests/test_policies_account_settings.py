"""The pack and the landing zone's organization-level account settings: IAM's root access features,
primary contacts, alternate contacts and opt-in regions are allowed in the management account,
and nothing more of IAM."""

from __future__ import annotations

import pytest

from landing_zone.resource_types import (
    ACCOUNT_REGION,
    ALTERNATE_CONTACT,
    ORGANIZATIONS_FEATURES,
    PRIMARY_CONTACT,
)
from tests.policy_builders import check_resource

from lz_policies import management  # isort: skip

MGMT = management.no_resources_in_management_account


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        (ORGANIZATIONS_FEATURES, {"enabledFeatures": ["RootCredentialsManagement", "RootSessions"]}),
        (PRIMARY_CONTACT, {"accountId": "222222222222", "fullName": "Acme"}),
        (PRIMARY_CONTACT, {"fullName": "Acme"}),
        (ALTERNATE_CONTACT, {"alternateContactType": "SECURITY"}),
        (ACCOUNT_REGION, {"regionName": "eu-south-2", "enabled": True, "accountId": "222222222222"}),
    ],
)
def test_organization_level_account_settings_are_allowed_in_the_management_account(type_, props):
    assert check_resource(MGMT, type_, props) == []


@pytest.mark.parametrize(
    "type_",
    [
        # Neighbours of the allowed token: other IAM resources, and lookalike spellings.
        "aws:iam/organizationsFeature:OrganizationsFeature",
        "aws:iam/organizationsFeatures:OrganizationsFeaturesX",
        "aws:iam/accessKey:AccessKey",
        "aws:iam/user:User",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "aws-native:iam:OrganizationsFeatures",
    ],
)
def test_nothing_else_of_iam_is_allowed_there(type_):
    assert check_resource(MGMT, type_, {}) == [
        f"{type_} 'res' would be created in the management account through the default provider; "
        "give it a provider that assumes a role in a member account"
    ]


def test_the_pack_s_allow_list_names_the_program_s_token():
    assert ORGANIZATIONS_FEATURES in management.DEFAULT_ALLOWED_TYPES
