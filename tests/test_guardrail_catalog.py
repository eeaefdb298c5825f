"""The guardrail catalog as shipped: valid documents, a Sid on every statement, within AWS's
size limit once minified, and clean under an IAM policy linter (parliament), like the
example stacks' inline policies."""

from __future__ import annotations

import json

import parliament
import pytest

from landing_zone.config import load_from_mapping
from landing_zone.config.identity import expand_access
from landing_zone.config.loading import read_stack_file
from landing_zone.guardrails import catalog, minify, permission_set_role_arns
from landing_zone.guardrails.policy_types import POLICY_TYPES
from landing_zone.guardrails.syntax import document_problems
from landing_zone.plan.mocks import EXAMPLE_POLICY_TYPES
from tests.conftest import PROJECT_DIR, STACKS
from tests.scp_evaluation import denies, request

# Actions newer than parliament's action database (early 2025) would be reported as
# UNKNOWN_ACTION; list them here with the date AWS announced them. None are needed so far.
NEWER_THAN_PARLIAMENT: frozenset[str] = frozenset()
# Global condition keys parliament's database does not know: aws:SourceOrgID (announced
# 2023-03, https://aws.amazon.com/about-aws/whats-new/2023/03/aws-identity-access-management-two-global-condition-context-keys/).
NEWER_CONDITION_KEYS = ("aws:SourceOrgID",)

EXPECTED_GUARDRAILS = {
    "deny-leaving-organization": (),
    "deny-root-user": (),
    "deny-root-access-keys": (),
    "deny-unapproved-regions": ("allowedRegions", "exemptRoleArns"),
    "protect-security-services": ("exemptRoleArns",),
    "deny-iam-users": ("exemptRoleArns",),
    "protect-account-settings": (),
    "deny-region-changes": (),
    "deny-access-from-outside-organization": ("organizationId",),
    "deny-insecure-transport": (),
    "opt-out-of-ai-services": (),
    "block-public-images-and-require-imdsv2": (),
    "require-cost-center-tag": ("tagValues",),
    "deny-all-suspended": ("exemptRoleArns",),
}
EXPECTED_TYPES = {
    "deny-access-from-outside-organization": "RESOURCE_CONTROL_POLICY",
    "deny-insecure-transport": "RESOURCE_CONTROL_POLICY",
    "opt-out-of-ai-services": "AISERVICES_OPT_OUT_POLICY",
    "block-public-images-and-require-imdsv2": "DECLARATIVE_POLICY_EC2",
    "require-cost-center-tag": "TAG_POLICY",
}
# Every guardrail with exemptRoleArns also takes exemptPermissionSets.
EXEMPTING = ("deny-unapproved-regions", "protect-security-services", "deny-iam-users", "deny-all-suspended")
# Generous parameters: the documents must still fit with them.
SAMPLE_PARAMETERS = {
    "allowedRegions": ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2"],
    "exemptRoleArns": [
        "arn:aws:iam::*:role/OrganizationAccountAccessRole",
        "arn:aws:iam::*:role/BreakGlass",
        "arn:aws:iam::123456789012:role/platform/PipelineDeployer",
    ],
    "exemptPermissionSets": ["AdministratorAccess", "SecurityAudit"],
    "organizationId": "o-" + "x" * 32,  # the longest
    "tagValues": ["platform", "data", "marketing", "research"],
}
# Every guardrail, and those written in IAM's grammar (service and resource control policies).
ALL_NAMES = sorted(EXPECTED_GUARDRAILS)
IAM_GRAMMAR_TYPES = {name for name, rules in POLICY_TYPES.items() if rules.grammar == "iam"}
NAMES = sorted(
    name for name in EXPECTED_GUARDRAILS if POLICY_TYPES[catalog()[name].policy_type].grammar == "iam"
)


def lint_errors(policy_text: str) -> list[str]:
    findings = parliament.analyze_policy_string(policy_text).findings
    return [
        f"{f.issue}: {f.detail}"
        for f in findings
        if not (f.issue == "UNKNOWN_ACTION" and any(a in str(f.detail) for a in NEWER_THAN_PARLIAMENT))
        and not (
            f.issue == "UNKNOWN_CONDITION_FOR_ACTION"
            and any(f"Unknown condition {key} " in str(f.detail) for key in NEWER_CONDITION_KEYS)
        )
    ]


def test_the_catalog_ships_each_guardrail_with_its_parameters_and_a_description():
    assert {name: g.parameters for name, g in catalog().items()} == EXPECTED_GUARDRAILS
    assert {name: g.accepted_parameters for name, g in catalog().items()} == {
        name: (*parameters, "exemptPermissionSets") if name in EXEMPTING else parameters
        for name, parameters in EXPECTED_GUARDRAILS.items()
    }
    assert all(g.description for g in catalog().values())
    assert {name: g.policy_type for name, g in catalog().items()} == {
        name: EXPECTED_TYPES.get(name, "SERVICE_CONTROL_POLICY") for name in EXPECTED_GUARDRAILS
    }


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_document_is_what_aws_accepts_for_its_type_within_its_size(name):
    guardrail = catalog()[name]
    rules = POLICY_TYPES[guardrail.policy_type]
    text = minify(guardrail.render(SAMPLE_PARAMETERS))
    assert document_problems(json.loads(text), rules) == []
    assert rules.max_size is not None and len(text) <= rules.max_size, f"{name}: {len(text)} characters"


@pytest.mark.parametrize("name", NAMES)
def test_every_statement_has_a_unique_sid(name):
    statements = catalog()[name].document["Statement"]
    sids = [statement.get("Sid") for statement in statements]
    assert all(sids), f"{name}: a statement has no Sid"
    assert len(set(sids)) == len(sids), f"{name}: duplicate Sid in {sids}"


@pytest.mark.parametrize("name", NAMES)
def test_every_document_fits_the_size_limit_minified(name):
    text = minify(catalog()[name].render(SAMPLE_PARAMETERS))
    assert json.loads(text)["Version"] == "2012-10-17"


@pytest.mark.parametrize("name", NAMES)
def test_parliament_finds_nothing_in_the_catalog(name):
    text = minify(catalog()[name].render(SAMPLE_PARAMETERS))
    assert lint_errors(text) == []


def test_parliament_is_live_it_reports_a_misspelt_action():
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Typo", "Effect": "Deny", "Action": "s3:GetObjekt", "Resource": "*"}],
    }
    assert lint_errors(json.dumps(document)) == ["UNKNOWN_ACTION: Unknown action s3:GetObjekt"]


@pytest.mark.parametrize("stack", STACKS)
def test_parliament_finds_nothing_in_the_example_stacks_inline_policies(planned, stack):
    # Organization policies in IAM's grammar; management policies are checked by document_problems.
    policies = {
        f"{r.type} {r.name}": r.inputs[key]
        for r in planned[stack].resources
        for key in ("content", "policy", "inlinePolicy")
        if r.custom
        and isinstance(r.inputs.get(key), str)
        and r.inputs.get("type", "SERVICE_CONTROL_POLICY") in IAM_GRAMMAR_TYPES
    }
    assert policies, "the stack registers no inline policy"
    assert {name: lint_errors(text) for name, text in policies.items()} == {name: [] for name in policies}


def test_rendering_fills_the_placeholders_and_keeps_the_exemptions():
    region_deny = catalog()["deny-unapproved-regions"].render({"allowedRegions": ["eu-west-1"]})
    (statement,) = region_deny["Statement"]
    assert statement["Condition"] == {
        "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]},
        "ArnNotLike": {"aws:PrincipalARN": ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]},
    }
    assert {"iam:*", "organizations:*", "sts:*", "route53:*", "budgets:*", "support:*"} <= set(
        statement["NotAction"]
    )
    with pytest.raises(KeyError, match="needs parameter allowedRegions"):
        catalog()["deny-unapproved-regions"].render({})


def test_the_root_user_guardrail_spares_centralized_root_sessions():
    (statement,) = catalog()["deny-root-user"].render({})["Statement"]
    assert statement["Condition"]["Null"] == {"aws:AssumedRoot": "true"}
    assert statement["Condition"]["StringLike"] == {"aws:PrincipalArn": "arn:*:iam::*:root"}


def test_parliament_finds_nothing_in_the_example_stacks_custom_documents():
    entries = [
        (stack, entry)
        for stack in STACKS
        for entry in load_from_mapping(read_stack_file(PROJECT_DIR / f"Pulumi.{stack}.yaml")).guardrails
        if entry.document is not None
    ]
    documents = {
        f"{stack}:{e.policy_name}": e.rendered() for stack, e in entries if e.type_rules.grammar == "iam"
    }
    assert list(documents) == ["prod:deny-s3-bucket-deletion"]
    assert {name: lint_errors(text) for name, text in documents.items()} == {name: [] for name in documents}
    # The management policies are what AWS accepts structurally, each type once at least.
    others = {f"{stack}:{e.policy_name}": e for stack, e in entries if e.type_rules.grammar == "management"}
    assert {
        name: document_problems(json.loads(e.rendered()), e.type_rules) for name, e in others.items()
    } == {name: [] for name in others}


def test_the_example_stacks_use_every_policy_type_between_them():
    used = {
        entry.policy_type
        for stack in STACKS
        for entry in load_from_mapping(read_stack_file(PROJECT_DIR / f"Pulumi.{stack}.yaml")).guardrails
    }
    assert used == set(POLICY_TYPES)
    assert sorted(used) == sorted(EXAMPLE_POLICY_TYPES)


# Identity Center's roles as AWS names them
# (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html):
# with the region segment, or without it (older instances in us-east-1).
def sso_role(
    permission_set: str,
    region: str | None = "eu-west-1",
    suffix: str = "1234567890abcdef",
    account: str = "111122223333",
) -> str:
    path = f"{region}/" if region else ""
    return f"arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/{path}AWSReservedSSO_{permission_set}_{suffix}"


ACCESS_ROLE = "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"
PLATFORM_PATTERNS = [
    "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Platform_????????????????",
    "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Platform_????????????????",
]


def test_a_permission_set_renders_into_the_exact_patterns_of_its_roles():
    (statement,) = catalog()["deny-iam-users"].render({"exemptPermissionSets": ["Platform"]})["Statement"]
    assert statement["Condition"] == {
        "ArnNotLike": {
            "aws:PrincipalARN": ["arn:aws:iam::*:role/OrganizationAccountAccessRole", *PLATFORM_PATTERNS]
        }
    }
    assert list(permission_set_role_arns("Platform")) == PLATFORM_PATTERNS


def test_permission_sets_add_to_the_given_role_arns_once_each_in_order():
    rendered = catalog()["deny-iam-users"].render(
        {
            "exemptRoleArns": ["arn:aws:iam::*:role/BreakGlass"],
            "exemptPermissionSets": ["Platform", "Audit", "Platform"],
        }
    )
    (statement,) = rendered["Statement"]
    assert statement["Condition"]["ArnNotLike"]["aws:PrincipalARN"] == [
        "arn:aws:iam::*:role/BreakGlass",
        *PLATFORM_PATTERNS,
        *permission_set_role_arns("Audit"),
    ]


@pytest.mark.parametrize("name", ["Platform*", "Platform?", "Ops/Platform", ""])
def test_a_name_that_would_widen_the_pattern_is_refused_when_rendering(name):
    with pytest.raises(ValueError, match="cannot be a permission set name"):
        permission_set_role_arns(name)


# Who is exempt when the guardrail exempts the permission set Platform: True = exempt.
PLATFORM_EXEMPTION = {
    "the set's role, region segment": (sso_role("Platform"), True),
    "the set's role, no region segment": (sso_role("Platform", region=None), True),
    "the set's role in another account and region": (
        sso_role("Platform", "ap-southeast-2", "abcdef0123456789", "444455556666"),
        True,
    ),
    "the access role, still": (ACCESS_ROLE, True),
    "a set whose name starts with it": (sso_role("Platform_Admin"), False),
    "a set whose name starts with it, no region": (sso_role("Platform_Admin", region=None), False),
    "a set named like it plus a suffix": (sso_role("Platform_0123456789abcdef"), False),
    "a set whose name ends with it": (sso_role("xAWSReservedSSO_Platform"), False),
    "a set whose name ends with it, no region": (sso_role("xAWSReservedSSO_Platform", region=None), False),
    "lowercase": (sso_role("platform"), False),
    "uppercase": (sso_role("PLATFORM", region=None), False),
    "another set": (sso_role("Developer"), False),
    "a shorter suffix": (sso_role("Platform", suffix="1234567890abcde"), False),
    "the same name outside Identity Center's path": (
        "arn:aws:iam::111122223333:role/AWSReservedSSO_Platform_1234567890abcdef",
        False,
    ),
    "a role the old example exempted": ("arn:aws:iam::111122223333:role/PlatformEngineer", False),
}
# An action each guardrail denies, and the region it is asked in.
DENIED = {
    "deny-unapproved-regions": ("ec2:RunInstances", "us-east-1"),
    "protect-security-services": ("cloudtrail:StopLogging", "eu-west-1"),
    "deny-iam-users": ("iam:CreateUser", "eu-west-1"),
    "deny-all-suspended": ("s3:GetObject", "eu-west-1"),
}


@pytest.mark.parametrize("guardrail", EXEMPTING)
@pytest.mark.parametrize(("principal", "exempt"), PLATFORM_EXEMPTION.values(), ids=PLATFORM_EXEMPTION)
def test_an_exempted_permission_set_exempts_its_roles_and_no_others(guardrail, principal, exempt):
    document = catalog()[guardrail].render(
        {"allowedRegions": ["eu-west-1"], "exemptPermissionSets": ["Platform"]}
    )
    action, region = DENIED[guardrail]
    assert denies(document, action, request(principal, region)) is not exempt


# The delegated administrator (the audit account, a member account: SCPs bind it) at work in its
# own account, through a permission set of the security team.
SECURITY_TEAM = sso_role("SecurityAudit")
ADMINISTRATOR_WORK = [
    "access-analyzer:CreateAnalyzer",
    "config:DeleteConfigurationAggregator",
    "config:PutConfigurationAggregator",
    "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel",
    "config:StartConfigurationRecorder",
    "guardduty:CreateMembers",
    "guardduty:DeleteMembers",
    "guardduty:DisassociateMembers",
    "guardduty:StopMonitoringMembers",
    "guardduty:UpdateMemberDetectors",
    "guardduty:UpdateOrganizationConfiguration",
    "securityhub:CreateMembers",
    "securityhub:DeleteMembers",
    "securityhub:DisassociateMembers",
    "securityhub:UpdateOrganizationConfiguration",
]
# What turns a service off in the account it runs in.
STOPPING = [
    "access-analyzer:DeleteAnalyzer",
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:StopConfigurationRecorder",
    "guardduty:DeleteDetector",
    "guardduty:DisassociateFromAdministratorAccount",
    "guardduty:DisassociateFromMasterAccount",
    "guardduty:UpdateDetector",
    "securityhub:DisableSecurityHub",
    "securityhub:DisassociateFromAdministratorAccount",
    "securityhub:DisassociateFromMasterAccount",
]


def test_protect_security_services_denies_exactly_stopping_deleting_and_disabling():
    (statement,) = catalog()["protect-security-services"].render({})["Statement"]
    assert statement["Action"] == STOPPING
    assert statement["Condition"] == {
        "ArnNotLike": {"aws:PrincipalARN": ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]}
    }


@pytest.mark.parametrize("action", ADMINISTRATOR_WORK)
def test_protect_security_services_leaves_the_delegated_administrator_its_work(action):
    document = catalog()["protect-security-services"].render({})
    assert not denies(document, action, request(SECURITY_TEAM))


@pytest.mark.parametrize("action", STOPPING)
def test_protect_security_services_stops_everyone_but_the_exempt_from_stopping(action):
    document = catalog()["protect-security-services"].render({"exemptPermissionSets": ["SecurityAudit"]})
    assert denies(document, action, request(sso_role("Developer")))
    assert denies(document, action, request(sso_role("SecurityAudit_ReadOnly")))
    assert not denies(document, action, request(ACCESS_ROLE))
    assert not denies(document, action, request(SECURITY_TEAM))
    assert not denies(document, action, request(sso_role("SecurityAudit", region=None)))


# Principals of the production accounts, and whether they may delete a bucket there.
PRODUCTION_BUCKET_DELETION = {
    "platform team (AdministratorAccess)": (sso_role("AdministratorAccess"), True),
    "platform team, us-east-1 instance": (sso_role("AdministratorAccess", region=None), True),
    "read-only": (sso_role("ReadOnlyAccess"), False),
    "developer": (sso_role("Developer"), False),
    "a lookalike set": (sso_role("AdministratorAccess_Temp"), False),
    "a role named Platform...": ("arn:aws:iam::111122223333:role/PlatformDeployer", False),
    "the access role": (ACCESS_ROLE, False),
}


@pytest.mark.parametrize(
    ("principal", "allowed"), PRODUCTION_BUCKET_DELETION.values(), ids=PRODUCTION_BUCKET_DELETION
)
def test_the_prod_bucket_guardrail_exempts_the_platform_team_s_permission_set(principal, allowed):
    config = load_from_mapping(read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml"))
    (entry,) = [e for e in config.guardrails if e.policy_name == "deny-s3-bucket-deletion"]
    document = json.loads(entry.rendered())
    assert denies(document, "s3:DeleteBucket", request(principal)) is not allowed
    assert denies(document, "s3:DeleteBucketPolicy", request(principal)) is not allowed


def test_the_prod_bucket_guardrail_names_the_set_only_the_platform_group_holds_in_production():
    config = load_from_mapping(read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml"))
    (entry,) = [e for e in config.guardrails if e.policy_name == "deny-s3-bucket-deletion"]
    (statement,) = json.loads(entry.rendered())["Statement"]
    # Hand-written in the document, the program's rendering of the set.
    assert statement["Condition"] == {
        "ArnNotLike": {"aws:PrincipalArn": list(permission_set_role_arns("AdministratorAccess"))}
    }
    production = {
        account for path in entry.organizational_units for account in config.structure.accounts_in_ou(path)
    }
    holders = {
        grant.group
        for grant in expand_access(config.identity_center, config.structure)
        if grant.account in production and grant.permission_set == "AdministratorAccess"
    }
    assert production == {"production"}
    assert holders == {"Platform"}
