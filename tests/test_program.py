"""The real __main__.py under Pulumi's mocks: what each example stack registers, with options."""

from __future__ import annotations

import re

import pulumi
import pytest

from landing_zone.config import read_stack_file
from landing_zone.plan.mocks import ROOT_ID, MockOrganization
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.resource_types import ACCOUNT
from landing_zone.resource_types import ALTERNATE_CONTACT as CONTACT
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from tests.builders import stack_values
from tests.conftest import PROJECT_DIR, STACKS
from tests.helpers import run_lz, write_stack


def plan_values(values: dict, stack: str = "test") -> PlanResult:
    return run_program(PROJECT_DIR, "landing-zone", stack, values)


@pytest.mark.parametrize("stack", STACKS)
def test_every_configured_account_is_protected_unless_it_is_closed_on_deletion(planned, stack):
    config = read_stack_file(PROJECT_DIR / f"Pulumi.{stack}.yaml")
    accounts = planned[stack].of_type(ACCOUNT)
    assert sorted(a.inputs["name"] for a in accounts) == sorted(
        a["name"] for a in config["landing-zone:accounts"]
    )
    for account in accounts:
        # A disposable account is closed when removed from config: Pulumi must be free to delete it.
        disposable = account.inputs["closeOnDeletion"]
        assert account.protect is not disposable, account.urn
        assert account.retain_on_delete is not disposable, account.urn
        assert account.ignore_changes == ["roleName", "iamUserAccessToBilling", "email", "name"], account.urn


@pytest.mark.parametrize("stack", STACKS)
def test_only_sandboxes_are_closed_on_deletion(planned, stack):
    for account in planned[stack].of_type(ACCOUNT):
        expected = account.inputs["name"].startswith("sandbox-")
        assert account.inputs["closeOnDeletion"] is expected, account.urn


def test_prod_accounts_have_pattern_emails_and_sit_in_their_ous(planned):
    result = planned["prod"]
    ou_ids = {ou.inputs["name"]: ou.id for ou in result.of_type(OU)}
    accounts = {a.inputs["name"]: a.inputs for a in result.of_type(ACCOUNT)}
    assert accounts["production"]["email"] == "aws-acme+production@acme-corp.io"
    assert accounts["production"]["parentId"] == ou_ids["Production"]
    assert accounts["audit"]["parentId"] == ou_ids["Security"]
    assert accounts["production"]["tags"] == {
        "owner": "platform",
        "managed-by": "landing-zone",
        "environment": "production",
    }


def test_nested_ous_hang_from_their_parent_and_top_ous_from_the_root(planned):
    result = planned["prod"]
    units = {ou.inputs["name"]: ou for ou in result.of_type(OU)}
    assert units["Production"].inputs["parentId"] == units["Workloads"].id
    assert units["NonProduction"].inputs["parentId"] == units["Workloads"].id
    assert units["Security"].inputs["parentId"] == result.outputs["rootId"]
    assert re.fullmatch(r"ou-[a-z0-9]{4}-[a-z0-9]{8}", units["Security"].id or "")


@pytest.mark.parametrize("stack", STACKS)
def test_each_account_has_billing_security_and_operations_contacts(planned, stack):
    result = planned[stack]
    contacts: dict[str, set[str]] = {}
    for contact in result.of_type(CONTACT):
        # Without accountId: the management account's own (organization.managementAccount).
        account_id = contact.inputs.get("accountId", "management")
        contacts.setdefault(account_id, set()).add(contact.inputs["alternateContactType"])
        assert contact.inputs["emailAddress"], contact.urn
    for account in result.of_type(ACCOUNT):
        assert contacts.get(account.id) == {"BILLING", "SECURITY", "OPERATIONS"}, account.urn


def test_contacts_default_to_the_notification_list(planned):
    operations = [
        c for c in planned["prod"].of_type(CONTACT) if c.inputs["alternateContactType"] == "OPERATIONS"
    ]
    assert {c.inputs["emailAddress"] for c in operations} == {"aws-notifications@acme-corp.io"}


def test_children_are_parented_to_their_component(planned):
    by_urn = {r.urn: r for r in planned["prod"].resources}
    for resource in planned["prod"].resources:
        if resource.type == ACCOUNT or (resource.type == CONTACT and "accountId" in resource.inputs):
            assert by_urn[resource.parent].type == "landing-zone:member-account:MemberAccount", resource.urn
        elif resource.type == CONTACT:
            assert by_urn[resource.parent].type == (
                "landing-zone:account-settings:ManagementAccountSettings"
            ), resource.urn
        if resource.type == OU:
            assert by_urn[resource.parent].type == (
                "landing-zone:organizational-units:OrganizationalUnits"
            ), resource.urn


def test_stack_outputs_carry_account_ids_by_name(planned):
    outputs = planned["prod"].outputs
    ids = {a.inputs["name"]: a.id for a in planned["prod"].of_type(ACCOUNT)}
    assert outputs["accountIds"] == ids
    assert all(re.fullmatch(r"\d{12}", account_id) for account_id in ids.values())
    assert re.fullmatch(r"o-[a-z0-9]{10}", outputs["organizationId"])


def test_reordering_config_renames_nothing():
    values = stack_values()
    reordered = stack_values(
        organizational_units=list(reversed(values["landing-zone:organizationalUnits"])),
        accounts=list(reversed(values["landing-zone:accounts"])),
    )
    urns = sorted(r.urn for r in plan_values(values).resources)
    assert sorted(r.urn for r in plan_values(reordered).resources) == urns


def test_an_existing_account_is_adopted_by_import_id():
    values = stack_values(
        accounts=[
            {
                "name": "legacy",
                "ou": "Workloads",
                "email": "legacy@acme-corp.io",
                "import": "123456789012",
            }
        ]
    )
    (account,) = plan_values(values).of_type(ACCOUNT)
    assert account.import_id == "123456789012"
    assert account.id == "123456789012"
    assert account.protect and account.retain_on_delete


def test_the_existing_organization_is_looked_up_by_default(planned):
    assert not planned["prod"].of_type("aws:organizations/organization:Organization")


def test_a_created_organization_is_protected_and_enables_configured_policy_types():
    values = stack_values(
        organization_changes={
            "create": True,
            "enabledPolicyTypes": ["SERVICE_CONTROL_POLICY", "TAG_POLICY"],
            "awsServiceAccessPrincipals": ["account.amazonaws.com", "sso.amazonaws.com"],
        }
    )
    result = plan_values(values)
    (organization,) = result.of_type("aws:organizations/organization:Organization")
    assert organization.protect and organization.retain_on_delete
    assert organization.inputs["enabledPolicyTypes"] == ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]
    assert organization.inputs["awsServiceAccessPrincipals"] == ["account.amazonaws.com", "sso.amazonaws.com"]
    assert organization.inputs["featureSet"] == "ALL"
    top = [ou for ou in result.of_type(OU) if "/" not in ou.name]
    assert {ou.inputs["parentId"] for ou in top} == {result.outputs["rootId"]}


def test_an_account_at_the_root_hangs_from_the_root():
    result = plan_values(stack_values(accounts=[{"name": "shared"}]))
    (account,) = result.of_type(ACCOUNT)
    assert account.inputs["parentId"] == result.outputs["rootId"]


def test_a_looked_up_organization_missing_what_the_stack_needs_stops_the_program(capsys, tmp_path, planned):
    assert planned["prod"].diagnostics == []
    # The mock organization enables every policy type the example stacks use, and trusts the usual services.
    values = stack_values(
        organization_changes={
            "awsServiceAccessPrincipals": ["account.amazonaws.com", "sso.amazonaws.com", "ram.amazonaws.com"],
        }
    )
    code, out, err = run_lz(
        capsys, "plan", "--config-file", str(write_stack(tmp_path, values)), "--no-policy"
    )
    assert (code, out) == (1, "")
    assert err == (
        "lz plan: the program stopped: the existing organization lacks what this stack needs; enable it in "
        "AWS Organizations (management account), or set organization.import to manage the organization here:\n"
        "  organization.awsServiceAccessPrincipals: ram.amazonaws.com has no trusted access "
        "(aws organizations enable-aws-service-access --service-principal ram.amazonaws.com)\n"
    )


def test_a_looked_up_organization_without_a_policy_type_the_stack_expects_stops_the_program():
    values = stack_values(
        organization_changes={"enabledPolicyTypes": ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]}
    )
    scp_only = MockOrganization(enabled_policy_types=("SERVICE_CONTROL_POLICY",))
    with pytest.raises(pulumi.RunError) as stopped:
        run_program(PROJECT_DIR, "landing-zone", "test", values, scp_only)
    assert str(stopped.value).endswith(
        "  organization.enabledPolicyTypes: TAG_POLICY is not enabled on the root "
        f"(aws organizations enable-policy-type --root-id {ROOT_ID} --policy-type TAG_POLICY)"
    )
