"""Preflight checks that moto cannot exercise, against botocore's Stubber with AWS's
documented answers: no Identity Center instance (moto has one in every region), a member
role that is refused (moto lets any role be assumed), account analyzers (moto has no Access
Analyzer) and anomaly monitors (no Cost Anomaly Detection in moto)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from landing_zone.cli.preflight import line
from landing_zone.config import load_from_mapping
from landing_zone.live.organization import LiveAccount, LiveOrganization
from landing_zone.live.preflight import costs, delegation, identity_center, members, quotas
from landing_zone.live.preflight.model import Preflight
from landing_zone.live.session import Clients
from tests.builders import stack_values

REGION = "eu-west-1"
MANAGEMENT = "111111111111"
AUDIT = "222222222222"
MONITOR_ARN = "arn:aws:ce::111111111111:anomalymonitor/0b2f7c3e-2a4d-4bd4-9d7e-4a7f1f0f1a11"
SERVICES = {
    "MonitorArn": MONITOR_ARN,
    "MonitorName": "Default-Services-Monitor",
    "MonitorType": "DIMENSIONAL",
    "MonitorDimension": "SERVICE",
}
LINKED = {
    "MonitorArn": MONITOR_ARN.replace("0b2f", "9c1d"),
    "MonitorName": "accounts",
    "MonitorType": "DIMENSIONAL",
    "MonitorDimension": "LINKED_ACCOUNT",
}
LIVE = LiveOrganization(
    id="o-abcdefghij",
    feature_set="ALL",
    management_account_id=MANAGEMENT,
    management_email="aws-acme+management@acme-corp.io",
    root_id="r-ab12",
    enabled_policy_types=("SERVICE_CONTROL_POLICY",),
    service_access_principals=("account.amazonaws.com", "sso.amazonaws.com"),
    organizational_units=(),
    accounts=(LiveAccount(AUDIT, "audit", "aws-acme+audit@acme-corp.io", "ACTIVE", "r-ab12", None),),
    policies=(),
)


# One session: it loads each service's model once (most of a test's time otherwise).
SESSION = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name=REGION)


def clients() -> Clients:
    """Fresh clients (a Stubber stays on its client) from the shared session."""
    return Clients(SESSION)


def preflight_of(stubbed: Clients, **keys: Any) -> Preflight:
    values = stack_values(
        organizational_units=[],
        accounts=[{"name": "audit", "import": AUDIT, "roleName": "OrganizationAccountAccessRole"}],
        **keys,
    )
    return Preflight(stubbed, load_from_mapping(values), REGION, LIVE)


IDENTITY = {
    "permissionSets": [{"name": "ReadOnly", "managedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}],
}


def test_no_identity_center_instance_is_blocked():
    stubbed = clients()
    with Stubber(stubbed.client("sso-admin", REGION)) as sso:
        sso.add_response("list_instances", {"Instances": []})
        results = identity_center.instance(preflight_of(stubbed, identityCenter=IDENTITY))
    assert [line(r) for r in results] == [
        "BLOCKED identity-center.instance  Identity Center in eu-west-1: no instance (identityCenter needs the "
        "organization's instance); fix: enable IAM Identity Center in the management account's console in "
        "eu-west-1 (no API enables an organization instance), or set identityCenter.region to the instance's "
        "region"
    ]


def test_a_refused_member_role_is_blocked():
    stubbed = clients()
    preflight = preflight_of(stubbed, baseline={"accessAnalyzer": False})
    (member,) = members.members(preflight)
    message = (
        f"User: arn:aws:sts::{MANAGEMENT}:assumed-role/Admin/me is not authorized to perform: sts:AssumeRole"
    )
    with Stubber(stubbed.client("sts")) as sts:
        sts.add_client_error("assume_role", "AccessDenied", message, 403)
        results = members.member_task(preflight, member)()
    assert [line(r) for r in results] == [
        f"BLOCKED member.role  account 'audit' ({AUDIT}): cannot assume OrganizationAccountAccessRole: "
        f"AssumeRole: AccessDenied: {message}; fix: create role OrganizationAccountAccessRole in {AUDIT} trusting "
        f"the management account {MANAGEMENT}, set accounts[0].roleName to a role that does, or add audit to "
        "baseline.excludeAccounts (or, if the role is there, let these credentials call sts:AssumeRole on it, "
        "as pulumi up's will)"
    ]


def analyzer(name: str) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:access-analyzer:{REGION}:{AUDIT}:analyzer/{name}",
        "name": name,
        "type": "ACCOUNT",
        "createdAt": "2024-01-01T00:00:00Z",
        "status": "ACTIVE",
    }


@pytest.mark.parametrize(
    ("baseline", "live", "expected"),
    [
        ({}, [], []),
        (
            {},
            [analyzer("ConsoleAnalyzer-1a2b")],
            [
                f"BLOCKED member.analyzers  account 'audit' ({AUDIT}): account analyzer 'ConsoleAnalyzer-1a2b' "
                "exists in eu-west-1; AWS allows one per account and region; fix: add {account: audit, region: "
                "eu-west-1, name: ConsoleAnalyzer-1a2b} to baseline.importAnalyzers"
            ],
        ),
        (
            {"importAnalyzers": [{"account": "audit", "name": "ConsoleAnalyzer-1a2b"}]},
            [analyzer("ConsoleAnalyzer-1a2b")],
            [],
        ),
        (
            {"importAnalyzers": [{"account": "audit", "name": "Gone"}]},
            [],
            [
                f"BLOCKED member.analyzers  account 'audit' ({AUDIT}): baseline.importAnalyzers names 'Gone' in "
                "eu-west-1, which does not exist; fix: remove that entry from baseline.importAnalyzers"
            ],
        ),
    ],
    ids=["none", "one in the way", "adopted", "adopted but gone"],
)
def test_account_analyzers(baseline, live, expected):
    stubbed = clients()
    preflight = preflight_of(stubbed, baseline=baseline)
    (member,) = members.members(preflight)
    with Stubber(stubbed.client("accessanalyzer", REGION)) as access_analyzer:
        access_analyzer.add_response("list_analyzers", {"analyzers": live}, {"type": "ACCOUNT"})
        results = members.analyzers(preflight, member, stubbed)
    assert [line(r) for r in results] == expected


KEY = "budgets.anomalyDetection.monitorArn"


@pytest.mark.parametrize(
    ("monitor_arn", "monitors", "expected"),
    [
        (
            None,
            [SERVICES],
            f"READY   costs.anomaly-monitor  AWS services monitor: 'Default-Services-Monitor' exists; the stack "
            f"creates 'acme-cost-anomalies-accounts' beside it; to be notified by the services monitor instead, "
            f"set {KEY}: {MONITOR_ARN}",
        ),
        (
            None,
            [],
            "READY   costs.anomaly-monitor  member-accounts monitor: the stack creates 'acme-cost-anomalies-accounts'",
        ),
        (
            None,
            [SERVICES, LINKED],
            "BLOCKED costs.anomaly-monitor  member-accounts monitor: the account already has a LINKED_ACCOUNT "
            f"monitor 'accounts'; AWS allows one per dimension; fix: set {KEY}: {LINKED['MonitorArn']}",
        ),
        (
            MONITOR_ARN,
            [SERVICES],
            f"READY   costs.anomaly-monitor  {KEY}: {MONITOR_ARN} exists; the stack subscribes to it",
        ),
        (
            LINKED["MonitorArn"],
            [SERVICES],
            f"BLOCKED costs.anomaly-monitor  {KEY}: {LINKED['MonitorArn']} does not exist; fix: set {KEY} to "
            f"{MONITOR_ARN}",
        ),
    ],
    ids=["services monitor", "none", "member-accounts monitor exists", "subscribed", "subscribed but gone"],
)
def test_anomaly_monitor(monitor_arn, monitors, expected):
    stubbed = clients()
    anomaly: dict[str, Any] = {"threshold": 100}
    if monitor_arn:
        anomaly["monitorArn"] = monitor_arn
    preflight = preflight_of(stubbed, budgets={"anomalyDetection": anomaly})
    with Stubber(stubbed.client("ce", "us-east-1")) as ce:
        ce.add_response("get_anomaly_monitors", {"AnomalyMonitors": monitors})
        results = costs.anomaly_monitor(preflight)
    assert [line(r) for r in results] == [expected]


def test_a_refused_read_in_a_member_is_unknown_and_the_others_still_run(monkeypatch):
    stubbed, member_clients = clients(), clients()
    preflight = preflight_of(
        stubbed, baseline={"accessAnalyzer": False, "accountAlias": "acme-corp-{account}"}
    )
    (member,) = members.members(preflight)
    monkeypatch.setattr(Clients, "for_account", lambda self, account_id, role_name: member_clients)
    with Stubber(member_clients.client("iam")) as iam:
        iam.add_client_error("get_account_password_policy", "AccessDenied", "not authorized", 403)
        iam.add_response(
            "list_account_aliases", {"AccountAliases": ["acme-corp-audit"], "IsTruncated": False}
        )
        results = members.member_task(preflight, member)()
    assert [line(r) for r in results] == [
        f"UNKNOWN member.password-policy  account 'audit' ({AUDIT}): cannot tell: GetAccountPasswordPolicy: "
        "AccessDenied: not authorized"
    ]


ADMIN = "333333333333"


def delegated(services: dict[str, list[str]]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Organizations' answers: the administrators, then each one's services (principal -> ids)."""
    admins = sorted({a for ids in services.values() for a in ids})
    calls = [
        (
            "list_delegated_administrators",
            {"DelegatedAdministrators": [{"Id": a, "Name": a} for a in admins]},
            {},
        )
    ]
    calls += [
        (
            "list_delegated_services_for_account",
            {"DelegatedServices": [{"ServicePrincipal": p} for p, ids in services.items() if a in ids]},
            {"AccountId": a},
        )
        for a in admins
    ]
    return calls


@pytest.mark.parametrize(
    ("service", "registered", "expected"),
    [
        (
            "securityhub",
            {},
            "READY   delegated-administrators  securityhub.amazonaws.com: not delegated yet (audit)",
        ),
        (
            "securityhub",
            {"securityhub.amazonaws.com": [AUDIT]},
            "READY   delegated-administrators  securityhub.amazonaws.com: registered (audit)",
        ),
        (
            "securityhub",
            {"securityhub.amazonaws.com": [ADMIN]},
            "BLOCKED delegated-administrators  securityhub.amazonaws.com: already delegated to account "
            f"{ADMIN} (not in the organization); AWS allows 1; fix: aws securityhub "
            f"disable-organization-admin-account --admin-account-id {ADMIN} (in each region), or set "
            "delegatedAdministrators.account to that account's name",
        ),
        (
            "config",
            {"config.amazonaws.com": [ADMIN]},
            f"READY   delegated-administrators  config.amazonaws.com: also delegated to {ADMIN}; AWS allows 3",
        ),
        (
            "access-analyzer",
            {"access-analyzer.amazonaws.com": [ADMIN]},
            "BLOCKED delegated-administrators  access-analyzer.amazonaws.com: already delegated to account "
            f"{ADMIN} (not in the organization); AWS allows 1; fix: aws organizations "
            f"deregister-delegated-administrator --account-id {ADMIN} --service-principal "
            "access-analyzer.amazonaws.com, or set delegatedAdministrators.account to that account's name",
        ),
    ],
    ids=["none", "ours", "another", "config takes three", "organizations deregisters"],
)
def test_delegated_administrators(service, registered, expected):
    stubbed = clients()
    principal = f"{service}.amazonaws.com"
    preflight = preflight_of(
        stubbed,
        organization_changes={"awsServiceAccessPrincipals": ["account.amazonaws.com", principal]},
        delegatedAdministrators={"account": "audit", "services": [service]},
    )
    with Stubber(stubbed.client("organizations")) as organizations:
        for operation, answer, parameters in delegated(registered):
            organizations.add_response(operation, answer, parameters)
        results = delegation.delegated_administrators(preflight)
    assert [line(r) for r in results] == [expected]


def test_an_account_quota_service_quotas_does_not_list_is_unknown():
    stubbed = clients()
    with Stubber(stubbed.client("service-quotas", "us-east-1")) as quotas_client:
        quotas_client.add_response("list_service_quotas", {"Quotas": []}, {"ServiceCode": "organizations"})
        results = quotas.account_quota(preflight_of(stubbed))
    assert [line(r) for r in results] == [
        "UNKNOWN quota.accounts  accounts: 1 after the change (1 in the organization, 0 created); Service "
        "Quotas lists no 'Default maximum number of accounts'"
    ]
