"""`lz audit --stack`: primary contacts and opt-in regions as configured, against botocore's Stubber
(moto has neither account:GetContactInformation nor GetRegionOptStatus)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from landing_zone.config import load_from_mapping
from landing_zone.live.audit import account_settings
from landing_zone.live.audit.model import Target, guarded
from landing_zone.live.organization import LiveAccount, LiveOrganization
from landing_zone.live.session import Clients
from tests.builders import stack_values

MANAGEMENT = "111111111111"
AUDIT = "222222222222"
PRODUCTION = "333333333333"
ADDRESS = {
    "fullName": "Acme Platform",
    "addressLine1": "1 Example Street",
    "city": "London",
    "stateOrRegion": "Greater London",
    "postalCode": "EC1A 1AA",
    "countryCode": "GB",
    "phone": "+44 20 7946 0000",
}
LIVE_ADDRESS = {
    "FullName": "Acme Platform",
    "AddressLine1": "1 Example Street",
    "City": "London",
    "StateOrRegion": "Greater London",
    "PostalCode": "EC1A 1AA",
    "CountryCode": "GB",
    "PhoneNumber": "+44 20 7946 0000",
}
LIVE = LiveOrganization(
    id="o-abcdefghij",
    feature_set="ALL",
    management_account_id=MANAGEMENT,
    management_email="aws-acme@acme-corp.io",
    root_id="r-ab12",
    enabled_policy_types=("SERVICE_CONTROL_POLICY",),
    service_access_principals=("account.amazonaws.com",),
    organizational_units=(),
    accounts=(
        LiveAccount(AUDIT, "audit", "aws-acme+audit@acme-corp.io", "ACTIVE", "r-ab12", None),
        LiveAccount(PRODUCTION, "production", "aws-acme+production@acme-corp.io", "ACTIVE", "r-ab12", None),
    ),
    policies=(),
)
STACK = Target("stack", "o-abcdefghij")


def config(**organization_changes):
    accounts = [
        {"name": "audit"},
        {
            "name": "production",
            "primaryContact": {"fullName": "On-Call"},
            "optInRegions": {"eu-south-2": True},
        },
    ]
    return load_from_mapping(stack_values(organization_changes=organization_changes, accounts=accounts))


def run(check, stack_config, answers):
    clients = Clients(
        boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1")
    )
    with Stubber(clients.client("account")) as stub:
        for operation, params, answer in answers:
            if isinstance(answer, str):
                stub.add_client_error(operation, answer, "not found", expected_params=params)
            else:
                stub.add_response(operation, answer, params)
        result = guarded(check, STACK, clients, stack_config, LIVE)
        stub.assert_no_pending_responses()
    return result.outcome, result.evidence


def contact_of(account_id, answer):
    params = {"AccountId": account_id} if account_id else {}
    response = answer if isinstance(answer, str) else {"ContactInformation": answer}
    return ("get_contact_information", params, response)


def test_primary_contacts_as_configured_the_management_account_read_without_its_id():
    stack_config = config(
        primaryContact=ADDRESS, managementAccount={"primaryContact": {"fullName": "Finance"}}
    )
    answers = [
        contact_of(None, {**LIVE_ADDRESS, "FullName": "Finance"}),
        contact_of(AUDIT, LIVE_ADDRESS),
        contact_of(PRODUCTION, {**LIVE_ADDRESS, "FullName": "On-Call"}),
    ]
    assert run(account_settings.PRIMARY_CONTACTS, stack_config, answers) == (
        "pass",
        ("3 accounts, each with its configured primary contact",),
    )


def test_a_primary_contact_that_drifted_names_the_fields_not_their_values():
    stack_config = config(primaryContact=ADDRESS)
    answers = [
        contact_of(AUDIT, {**LIVE_ADDRESS, "City": "Paris", "CompanyName": "Someone Else Ltd"}),
        contact_of(PRODUCTION, "ResourceNotFoundException"),
    ]
    outcome, evidence = run(account_settings.PRIMARY_CONTACTS, stack_config, answers)
    assert (outcome, evidence) == (
        "fail",
        (
            f"audit ({AUDIT}): CompanyName, City differ from the config",
            f"production ({PRODUCTION}): no primary contact",
        ),
    )
    assert "Paris" not in " ".join(evidence)


def region_of(account_id, region, status):
    params = {"RegionName": region, **({"AccountId": account_id} if account_id else {})}
    return ("get_region_opt_status", params, {"RegionName": region, "RegionOptStatus": status})


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (
            ("DISABLED", "DISABLED", "ENABLED", "DISABLED"),
            ("pass", ("4 opt-in region settings, each as configured",)),
        ),
        (
            ("DISABLED", "ENABLED", "ENABLING", "DISABLING"),
            (
                "fail",
                (
                    f"audit ({AUDIT}): il-central-1 is ENABLED, configured disabled",
                    f"production ({PRODUCTION}): eu-south-2 is ENABLING, configured enabled",
                    f"production ({PRODUCTION}): il-central-1 is DISABLING, configured disabled",
                ),
            ),
        ),
    ],
)
def test_opt_in_regions_as_configured(statuses, expected):
    stack_config = config(
        primaryContact=ADDRESS,
        optInRegions={"il-central-1": False},
        managementAccount={"optInRegions": {"il-central-1": False}},
    )
    management, audit, production_spain, production_israel = statuses
    answers = [
        region_of(None, "il-central-1", management),
        region_of(AUDIT, "il-central-1", audit),
        region_of(PRODUCTION, "eu-south-2", production_spain),
        region_of(PRODUCTION, "il-central-1", production_israel),
    ]
    assert run(account_settings.OPT_IN_REGIONS, stack_config, answers) == expected


def test_the_stack_checks_run_for_what_the_config_sets():
    from landing_zone.live.audit import runner

    def ids(stack_config):
        return [check.id for check in runner._settings_checks(stack_config)]

    bare = load_from_mapping(stack_values())
    assert ids(bare) == []
    regions_only = load_from_mapping(
        stack_values(organization_changes={"managementAccount": {"optInRegions": {"il-central-1": False}}})
    )
    assert ids(regions_only) == ["stack.opt-in-regions"]
    assert ids(config(primaryContact=ADDRESS)) == ["stack.primary-contacts", "stack.opt-in-regions"]
