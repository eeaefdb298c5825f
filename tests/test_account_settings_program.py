"""The program's account settings under Pulumi's mocks: root access management, primary contacts,
opt-in regions and the management account's own settings, with exact inputs and options."""

from __future__ import annotations

from typing import Any

from landing_zone.plan.mocks import MANAGEMENT_ACCOUNT_ID
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.resource_types import (
    ACCOUNT,
    ACCOUNT_REGION,
    ALTERNATE_CONTACT,
    ORGANIZATION,
    ORGANIZATIONS_FEATURES,
    PRIMARY_CONTACT,
)
from tests.builders import ALL_PRINCIPALS, stack_values
from tests.conftest import PROJECT_DIR

WITH_IAM = [*ALL_PRINCIPALS, "iam.amazonaws.com"]
ADDRESS = {
    "fullName": "Acme Platform",
    "companyName": "Acme Corp Ltd",
    "addressLine1": "1 Example Street",
    "city": "London",
    "stateOrRegion": "Greater London",
    "postalCode": "EC1A 1AA",
    "countryCode": "GB",
    "phone": "+44 20 7946 0000",
}


def plan(**organization_changes: Any) -> PlanResult:
    accounts = [
        {"name": "audit", "ou": "Security"},
        {
            "name": "production",
            "ou": "Workloads/Production",
            "primaryContact": {"fullName": "On-Call", "addressLine2": "Floor 3"},
            "optInRegions": {"eu-south-2": True},
        },
    ]
    values = stack_values(
        organization_changes={
            "awsServiceAccessPrincipals": WITH_IAM,
            "primaryContact": ADDRESS,
            **organization_changes,
        },
        accounts=accounts,
    )
    return run_program(PROJECT_DIR, "landing-zone", "test", values)


def by_name(result: PlanResult, type_: str) -> dict[str, Any]:
    return {r.name: r for r in result.of_type(type_)}


def test_root_access_management_enables_both_features_in_the_management_account_after_trusted_access():
    result = plan(create=True, rootAccessManagement={})
    (features,) = result.of_type(ORGANIZATIONS_FEATURES)
    (organization,) = result.of_type(ORGANIZATION)
    assert features.name == "acme-root-access", features.urn
    assert features.inputs == {"enabledFeatures": ["RootCredentialsManagement", "RootSessions"]}, features.urn
    assert features.provider == "", features.urn  # the management account's own credentials
    assert organization.urn in features.dependencies, features.urn
    assert result.refusals == []


def test_root_access_management_of_a_looked_up_organization_and_one_feature_only():
    result = plan(rootAccessManagement={"rootSessions": False})
    (features,) = result.of_type(ORGANIZATIONS_FEATURES)
    assert features.inputs == {"enabledFeatures": ["RootCredentialsManagement"]}, features.urn
    assert features.dependencies == [], features.urn
    assert result.refusals == []


def test_no_root_access_key_no_features_resource():
    assert plan().of_type(ORGANIZATIONS_FEATURES) == []


def test_members_get_the_organization_s_primary_contact_with_their_overrides_and_their_regions():
    result = plan(optInRegions={"il-central-1": False})
    ids = {a.inputs["name"]: a.id for a in result.of_type(ACCOUNT)}
    contacts = by_name(result, PRIMARY_CONTACT)
    common = {
        "companyName": "Acme Corp Ltd",
        "addressLine1": "1 Example Street",
        "city": "London",
        "stateOrRegion": "Greater London",
        "postalCode": "EC1A 1AA",
        "countryCode": "GB",
        "phoneNumber": "+44 20 7946 0000",
    }
    assert contacts["audit-primary-contact"].inputs == {
        "accountId": ids["audit"],
        "fullName": "Acme Platform",
        **common,
    }
    assert contacts["production-primary-contact"].inputs == {
        "accountId": ids["production"],
        "fullName": "On-Call",
        "addressLine2": "Floor 3",
        **common,
    }
    regions = {name: r.inputs for name, r in by_name(result, ACCOUNT_REGION).items()}
    assert regions == {
        "audit-region-il-central-1": {
            "accountId": ids["audit"],
            "regionName": "il-central-1",
            "enabled": False,
        },
        "production-region-eu-south-2": {
            "accountId": ids["production"],
            "regionName": "eu-south-2",
            "enabled": True,
        },
        "production-region-il-central-1": {
            "accountId": ids["production"],
            "regionName": "il-central-1",
            "enabled": False,
        },
    }
    for resource in [*contacts.values(), *by_name(result, ACCOUNT_REGION).values()]:
        assert ids[resource.name.split("-")[0]] == resource.inputs["accountId"], resource.urn
    assert result.refusals == []


def test_the_management_account_s_own_settings_are_set_without_an_account_id():
    result = plan(
        managementAccount={
            "contacts": {"security": {"email": "soc@acme-corp.io"}},
            "primaryContact": {"fullName": "Acme Finance"},
            "optInRegions": {"eu-south-2": True},
        },
    )
    own = [
        r
        for type_ in (ALTERNATE_CONTACT, PRIMARY_CONTACT, ACCOUNT_REGION)
        for r in result.of_type(type_)
        if r.name.startswith("acme-management-account-")
    ]
    assert sorted(r.name for r in own) == [
        "acme-management-account-billing",
        "acme-management-account-operations",
        "acme-management-account-primary-contact",
        "acme-management-account-region-eu-south-2",
        "acme-management-account-security",
    ]
    for resource in own:
        assert "accountId" not in resource.inputs, resource.urn
        assert resource.provider == "", resource.urn
    security = by_name(result, ALTERNATE_CONTACT)["acme-management-account-security"]
    assert security.inputs == {
        "alternateContactType": "SECURITY",
        "name": "Security",
        "title": "Security team",
        "emailAddress": "soc@acme-corp.io",
        "phoneNumber": "+1 555 0100",
    }
    primary = by_name(result, PRIMARY_CONTACT)["acme-management-account-primary-contact"]
    assert primary.inputs["fullName"] == "Acme Finance" and primary.inputs["city"] == "London", primary.urn
    assert MANAGEMENT_ACCOUNT_ID not in {r.inputs.get("accountId") for r in result.resources}
    assert result.refusals == []


def test_reordering_opt_in_regions_renames_nothing():
    first = plan(optInRegions={"il-central-1": False, "me-central-1": False})
    second = plan(optInRegions={"me-central-1": False, "il-central-1": False})
    assert sorted(r.urn for r in first.resources) == sorted(r.urn for r in second.resources)


def test_providers_in_an_opt_in_region_wait_for_the_region_to_be_enabled():
    values = stack_values(
        organization_changes={
            "awsServiceAccessPrincipals": WITH_IAM,
            "optInRegions": {"eu-south-2": True},
            "managementAccount": {"optInRegions": {"eu-south-2": True}},
        },
        accounts=[{"name": "audit", "ou": "Security"}, {"name": "production", "ou": "Workloads/Production"}],
        guardrails=[
            {
                "guardrail": "deny-unapproved-regions",
                "organizationalUnits": ["Security", "Workloads"],
                "parameters": {"allowedRegions": ["eu-west-1", "eu-south-2"]},
            }
        ],
        baseline={},
        delegatedAdministrators={"account": "audit", "services": ["guardduty"]},
    )
    result = run_program(PROJECT_DIR, "landing-zone", "test", values)
    assert result.refusals == []
    regions = by_name(result, ACCOUNT_REGION)
    providers = by_name(result, "pulumi:providers:aws")
    waits = {
        "audit-member-eu-south-2": "audit-region-eu-south-2",
        "production-member-eu-south-2": "production-region-eu-south-2",
        "management-eu-south-2": "acme-management-account-region-eu-south-2",
    }
    for provider, region in waits.items():
        assert regions[region].urn in providers[provider].dependencies, providers[provider].urn
    # In the stack's own region, nothing to wait for.
    assert not any(r.urn in providers["audit-member"].dependencies for r in regions.values())


def test_the_dev_example_uses_root_access_primary_contacts_and_opt_in_regions(planned):
    result = planned["dev"]
    assert [f.inputs for f in result.of_type(ORGANIZATIONS_FEATURES)] == [
        {"enabledFeatures": ["RootCredentialsManagement", "RootSessions"]}
    ]
    contacts = {c.name: c.inputs for c in result.of_type(PRIMARY_CONTACT)}
    assert contacts["workload-primary-contact"]["fullName"] == "Acme Workload Team"
    assert contacts["audit-primary-contact"]["fullName"] == "Acme Platform Team"
    assert "accountId" not in contacts["acme-lab-management-account-primary-contact"]
    regions = {(r.name, r.inputs["regionName"], r.inputs["enabled"]) for r in result.of_type(ACCOUNT_REGION)}
    assert ("workload-region-eu-south-2", "eu-south-2", True) in regions
    assert ("acme-lab-management-account-region-il-central-1", "il-central-1", False) in regions
    assert result.refusals == []
