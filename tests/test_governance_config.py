"""Validation of guardrails, budgets, baseline, organization trail and delegated administrators:
every problem under its key, with the exact message a user reads."""

from __future__ import annotations

import json

from landing_zone.config import config_warnings, load_from_mapping
from landing_zone.config.guardrails import PARAMETER_ITEMS
from landing_zone.guardrails import catalog
from tests.builders import ALL_PRINCIPALS, custom_policies, stack_values
from tests.helpers import problem_table, problems_of

REGION_DENY = {"guardrail": "deny-unapproved-regions", "parameters": {"allowedRegions": ["eu-west-1"]}}
NO_PARAMETERS = [
    "deny-leaving-organization",
    "deny-root-user",
    "deny-root-access-keys",
    "protect-account-settings",
    "deny-region-changes",
]
# Permission sets of the stack, for guardrails that exempt some by name.
IDENTITY = {
    "permissionSets": [{"name": "AdministratorAccess"}, {"name": "Platform"}, {"name": "SecurityAudit"}]
}

CASES = [
    (
        "unknown guardrail, close to a known one",
        stack_values(guardrails=[{"guardrail": "deny-root", "root": True}]),
        [
            "landing-zone:guardrails[0].guardrail: unknown guardrail 'deny-root'; did you mean 'deny-root-user'?"
        ],
    ),
    (
        "unknown guardrail, nothing close",
        stack_values(guardrails=[{"guardrail": "quantum", "root": True}]),
        [
            "landing-zone:guardrails[0].guardrail: unknown guardrail 'quantum'; the catalog has "
            "block-public-images-and-require-imdsv2, deny-access-from-outside-organization, "
            "deny-all-suspended, deny-iam-users, deny-insecure-transport, deny-leaving-organization, "
            "deny-region-changes, deny-root-access-keys, deny-root-user, deny-unapproved-regions, "
            "opt-out-of-ai-services, protect-account-settings, protect-security-services, "
            "require-cost-center-tag"
        ],
    ),
    (
        "eleven service control policies on the root, counting FullAWSAccess",
        stack_values(guardrails=custom_policies(10, root=True)),
        [
            "landing-zone:guardrails[9].root: the root would have 11 service control policies attached "
            "(FullAWSAccess, service-1, service-2, service-3, service-4, service-5, service-6, service-7, "
            "service-8, service-9, service-10); AWS allows at most 10 per target, FullAWSAccess included"
        ],
    ),
    (
        "eleven service control policies on an OU, over two entries",
        stack_values(
            guardrails=custom_policies(9, organizationalUnits=["Workloads"])
            + [{**REGION_DENY, "organizationalUnits": ["Security", "Workloads"]}]
        ),
        [
            "landing-zone:guardrails[9].organizationalUnits[1]: OU 'Workloads' would have 11 service "
            "control policies attached (FullAWSAccess, service-1, service-2, service-3, service-4, "
            "service-5, service-6, service-7, service-8, service-9, deny-unapproved-regions); "
            "AWS allows at most 10 per target, FullAWSAccess included"
        ],
    ),
    (
        "document over 10,240 characters once minified",
        stack_values(
            guardrails=[
                {
                    **REGION_DENY,
                    "root": True,
                    "parameters": {
                        "allowedRegions": ["eu-west-1"],
                        "exemptRoleArns": [f"arn:aws:iam::*:role/team-{n:03d}-deployer" for n in range(260)],
                    },
                }
            ]
        ),
        [
            "landing-zone:guardrails[0]: 'deny-unapproved-regions' is 11,793 characters once minified; "
            "AWS allows at most 10,240 per service control policy"
        ],
    ),
    (
        "empty allowed-region list",
        stack_values(guardrails=[{**REGION_DENY, "root": True, "parameters": {"allowedRegions": []}}]),
        ["landing-zone:guardrails[0].parameters.allowedRegions: must list at least one region"],
    ),
    (
        "empty exempt-role list",
        stack_values(
            guardrails=[{"guardrail": "deny-iam-users", "root": True, "parameters": {"exemptRoleArns": []}}]
        ),
        ["landing-zone:guardrails[0].parameters.exemptRoleArns: must list at least one role ARN"],
    ),
    (
        "missing allowed regions",
        stack_values(guardrails=[{"guardrail": "deny-unapproved-regions", "root": True}]),
        ["landing-zone:guardrails[0].parameters.allowedRegions: is required by 'deny-unapproved-regions'"],
    ),
    (
        "a parameter the guardrail does not take",
        stack_values(
            guardrails=[
                {
                    "guardrail": "deny-iam-users",
                    "root": True,
                    "parameters": {"allowedRegions": ["eu-west-1"]},
                },
                {
                    "guardrail": "deny-root-user",
                    "root": True,
                    "parameters": {"allowedRegions": ["eu-west-1"]},
                },
            ]
        ),
        [
            "landing-zone:guardrails[0].parameters.allowedRegions: "
            "'deny-iam-users' has no parameter allowedRegions; it takes exemptRoleArns, exemptPermissionSets",
            "landing-zone:guardrails[1].parameters.allowedRegions: "
            "'deny-root-user' has no parameter allowedRegions; it takes none",
        ],
    ),
    (
        "malformed region and role ARN",
        stack_values(
            guardrails=[
                {
                    **REGION_DENY,
                    "root": True,
                    "parameters": {"allowedRegions": ["Ireland"], "exemptRoleArns": ["BreakGlass"]},
                }
            ]
        ),
        [
            "landing-zone:guardrails[0].parameters.allowedRegions[0]: 'Ireland' is not an AWS region code like eu-west-1",
            "landing-zone:guardrails[0].parameters.exemptRoleArns[0]: "
            "'BreakGlass' is not an IAM role ARN like arn:aws:iam::*:role/BreakGlass",
        ],
    ),
    (
        "exempted permission sets the stack does not define",
        stack_values(
            identityCenter=IDENTITY,
            guardrails=[
                {
                    "guardrail": "deny-iam-users",
                    "root": True,
                    # A typo, the wrong case (role ARNs keep it, ArnNotLike is case-sensitive),
                    # nothing close, a defined one.
                    "parameters": {
                        "exemptPermissionSets": ["Platfrom", "platform", "Billing", "SecurityAudit"]
                    },
                }
            ],
        ),
        [
            "landing-zone:guardrails[0].parameters.exemptPermissionSets[0]: permission set 'Platfrom' "
            "is not defined in identityCenter.permissionSets; did you mean 'Platform'?",
            "landing-zone:guardrails[0].parameters.exemptPermissionSets[1]: permission set 'platform' "
            "is not defined in identityCenter.permissionSets; did you mean 'Platform'?",
            "landing-zone:guardrails[0].parameters.exemptPermissionSets[2]: permission set 'Billing' "
            "is not defined in identityCenter.permissionSets",
        ],
    ),
    (
        "permission set names the rule refuses",
        stack_values(
            guardrails=[
                {
                    "guardrail": "protect-security-services",
                    "root": True,
                    "parameters": {
                        "exemptPermissionSets": [
                            "Platform*",
                            "Admin?",
                            "Ops/Platform",
                            "Platform Team",
                            "P" * 33,
                        ]
                    },
                }
            ],
        ),
        [
            f"landing-zone:guardrails[0].parameters.exemptPermissionSets[{n}]: '{name}' is not "
            "a permission set name of 1 to 32 letters, digits and +=,.@_-"
            for n, name in enumerate(["Platform*", "Admin?", "Ops/Platform", "Platform Team", "P" * 33])
        ],
    ),
    (
        "no permission set, or one for a guardrail without exemptions",
        stack_values(
            guardrails=[
                {"guardrail": "deny-iam-users", "root": True, "parameters": {"exemptPermissionSets": []}},
                {
                    "guardrail": "deny-root-user",
                    "root": True,
                    "parameters": {"exemptPermissionSets": ["Platform"]},
                },
            ]
        ),
        [
            "landing-zone:guardrails[0].parameters.exemptPermissionSets: must list at least one permission set",
            "landing-zone:guardrails[1].parameters.exemptPermissionSets: "
            "'deny-root-user' has no parameter exemptPermissionSets; it takes none",
        ],
    ),
    (
        "exempted permission sets over the size limit once rendered",
        stack_values(
            guardrails=[
                {
                    **REGION_DENY,
                    "root": True,
                    "parameters": {
                        "allowedRegions": ["eu-west-1"],
                        "exemptPermissionSets": [f"Team{n:02d}" for n in range(64)],
                    },
                }
            ]
        ),
        [
            "landing-zone:guardrails[0]: 'deny-unapproved-regions' is 13,349 characters once minified; "
            "AWS allows at most 10,240 per service control policy"
        ],
    ),
    (
        "policy type not enabled in the organization",
        stack_values(
            organization_changes={"enabledPolicyTypes": ["TAG_POLICY"]},
            guardrails=[{"guardrail": "deny-leaving-organization", "root": True}],
        ),
        [
            "landing-zone:guardrails: service control policies are not enabled in the organization "
            "(used by guardrails[0]): add SERVICE_CONTROL_POLICY to organization.enabledPolicyTypes"
        ],
    ),
    (
        "unknown targets and no target",
        stack_values(
            guardrails=[
                {
                    "guardrail": "deny-leaving-organization",
                    "organizationalUnits": ["Sandbox"],
                    "accounts": ["dev"],
                },
                {"guardrail": "deny-root-user"},
            ]
        ),
        [
            "landing-zone:guardrails[0].organizationalUnits[0]: OU 'Sandbox' is not defined in organizationalUnits",
            "landing-zone:guardrails[0].accounts[0]: account 'dev' is not defined in accounts",
            "landing-zone:guardrails[1]: attaches to nothing: set root, organizationalUnits or accounts",
        ],
    ),
    (
        "the same guardrail twice without a new name",
        stack_values(
            guardrails=[
                {**REGION_DENY, "organizationalUnits": ["Security"]},
                {**REGION_DENY, "organizationalUnits": ["Workloads"]},
                {**REGION_DENY, "name": "deny-regions-workloads", "accounts": ["production"]},
            ]
        ),
        [
            "landing-zone:guardrails[1].name: policy name 'deny-unapproved-regions' is already used by "
            "guardrails[0]; set a different name"
        ],
    ),
    (
        "budget for an unknown account, twice for another, too many notifications and subscribers",
        stack_values(
            budgets={
                "monthlyLimit": 100,
                "accounts": [
                    {"account": "dev", "monthlyLimit": 10},
                    {"account": "audit", "monthlyLimit": 10},
                    {"account": "audit", "monthlyLimit": 20},
                ],
                "notifications": [{"type": "ACTUAL", "threshold": t} for t in (50, 60, 70, 80, 90, 90)],
                "subscribers": [f"finance-{n}@acme-corp.io" for n in range(10)] + ["not-an-address"],
            }
        ),
        [
            "landing-zone:budgets.accounts[0].account: account 'dev' is not defined in accounts",
            "landing-zone:budgets.accounts[2].account: 'audit' already has a budget at budgets.accounts[1]",
            "landing-zone:budgets.notifications: has 6 entries; AWS allows at most 5 notifications per budget",
            "landing-zone:budgets.notifications[5]: same type and threshold as budgets.notifications[4]",
            "landing-zone:budgets.subscribers: has 11 addresses; "
            "AWS allows at most 10 email subscribers per notification",
            "landing-zone:budgets.subscribers[10]: 'not-an-address' is not a valid email address",
        ],
    ),
    (
        "budgets that configure nothing, and a non-positive limit",
        stack_values(budgets={"accounts": [{"account": "audit", "monthlyLimit": 0}]}),
        ["landing-zone:budgets.accounts[0].monthlyLimit: input should be greater than 0 (got 0)"],
    ),
    (
        "empty budgets",
        stack_values(budgets={}),
        [
            "landing-zone:budgets: configures nothing: set monthlyLimit, accounts, zeroSpend or anomalyDetection"
        ],
    ),
    (
        "immediate anomaly notifications need SNS",
        stack_values(budgets={"anomalyDetection": {"threshold": 50, "frequency": "IMMEDIATE"}}),
        ["landing-zone:budgets.anomalyDetection.frequency: 'IMMEDIATE' is not one of 'DAILY' or 'WEEKLY'"],
    ),
    (
        "baseline alias pattern giving invalid and duplicate aliases, unknown excluded account",
        stack_values(
            accounts=[
                {"name": "Audit Team"},
                {"name": "audit-team", "email": "audit@acme-corp.io"},
                {"name": "x", "email": "x@acme-corp.io"},
            ],
            organization_changes={"name": "a"},
            baseline={"accountAlias": "{account}", "excludeAccounts": ["legacy"]},
        ),
        [
            "landing-zone:baseline.accountAlias: gives 'audit-team' for both Audit Team and audit-team",
            "landing-zone:baseline.accountAlias: gives 'x' for account x, which is not an alias of 3 to 63 "
            "lowercase letters, digits and single hyphens, starting and ending with a letter or digit",
            "landing-zone:baseline.excludeAccounts[0]: account 'legacy' is not defined in accounts",
        ],
    ),
    (
        "baseline alias pattern without {account}",
        stack_values(baseline={"accountAlias": "{org}-{acount}"}),
        ["landing-zone:baseline.accountAlias: unknown placeholder {acount}; use {org} and {account}"],
    ),
    (
        "password policy weaker than IAM allows",
        stack_values(baseline={"passwordPolicy": {"minimumLength": 4, "reusePrevention": 25}}),
        [
            "landing-zone:baseline.passwordPolicy.minimumLength: input should be greater than or equal to 6 (got 4)",
            "landing-zone:baseline.passwordPolicy.reusePrevention: input should be less than or equal to 24 (got 25)",
        ],
    ),
    (
        "organization trail without its account or trusted access",
        stack_values(organizationTrail={"logArchiveAccount": "log-archive"}),
        [
            "landing-zone:organizationTrail: an organization trail needs trusted access: "
            "add cloudtrail.amazonaws.com to organization.awsServiceAccessPrincipals",
            "landing-zone:organizationTrail.logArchiveAccount: account 'log-archive' is not defined in accounts",
        ],
    ),
    (
        "delegated administration to an unknown account, a service twice, one without trusted access",
        stack_values(
            organization_changes={
                "awsServiceAccessPrincipals": ["account.amazonaws.com", "guardduty.amazonaws.com"]
            },
            delegatedAdministrators={"account": "security", "services": ["guardduty", "guardduty", "config"]},
        ),
        [
            "landing-zone:delegatedAdministrators.account: account 'security' is not defined in accounts",
            "landing-zone:delegatedAdministrators.services[1]: 'guardduty' is listed twice",
            "landing-zone:delegatedAdministrators.services[2]: 'config' needs trusted access: "
            "add config.amazonaws.com to organization.awsServiceAccessPrincipals",
        ],
    ),
    (
        "an unknown delegated service",
        stack_values(
            organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS},
            delegatedAdministrators={"services": ["inspector"]},
        ),
        [
            "landing-zone:delegatedAdministrators.services[0]: 'inspector' is not one of "
            "'guardduty', 'securityhub', 'access-analyzer' or 'config'"
        ],
    ),
]


@problem_table(CASES)
def test_problem_is_reported_under_its_key(values, expected):
    assert problems_of(values) == expected


def test_ten_policies_on_a_target_counting_full_aws_access_are_accepted():
    config = load_from_mapping(stack_values(guardrails=custom_policies(9, root=True)))
    assert [g.policy_name for g in config.guardrails] == [f"service-{n}" for n in range(1, 10)]
    # Allowed, with a warning: a later swap on a full target cannot succeed.
    assert [str(w) for w in config_warnings(config, "landing-zone")] == [
        "landing-zone:guardrails[8].root: the root has 10 service control policies attached, AWS's limit "
        "(FullAWSAccess included): replacing one of them later attaches the new policy before detaching "
        "the old one and fails; keep a slot free (attach one to a parent OU)"
    ]


def test_a_target_with_a_free_slot_gives_no_warning():
    config = load_from_mapping(
        stack_values(guardrails=[{"guardrail": name, "root": True} for name in NO_PARAMETERS[:3]])
    )
    assert config_warnings(config, "landing-zone") == []


def test_a_complete_governance_config_loads_with_defaults():
    config = load_from_mapping(
        stack_values(
            organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS},
            accounts=[{"name": "audit"}, {"name": "log-archive"}],
            guardrails=[{**REGION_DENY, "root": True}],
            budgets={"monthlyLimit": 1000},
            baseline={},
            organizationTrail={},
            delegatedAdministrators={"services": ["guardduty", "securityhub", "access-analyzer", "config"]},
        )
    )
    assert [(n.type, float(n.threshold)) for n in config.budgets.notifications] == [
        ("ACTUAL", 80.0),
        ("ACTUAL", 100.0),
        ("FORECASTED", 100.0),
    ]
    assert (
        config.baseline.password_policy.minimum_length,
        config.baseline.password_policy.reuse_prevention,
    ) == (
        14,
        24,
    )
    assert config.organization_trail.log_archive_account == "log-archive"
    assert config.delegated_administrators.account == "audit"
    assert config.guardrails[0].rendered().startswith('{"Version":"2012-10-17","Statement":[{"Sid":')


def test_exempted_permission_sets_the_stack_defines_or_cannot_know_are_accepted():
    defined = stack_values(
        identityCenter=IDENTITY,
        guardrails=[
            {
                **REGION_DENY,
                "root": True,
                "parameters": {"allowedRegions": ["eu-west-1"], "exemptPermissionSets": ["Platform"]},
            }
        ],
    )
    # Without identityCenter, the permission sets are managed elsewhere: nothing to check against.
    elsewhere = stack_values(
        guardrails=[
            {"guardrail": "deny-iam-users", "root": True, "parameters": {"exemptPermissionSets": ["Ops"]}}
        ]
    )
    # Nineteen fit under the size limit.
    nineteen = stack_values(
        guardrails=[
            {
                **REGION_DENY,
                "root": True,
                "parameters": {
                    "allowedRegions": ["eu-west-1"],
                    "exemptPermissionSets": [f"Team{n:02d}" for n in range(19)],
                },
            }
        ]
    )
    assert [problems_of(values) for values in (defined, elsewhere, nineteen)] == [[], [], []]
    (statement,) = json.loads(load_from_mapping(defined).guardrails[0].rendered())["Statement"]
    assert statement["Condition"]["ArnNotLike"] == {
        "aws:PrincipalARN": [
            "arn:aws:iam::*:role/OrganizationAccountAccessRole",
            "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Platform_????????????????",
            "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Platform_????????????????",
        ]
    }


def test_every_parameter_has_words_for_an_empty_list():
    accepted = {name for guardrail in catalog().values() for name in guardrail.accepted_parameters}
    # The organization's id is one value, not a list.
    assert accepted - {"organizationId"} == set(PARAMETER_ITEMS)
