"""Identity Center under Pulumi's mocks: the resources the example stacks register, and `lz plan`."""

from __future__ import annotations

import json

import pytest

from landing_zone.plan import mocks
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.resource_types import ACCOUNT, PERMISSION_SET
from landing_zone.resource_types import ACCOUNT_ASSIGNMENT as ASSIGNMENT
from landing_zone.resource_types import CUSTOMER_MANAGED_POLICY_ATTACHMENT as CUSTOMER
from landing_zone.resource_types import IDENTITY_STORE_GROUP as GROUP
from landing_zone.resource_types import IDENTITY_STORE_MEMBERSHIP as MEMBERSHIP
from landing_zone.resource_types import IDENTITY_STORE_USER as USER
from landing_zone.resource_types import MANAGED_POLICY_ATTACHMENT as MANAGED
from landing_zone.resource_types import PERMISSION_SET_INLINE_POLICY as INLINE
from landing_zone.resource_types import PERMISSIONS_BOUNDARY_ATTACHMENT as BOUNDARY
from tests.builders import stack_values
from tests.conftest import PROJECT_DIR
from tests.helpers import run_lz

ALL_MEMBERS = ["audit", "log-archive", "production", "staging", "dev", "sandbox-alice", "sandbox-bob"]
# What Pulumi.prod.yaml's nine overlapping rules (33 triples before dedupe) come to.
PROD_ACCESS = {
    *((account, "Platform", "AdministratorAccess") for account in ALL_MEMBERS),
    ("management", "Platform", "AdministratorAccess"),
    ("management", "Platform", "ReadOnlyAccess"),
    ("production", "Platform", "ReadOnlyAccess"),
    ("staging", "Platform", "ReadOnlyAccess"),
    ("dev", "Platform", "ReadOnlyAccess"),
    ("staging", "Developers", "Developer"),
    ("staging", "Developers", "ReadOnlyAccess"),
    ("dev", "Developers", "Developer"),
    ("dev", "Developers", "ReadOnlyAccess"),
    ("production", "Developers", "ReadOnlyAccess"),
    ("sandbox-alice", "Developers", "AdministratorAccess"),
    ("sandbox-bob", "Developers", "AdministratorAccess"),
    ("management", "Finance", "Billing"),
    *((account, "Auditors", "ReadOnlyAccess") for account in ALL_MEMBERS),
}


def triples(result: PlanResult) -> list[tuple[str, str, str]]:
    """Each registered assignment as (account, group, permission set), by looking ids up."""
    accounts = {a.id: a.inputs["name"] for a in result.of_type(ACCOUNT)}
    accounts[result.outputs["managementAccountId"]] = result.outputs["managementAccountName"]
    groups = {group_id: name for name, group_id in result.outputs["ssoGroupIds"].items()}
    sets = {ps.outputs["arn"]: ps.inputs["name"] for ps in result.of_type(PERMISSION_SET)}
    found = []
    for assignment in result.of_type(ASSIGNMENT):
        inputs = assignment.inputs
        triple = (
            accounts[inputs["targetId"]],
            groups[inputs["principalId"]],
            sets[inputs["permissionSetArn"]],
        )
        assert assignment.name == "{}-g-{}-{}".format(*triple), assignment.urn
        assert (inputs["principalType"], inputs["targetType"]) == ("GROUP", "AWS_ACCOUNT"), assignment.urn
        assert inputs["instanceArn"] == mocks.SSO_INSTANCE_ARN, assignment.urn
        found.append(triple)
    return found


def test_prod_assignments_are_the_distinct_triples_of_overlapping_rules(planned):
    found = triples(planned["prod"])
    assert len(found) == len(set(found)) == 27
    assert set(found) == PROD_ACCESS


def test_dev_groups_of_the_external_provider_are_looked_up_not_created(planned):
    result = planned["dev"]
    assert not result.of_type(GROUP) and not result.of_type(USER)
    assert set(triples(result)) == {
        *(
            (account, "aws-lab-admins", ps)
            for account in ("audit", "workload", "sandbox-platform", "lab-management")
            for ps in ("AdministratorAccess", "ReadOnlyAccess")
        ),
        ("lab-management", "aws-lab-finance", "Billing"),
    }
    assert (
        result.outputs["ssoGroupIds"]["aws-lab-admins"]
        == mocks._existing_group(
            {"alternateIdentifier": {"uniqueAttribute": {"attributeValue": "aws-lab-admins"}}}
        )["groupId"]
    )


def test_identity_center_region_and_custom_start_url(planned):
    dev, prod = planned["dev"].outputs, planned["prod"].outputs
    assert (dev["ssoRegion"], dev["ssoStartUrl"]) == ("us-east-1", "https://acme-lab.awsapps.com/start")
    assert (prod["ssoRegion"], prod["ssoStartUrl"]) == (
        "eu-west-1",
        f"https://{mocks.IDENTITY_STORE_ID}.awsapps.com/start",
    )
    # Identity Center lives elsewhere than the dev stack's resources: every call goes there.
    sso = [r for r in planned["dev"].resources if r.type.startswith("aws:ssoadmin/")]
    assert sso and all(r.inputs.get("region") == "us-east-1" for r in sso)
    assert all("region" not in r.inputs for r in planned["prod"].of_type(ASSIGNMENT))


def test_prod_permission_sets_carry_their_policies(planned):
    result = planned["prod"]
    sets = {ps.inputs["name"]: ps for ps in result.of_type(PERMISSION_SET)}
    assert sorted(sets) == ["AdministratorAccess", "Billing", "Developer", "ReadOnlyAccess"]
    developer = sets["Developer"]
    assert developer.inputs == {
        "instanceArn": mocks.SSO_INSTANCE_ARN,
        "name": "Developer",
        "description": "Build and deploy workloads; no IAM users or access keys",
        "sessionDuration": "PT8H",
        "tags": {"owner": "platform", "managed-by": "landing-zone"},
    }
    assert sets["ReadOnlyAccess"].inputs["sessionDuration"] == "PT12H"
    attached = {
        (sets_by_arn, a.inputs["managedPolicyArn"])
        for a in result.of_type(MANAGED)
        for sets_by_arn in [
            next(n for n, ps in sets.items() if ps.outputs["arn"] == a.inputs["permissionSetArn"])
        ]
    }
    assert ("Billing", "arn:aws:iam::aws:policy/job-function/Billing") in attached
    assert ("Developer", "arn:aws:iam::aws:policy/PowerUserAccess") in attached
    (inline,) = result.of_type(INLINE)
    assert inline.name == "Developer-inline"
    assert inline.inputs["permissionSetArn"] == developer.outputs["arn"]
    assert json.loads(inline.inputs["inlinePolicy"])["Statement"][0]["Sid"] == "NoLongLivedCredentials"
    assert result.outputs["permissionSetArns"] == {name: ps.outputs["arn"] for name, ps in sets.items()}


def test_assignments_wait_for_their_permission_sets_policies(planned):
    result = planned["prod"]
    by_arn: dict[str, set[str]] = {}
    for attachment in result.of_type(MANAGED) + result.of_type(INLINE):
        by_arn.setdefault(attachment.inputs["permissionSetArn"], set()).add(attachment.urn)
    for assignment in result.of_type(ASSIGNMENT):
        assert by_arn[assignment.inputs["permissionSetArn"]] <= set(assignment.dependencies), assignment.urn


def test_users_groups_and_memberships(planned):
    result = planned["prod"]
    groups = {g.inputs["displayName"]: g for g in result.of_type(GROUP)}
    users = {u.inputs["userName"]: u for u in result.of_type(USER)}
    assert users["alice@acme-corp.io"].inputs == {
        "identityStoreId": mocks.IDENTITY_STORE_ID,
        "userName": "alice@acme-corp.io",
        "displayName": "Alice Martin",
        "name": {"givenName": "Alice", "familyName": "Martin"},
        "emails": {"value": "alice@acme-corp.io", "primary": True},
    }
    members = {(m.inputs["groupId"], m.inputs["memberId"]): m.name for m in result.of_type(MEMBERSHIP)}
    expected = {
        ("Platform", "alice+admin@acme-corp.io"),
        ("Developers", "alice@acme-corp.io"),
        ("Developers", "bob@acme-corp.io"),
        ("Finance", "carol@acme-corp.io"),
    }
    assert members == {
        (groups[g].outputs["groupId"], users[u].outputs["userId"]): f"{g}-{u}" for g, u in expected
    }


def test_identity_center_children_are_parented_to_the_component(planned):
    by_urn = {r.urn: r for r in planned["prod"].resources}
    for resource in planned["prod"].resources:
        if resource.type.startswith(("aws:ssoadmin/", "aws:identitystore/")):
            assert by_urn[resource.parent].type == "landing-zone:identity-center:IdentityCenter", resource.urn


def small_stack(access, **identity):
    return stack_values(
        identityCenter={
            "permissionSets": [
                {
                    "name": "AdministratorAccess",
                    "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                },
                {
                    "name": "DataEngineer",
                    "customerManagedPolicies": [{"name": "DataLake", "path": "/analytics/"}],
                    "permissionsBoundary": {"customerManagedPolicy": {"name": "Boundary"}},
                },
            ],
            "groups": [{"name": "Platform"}, {"name": "Data"}],
            "access": access,
            **identity,
        }
    )


def test_reordering_rules_and_lists_renames_nothing():
    access = [
        {
            "group": "Platform",
            "permissionSets": ["AdministratorAccess", "DataEngineer"],
            "allMemberAccounts": True,
        },
        {"group": "Data", "permissionSets": ["DataEngineer"], "accounts": ["production", "management"]},
    ]
    reordered = [
        {"group": "Data", "permissionSets": ["DataEngineer"], "accounts": ["management", "production"]},
        {
            "group": "Platform",
            "permissionSets": ["DataEngineer", "AdministratorAccess"],
            "allMemberAccounts": True,
        },
    ]
    first = run_program(PROJECT_DIR, "landing-zone", "test", small_stack(access))
    second = run_program(PROJECT_DIR, "landing-zone", "test", small_stack(reordered))
    assert sorted(r.urn for r in first.resources) == sorted(r.urn for r in second.resources)
    assert len(first.of_type(ASSIGNMENT)) == 6


def test_customer_managed_policies_and_boundaries():
    result = run_program(
        PROJECT_DIR,
        "landing-zone",
        "test",
        small_stack([{"group": "Data", "permissionSets": ["DataEngineer"], "accounts": ["production"]}]),
    )
    (customer,) = result.of_type(CUSTOMER)
    assert customer.name == "DataEngineer-cm-/analytics/DataLake"
    assert customer.inputs["customerManagedPolicyReference"] == {"name": "DataLake", "path": "/analytics/"}
    (boundary,) = result.of_type(BOUNDARY)
    assert boundary.inputs["permissionsBoundary"] == {
        "customerManagedPolicyReference": {"name": "Boundary", "path": "/"}
    }
    (assignment,) = result.of_type(ASSIGNMENT)
    assert {customer.urn, boundary.urn} <= set(assignment.dependencies)


def test_plan_json_shows_permission_sets_and_the_access_matrix(capsys):
    code, out, err = run_lz(capsys, "plan", "--no-policy", "--stack", "prod", "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert {(a["account"], a["group"], a["permissionSet"]) for a in report["access"]} == PROD_ACCESS
    assert len(report["access"]) == 27
    billing = next(ps for ps in report["permissionSets"] if ps["name"] == "Billing")
    assert billing == {
        "name": "Billing",
        "arn": billing["arn"],
        "description": "Billing and cost management (AWS job-function policy)",
        "sessionDuration": "PT8H",
        "managedPolicies": ["arn:aws:iam::aws:policy/job-function/Billing"],
        "customerManagedPolicies": [],
        "inlinePolicy": False,
        "permissionsBoundary": None,
    }
    assert billing["arn"].startswith("arn:aws:sso:::permissionSet/ssoins-")


def test_plan_text_shows_who_can_reach_what(capsys):
    code, out, _ = run_lz(capsys, "plan", "--no-policy", "--stack", "prod")
    assert code == 0
    lines = out.splitlines()
    start = lines.index("Access: group -> account: permission sets")
    assert lines[start + 1 : start + 10] == [
        "  Auditors",
        "    audit          ReadOnlyAccess",
        "    dev            ReadOnlyAccess",
        "    log-archive    ReadOnlyAccess",
        "    production     ReadOnlyAccess",
        "    sandbox-alice  ReadOnlyAccess",
        "    sandbox-bob    ReadOnlyAccess",
        "    staging        ReadOnlyAccess",
        "  Developers",
    ]
    assert "  Finance" in lines and "    management     Billing" in lines
    assert "    management     AdministratorAccess, ReadOnlyAccess" in lines
    assert "  Developer            PT8H   PowerUserAccess, inline policy" in lines


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_plan_outputs_out_writes_the_stack_outputs(capsys, tmp_path, planned, stack):
    path = tmp_path / "outputs.json"
    code, _, err = run_lz(capsys, "plan", "--no-policy", "--stack", stack, "--outputs-out", str(path))
    assert (code, err) == (0, "")
    outputs = json.loads(path.read_text())
    # Marked as the mock runtime's: sso-config --write refuses its made-up ids unless told.
    assert outputs == {**planned[stack].outputs, "lz:mocked": True}
    assert {"accountIds", "managementAccountId", "ssoStartUrl", "ssoRegion", "permissionSetArns"} <= set(
        outputs
    )


def test_plan_json_names_groups_of_an_external_provider(capsys):
    code, out, _ = run_lz(capsys, "plan", "--no-policy", "--stack", "dev", "--format", "json")
    assert code == 0
    access = json.loads(out)["access"]
    assert {"group": "aws-lab-finance", "permissionSet": "Billing", "account": "lab-management"} in access
    assert {entry["group"] for entry in access} == {"aws-lab-admins", "aws-lab-finance"}
    assert len(access) == 9


def test_a_new_organization_s_identity_center_comes_from_config_not_a_lookup():
    # Step 3 of the bootstrap: the instance enabled in the console, its ids copied into config.
    instance = "arn:aws:sso:::instance/ssoins-0123456789abcdef"
    values = small_stack(
        [{"group": "Platform", "permissionSets": ["AdministratorAccess"], "accounts": ["audit"]}],
        **{"import": {"instanceArn": instance, "identityStoreId": "d-0123456789"}},
    )
    values["landing-zone:organization"]["create"] = True
    result = run_program(PROJECT_DIR, "landing-zone", "bootstrap", values)
    assert {ps.inputs["instanceArn"] for ps in result.of_type(PERMISSION_SET)} == {instance}
    assert {g.inputs["identityStoreId"] for g in result.of_type(GROUP)} == {"d-0123456789"}
    assert result.outputs["ssoInstanceArn"] == instance
