"""Guardrails, cost controls, baseline, organization trail and delegated administration as the
real program registers them under mocks: exact inputs, providers and options."""

from __future__ import annotations

import json

import pulumi
import pytest

from components.account_baseline import AccountBaseline, AccountBaselineArgs, MissingProviderError
from components.organization_trail import OrganizationTrail, OrganizationTrailArgs
from landing_zone.config import load_from_mapping, read_stack_file
from landing_zone.config.baseline import BaselineConfig
from landing_zone.config.organization_trail import OrganizationTrailConfig
from landing_zone.plan.mocks import ORGANIZATION_ID
from landing_zone.plan.runner import PlanResult, RegisteredResource
from landing_zone.resource_types import ACCOUNT, BUDGET, POLICY
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from landing_zone.resource_types import POLICY_ATTACHMENT as ATTACHMENT
from tests.builders import ALL_PRINCIPALS, stack_values
from tests.conftest import PROJECT_DIR
from tests.test_program import plan_values

PROVIDER = "pulumi:providers:aws"
BASELINE_TYPES = {
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    "aws:iam/accountAlias:AccountAlias",
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    "aws:ebs/encryptionByDefault:EncryptionByDefault",
    "aws:accessanalyzer/analyzer:Analyzer",
}
BUCKET_TYPES = {
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketVersioning:BucketVersioning",
}


def by_urn(result: PlanResult) -> dict[str, RegisteredResource]:
    return {r.urn: r for r in result.resources}


def account_ids(result: PlanResult) -> dict[str, str]:
    return {a.inputs["name"]: a.id for a in result.of_type(ACCOUNT)}


def provider_of(result: PlanResult, resource: RegisteredResource) -> RegisteredResource:
    """The provider a resource is registered with (the reference is "<provider urn>::<id>")."""
    assert resource.provider, f"{resource.urn} uses the default provider (the management account)"
    urn, _, provider_id = resource.provider.rpartition("::")
    provider = by_urn(result)[urn]
    assert provider.type == PROVIDER and provider.id == provider_id, resource.urn
    return provider


def assumed_role_arns(provider: RegisteredResource) -> list[str]:
    return [role["roleArn"] for role in json.loads(provider.inputs["assumeRoles"])]


def owning_account(result: PlanResult, resource: RegisteredResource) -> str:
    """The member account whose AccountBaseline component holds `resource`."""
    component = by_urn(result)[resource.parent]
    assert component.type == "landing-zone:account-baseline:AccountBaseline", resource.urn
    return component.name


MEMBER_REGIONS = ("eu-west-1", "eu-central-1")  # prod's aws:region, then the other allowed region
REGIONAL_TYPES = {"aws:ebs/encryptionByDefault:EncryptionByDefault", "aws:accessanalyzer/analyzer:Analyzer"}


def member_baseline(result: PlanResult) -> list[RegisteredResource]:
    """The baseline's resources in member accounts (the management account's password policy aside)."""
    components = {
        r.urn for r in result.resources if r.type == "landing-zone:account-baseline:AccountBaseline"
    }
    return [r for r in result.resources if r.type in BASELINE_TYPES and r.parent in components]


def test_every_baseline_resource_acts_in_its_own_member_account(planned):
    result = planned["prod"]
    ids = account_ids(result)
    role_names = {a["name"]: a.get("roleName", "OrganizationAccountAccessRole") for a in _prod_accounts()}
    baseline = member_baseline(result)
    # Password policy, alias, S3 block once; EBS encryption and analyzer in each governed region.
    assert len(baseline) == (3 + 2 * len(MEMBER_REGIONS)) * len(ids)
    for resource in baseline:
        account = owning_account(result, resource)
        provider = provider_of(result, resource)
        expected = f"arn:aws:iam::{ids[account]}:role/{role_names[account]}"
        assert assumed_role_arns(provider) == [expected], resource.urn
        assert json.loads(provider.inputs["allowedAccountIds"]) == [ids[account]], resource.urn
        region = "eu-central-1" if resource.name.endswith("-eu-central-1") else "eu-west-1"
        assert provider.inputs["region"] == region, resource.urn


def test_every_member_account_gets_each_baseline_setting(planned):
    result = planned["prod"]
    for type_ in BASELINE_TYPES:
        owners = [owning_account(result, r) for r in member_baseline(result) if r.type == type_]
        per_account = len(MEMBER_REGIONS) if type_ in REGIONAL_TYPES else 1
        assert sorted(owners) == sorted(list(account_ids(result)) * per_account), type_


def test_baseline_settings_are_the_hardened_defaults(planned):
    result = planned["prod"]
    ids = account_ids(result)
    policies = result.of_type("aws:iam/accountPasswordPolicy:AccountPasswordPolicy")
    assert len(policies) == len(ids) + 1  # and the management account's
    assert {(p.inputs["minimumPasswordLength"], p.inputs["passwordReusePrevention"]) for p in policies} == {
        (14, 24)
    }
    assert all("maxPasswordAge" not in p.inputs for p in policies)
    aliases = {
        owning_account(result, a): a.inputs["accountAlias"]
        for a in result.of_type("aws:iam/accountAlias:AccountAlias")
    }
    assert aliases == {name: f"acme-corp-{name}" for name in ids}
    for block in result.of_type("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"):
        assert block.inputs == {
            "accountId": ids[owning_account(result, block)],
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        }, block.urn
    assert {
        e.inputs["enabled"] for e in result.of_type("aws:ebs/encryptionByDefault:EncryptionByDefault")
    } == {True}
    analyzers = result.of_type("aws:accessanalyzer/analyzer:Analyzer")
    assert {(a.inputs["type"], a.inputs["analyzerName"]) for a in analyzers} == {("ACCOUNT", "acme-account")}


def test_a_custom_role_name_is_the_role_the_provider_assumes():
    values = stack_values(
        accounts=[{"name": "legacy", "email": "legacy@acme-corp.io", "roleName": "LegacyAdmin"}],
        baseline={"accountAlias": None, "accessAnalyzer": False},
    )
    result = plan_values(values)
    (provider,) = result.of_type(PROVIDER)
    (account_id,) = account_ids(result).values()
    assert assumed_role_arns(provider) == [f"arn:aws:iam::{account_id}:role/LegacyAdmin"]
    assert sorted(r.type for r in member_baseline(result)) == [
        "aws:ebs/encryptionByDefault:EncryptionByDefault",
        "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    ]


def test_excluded_accounts_get_no_baseline_and_no_provider():
    values = stack_values(baseline={"excludeAccounts": ["production"]})
    result = plan_values(values)
    assert [p.name for p in result.of_type(PROVIDER)] == ["audit-member"]
    assert {owning_account(result, r) for r in member_baseline(result)} == {"audit"}


def test_nothing_cross_account_is_registered_without_config():
    result = plan_values(stack_values())
    assert not result.of_type(PROVIDER)
    assert not member_baseline(result)
    assert not [r for r in result.resources if r.type in BUCKET_TYPES | {POLICY, BUDGET}]


@pytest.mark.parametrize(
    "build",
    [
        lambda: AccountBaseline(
            "dev",
            AccountBaselineArgs(config=BaselineConfig(), account_id="123456789012", regions=[]),
        ),
        lambda: AccountBaseline(
            "dev",
            AccountBaselineArgs(config=BaselineConfig(), account_id="123456789012", regions=[]),
            opts=pulumi.ResourceOptions(protect=True),
        ),
        lambda: OrganizationTrail(
            "trail",
            OrganizationTrailArgs(
                config=OrganizationTrailConfig(name="trail"),
                bucket_name="logs",
                organization_id="o-abcdefghij",
                management_account_id="123456789012",
                log_archive_provider=None,
            ),
        ),
    ],
    ids=["baseline without opts", "baseline without a provider", "trail without the log-archive provider"],
)
def test_cross_account_components_refuse_to_be_built_without_a_provider(build):
    with pytest.raises(MissingProviderError, match="needs .*provider.* for the (member|log-archive) account"):
        build()


def test_prod_guardrails_are_the_rendered_documents_attached_where_configured(planned):
    result = planned["prod"]
    config = load_from_mapping(read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml"))
    policies = {p.inputs["name"]: p for p in result.of_type(POLICY)}
    # The data perimeter policy gets the organization's id from the organization.
    assert {name: p.inputs["content"] for name, p in policies.items()} == {
        g.policy_name: g.rendered(ORGANIZATION_ID) for g in config.guardrails
    }
    assert ORGANIZATION_ID in policies["deny-access-from-outside-organization"].inputs["content"]
    assert {name: p.inputs["type"] for name, p in policies.items()} == {
        g.policy_name: g.policy_type for g in config.guardrails
    }
    assert {p.inputs["type"] for p in policies.values()} == {
        "SERVICE_CONTROL_POLICY",
        "RESOURCE_CONTROL_POLICY",
        "AISERVICES_OPT_OUT_POLICY",
        "DECLARATIVE_POLICY_EC2",
        "TAG_POLICY",
        "BACKUP_POLICY",
        "SECURITYHUB_POLICY",
        "INSPECTOR_POLICY",
    }
    names_by_id = {p.id: name for name, p in policies.items()}
    ou_ids = {ou.id: ou.inputs["name"] for ou in result.of_type(OU)}
    targets: dict[str, list[str]] = {}
    for attachment in result.of_type(ATTACHMENT):
        target_id = attachment.inputs["targetId"]
        target = "Root" if target_id == result.outputs["rootId"] else ou_ids[target_id]
        targets.setdefault(target, []).append(names_by_id[attachment.inputs["policyId"]])
    assert {target: sorted(names) for target, names in targets.items()} == {
        "Root": [
            "block-public-images-and-require-imdsv2",
            "deny-insecure-transport",
            "deny-leaving-organization",
            "deny-root-user",
            "opt-out-of-ai-services",
            "protect-security-services",
        ],
        "Security": [
            "deny-iam-users",
            "deny-unapproved-regions",
            "protect-account-settings",
            "security-hub-in-governed-regions",
        ],
        "Workloads": [
            "deny-access-from-outside-organization",
            "deny-iam-users",
            "deny-unapproved-regions",
            "inspector-scanning",
            "protect-account-settings",
            "require-cost-center-tag",
            "security-hub-in-governed-regions",
        ],
        "Sandbox": ["deny-region-changes", "deny-unapproved-regions", "protect-account-settings"],
        "Suspended": ["deny-all-suspended"],
        "NonProduction": ["deny-region-changes"],
        # and the custom documents
        "Production": ["daily-production-backups", "deny-region-changes", "deny-s3-bucket-deletion"],
    }
    assert policies["deny-s3-bucket-deletion"].inputs["description"] == (
        "Buckets in production are deleted by the platform team only."
    )
    region_deny = json.loads(policies["deny-unapproved-regions"].inputs["content"])
    assert region_deny["Statement"][0]["Condition"]["StringNotEquals"] == {
        "aws:RequestedRegion": ["eu-west-1", "eu-central-1"]
    }


def test_an_account_target_is_attached_by_account_id():
    values = stack_values(guardrails=[{"guardrail": "deny-iam-users", "accounts": ["production"]}])
    result = plan_values(values)
    (attachment,) = result.of_type(ATTACHMENT)
    assert attachment.name == "deny-iam-users-account-production"
    assert attachment.inputs["targetId"] == account_ids(result)["production"]


def test_guardrails_and_management_level_resources_use_the_management_account(planned):
    management_level = {
        POLICY,
        ATTACHMENT,
        BUDGET,
        "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
        "aws:costexplorer/anomalySubscription:AnomalySubscription",
        "aws:cloudtrail/trail:Trail",
        "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
        "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
        "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
    }
    result = planned["prod"]
    resources = [r for r in result.resources if r.type in management_level]
    assert {r.type for r in resources} == management_level
    # The stack's region through the default provider; the delegations in other regions
    # through a provider that assumes no role (the management account's credentials).
    for resource in resources:
        if resource.provider:
            provider = provider_of(result, resource)
            assert "assumeRoles" not in provider.inputs, resource.urn
            assert provider.inputs["region"] == "eu-central-1", resource.urn


def test_prod_budgets_notify_the_subscribers_at_80_and_100_percent_and_forecast(planned):
    result = planned["prod"]
    ids = account_ids(result)
    budgets = {b.inputs["name"]: b.inputs for b in result.of_type(BUDGET)}
    assert {name: (b["limitAmount"], b.get("costFilters")) for name, b in budgets.items()} == {
        "acme-monthly": ("5000", None),
        "acme-production-monthly": ("3000", [{"name": "LinkedAccount", "values": [ids["production"]]}]),
        "acme-sandbox-alice-monthly": ("100", [{"name": "LinkedAccount", "values": [ids["sandbox-alice"]]}]),
        "acme-sandbox-bob-monthly": ("100", [{"name": "LinkedAccount", "values": [ids["sandbox-bob"]]}]),
    }
    subscribers = ["aws-notifications@acme-corp.io", "finance@acme-corp.io"]
    for budget in budgets.values():
        assert (budget["budgetType"], budget["timeUnit"], budget["limitUnit"]) == ("COST", "MONTHLY", "USD")
        assert budget["notifications"] == [
            {
                "comparisonOperator": "GREATER_THAN",
                "notificationType": kind,
                "threshold": threshold,
                "thresholdType": "PERCENTAGE",
                "subscriberEmailAddresses": subscribers,
            }
            for kind, threshold in (("ACTUAL", 80), ("ACTUAL", 100), ("FORECASTED", 100))
        ]


def test_prod_anomaly_subscription_watches_the_monitor_with_its_threshold(planned):
    result = planned["prod"]
    (monitor,) = result.of_type("aws:costexplorer/anomalyMonitor:AnomalyMonitor")
    (subscription,) = result.of_type("aws:costexplorer/anomalySubscription:AnomalySubscription")
    # Never a second "AWS services" monitor: AWS allows one per account and has made it already.
    assert (monitor.inputs["monitorType"], monitor.inputs["monitorDimension"]) == (
        "DIMENSIONAL",
        "LINKED_ACCOUNT",
    )
    assert monitor.name == monitor.inputs["name"] == "acme-cost-anomalies-accounts"
    assert subscription.inputs["monitorArnLists"] == [monitor.outputs["arn"]]
    assert subscription.inputs["frequency"] == "DAILY"
    assert subscription.inputs["subscribers"] == [
        {"type": "EMAIL", "address": "aws-notifications@acme-corp.io"},
        {"type": "EMAIL", "address": "finance@acme-corp.io"},
    ]
    assert subscription.inputs["thresholdExpression"] == {
        "dimension": {
            "key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
            "matchOptions": ["GREATER_THAN_OR_EQUAL"],
            "values": ["100"],
        }
    }


def test_an_existing_anomaly_monitor_is_subscribed_to_not_created():
    arn = "arn:aws:ce::123456789012:anomalymonitor/0d9b5e3a-3c38-4b8e-9d8d-0e6f1c6a1f2b"
    result = plan_values(stack_values(budgets={"anomalyDetection": {"threshold": 20, "monitorArn": arn}}))
    assert not result.of_type("aws:costexplorer/anomalyMonitor:AnomalyMonitor")
    (subscription,) = result.of_type("aws:costexplorer/anomalySubscription:AnomalySubscription")
    assert subscription.inputs["monitorArnLists"] == [arn]
    assert subscription.inputs["subscribers"] == [
        {"type": "EMAIL", "address": "aws-notifications@acme-corp.io"}
    ]
    assert not result.of_type(BUDGET)


def test_dev_has_a_zero_spend_budget(planned):
    budgets = {b.inputs["name"]: b.inputs for b in planned["dev"].of_type(BUDGET)}
    assert budgets["acme-lab-zero-spend"]["limitAmount"] == "0.01"
    assert budgets["acme-lab-zero-spend"]["notifications"] == [
        {
            "comparisonOperator": "GREATER_THAN",
            "notificationType": "ACTUAL",
            "threshold": 100,
            "thresholdType": "PERCENTAGE",
            "subscriberEmailAddresses": ["aws-lab-notifications@acme-corp.io"],
        }
    ]


def test_prod_trail_logs_the_organization_to_a_protected_bucket_in_log_archive(planned):
    result = planned["prod"]
    ids = account_ids(result)
    (trail,) = result.of_type("aws:cloudtrail/trail:Trail")
    bucket_name = f"acme-cloudtrail-{ids['log-archive']}"
    assert trail.inputs == {
        "name": "acme-organization-trail",
        "s3BucketName": bucket_name,
        "isOrganizationTrail": True,
        "isMultiRegionTrail": True,
        "includeGlobalServiceEvents": True,
        "enableLogFileValidation": True,
        "tags": {"owner": "platform", "managed-by": "landing-zone"},
    }
    bucket_resources = [r for r in result.resources if r.type in BUCKET_TYPES]
    assert {r.type for r in bucket_resources} == BUCKET_TYPES
    for resource in bucket_resources:
        provider = provider_of(result, resource)
        assert assumed_role_arns(provider) == [
            f"arn:aws:iam::{ids['log-archive']}:role/OrganizationAccountAccessRole"
        ], resource.urn
    (bucket,) = result.of_type("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"] == bucket_name and bucket.protect
    (policy,) = result.of_type("aws:s3/bucketPolicy:BucketPolicy")
    assert policy.urn in trail.dependencies
    (versioning,) = result.of_type("aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    document = json.loads(policy.inputs["policy"])
    statements = {s["Sid"]: s for s in document["Statement"]}
    organization_id = result.outputs["organizationId"]
    management_id = result.outputs["managementAccountId"]
    assert statements["CloudTrailWriteOrganization"]["Resource"] == (
        f"arn:aws:s3:::{bucket_name}/AWSLogs/{organization_id}/*"
    )
    assert statements["CloudTrailWriteOrganization"]["Condition"]["StringEquals"] == {
        "aws:SourceArn": f"arn:aws:cloudtrail:eu-west-1:{management_id}:trail/acme-organization-trail",
        "s3:x-amz-acl": "bucket-owner-full-control",
    }
    assert statements["DenyInsecureTransport"]["Effect"] == "Deny"


def test_prod_delegates_security_services_to_audit(planned):
    result = planned["prod"]
    audit = account_ids(result)["audit"]
    delegated = {
        r.inputs["servicePrincipal"]: r.inputs["accountId"]
        for r in result.of_type("aws:organizations/delegatedAdministrator:DelegatedAdministrator")
    }
    assert delegated == {"access-analyzer.amazonaws.com": audit, "config.amazonaws.com": audit}
    for type_ in (
        "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
        "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
    ):
        admins = result.of_type(type_)
        assert len(admins) == len(MEMBER_REGIONS), type_  # regional: one per governed region
        assert {admin.inputs["adminAccountId"] for admin in admins} == {audit}


def test_reordering_governance_config_renames_nothing():
    values = stack_values(
        guardrails=[
            {
                "guardrail": "deny-leaving-organization",
                "root": True,
                "organizationalUnits": ["Security", "Workloads"],
            },
            {"guardrail": "deny-iam-users", "accounts": ["audit", "production"]},
        ],
        budgets={
            "monthlyLimit": 10,
            "accounts": [
                {"account": "audit", "monthlyLimit": 1},
                {"account": "production", "monthlyLimit": 2},
            ],
        },
        baseline={},
    )
    reordered = {
        **values,
        "landing-zone:guardrails": [
            {"guardrail": "deny-iam-users", "accounts": ["production", "audit"]},
            {
                "guardrail": "deny-leaving-organization",
                "root": True,
                "organizationalUnits": ["Workloads", "Security"],
            },
        ],
        "landing-zone:budgets": {
            "monthlyLimit": 10,
            "accounts": [
                {"account": "production", "monthlyLimit": 2},
                {"account": "audit", "monthlyLimit": 1},
            ],
        },
        "landing-zone:accounts": list(reversed(values["landing-zone:accounts"])),
    }
    assert sorted(r.urn for r in plan_values(reordered).resources) == sorted(
        r.urn for r in plan_values(values).resources
    )


def _prod_accounts() -> list[dict]:
    return read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")["landing-zone:accounts"]


def test_renaming_the_trail_keeps_its_bucket_s_logical_names():
    # A new logical name would make Pulumi create a second bucket of the same physical name
    # (and fail), while the protected old one cannot be deleted.
    def trail_children(name):
        values = stack_values(
            organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS},
            accounts=[{"name": "log-archive"}],
            organizationTrail={"name": name},
        )
        result = plan_values(values)
        (trail,) = result.of_type("aws:cloudtrail/trail:Trail")
        others = {(r.type, r.name) for r in result.resources if "organization-trail" in r.urn}
        return trail.inputs["name"], others

    first_name, first = trail_children("acme-trail")
    second_name, second = trail_children("acme-audit-trail")
    assert (first_name, second_name) == ("acme-trail", "acme-audit-trail")
    assert first == second
    assert ("aws:s3/bucket:Bucket", "organization-trail-logs") in first


def test_providers_of_new_accounts_wait_for_their_access_role_imported_ones_do_not():
    values = stack_values(
        accounts=[{"name": "audit"}, {"name": "legacy", "import": "123456789012", "roleName": "Admin"}],
        baseline={},
    )
    result = plan_values(values)
    ready = result.of_type("pulumi-python:dynamic:Resource")
    assert [(r.name, r.inputs["roleArn"]) for r in ready] == [
        (
            "audit-access-role-ready",
            f"arn:aws:iam::{account_id(result, 'audit')}:role/OrganizationAccountAccessRole",
        )
    ]
    assert ready[0].inputs["timeoutSeconds"] == 600
    providers = {p.name: p for p in result.of_type("pulumi:providers:aws")}
    assert ready[0].urn in providers["audit-member"].dependencies
    assert not [urn for urn in providers["legacy-member"].dependencies if "access-role-ready" in urn]


def account_id(result, name):
    return next(a.id for a in result.of_type("aws:organizations/account:Account") if a.inputs["name"] == name)


def test_delegated_administrators_are_deregistered_before_another_account_takes_over():
    values = stack_values(
        organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS},
        delegatedAdministrators={"services": ["guardduty", "securityhub", "access-analyzer", "config"]},
    )
    delegations = [
        r
        for r in plan_values(values).resources
        if r.type.endswith(("OrganizationAdminAccount", "DelegatedAdministrator"))
    ]
    assert len(delegations) == 4
    assert all(r.delete_before_replace for r in delegations), [r.name for r in delegations]


def test_a_trail_deployed_under_its_own_name_moves_to_the_stable_name_by_alias(planned):
    # Prod's trail was once its component's logical name: the engine follows the alias (and
    # the children follow their parent's), so nothing is recreated on the upgrade.
    (component,) = [r for r in planned["prod"].resources if r.type.endswith(":OrganizationTrail")]
    assert (component.name, component.aliases) == ("organization-trail", ["acme-organization-trail"])
