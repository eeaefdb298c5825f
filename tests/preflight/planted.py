"""A moto organization with everything a small stack needs for `pulumi up`, and that stack.

`plant_ready` makes the organization; each test then takes one prerequisite away (in AWS or
in the config) and expects exactly one `blocked` line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from tests.builders import stack_values
from tests.live.planted import member_session

REGION = "eu-west-1"
MANAGEMENT_ACCOUNT_ID = "123456789012"  # moto's default account
AUDIT_EMAIL = "aws-acme+audit@acme-corp.io"
PRINCIPALS = ("account.amazonaws.com", "sso.amazonaws.com", "guardduty.amazonaws.com")


@dataclass(frozen=True)
class ReadyOrganization:
    organization_id: str
    root_id: str
    security_ou_id: str
    audit_id: str
    legacy_id: str  # a member the stack leaves alone
    instance_arn: str
    identity_store_id: str
    permission_set_arn: str  # AdministratorAccess
    group_id: str  # Platform


def plant_ready(session: boto3.Session) -> ReadyOrganization:
    org = session.client("organizations")
    organization_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root_id = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    for principal in PRINCIPALS:
        org.enable_aws_service_access(ServicePrincipal=principal)
    security = org.create_organizational_unit(ParentId=root_id, Name="Security")["OrganizationalUnit"]["Id"]
    audit = org.create_account(Email=AUDIT_EMAIL, AccountName="audit")["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=audit, SourceParentId=root_id, DestinationParentId=security)
    legacy = org.create_account(Email="legacy@acme-corp.io", AccountName="legacy")["CreateAccountStatus"][
        "AccountId"
    ]
    sso = session.client("sso-admin", region_name=REGION)
    instance = sso.list_instances()["Instances"][0]
    instance_arn, store_id = instance["InstanceArn"], instance["IdentityStoreId"]
    permission_set = sso.create_permission_set(Name="AdministratorAccess", InstanceArn=instance_arn)
    group = session.client("identitystore", region_name=REGION).create_group(
        IdentityStoreId=store_id, DisplayName="Platform"
    )
    return ReadyOrganization(
        organization_id,
        root_id,
        security,
        audit,
        legacy,
        instance_arn,
        store_id,
        permission_set["PermissionSet"]["PermissionSetArn"],
        group["GroupId"],
    )


def ready_stack(planted: ReadyOrganization) -> dict[str, Any]:
    """The stack the planted organization is ready for: an imported OU and account, a created
    OU and account, a guardrail on the root, Identity Center with an external source (its
    instance, permission set and group imported), the baseline (no analyzers: moto has no
    Access Analyzer) and a delegated administrator."""
    return stack_values(
        organization_changes={"awsServiceAccessPrincipals": list(PRINCIPALS)},
        organizational_units=[{"path": "Security", "import": planted.security_ou_id}, {"path": "Workloads"}],
        accounts=[
            {
                "name": "audit",
                "ou": "Security",
                "import": planted.audit_id,
                "roleName": "OrganizationAccountAccessRole",
            },
            {"name": "production", "ou": "Workloads"},
        ],
        guardrails=[{"guardrail": "deny-leaving-organization", "root": True}],
        identityCenter={
            "identitySource": "external",
            "import": {"instanceArn": planted.instance_arn, "identityStoreId": planted.identity_store_id},
            "permissionSets": [
                {
                    "name": "AdministratorAccess",
                    "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                    "import": {"arn": planted.permission_set_arn},
                }
            ],
            "groups": [{"name": "Platform", "import": planted.group_id}],
            "access": [
                {"group": "Platform", "permissionSets": ["AdministratorAccess"], "accounts": ["audit"]}
            ],
        },
        baseline={"accessAnalyzer": False},
        delegatedAdministrators={"account": "audit", "services": ["guardduty"]},
    )


def member_iam(session: boto3.Session, account_id: str) -> Any:
    """IAM of a member account, through the role Organizations created there."""
    return member_session(session, account_id).client("iam")


def plant_members(session: boto3.Session, count: int) -> dict[str, Any]:
    """An organization of `count` member accounts in one OU, and a stack that imports them all
    and gives each the baseline (with an alias): what the calls per member account are counted on."""
    org = session.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root_id = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    for principal in PRINCIPALS[:2]:
        org.enable_aws_service_access(ServicePrincipal=principal)
    ou_id = org.create_organizational_unit(ParentId=root_id, Name="Workloads")["OrganizationalUnit"]["Id"]
    accounts = []
    for index in range(count):
        name, email = f"acct{index:04d}", f"aws-scale+acct{index:04d}@scale-corp.io"
        account_id = org.create_account(Email=email, AccountName=name)["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account_id, SourceParentId=root_id, DestinationParentId=ou_id)
        accounts.append(
            {
                "name": name,
                "ou": "Workloads",
                "email": email,
                "import": account_id,
                "roleName": "OrganizationAccountAccessRole",
            }
        )
    return stack_values(
        organization_changes={"awsServiceAccessPrincipals": list(PRINCIPALS[:2])},
        organizational_units=[{"path": "Workloads", "import": ou_id}],
        accounts=accounts,
        guardrails=[{"guardrail": "deny-leaving-organization", "root": True}],
        baseline={"accessAnalyzer": False, "accountAlias": "scale-corp-{account}"},
    )
