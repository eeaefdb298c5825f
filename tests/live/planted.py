"""A planted organization in moto, with known problems, for `lz audit` and `lz import` tests.

Planted problems (each must show up under exactly one check id):
- the member `production` has no SECURITY alternate contact;
- the management account has an IAM user `deploy` with an active access key;
- the management account runs an EC2 instance in eu-west-1;
- the member `shadow-it` is not in the stack config (`audit_stack_values`).
Everything else is set up the way the landing zone wants it, so nothing else fails.

For `lz import` it also holds what the importer writes: a custom SCP on the root, the catalog's
deny-root-access-keys on an OU and an account, Identity Center permission sets (one with a
managed and an inline policy), groups, a user with a membership, group assignments and one
assignment to a user (which is not imported).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import boto3

from landing_zone.guardrails import catalog, minify
from tests.builders import stack_values

REGION = "eu-west-1"
MANAGEMENT_ACCOUNT_ID = "123456789012"  # moto's default account
DENY_LEAVE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyLeaveOrganization",
            "Effect": "Deny",
            "Action": "organizations:LeaveOrganization",
            "Resource": "*",
        }
    ],
}
OU_PATHS = ("Security", "Workloads", "Workloads/Production", "Sandbox")
# name -> (OU path or None for the root, email)
ACCOUNTS = {
    "audit": ("Security", "aws-acme+audit@acme-corp.io"),
    "production": ("Workloads/Production", "aws-acme+production@acme-corp.io"),
    "sandbox-alice": ("Sandbox", "aws-acme+sandbox-alice@acme-corp.io"),
    "legacy": (None, "legacy-root@acme-corp.io"),
    "shadow-it": ("Workloads", "aws-acme+shadow-it@acme-corp.io"),
}
MISSING_SECURITY_CONTACT = "production"
CONTACT_TYPES = ("BILLING", "OPERATIONS", "SECURITY")
READ_ONLY_INLINE = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "DenyBilling", "Effect": "Deny", "Action": "aws-portal:*", "Resource": "*"}],
}
AMI_ID = "ami-12c6146b"  # one of moto's built-in images (listing them all takes seconds)


@dataclass(frozen=True)
class PlantedOrganization:
    organization_id: str
    root_id: str
    ou_ids: dict[str, str]
    account_ids: dict[str, str]
    instance_id: str
    access_key_id: str
    policy_ids: dict[str, str]
    instance_arn: str
    identity_store_id: str
    permission_set_arns: dict[str, str]
    group_ids: dict[str, str]
    user_ids: dict[str, str]
    membership_ids: dict[str, str]  # by "<group>/<user>"


def member_session(session: boto3.Session, account_id: str) -> boto3.Session:
    credentials = session.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="planting"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


def good_password_policy(iam) -> None:
    iam.update_account_password_policy(MinimumPasswordLength=14, PasswordReusePrevention=24)


def plant(session: boto3.Session) -> PlantedOrganization:
    org = session.client("organizations")
    organization_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root_id = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")
    for principal in ("sso.amazonaws.com", "account.amazonaws.com"):
        org.enable_aws_service_access(ServicePrincipal=principal)
    policy_id = org.create_policy(
        Content=json.dumps(DENY_LEAVE),
        Description="Accounts cannot leave the organization",
        Name="deny-leave-organization",
        Type="SERVICE_CONTROL_POLICY",
    )["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=policy_id, TargetId=root_id)
    policy_ids = {"deny-leave-organization": policy_id}

    ou_ids: dict[str, str] = {}
    for path in OU_PATHS:
        parent, _, name = path.rpartition("/")
        ou_ids[path] = org.create_organizational_unit(
            ParentId=ou_ids[parent] if parent else root_id, Name=name
        )["OrganizationalUnit"]["Id"]
    org.tag_resource(ResourceId=ou_ids["Sandbox"], Tags=[{"Key": "cost-center", "Value": "rnd"}])

    account_ids: dict[str, str] = {}
    for name, (ou, email) in ACCOUNTS.items():
        account_id = org.create_account(
            Email=email, AccountName=name, Tags=[{"Key": "environment", "Value": name}]
        )["CreateAccountStatus"]["AccountId"]
        account_ids[name] = account_id
        if ou is not None:
            org.move_account(AccountId=account_id, SourceParentId=root_id, DestinationParentId=ou_ids[ou])
        member = member_session(session, account_id)
        good_password_policy(member.client("iam"))
        for contact_type in CONTACT_TYPES:
            if name == MISSING_SECURITY_CONTACT and contact_type == "SECURITY":
                continue
            member.client("account").put_alternate_contact(
                AlternateContactType=contact_type,
                EmailAddress="aws-notifications@acme-corp.io",
                Name=f"Acme {contact_type.title()}",
                PhoneNumber="+44 20 7946 0000",
                Title="Team",
            )

    # The catalog's guardrail, as `pulumi up` would have made it, on an OU and an account.
    keys_policy_id = org.create_policy(
        Content=minify(catalog()["deny-root-access-keys"].render({})),
        Description="Root cannot create access keys",
        Name="deny-root-access-keys",
        Type="SERVICE_CONTROL_POLICY",
    )["Policy"]["PolicySummary"]["Id"]
    policy_ids["deny-root-access-keys"] = keys_policy_id
    for target in (ou_ids["Workloads"], account_ids["sandbox-alice"]):
        org.attach_policy(PolicyId=keys_policy_id, TargetId=target)

    for contact_type in CONTACT_TYPES:
        session.client("account").put_alternate_contact(
            AlternateContactType=contact_type,
            EmailAddress="aws-notifications@acme-corp.io",
            Name=f"Acme {contact_type.title()}",
            PhoneNumber="+44 20 7946 0000",
            Title="Team",
        )
    iam = session.client("iam")
    good_password_policy(iam)
    iam.create_user(UserName="deploy")
    access_key_id = iam.create_access_key(UserName="deploy")["AccessKey"]["AccessKeyId"]

    ec2 = session.client("ec2", region_name=REGION)
    instance_id = ec2.run_instances(ImageId=AMI_ID, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]

    # An organization trail's bucket is not a workload.
    s3 = session.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="acme-org-trail", CreateBucketConfiguration={"LocationConstraint": REGION})
    cloudtrail = session.client("cloudtrail", region_name=REGION)
    cloudtrail.create_trail(
        Name="org-trail", S3BucketName="acme-org-trail", IsMultiRegionTrail=True, IsOrganizationTrail=True
    )
    cloudtrail.start_logging(Name="org-trail")

    session.client("budgets", region_name="us-east-1").create_budget(
        AccountId=MANAGEMENT_ACCOUNT_ID,
        Budget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "100", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
        NotificationsWithSubscribers=[
            {
                "Notification": {
                    "NotificationType": "ACTUAL",
                    "ComparisonOperator": "GREATER_THAN",
                    "Threshold": 80,
                    "ThresholdType": "PERCENTAGE",
                },
                "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "aws-notifications@acme-corp.io"}],
            }
        ],
    )
    # Identity Center: moto has a default instance.
    sso = session.client("sso-admin", region_name=REGION)
    instance = sso.list_instances()["Instances"][0]
    instance_arn, store_id = instance["InstanceArn"], instance["IdentityStoreId"]
    permission_set_arns = {
        "AdministratorAccess": sso.create_permission_set(
            Name="AdministratorAccess", InstanceArn=instance_arn, SessionDuration="PT4H"
        )["PermissionSet"]["PermissionSetArn"],
        "ReadOnly": sso.create_permission_set(
            Name="ReadOnly",
            InstanceArn=instance_arn,
            SessionDuration="PT8H",
            Description="Look, do not touch",
        )["PermissionSet"]["PermissionSetArn"],
    }
    sso.attach_managed_policy_to_permission_set(
        InstanceArn=instance_arn,
        PermissionSetArn=permission_set_arns["ReadOnly"],
        ManagedPolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess",
    )
    sso.put_inline_policy_to_permission_set(
        InstanceArn=instance_arn,
        PermissionSetArn=permission_set_arns["ReadOnly"],
        InlinePolicy=json.dumps(READ_ONLY_INLINE),
    )
    store = session.client("identitystore", region_name=REGION)
    group_ids = {
        "platform-admins": store.create_group(IdentityStoreId=store_id, DisplayName="platform-admins")[
            "GroupId"
        ],
        "auditors": store.create_group(
            IdentityStoreId=store_id, DisplayName="auditors", Description="Read-only reviewers"
        )["GroupId"],
    }
    user_ids = {
        "alice": store.create_user(
            IdentityStoreId=store_id,
            UserName="alice",
            DisplayName="Alice Liddell",
            Name={"GivenName": "Alice", "FamilyName": "Liddell"},
            Emails=[{"Value": "alice@acme-corp.io", "Type": "work", "Primary": True}],
        )["UserId"]
    }
    membership_ids = {
        "auditors/alice": store.create_group_membership(
            IdentityStoreId=store_id, GroupId=group_ids["auditors"], MemberId={"UserId": user_ids["alice"]}
        )["MembershipId"]
    }
    for principal_type, principal_id, permission_set, account in (
        ("GROUP", group_ids["platform-admins"], "AdministratorAccess", "audit"),
        ("GROUP", group_ids["auditors"], "ReadOnly", "audit"),
        ("GROUP", group_ids["auditors"], "ReadOnly", "sandbox-alice"),
        ("USER", user_ids["alice"], "ReadOnly", "audit"),
    ):
        sso.create_account_assignment(
            InstanceArn=instance_arn,
            TargetId=account_ids[account],
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=permission_set_arns[permission_set],
            PrincipalType=principal_type,
            PrincipalId=principal_id,
        )
    return PlantedOrganization(
        organization_id,
        root_id,
        ou_ids,
        account_ids,
        instance_id,
        access_key_id,
        policy_ids,
        instance_arn,
        store_id,
        permission_set_arns,
        group_ids,
        user_ids,
        membership_ids,
    )


def audit_stack_values() -> dict:
    """The stack config the planted organization is audited against: everything but shadow-it."""
    return stack_values(
        organizational_units=[{"path": p} for p in OU_PATHS],
        accounts=[
            {"name": "audit", "ou": "Security"},
            {"name": "production", "ou": "Workloads/Production"},
            {"name": "sandbox-alice", "ou": "Sandbox"},
            {"name": "legacy", "email": "legacy-root@acme-corp.io"},
        ],
        # The planted policies, as configured: lz audit checks the coverage.
        guardrails=[
            {"name": "deny-leave-organization", "document": json.dumps(DENY_LEAVE), "root": True},
            {
                "guardrail": "deny-root-access-keys",
                "organizationalUnits": ["Workloads"],
                "accounts": ["sandbox-alice"],
            },
        ],
    )
