"""`lz preflight` against moto: a ready organization, then one prerequisite missing at a time,
each giving exactly its `blocked` line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from landing_zone.cli.preflight import exit_code, line
from landing_zone.config import load_from_mapping
from landing_zone.live.preflight import PreflightOptions, PreflightReport, run_preflight
from landing_zone.live.session import Clients
from tests.preflight.planted import (
    AUDIT_EMAIL,
    MANAGEMENT_ACCOUNT_ID,
    REGION,
    ReadyOrganization,
    plant_ready,
    ready_stack,
)

# Service Quotas' answer for Organizations (moto does not implement ListServiceQuotas), as the
# Service Quotas API reference documents it.
ACCOUNT_QUOTA = {
    "Quotas": [
        {
            "ServiceCode": "organizations",
            "ServiceName": "AWS Organizations",
            "QuotaArn": "arn:aws:servicequotas:us-east-1:123456789012:organizations/L-29A0C5DF",
            "QuotaCode": "L-29A0C5DF",
            "QuotaName": "Default maximum number of accounts",
            "Value": 10.0,
            "Unit": "None",
            "Adjustable": True,
            "GlobalQuota": True,
        }
    ]
}


# The management account's clients per session, made once: moto's reset leaves them usable, and
# making a client is most of a small preflight's time.
_CLIENTS: dict[int, Clients] = {}


def preflight(
    session: boto3.Session,
    values: dict[str, Any],
    quota: dict[str, Any] | None = ACCOUNT_QUOTA,
    previous: dict[str, Any] | None = None,
) -> PreflightReport:
    """Run preflight on the session, Service Quotas answering `quota` (None: moto's refusal);
    `previous`: the stack as deployed (`--previous`)."""
    clients = _CLIENTS.setdefault(id(session), Clients(session))
    options = PreflightOptions(
        stack="test",
        config=load_from_mapping(values),
        home_region=REGION,
        previous=load_from_mapping(previous) if previous is not None else None,
    )
    if quota is None:
        return run_preflight(clients, options)
    with Stubber(clients.client("service-quotas", "us-east-1")) as stub:
        stub.add_response("list_service_quotas", quota, {"ServiceCode": "organizations"})
        return run_preflight(clients, options)


def lines(report: PreflightReport, status: str) -> list[str]:
    return [line(p) for p in report.ordered() if p.status == status]


def test_a_ready_organization_is_all_ready(session):
    planted = plant_ready(session)
    report = preflight(session, ready_stack(planted))
    assert lines(report, "blocked") == []
    assert lines(report, "unknown") == []
    assert exit_code(report, fail_on_unknown=True) == 0
    assert {p.id for p in report.prerequisites} == {
        "organization.expected",
        "organization.all-features",
        "organization.policy-types",
        "organization.trusted-access",
        "identity-center.instance",
        "identity-center.external-groups",
        "imports.accounts",
        "imports.permission-sets",
        "imports.groups",
        "imports.organizational-units",
        "management.password-policy",
        "quota.accounts",
        "quota.policies-per-target",
        "quota.ou-depth",
        "delegated-administrators",
        "member.role",
        "member.password-policy",
    }
    assert lines(report, "ready")[:2] == [
        f"READY   organization.expected  organization {planted.organization_id}: looked up, "
        f"management account {MANAGEMENT_ACCOUNT_ID}",
        f"READY   organization.all-features  organization {planted.organization_id}: feature set ALL",
    ]


Extra = dict[str, str]  # ids a plant made, for the config change and the expected line
Plant = Callable[[boto3.Session, ReadyOrganization], Extra]
Change = Callable[[dict[str, Any], ReadyOrganization, Extra], None]


def _nothing_planted(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    return {}


def _no_change(values: dict[str, Any], planted: ReadyOrganization, extra: Extra) -> None:
    return None


@dataclass(frozen=True)
class Missing:
    """One prerequisite taken away: in AWS (`plant`), in the config (`config`), or both; and
    the one line that says so (`expected`, from the planted ids)."""

    expected: Callable[[ReadyOrganization, Extra], str]
    plant: Plant = _nothing_planted
    config: Change = _no_change


def _org(session: boto3.Session) -> Any:
    return session.client("organizations")


def _set(key: str, value: Callable[[ReadyOrganization, Extra], Any]) -> Change:
    """A config change: `landing-zone:<top>`, then dotted keys into it, set to value(planted, extra)."""
    top, *path = key.split(".")

    def change(values: dict[str, Any], planted: ReadyOrganization, extra: Extra) -> None:
        target = values[f"landing-zone:{top}"]
        for part in path[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = path[-1]
        target[int(last) if last.isdigit() else last] = value(planted, extra)

    return change


def _disable_guardduty_access(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    _org(session).disable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    return {}


def _disable_scps(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    _org(session).disable_policy_type(RootId=planted.root_id, PolicyType="SERVICE_CONTROL_POLICY")
    return {}


def _production_exists(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    status = _org(session).create_account(Email="aws-acme+production@acme-corp.io", AccountName="prod")
    return {"id": status["CreateAccountStatus"]["AccountId"]}


def _workloads_exists(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    unit = _org(session).create_organizational_unit(ParentId=planted.root_id, Name="Workloads")
    return {"ou": unit["OrganizationalUnit"]["Id"]}


def _security_elsewhere(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    """An OU named Security under Legacy: importing its id puts the config's path at odds."""
    org = _org(session)
    legacy = org.create_organizational_unit(ParentId=planted.root_id, Name="Legacy")["OrganizationalUnit"][
        "Id"
    ]
    return {
        "ou": org.create_organizational_unit(ParentId=legacy, Name="Security")["OrganizationalUnit"]["Id"]
    }


def _nine_policies_on_root(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    org = _org(session)
    commands = []
    # Nine, the stack's deny-leaving-organization and FullAWSAccess: one over AWS's ten.
    for index in range(9):
        policy_id = org.create_policy(
            Content='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:X","Resource":"*"}]}',
            Description="",
            Name=f"extra-{index}",
            Type="SERVICE_CONTROL_POLICY",
        )["Policy"]["PolicySummary"]["Id"]
        org.attach_policy(PolicyId=policy_id, TargetId=planted.root_id)
        commands.append(
            f"aws organizations detach-policy --policy-id {policy_id} --target-id {planted.root_id}"
        )
    return {"detach": "; ".join(commands)}


def _guardduty_delegated_to_legacy(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    _org(session).register_delegated_administrator(
        AccountId=planted.legacy_id, ServicePrincipal="guardduty.amazonaws.com"
    )
    return {}


def _group_renamed(values: dict[str, Any], planted: ReadyOrganization, extra: Extra) -> None:
    """The stack names a group the identity provider never provisioned."""
    identity = values["landing-zone:identityCenter"]
    identity["groups"][0]["name"] = identity["access"][0]["group"] = "Admins"


def _permission_set_deleted(session: boto3.Session, planted: ReadyOrganization) -> Extra:
    session.client("sso-admin", region_name=REGION).delete_permission_set(
        InstanceArn=planted.instance_arn, PermissionSetArn=planted.permission_set_arn
    )
    return {}


def _seven_more_accounts(values: dict[str, Any], planted: ReadyOrganization, extra: Extra) -> None:
    values["landing-zone:accounts"] += [{"name": f"sandbox-{i}", "ou": "Workloads"} for i in range(7)]


CASES: dict[str, Missing] = {
    "trusted access": Missing(
        plant=_disable_guardduty_access,
        expected=lambda p, x: (
            "BLOCKED organization.trusted-access  guardduty.amazonaws.com: no trusted access "
            "(needed by delegatedAdministrators (guardduty)); fix: aws organizations enable-aws-service-access "
            "--service-principal guardduty.amazonaws.com"
        ),
    ),
    "policy type": Missing(
        plant=_disable_scps,
        expected=lambda p, x: (
            f"BLOCKED organization.policy-types  SERVICE_CONTROL_POLICY on root {p.root_id}: not "
            "enabled (guardrails attach service control policies); fix: aws organizations enable-policy-type "
            f"--root-id {p.root_id} --policy-type SERVICE_CONTROL_POLICY"
        ),
    ),
    "organization import": Missing(
        config=_set("organization.import", lambda p, x: "o-aaaaaaaaaa"),
        expected=lambda p, x: (
            f"BLOCKED organization.expected  organization {p.organization_id}: organization.import "
            f"is o-aaaaaaaaaa; the management account's organization is {p.organization_id}; fix: set "
            f"organization.import to {p.organization_id}"
        ),
    ),
    "external group": Missing(
        config=_group_renamed,
        expected=lambda p, x: (
            "BLOCKED identity-center.external-groups  group 'Admins': not in the identity store "
            "(the external identity source has not provisioned it); fix: provision 'Admins' from the identity "
            "provider (SCIM), or change identityCenter.groups[0].name"
        ),
    ),
    "imported account": Missing(
        config=_set("accounts.0.import", lambda p, x: "999999999999"),
        expected=lambda p, x: (
            f"BLOCKED imports.accounts  account 'audit': 999999999999 is not in organization "
            f"{p.organization_id}; fix: invite 999999999999 to the organization, or remove accounts[0].import"
        ),
    ),
    "imported account email": Missing(
        config=_set("accounts.0.email", lambda p, x: "audit@acme-corp.io"),
        expected=lambda p, x: (
            f"BLOCKED imports.accounts  account 'audit': {p.audit_id}'s root email is "
            f"{AUDIT_EMAIL}; the stack says audit@acme-corp.io; fix: set accounts[0].email: {AUDIT_EMAIL}"
        ),
    ),
    "created account exists": Missing(
        plant=_production_exists,
        expected=lambda p, x: (
            "BLOCKED imports.accounts  account 'production': root email "
            f"aws-acme+production@acme-corp.io is already account {x['id']} (prod); CreateAccount would fail; "
            f"fix: set accounts[1].import: '{x['id']}'"
        ),
    ),
    "imported OU path": Missing(
        plant=_security_elsewhere,
        config=_set("organizationalUnits.0.import", lambda p, x: x["ou"]),
        expected=lambda p, x: (
            f"BLOCKED imports.organizational-units  OU 'Security': {x['ou']} is at "
            "'Legacy/Security' (another parent replaces the OU); fix: set organizationalUnits[0].path to "
            "'Legacy/Security', or import the OU at 'Security'"
        ),
    ),
    "created OU exists": Missing(
        plant=_workloads_exists,
        expected=lambda p, x: (
            f"BLOCKED imports.organizational-units  OU 'Workloads': already exists as {x['ou']}; "
            f"CreateOrganizationalUnit would fail; fix: set organizationalUnits[1].import: {x['ou']}"
        ),
    ),
    "policies per target": Missing(
        plant=_nine_policies_on_root,
        expected=lambda p, x: (
            f"BLOCKED quota.policies-per-target  the root ({p.root_id}): would have 11 service "
            "control policies (FullAWSAccess, extra-0, extra-1, extra-2, extra-3, extra-4, extra-5, extra-6, "
            "extra-7, extra-8, deny-leaving-organization); AWS "
            f"allows 10, FullAWSAccess included; fix: detach what the stack does not manage ({x['detach']}), or "
            "attach fewer guardrails there"
        ),
    ),
    "delegated administrator": Missing(
        plant=_guardduty_delegated_to_legacy,
        expected=lambda p, x: (
            "BLOCKED delegated-administrators  guardduty.amazonaws.com: already delegated to "
            f"account {p.legacy_id} (legacy); AWS allows 1; fix: aws guardduty disable-organization-admin-account "
            f"--admin-account-id {p.legacy_id} (in each region), or set delegatedAdministrators.account to that "
            "account's name"
        ),
    ),
    "identity center import": Missing(
        config=_set("identityCenter.import.identityStoreId", lambda p, x: "d-0000000000"),
        expected=lambda p, x: (
            "BLOCKED identity-center.instance  Identity Center in eu-west-1: identityCenter.import "
            f"names {p.instance_arn} (d-0000000000); the instance is {p.instance_arn} ({p.identity_store_id}); fix: set "
            f"identityCenter.import.instanceArn to {p.instance_arn} and identityStoreId to {p.identity_store_id}"
        ),
    ),
    "imported permission set": Missing(
        plant=_permission_set_deleted,
        expected=lambda p, x: (
            "BLOCKED imports.permission-sets  permission set 'AdministratorAccess': "
            f"{p.permission_set_arn} does not exist; fix: remove identityCenter.permissionSets[0].import"
        ),
    ),
    "imported group": Missing(
        config=_set("identityCenter.groups.0.import", lambda p, x: "00000000-0000-0000-0000-000000000000"),
        expected=lambda p, x: (
            "BLOCKED imports.groups  group 'Platform': 00000000-0000-0000-0000-000000000000 does "
            "not exist; fix: remove identityCenter.groups[0].import"
        ),
    ),
    "account quota": Missing(
        config=_seven_more_accounts,
        expected=lambda p, x: (
            "BLOCKED quota.accounts  accounts: 11 after the change (3 in the organization, 8 created); the "
            "account quota is 10; fix: aws service-quotas request-service-quota-increase --region us-east-1 --service-code "
            "organizations --quota-code L-29A0C5DF --desired-value 11"
        ),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_missing_prerequisite_is_exactly_one_blocked_line(session, case):
    planted = plant_ready(session)
    extra = case.plant(session, planted)
    values = ready_stack(planted)
    case.config(values, planted, extra)
    report = preflight(session, values)
    assert lines(report, "blocked") == [case.expected(planted, extra)]
    assert lines(report, "unknown") == []
    assert exit_code(report, fail_on_unknown=False) == 1


def test_progress_counts_every_check_and_member_account(session):
    planted = plant_ready(session)
    seen: list[tuple[int, int, str]] = []
    clients = Clients(session)
    options = PreflightOptions(
        stack="test", config=load_from_mapping(ready_stack(planted)), home_region=REGION
    )
    with Stubber(clients.client("service-quotas", "us-east-1")) as stub:
        stub.add_response("list_service_quotas", ACCOUNT_QUOTA, {"ServiceCode": "organizations"})
        run_preflight(clients, options, lambda done, total, label: seen.append((done, total, label)))
    total = seen[0][1]
    assert [done for done, _, _ in seen] == list(range(1, total + 1))
    assert f"account {planted.audit_id} (audit)" in {label for _, _, label in seen}
