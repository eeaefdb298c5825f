"""`lz audit`'s organization policy checks against a moto organization: the root's enabled
types and attachments, the types the config uses, and each OU's SCP and RCP coverage, with the
exact evidence both ways."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from landing_zone.config import load_from_mapping
from landing_zone.live.audit import policies
from landing_zone.live.organization import read_organization
from landing_zone.live.session import Clients
from tests.builders import POLICY_DOCUMENTS, stack_values
from tests.live.conftest import FAKE_ENV

SCP, RCP = "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"
OUS = [{"path": "Workloads"}, {"path": "Sandbox"}]


@pytest.fixture
def organization(monkeypatch):
    """Root: FullAWSAccess and `deny-leave` (SCP), RCPFullAWSAccess. Workloads: `perimeter` and
    RCPFullAWSAccess (RCP). Sandbox: `stray` (SCP), in no config. SCPs and RCPs enabled."""
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    for key, value in FAKE_ENV.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        org = session.client("organizations")
        org.create_organization(FeatureSet="ALL")
        root_id = org.list_roots()["Roots"][0]["Id"]
        for policy_type in (SCP, RCP):
            org.enable_policy_type(RootId=root_id, PolicyType=policy_type)
        ou = {
            path: org.create_organizational_unit(ParentId=root_id, Name=path)["OrganizationalUnit"]["Id"]
            for path in ("Workloads", "Sandbox")
        }

        def plant(name: str, policy_type: str, target: str) -> None:
            grammar = "iam" if policy_type == SCP else "rcp"
            policy_id = org.create_policy(
                Name=name, Description="", Type=policy_type, Content=json.dumps(POLICY_DOCUMENTS[grammar])
            )["Policy"]["PolicySummary"]["Id"]
            org.attach_policy(PolicyId=policy_id, TargetId=target)

        plant("deny-leave", SCP, root_id)
        plant("perimeter", RCP, ou["Workloads"])
        plant("stray", SCP, ou["Sandbox"])
        rcp_full = next(
            p for p in org.list_policies(Filter=RCP)["Policies"] if p["Name"] == "RCPFullAWSAccess"
        )
        org.attach_policy(PolicyId=rcp_full["Id"], TargetId=ou["Workloads"])
        clients = Clients(session)
        yield clients, root_id, read_organization(clients, with_tags=False, with_policies=False)


def config_of(guardrails, enabled=(SCP, RCP)):
    return load_from_mapping(
        stack_values(
            organization_changes={"enabledPolicyTypes": list(enabled)},
            organizational_units=OUS,
            accounts=[],
            guardrails=guardrails,
        )
    )


def custom(name, policy_type=SCP, **targets):
    grammar = "iam" if policy_type == SCP else ("rcp" if policy_type == RCP else policy_type)
    return {"name": name, "type": policy_type, "document": json.dumps(POLICY_DOCUMENTS[grammar]), **targets}


AS_PLANTED = [
    custom("deny-leave", root=True),
    custom("perimeter", RCP, organizationalUnits=["Workloads"]),
    custom("stray", organizationalUnits=["Sandbox"]),
]


def test_the_root_s_enabled_types_and_attachments_are_reported(organization):
    clients, root_id, _ = organization
    finding = policies.root_policies(clients)
    assert finding.outcome == "pass"
    assert finding.evidence == (
        f"root {root_id}: SERVICE_CONTROL_POLICY enabled; attached to the root: FullAWSAccess, deny-leave",
        f"root {root_id}: RESOURCE_CONTROL_POLICY enabled; attached to the root: RCPFullAWSAccess",
    )


def test_coverage_as_configured_passes(organization):
    clients, _, live = organization
    finding = policies.coverage(clients, config_of(AS_PLANTED), live)
    assert (finding.outcome, finding.evidence) == (
        "pass",
        (
            "the root and 2 configured OUs carry exactly the configured service control policies and resource control policies",
        ),
    )
    used = policies.used_types_enabled(clients, config_of(AS_PLANTED), live)
    assert used.outcome == "pass"


def test_coverage_names_what_is_missing_and_what_is_extra_per_target_and_type(organization):
    clients, _, live = organization
    config = config_of(
        [
            custom("deny-leave", root=True),
            custom("perimeter", RCP, organizationalUnits=["Sandbox"]),  # attached to Workloads instead
            custom("deny-leave-sandbox", organizationalUnits=["Sandbox"]),
        ]
    )
    finding = policies.coverage(clients, config, live)
    assert (finding.outcome, finding.evidence) == (
        "fail",
        (
            "OU Sandbox: service control policies configured but not attached: deny-leave-sandbox",
            "OU Sandbox: service control policies attached but not configured: stray",
            "OU Workloads: resource control policies attached but not configured: perimeter",
            "OU Sandbox: resource control policies configured but not attached: perimeter",
        ),
    )


def test_a_type_the_config_uses_and_the_root_does_not_enable_fails(organization):
    clients, root_id, live = organization
    tags = {"name": "tags", "type": "TAG_POLICY", "root": True,
            "document": json.dumps(POLICY_DOCUMENTS["TAG_POLICY"])}  # fmt: skip
    finding = policies.used_types_enabled(
        clients, config_of([*AS_PLANTED, tags], (SCP, RCP, "TAG_POLICY")), live
    )
    assert (finding.outcome, finding.evidence) == (
        "fail",
        (
            f"TAG_POLICY is used by the config and not enabled on root {root_id} "
            f"(aws organizations enable-policy-type --root-id {root_id} --policy-type TAG_POLICY)",
        ),
    )
