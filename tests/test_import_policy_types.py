"""`lz import` adopts organization policies of every type: a moto organization holding the prod
stack's policies of the types moto implements (service and resource control, tag, AI opt-out)
is written back as the same entries, each policy and attachment with its import id, and the
program registers them with those ids; types moto lacks come from a hand-made live state."""

from __future__ import annotations

import json

import boto3
import pytest
import yaml
from moto import mock_aws

from landing_zone.config import load_from_mapping, read_stack_file
from landing_zone.guardrails import catalog, minify
from landing_zone.live.importer import ImportOptions, ImportProblem, build_stack, read_live_state
from landing_zone.live.organization import LivePolicy
from landing_zone.live.session import Clients
from landing_zone.plan.mocks import ORGANIZATION_ID as MOCK_ORGANIZATION_ID
from landing_zone.resource_types import POLICY, POLICY_ATTACHMENT
from tests.helpers import PROJECT_DIR
from tests.live.conftest import FAKE_ENV
from tests.live.test_import_sections import DEV, ROOT, state
from tests.test_program import plan_values

# The policy types moto 5.2's organizations backend creates (FakePolicy.SUPPORTED_POLICY_TYPES,
# minus BACKUP_POLICY, which it lists but refuses with NotImplementedError).
MOTO_TYPES = ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY", "TAG_POLICY", "AISERVICES_OPT_OUT_POLICY")
PROD = load_from_mapping(read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml"))


@pytest.fixture
def organization(monkeypatch):
    """A moto organization with prod's OUs and its policies of MOTO_TYPES, attached as prod says."""
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    for key, value in FAKE_ENV.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        org = session.client("organizations")
        org_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
        root_id = org.list_roots()["Roots"][0]["Id"]
        for policy_type in MOTO_TYPES:
            org.enable_policy_type(RootId=root_id, PolicyType=policy_type)
        ou_ids: dict[str, str] = {}
        for ou in PROD.organizational_units:
            parent = ou_ids[ou.parent_path] if ou.parent_path else root_id
            ou_ids[ou.path] = org.create_organizational_unit(ParentId=parent, Name=ou.path.split("/")[-1])[
                "OrganizationalUnit"
            ]["Id"]
        planted: dict[str, tuple[str, list[str]]] = {}  # policy name -> (id, target ids)
        for entry in PROD.guardrails:
            if entry.policy_type not in MOTO_TYPES:
                continue
            policy_id = org.create_policy(
                Name=entry.policy_name,
                Description=entry.policy_description or "",
                Type=entry.policy_type,
                Content=entry.rendered(org_id),
            )["Policy"]["PolicySummary"]["Id"]
            targets = ([root_id] if entry.root else []) + [
                ou_ids[path] for path in entry.organizational_units
            ]
            for target in targets:
                org.attach_policy(PolicyId=policy_id, TargetId=target)
            planted[entry.policy_name] = (policy_id, targets)
        yield session, org_id, root_id, planted


def test_a_moto_organization_s_policies_of_every_type_are_adopted_back_with_import_ids(organization):
    session, org_id, root_id, planted = organization
    assert {entry.policy_type for entry in PROD.guardrails if entry.policy_name in planted} == set(MOTO_TYPES)
    stack = build_stack(
        read_live_state(Clients(session)), ImportOptions(region="eu-west-1"), "landing-zone", "live"
    )
    assert yaml.safe_load(stack.text)["config"] == stack.values  # what is written is what validated
    written = {
        entry.get("name") or entry["guardrail"]: entry for entry in stack.values["landing-zone:guardrails"]
    }
    assert {name: (e["import"]["policy"], e["import"]["attachments"]) for name, e in written.items()} == {
        name: (policy_id, targets) for name, (policy_id, targets) in planted.items()
    }
    prod = {entry.policy_name: entry for entry in PROD.guardrails}
    for name, entry in written.items():
        # Catalog guardrails without parameters come back as themselves (the data perimeter with
        # the organization's own id), the others as documents of the same text and type.
        source = prod[name]
        if source.guardrail is not None and not catalog()[source.guardrail].required_parameters:
            assert entry.get("guardrail") == source.guardrail, name
        else:
            assert minify(json.loads(entry["document"])) == source.rendered(org_id), name
            assert entry.get("type", "SERVICE_CONTROL_POLICY") == source.policy_type, name
    assert "parameters" not in written["deny-access-from-outside-organization"]
    # The policies' types are expected enabled on the looked-up organization.
    assert stack.values["landing-zone:organization"]["enabledPolicyTypes"] == [
        "SERVICE_CONTROL_POLICY",
        "RESOURCE_CONTROL_POLICY",
        "TAG_POLICY",
        "AISERVICES_OPT_OUT_POLICY",
    ]

    result = plan_values(stack.values)
    ou_paths = {ou.import_id: ou.path for ou in load_from_mapping(stack.values).organizational_units}
    registered = {r.name: r.import_id for r in result.resources if r.type in (POLICY, POLICY_ATTACHMENT)}
    expected = {name: policy_id for name, (policy_id, _) in planted.items()}
    for name, (policy_id, targets) in planted.items():
        for target in targets:
            key = "root" if target == root_id else f"ou-{ou_paths[target]}"
            expected[f"{name}-{key}"] = f"{target}:{policy_id}"
    assert registered == expected
    perimeter = next(
        r for r in result.resources if r.type == POLICY and r.name == "deny-access-from-outside-organization"
    )
    # Filled from the looked-up organization: under mocks the mock's id (live, the o-... it held).
    condition = json.loads(perimeter.inputs["content"])["Statement"][0]["Condition"]
    assert condition["StringNotEqualsIfExists"] == {"aws:PrincipalOrgID": MOCK_ORGANIZATION_ID}


def test_policies_of_types_moto_lacks_are_written_with_their_type_and_unsupported_types_are_reported():
    backup = {"plans": {"nightly": {"regions": {"@@assign": ["eu-west-1"]}}}}
    declarative = catalog()["block-public-images-and-require-imdsv2"]
    policies = [
        LivePolicy("p-backup0000", "nightly", "BACKUP_POLICY", False, (ROOT,), "", json.dumps(backup)),
        LivePolicy("p-ec2000000", "block-public-images-and-require-imdsv2", "DECLARATIVE_POLICY_EC2", False,
                   (DEV,), declarative.description, minify(declarative.render({}))),
        LivePolicy("p-guard00000", "guardduty-everywhere", "GUARDDUTY_POLICY", False, (ROOT,), "", "{}"),
        LivePolicy("p-rcpfull000", "RCPFullAWSAccess", "RESOURCE_CONTROL_POLICY", True, (ROOT, DEV)),
    ]  # fmt: skip
    live = state(policies)
    live = type(live)(
        type(live.organization)(
            **{**live.organization.__dict__, "enabled_policy_types": ("BACKUP_POLICY", "DECLARATIVE_POLICY_EC2",
                                                                      "GUARDDUTY_POLICY", "SERVICE_CONTROL_POLICY")}
        ),
        None, {}, {},
    )  # fmt: skip
    stack = build_stack(live, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert stack.values["landing-zone:guardrails"] == [
        {"name": "nightly", "type": "BACKUP_POLICY", "document": json.dumps(backup, indent=2) + "\n",
         "root": True, "import": {"policy": "p-backup0000", "attachments": [ROOT]}},
        {"guardrail": "block-public-images-and-require-imdsv2", "accounts": ["dev"],
         "import": {"policy": "p-ec2000000", "attachments": [DEV]}},
    ]  # fmt: skip
    assert stack.values["landing-zone:organization"]["enabledPolicyTypes"] == [
        "SERVICE_CONTROL_POLICY",
        "DECLARATIVE_POLICY_EC2",
        "BACKUP_POLICY",
    ]
    assert (
        "not imported: guardduty-everywhere (p-guard00000) is a GUARDDUTY_POLICY, which pulumi-aws cannot "
        "manage yet; it stays as it is"
    ) in stack.text


def test_managing_an_organization_with_a_type_pulumi_aws_cannot_name_is_refused():
    live = state([])
    live = type(live)(
        type(live.organization)(
            **{**live.organization.__dict__, "enabled_policy_types": ("GUARDDUTY_POLICY", "SERVICE_CONTROL_POLICY")}
        ),
        None, {}, {},
    )  # fmt: skip
    with pytest.raises(ImportProblem) as refused:
        build_stack(live, ImportOptions(region="eu-west-1", manage_organization=True), "landing-zone", "live")
    assert str(refused.value) == (
        "--manage-organization: the root enables GUARDDUTY_POLICY, which pulumi-aws cannot list in "
        "enabledPolicyTypes; managing the organization would disable it and detach its policies: import "
        "without --manage-organization"
    )


def test_two_live_policies_of_one_name_keep_the_first_and_name_the_other():
    document = json.dumps({"tags": {"team": {"tag_key": {"@@assign": "Team"}}}})
    scp = minify(catalog()["deny-root-user"].render({}))
    policies = [
        LivePolicy("p-scp0000000", "guard", "SERVICE_CONTROL_POLICY", False, (ROOT,), "", scp),
        LivePolicy("p-tag0000000", "guard", "TAG_POLICY", False, (ROOT,), "", document),
    ]
    live = state(policies)
    live = type(live)(
        type(live.organization)(
            **{**live.organization.__dict__, "enabled_policy_types": ("SERVICE_CONTROL_POLICY", "TAG_POLICY")}
        ),
        None, {}, {},
    )  # fmt: skip
    stack = build_stack(live, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert [(e["name"], e["import"]["policy"]) for e in stack.values["landing-zone:guardrails"]] == [
        ("guard", "p-scp0000000")
    ]
    assert (
        "not imported: guard (p-tag0000000, a TAG_POLICY) has the name of p-scp0000000 (a SERVICE_CONTROL_POLICY); "
        "the config names policies uniquely: rename one in AWS and import again"
    ) in stack.text


def test_the_ou_that_alone_carries_deny_all_suspended_is_adopted_as_the_suspended_ou(organization):
    session, _, root_id, _ = organization
    org = session.client("organizations")
    suspended_ou = next(
        ou["Id"]
        for ou in org.list_organizational_units_for_parent(ParentId=root_id)["OrganizationalUnits"]
        if ou["Name"] == "Suspended"
    )
    status = org.create_account(Email="aws-acme+old-project@acme-corp.io", AccountName="old-project")
    account_id = status["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=account_id, SourceParentId=root_id, DestinationParentId=suspended_ou)
    stack = build_stack(
        read_live_state(Clients(session)), ImportOptions(region="eu-west-1"), "landing-zone", "live"
    )
    # Validated as written: the account is suspended in the suspended OU, not active in a deny-all.
    assert stack.values["landing-zone:organization"]["suspendedOu"] == "Suspended"
    accounts = {a["name"]: a for a in stack.values["landing-zone:accounts"]}
    assert accounts["old-project"] == {
        "name": "old-project",
        "ou": "Suspended",
        "email": "aws-acme+old-project@acme-corp.io",
        "import": account_id,
        "state": "suspended",
    }
    assert "state" not in {key for name, a in accounts.items() if name != "old-project" for key in a}
    assert (
        "# organization.suspendedOu is Suspended, the OU deny-all-suspended is attached to; its accounts are suspended: old-project"
        in stack.text
    )
