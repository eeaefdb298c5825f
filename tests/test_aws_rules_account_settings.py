"""AWS's rules for account settings and root access management, as the offline plan enforces them."""

from __future__ import annotations

import dataclasses

import pytest

from landing_zone import principals
from landing_zone.plan.mocks import MANAGEMENT_ACCOUNT_ID, MockOrganization
from landing_zone.resource_types import ACCOUNT_REGION, ORGANIZATIONS_FEATURES, PRIMARY_CONTACT
from tests.test_aws_rules import MEMBER_ID, org_resource, refused, res

FEATURES = ["RootCredentialsManagement", "RootSessions"]
WITHOUT_IAM = MockOrganization(trusted_services=(principals.ACCOUNT, principals.IDENTITY_CENTER))
ADDRESS = {
    "fullName": "Acme",
    "addressLine1": "1 Example Street",
    "city": "London",
    "stateOrRegion": "Greater London",
    "postalCode": "EC1A 1AA",
    "countryCode": "GB",
    "phoneNumber": "+44 20 7946 0000",
}


def features(*dependencies: str, enabled: object = FEATURES) -> object:
    resource = res(ORGANIZATIONS_FEATURES, "acme-root-access", enabledFeatures=enabled)
    return dataclasses.replace(resource, dependencies=list(dependencies))


def test_root_access_needs_trusted_access_for_iam_in_a_looked_up_organization():
    assert refused(features()) == []
    assert refused(features(), organization=WITHOUT_IAM) == [
        (
            "root-access-trusted-access",
            "acme-root-access",
            "the organization does not give trusted access to iam.amazonaws.com "
            "(trusted: account.amazonaws.com, sso.amazonaws.com)",
        )
    ]


def test_root_access_of_a_managed_organization_comes_after_the_organization_that_trusts_iam():
    organization = org_resource(awsServiceAccessPrincipals=[principals.ACCOUNT, principals.IAM])
    assert refused(organization, features(organization.urn), organization=WITHOUT_IAM) == []
    assert refused(organization, features(), organization=WITHOUT_IAM) == [
        (
            "root-access-trusted-access",
            "acme-root-access",
            "does not depend on the Organization 'acme' that enables trusted access for iam.amazonaws.com: "
            "the engine may create it first",
        )
    ]
    # The looked-up organization's trusted access does not count once the stack manages its own.
    untrusting = org_resource(awsServiceAccessPrincipals=[principals.ACCOUNT])
    assert [r[:2] for r in refused(untrusting, features(untrusting.urn))] == [
        ("root-access-trusted-access", "acme-root-access")
    ]


@pytest.mark.parametrize(
    ("enabled", "expected"),
    [
        (["RootSessions"], []),
        (
            ["rootsessions"],
            ["enabledFeatures 'rootsessions' is not one of RootCredentialsManagement, RootSessions"],
        ),
        ([], ["enabledFeatures is empty"]),
    ],
)
def test_root_access_features_are_spelled_as_iam_spells_them(enabled, expected):
    assert [r[2] for r in refused(features(enabled=enabled))] == expected


@pytest.mark.parametrize("type_", [PRIMARY_CONTACT, ACCOUNT_REGION])
def test_member_settings_need_trusted_access_and_the_management_account_never_names_itself(type_):
    inputs = ADDRESS if type_ == PRIMARY_CONTACT else {"regionName": "eu-south-2", "enabled": True}
    member = res(type_, "dev-setting", accountId=MEMBER_ID, **inputs)
    own = res(type_, "own-setting", accountId=MANAGEMENT_ACCOUNT_ID, **inputs)
    implicit = res(type_, "implicit-setting", **inputs)
    untrusting = MockOrganization(trusted_services=(principals.IDENTITY_CENTER,))
    assert [r[:2] for r in refused(member, own, implicit, organization=untrusting)] == [
        ("contact-trusted-access", "dev-setting"),
        ("account-settings-own-account", "own-setting"),
    ]


def test_only_opt_in_regions_are_disabled():
    regions = [
        res(ACCOUNT_REGION, "off", regionName="eu-west-1", enabled=False),
        res(ACCOUNT_REGION, "on", regionName="eu-west-1", enabled=True),
        res(ACCOUNT_REGION, "opt-in-off", regionName="il-central-1", enabled=False),
    ]
    assert refused(*regions) == [
        ("default-region-disabled", "off", "eu-west-1 is enabled by default and cannot be disabled")
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"countryCode": "US", "stateOrRegion": None}, ["stateOrRegion missing: AWS requires it for an address in US"]),
        ({"phoneNumber": "0044 20 7946 0000"}, ["phoneNumber is not a phone number of at most 20 characters starting with '+', like +44 20 7946 0000"]),
        ({"city": None, "postalCode": None}, ["city, postalCode missing: AWS requires them"]),
        ({"addressLine1": "x" * 61}, ["addressLine1 is not 1 to 60 characters, no control characters"]),
    ],
)  # fmt: skip
def test_a_primary_contact_is_judged_on_botocore_s_rules(changes, expected):
    inputs = {k: v for k, v in {**ADDRESS, **changes}.items() if v is not None}
    assert [r[2] for r in refused(res(PRIMARY_CONTACT, "dev-primary-contact", **inputs))] == expected


def test_a_provider_in_an_opt_in_region_waits_for_the_region_s_enabling():
    enabling = res(
        ACCOUNT_REGION, "dev-region-eu-south-2", accountId=MEMBER_ID, regionName="eu-south-2", enabled=True
    )
    roles = f'[{{"roleArn": "arn:aws:iam::{MEMBER_ID}:role/OrganizationAccountAccessRole"}}]'
    provider = res("pulumi:providers:aws", "dev-member-eu-south-2", region="eu-south-2", assumeRoles=roles)
    elsewhere = res("pulumi:providers:aws", "dev-member", region="eu-west-1", assumeRoles=roles)
    management = res("pulumi:providers:aws", "management-eu-south-2", region="eu-south-2")
    assert refused(enabling, provider, elsewhere, management) == [
        (
            "opt-in-region-enabled-first",
            "dev-member-eu-south-2",
            f"acts in eu-south-2 of account {MEMBER_ID}, which 'dev-region-eu-south-2' enables, and does not "
            "wait for it: AWS refuses every call there until the region is enabled",
        )
    ]
    waiting = dataclasses.replace(provider, dependencies=[enabling.urn])
    assert refused(enabling, waiting, elsewhere, management) == []
