"""Account settings in config: root access management, primary contacts, opt-in regions and the
management account's own settings; every problem under its key, with exact messages."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from landing_zone.config import load_from_mapping
from landing_zone.config.account_settings import ResolvedPrimaryContact
from landing_zone.config.region_opt_in import DEFAULT_REGIONS, is_opt_in_region
from landing_zone.guardrails import catalog
from tests.builders import ALL_PRINCIPALS, stack_values
from tests.helpers import problem_table, problems_of
from tests.scp_evaluation import denies, request

WITH_IAM = [*ALL_PRINCIPALS, "iam.amazonaws.com"]
ADDRESS: dict[str, str] = {
    "fullName": "Acme Platform",
    "addressLine1": "1 Example Street",
    "city": "London",
    "stateOrRegion": "Greater London",
    "postalCode": "EC1A 1AA",
    "countryCode": "GB",
    "phone": "+44 20 7946 0000",
}
REGION_GUARDRAIL = {
    "guardrail": "deny-unapproved-regions",
    "organizationalUnits": ["Workloads"],
    "parameters": {"allowedRegions": ["eu-west-1", "eu-south-2"]},
}


def org(**changes: Any) -> dict[str, Any]:
    return stack_values(organization_changes=changes)


def without(mapping: dict[str, str], *keys: str) -> dict[str, str]:
    return {k: v for k, v in mapping.items() if k not in keys}


CASES = [
    (
        "root access management without trusted access for IAM",
        org(rootAccessManagement={}),
        [
            "landing-zone:organization.rootAccessManagement: needs trusted access for IAM: add "
            "iam.amazonaws.com to organization.awsServiceAccessPrincipals"
        ],
    ),
    (
        "root access management that enables nothing",
        org(
            awsServiceAccessPrincipals=WITH_IAM,
            rootAccessManagement={"credentialsManagement": False, "rootSessions": False},
        ),
        [
            "landing-zone:organization.rootAccessManagement: enables nothing: set credentialsManagement "
            "or rootSessions to true, or remove the key"
        ],
    ),
    (
        "root access management in a consolidated billing organization",
        org(
            featureSet="CONSOLIDATED_BILLING",
            enabledPolicyTypes=[],
            awsServiceAccessPrincipals=WITH_IAM,
            rootAccessManagement={},
        ),
        ["landing-zone:organization.rootAccessManagement: needs featureSet ALL (trusted access does)"],
    ),
    (
        "an unknown root access key",
        org(awsServiceAccessPrincipals=WITH_IAM, rootAccessManagement={"rootSession": True}),
        [
            "landing-zone:organization.rootAccessManagement.rootSession: unknown key; did you mean 'rootSessions'?"
        ],
    ),
    (
        "a primary contact without the fields AWS requires",
        org(primaryContact={"fullName": "Acme"}),
        [
            "landing-zone:organization.primaryContact: addressLine1, city, postalCode, countryCode, phone "
            "missing: AWS requires them"
        ],
    ),
    (
        "a US address without its state",
        org(primaryContact={**without(ADDRESS, "stateOrRegion"), "countryCode": "US"}),
        [
            "landing-zone:organization.primaryContact: stateOrRegion missing: AWS requires it for an address in US"
        ],
    ),
    (
        "a French address needs no state",
        org(primaryContact={**without(ADDRESS, "stateOrRegion"), "countryCode": "FR"}),
        [],
    ),
    (
        "a country code in lowercase, a phone without +, a name too long",
        org(primaryContact={**ADDRESS, "countryCode": "gb", "phone": "020 7946 0000", "fullName": "x" * 51}),
        [
            f"landing-zone:organization.primaryContact.fullName: '{'x' * 51}' is not 1 to 50 characters, "
            "no control characters",
            "landing-zone:organization.primaryContact.countryCode: 'gb' is not an ISO 3166 two-letter "
            "country code in capitals, like GB",
            "landing-zone:organization.primaryContact.phone: '020 7946 0000' is not a phone number of at most "
            "20 characters starting with '+', like +44 20 7946 0000",
        ],
    ),
    (
        "a newline smuggled into an address line",
        org(primaryContact={**ADDRESS, "addressLine2": "Flat 1\nCity: Elsewhere"}),
        [
            "landing-zone:organization.primaryContact.addressLine2: 'Flat 1\\nCity: Elsewhere' "
            "is not 1 to 60 characters, no control characters"
        ],
    ),
    (
        "a C1 control character (NEL) in a city",
        org(primaryContact={**ADDRESS, "city": "Lon\x85don"}),
        [
            "landing-zone:organization.primaryContact.city: 'Lon\\x85don' is not 1 to 50 characters, "
            "no control characters"
        ],
    ),
    (
        "an account's partial primary contact without an organization-wide one",
        stack_values(accounts=[{"name": "audit", "primaryContact": {"fullName": "Audit"}}]),
        [
            "landing-zone:accounts[0].primaryContact: addressLine1, city, postalCode, countryCode, phone "
            "missing: AWS requires them"
        ],
    ),
    (
        "an account moving the organization's address to the US without a state",
        stack_values(
            organization_changes={"primaryContact": without(ADDRESS, "stateOrRegion")},
            accounts=[{"name": "audit", "primaryContact": {"countryCode": "US"}}],
        ),
        [
            "landing-zone:organization.primaryContact: stateOrRegion missing: AWS requires it for an address in GB",
            "landing-zone:accounts[0].primaryContact: stateOrRegion missing: AWS requires it for an address "
            "in US (with organization.primaryContact)",
        ],
    ),
    (
        "a default region cannot be enabled or disabled",
        stack_values(
            organization_changes={"optInRegions": {"eu-west-1": False}},
            accounts=[{"name": "audit", "optInRegions": {"us-east-1": True, "af-south-1": True}}],
        ),
        [
            "landing-zone:organization.optInRegions.eu-west-1: eu-west-1 is enabled by default in every "
            "account and cannot be enabled or disabled (only opt-in regions can)",
            "landing-zone:accounts[0].optInRegions.us-east-1: us-east-1 is enabled by default in every "
            "account and cannot be enabled or disabled (only opt-in regions can)",
        ],
    ),
    (
        "a region key that is not a region",
        stack_values(accounts=[{"name": "audit", "optInRegions": {"Europe": True}}]),
        [
            "landing-zone:accounts[0].optInRegions.Europe.[key]: 'Europe' is not an AWS region code like eu-west-1"
        ],
    ),
    (
        "a guardrail allowing an opt-in region that an account does not enable",
        stack_values(
            guardrails=[REGION_GUARDRAIL],
            accounts=[
                {"name": "audit", "ou": "Security"},
                {"name": "production", "ou": "Workloads/Production"},
                {"name": "staging", "ou": "Workloads", "optInRegions": {"eu-south-2": False}},
                {"name": "dev", "ou": "Workloads", "optInRegions": {"eu-south-2": True}},
            ],
        ),
        [
            "landing-zone:accounts[1].optInRegions: guardrails[0] (deny-unapproved-regions) allows eu-south-2, "
            "an opt-in region this account does not enable: set eu-south-2: true here or in "
            "organization.optInRegions",
            "landing-zone:accounts[2].optInRegions: guardrails[0] (deny-unapproved-regions) allows eu-south-2, "
            "an opt-in region this account disables: set eu-south-2: true here or in organization.optInRegions",
        ],
    ),
    (
        "an organization-wide opt-in covers every account; one account may still turn it off",
        stack_values(
            organization_changes={"optInRegions": {"eu-south-2": True}},
            guardrails=[{**REGION_GUARDRAIL, "organizationalUnits": [], "root": True}],
            accounts=[{"name": "audit"}, {"name": "production", "optInRegions": {"eu-south-2": False}}],
        ),
        [
            "landing-zone:accounts[1].optInRegions: guardrails[0] (deny-unapproved-regions) allows eu-south-2, "
            "an opt-in region this account disables: set eu-south-2: true here or in organization.optInRegions"
        ],
    ),
    (
        "the management account's own settings are checked like a member's",
        org(
            managementAccount={
                "contacts": {"billing": {"email": "billing-at-acme"}},
                "primaryContact": {"fullName": "Acme"},
                "optInRegions": {"eu-west-2": True},
            }
        ),
        [
            "landing-zone:organization.managementAccount.contacts.billing.email: 'billing-at-acme' is not a "
            "valid email address",
            "landing-zone:organization.managementAccount.primaryContact: addressLine1, city, postalCode, "
            "countryCode, phone missing: AWS requires them",
            "landing-zone:organization.managementAccount.optInRegions.eu-west-2: eu-west-2 is enabled by "
            "default in every account and cannot be enabled or disabled (only opt-in regions can)",
        ],
    ),
]


@problem_table(CASES)
def test_account_settings_problems(values, expected):
    assert problems_of(values) == expected


def test_primary_contacts_and_opt_in_regions_resolve_organization_then_account():
    config = load_from_mapping(
        stack_values(
            organization_changes={
                "primaryContact": ADDRESS,
                "optInRegions": {"il-central-1": False, "eu-south-2": True},
                "managementAccount": {"primaryContact": {"fullName": "Acme Finance"}},
            },
            accounts=[
                {"name": "audit"},
                {
                    "name": "production",
                    "primaryContact": {"fullName": "On-Call"},
                    "optInRegions": {"eu-south-2": False},
                },
            ],
        )
    )
    structure = config.structure
    audit, production = (structure.resolve(a) for a in config.accounts)
    expected = ResolvedPrimaryContact(
        full_name="Acme Platform",
        address_line1="1 Example Street",
        city="London",
        state_or_region="Greater London",
        postal_code="EC1A 1AA",
        country_code="GB",
        phone="+44 20 7946 0000",
    )
    assert audit.primary_contact == expected
    assert audit.opt_in_regions == {"eu-south-2": True, "il-central-1": False}
    assert production.primary_contact is not None and production.primary_contact.full_name == "On-Call"
    assert production.primary_contact.city == "London"
    assert production.opt_in_regions == {"eu-south-2": False, "il-central-1": False}
    management = structure.resolve_management()
    assert management is not None and management.primary_contact is not None
    assert management.primary_contact.full_name == "Acme Finance"
    assert management.contacts["billing"].email == "aws-notifications@acme-corp.io"
    assert management.opt_in_regions == {"eu-south-2": True, "il-central-1": False}


def test_without_a_management_account_section_the_management_account_is_left_alone():
    config = load_from_mapping(org(primaryContact=ADDRESS))
    assert config.structure.resolve_management() is None
    assert config.structure.resolve(config.accounts[0]).primary_contact is not None


def test_default_regions_are_regions_of_botocore_s_aws_partition_and_every_other_is_opt_in():
    endpoints = botocore.session.get_session().get_data("endpoints")
    aws = next(p for p in endpoints["partitions"] if p["partition"] == "aws")
    assert set(aws["regions"]) >= DEFAULT_REGIONS
    # Regions launched since 20 March 2019, as botocore knows them today (a sample, not the list).
    for region in ("af-south-1", "ap-east-1", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1"):
        assert region in aws["regions"] and is_opt_in_region(region), region
    assert len(DEFAULT_REGIONS) == 17


def test_primary_contact_rules_are_botocore_s():
    model = botocore.session.get_session().get_service_model("account")
    shape = model.shape_for("ContactInformation")
    assert shape.required_members == [
        "FullName", "AddressLine1", "City", "PostalCode", "CountryCode", "PhoneNumber"
    ]  # fmt: skip
    members = shape.members
    lengths = {name: (members[name].metadata["min"], members[name].metadata["max"]) for name in members}
    assert lengths == {
        "FullName": (1, 50),
        "AddressLine1": (1, 60),
        "AddressLine2": (1, 60),
        "AddressLine3": (1, 60),
        "City": (1, 50),
        "StateOrRegion": (1, 50),
        "DistrictOrCounty": (1, 50),
        "PostalCode": (1, 20),
        "CountryCode": (2, 2),
        "PhoneNumber": (1, 20),
        "CompanyName": (1, 50),
        "WebsiteUrl": (1, 256),
    }
    assert members["PhoneNumber"].metadata["pattern"] == "[+][\\s0-9()-]+"
    assert "US, CA, GB, DE, JP, IN, and BR" in members["StateOrRegion"].documentation.replace(
        "<code>", ""
    ).replace("</code>", "")


@pytest.mark.parametrize("region", sorted(DEFAULT_REGIONS))
def test_a_default_region_is_not_opt_in(region):
    assert not is_opt_in_region(region)


@pytest.mark.parametrize(
    ("principal", "assumed_root", "denied"),
    [
        ("arn:aws:iam::222222222222:root", None, True),  # a root password or access key sign-in
        ("arn:aws:iam::222222222222:root", "true", False),  # sts:AssumeRoot from the management account
        ("arn:aws:iam::222222222222:role/Admin", None, False),
    ],
)
def test_the_root_user_guardrail_leaves_centralized_root_sessions_their_tasks(
    principal, assumed_root, denied
):
    # IAMDeleteRootUserCredentials' tasks must stay possible once root access management is on:
    # AssumeRoot sessions carry aws:AssumedRoot (IAM User Guide, id_root-user.html#id_root-user-access-management).
    document = catalog()["deny-root-user"].render({})
    context = request(principal, **({"aws:AssumedRoot": assumed_root} if assumed_root else {}))
    assert denies(document, "iam:DeleteLoginProfile", context) is denied
