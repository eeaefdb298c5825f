"""The member-account baseline on a first real `pulumi up` (issue 10, items 2, 7, 13): opt-in
aliases, names AWS accepts, and a management account that passes the landing zone's own audit."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from landing_zone.config.baseline import ACCOUNT_ALIAS, ANALYZER_NAME
from landing_zone.config.cost_controls import BUDGET_NAME
from landing_zone.config.organization_trail import BUCKET_NAME
from landing_zone.live.audit.iam import MANAGEMENT_PASSWORD_POLICY
from landing_zone.live.audit.model import Finding
from landing_zone.live.session import Clients
from landing_zone.plan.runner import PlanResult, RegisteredResource
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, problem_table, problems_of
from tests.test_governance_program import account_ids, by_urn, member_baseline
from tests.test_program import plan_values

ALIAS = "aws:iam/accountAlias:AccountAlias"
ANALYZER = "aws:accessanalyzer/analyzer:Analyzer"
PASSWORD_POLICY = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
ALL_PRINCIPALS = [
    "account.amazonaws.com",
    "sso.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "access-analyzer.amazonaws.com",
    "config.amazonaws.com",
]


# Item 2 (and 15): aliases are global across all AWS customers; one alias, one analyzer.


def test_accounts_get_no_alias_unless_the_stack_asks_for_one():
    result = plan_values(stack_values(baseline={}))
    assert member_baseline(result), "the baseline is applied"
    assert result.of_type(ALIAS) == []


def test_an_alias_is_deleted_before_its_replacement_is_created():
    # IAM keeps one alias per account: creating the new one first overwrites the old, whose
    # delete then fails (pulumi/pulumi-aws#2208).
    result = plan_values(stack_values(baseline={"accountAlias": "acme-corp-{account}"}))
    aliases = result.of_type(ALIAS)
    assert {a.inputs["accountAlias"] for a in aliases} == {"acme-corp-audit", "acme-corp-production"}
    assert all(a.delete_before_replace for a in aliases)


def test_an_analyzer_is_deleted_before_its_replacement_is_created(planned):
    # One account analyzer per account and region: a new name cannot be created beside the old.
    analyzers = planned["prod"].of_type(ANALYZER)
    assert analyzers and all(a.delete_before_replace for a in analyzers)


def test_the_readme_says_aliases_are_global_and_what_a_collision_reports():
    readme = (PROJECT_DIR / "README.md").read_text()
    assert "unique across all AWS customers" in readme
    assert "EntityAlreadyExists" in readme
    assert "`accountAlias` (none by default)" in readme


# Item 7: every derived name is valid for its AWS rule, reported under the key to change.

NAME_CASES = [
    (
        "an organization code starting with a digit, with analyzers",
        stack_values(organization_changes={"name": "1acme"}, baseline={}),
        [
            "landing-zone:organization.name: '1acme' gives the access analyzer name '1acme-account', "
            "which is not an analyzer name of 1 to 255 letters, digits, '_', '.' and '-', starting "
            "with a letter or '_'; change the code, or set baseline.accessAnalyzer to false"
        ],
    ),
    (
        "an organization code giving a reserved bucket prefix",
        stack_values(
            organization_changes={"name": "xn--acme", "awsServiceAccessPrincipals": ALL_PRINCIPALS},
            organizationTrail={"logArchiveAccount": "audit"},
        ),
        [
            "landing-zone:organization.name: 'xn--acme' gives the organization trail's bucket name "
            "'xn--acme-cloudtrail-<log-archive id>', which is not an S3 bucket name of 3 to 63 "
            "lowercase letters, digits, '.' and '-' that AWS does not reserve (no xn--, sthree- or "
            "amzn-s3-demo- prefix, no -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3 suffix)"
        ],
    ),
    (
        "an account name giving a budget name AWS refuses",
        stack_values(
            accounts=[{"name": "audit"}, {"name": "data:lake", "email": "data-lake@acme-corp.io"}],
            budgets={"accounts": [{"account": "data:lake", "monthlyLimit": 10}]},
        ),
        [
            "landing-zone:accounts[1].name: gives the budget name 'acme-data:lake-monthly' "
            "(budgets.accounts[0]), which is not a budget name of 1 to 100 characters without a "
            "colon, a backslash or '/action/'"
        ],
    ),
    (
        "an alias pattern giving an alias too long for IAM",
        stack_values(
            accounts=[{"name": "a" * 50, "email": "long@acme-corp.io"}],
            baseline={"accountAlias": "{org}-aws-{account}-console"},
        ),
        [
            f"landing-zone:baseline.accountAlias: gives 'acme-aws-{'a' * 50}-console' for account {'a' * 50}, "
            "which is not an alias of 3 to 63 lowercase letters, digits and single hyphens, starting "
            "and ending with a letter or digit"
        ],
    ),
]


@problem_table(NAME_CASES)
def test_an_invalid_derived_name_is_reported_under_the_key_to_change(values, expected):
    assert problems_of(values) == expected


@pytest.mark.parametrize(
    "values",
    [
        # No analyzer, no trail: the code's leading digit breaks nothing.
        stack_values(organization_changes={"name": "1acme"}, baseline={"accessAnalyzer": False}),
        stack_values(organization_changes={"name": "1acme"}, budgets={"monthlyLimit": 5, "zeroSpend": True}),
        stack_values(
            organization_changes={"name": "1acme", "awsServiceAccessPrincipals": ALL_PRINCIPALS},
            organizationTrail={"logArchiveAccount": "audit"},
        ),
    ],
    ids=["analyzers off", "budgets", "trail bucket"],
)
def test_a_code_that_breaks_no_name_in_use_is_accepted(values):
    assert problems_of(values) == []


@pytest.mark.parametrize(
    ("rule", "valid", "invalid"),
    [
        (
            ANALYZER_NAME,
            ["acme-account", "_x", "A.b-c_d", "a" * 255],
            ["1acme-account", "-x", "a b", "a" * 256],
        ),
        (
            BUCKET_NAME,
            ["acme-cloudtrail-123456789012", "a.b-c", "abc"],
            [
                "ab",
                "a" * 64,
                "Acme",
                "acme-",
                "a..b",
                "192.168.5.4",
                "xn--acme",
                "sthree-acme",
                "amzn-s3-demo-x",
                "acme-s3alias",
                "acme--ol-s3",
                "acme.mrap",
                "acme--x-s3",
                "acme--table-s3",
                "acme_logs",
            ],
        ),
        (
            BUDGET_NAME,
            ["acme-monthly", "acme-Data Lake-monthly", "a" * 100],
            ["a:b", "a\\b", "x/action/y", "a" * 101],
        ),
        (ACCOUNT_ALIAS, ["acme-corp-dev", "a1b"], ["ab", "acme--dev", "-acme", "Acme", "a" * 64]),
    ],
    ids=["analyzer", "bucket", "budget", "alias"],
)
def test_name_rules_accept_what_aws_accepts(rule, valid, invalid):
    assert [name for name in valid if not rule.matches(name)] == []
    assert [name for name in invalid if rule.matches(name)] == []


def test_components_name_what_they_create_with_the_config_s_functions():
    values = stack_values(
        organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS},
        accounts=[{"name": "audit"}, {"name": "log-archive"}],
        budgets={"monthlyLimit": 5, "zeroSpend": True, "accounts": [{"account": "audit", "monthlyLimit": 1}]},
        organizationTrail={},
        baseline={},
    )
    result = plan_values(values)
    assert sorted(b.inputs["name"] for b in result.of_type("aws:budgets/budget:Budget")) == [
        "acme-audit-monthly",
        "acme-monthly",
        "acme-zero-spend",
    ]
    (bucket,) = result.of_type("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"] == f"acme-cloudtrail-{account_ids(result)['log-archive']}"
    assert {a.inputs["analyzerName"] for a in result.of_type(ANALYZER)} == {"acme-account"}


# Item 13: the management account passes the landing zone's own audit.


def management_policy(result: PlanResult) -> RegisteredResource:
    (policy,) = [
        p for p in result.of_type(PASSWORD_POLICY) if by_urn(result)[p.parent].type.endswith(":LandingZone")
    ]
    return policy


def audit_of(policy: RegisteredResource) -> Finding:
    """`lz audit`'s management.password-policy check on what IAM returns for `policy`."""
    inputs = policy.inputs
    clients = Clients(
        boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1")
    )
    with Stubber(clients.client("iam")) as iam:
        iam.add_response(
            "get_account_password_policy",
            {
                "PasswordPolicy": {
                    "MinimumPasswordLength": inputs["minimumPasswordLength"],
                    "PasswordReusePrevention": inputs["passwordReusePrevention"],
                    "RequireSymbols": inputs["requireSymbols"],
                    "RequireNumbers": inputs["requireNumbers"],
                    "RequireUppercaseCharacters": inputs["requireUppercaseCharacters"],
                    "RequireLowercaseCharacters": inputs["requireLowercaseCharacters"],
                    "AllowUsersToChangePassword": inputs["allowUsersToChangePassword"],
                }
            },
        )
        return MANAGEMENT_PASSWORD_POLICY.run(clients)


@pytest.mark.parametrize("stack", ["prod", "dev"])
def test_the_management_account_has_a_password_policy_lz_audit_passes(planned, stack):
    policy = management_policy(planned[stack])
    assert not policy.provider  # the default provider: the management account
    assert audit_of(policy).outcome == "pass"


def test_without_a_baseline_the_management_policy_follows_cis():
    policy = management_policy(plan_values(stack_values()))
    assert (policy.inputs["minimumPasswordLength"], policy.inputs["passwordReusePrevention"]) == (14, 24)
    assert audit_of(policy).outcome == "pass"


def test_the_management_policy_is_the_baseline_s():
    values = stack_values(baseline={"passwordPolicy": {"minimumLength": 20, "maxAge": 90}})
    policies = plan_values(values).of_type(PASSWORD_POLICY)
    assert {(p.inputs["minimumPasswordLength"], p.inputs["maxPasswordAge"]) for p in policies} == {(20, 90)}
    assert len(policies) == 3  # audit, production and the management account
