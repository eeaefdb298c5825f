"""The member-account baseline on a first real `pulumi up` (issue 10, items 2, 6, 7, 12, 13):
opt-in aliases, adopted accounts and analyzers, names AWS accepts, every governed region, and a
management account that passes the landing zone's own audit."""

from __future__ import annotations

import json

import boto3
import pulumi
import pytest
from botocore.stub import Stubber

from landing_zone.config import load_from_mapping
from landing_zone.config.baseline import ACCOUNT_ALIAS, ANALYZER_NAME
from landing_zone.config.cost_controls import BUDGET_NAME
from landing_zone.config.organization_trail import BUCKET_NAME
from landing_zone.config.regions import governed_regions
from landing_zone.live.audit.iam import MANAGEMENT_PASSWORD_POLICY
from landing_zone.live.audit.model import Finding
from landing_zone.live.session import Clients
from landing_zone.plan.runner import PlanResult, RegisteredResource
from tests.builders import ALL_PRINCIPALS, stack_values
from tests.helpers import PROJECT_DIR, problem_table, problems_of, run_lz, write_stack
from tests.test_governance_program import (
    PROVIDER,
    account_ids,
    assumed_role_arns,
    by_urn,
    member_baseline,
    owning_account,
    provider_of,
)
from tests.test_program import plan_values

ALIAS = "aws:iam/accountAlias:AccountAlias"
ANALYZER = "aws:accessanalyzer/analyzer:Analyzer"
EBS = "aws:ebs/encryptionByDefault:EncryptionByDefault"
PASSWORD_POLICY = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"
GUARDDUTY = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
SECURITYHUB = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
DELEGATED = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
TWO_REGIONS = {
    "guardrail": "deny-unapproved-regions",
    "organizationalUnits": ["Workloads"],
    "parameters": {"allowedRegions": ["eu-central-1", "eu-west-1"]},
}
LEGACY = {"name": "legacy", "email": "legacy@acme-corp.io", "import": "123456789012"}


def names(resources: list[RegisteredResource]) -> list[str]:
    return sorted(r.name for r in resources)


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


# Item 6: adopted accounts and analyzers.

ADOPTION_CASES = [
    (
        "an imported account in the baseline without its role",
        stack_values(accounts=[{"name": "audit"}, LEGACY], baseline={}),
        [
            "landing-zone:accounts[1].roleName: must be set: legacy is imported and gets the baseline, "
            "and an account that joined by invitation has no OrganizationAccountAccessRole: create a "
            "role there that trusts the management account and set roleName to its name "
            "(OrganizationAccountAccessRole if Organizations created the account), or add legacy to "
            "baseline.excludeAccounts"
        ],
    ),
    (
        "an imported log-archive account, excluded from the baseline, without its role",
        stack_values(
            organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS},
            accounts=[{"name": "audit"}, LEGACY],
            baseline={"excludeAccounts": ["legacy"]},
            organizationTrail={"logArchiveAccount": "legacy"},
        ),
        [
            "landing-zone:accounts[1].roleName: must be set: legacy is imported and holds the "
            "organization trail's bucket (organizationTrail.logArchiveAccount), and an account that "
            "joined by invitation has no OrganizationAccountAccessRole: create a role there that "
            "trusts the management account and set roleName to its name "
            "(OrganizationAccountAccessRole if Organizations created the account)"
        ],
    ),
    (
        "adopted analyzers in an unknown account, an excluded one, an ungoverned region, twice",
        stack_values(
            accounts=[{"name": "audit"}, {"name": "production"}],
            guardrails=[TWO_REGIONS],
            baseline={
                "excludeAccounts": ["production"],
                "importAnalyzers": [
                    {"account": "security", "name": "ConsoleAnalyzer"},
                    {"account": "production", "name": "ConsoleAnalyzer"},
                    {"account": "audit", "region": "us-east-1", "name": "ConsoleAnalyzer"},
                    {"account": "audit", "region": "eu-central-1", "name": "ConsoleAnalyzer"},
                    {"account": "audit", "region": "eu-central-1", "name": "Other"},
                ],
            },
        ),
        [
            "landing-zone:baseline.importAnalyzers[0].account: account 'security' is not defined in accounts",
            "landing-zone:baseline.importAnalyzers[1].account: 'production' is in "
            "baseline.excludeAccounts: it gets no analyzer",
            "landing-zone:baseline.importAnalyzers[2].region: the baseline does not govern us-east-1: "
            "leave region out for the stack's aws:region, or name a region a guardrail allows "
            "(eu-central-1, eu-west-1)",
            "landing-zone:baseline.importAnalyzers[4]: same account and region as "
            "baseline.importAnalyzers[3]: AWS allows one account analyzer per account and region",
        ],
    ),
    (
        "an adopted analyzer while analyzers are off",
        stack_values(
            baseline={"accessAnalyzer": False, "importAnalyzers": [{"account": "audit", "name": "x"}]}
        ),
        [
            "landing-zone:baseline.importAnalyzers[0]: adopts an analyzer while baseline.accessAnalyzer is false"
        ],
    ),
    (
        "an adopted analyzer with a name AWS refuses",
        stack_values(baseline={"importAnalyzers": [{"account": "audit", "name": "1st"}]}),
        [
            "landing-zone:baseline.importAnalyzers[0].name: '1st' is not an analyzer name of 1 to 255 "
            "letters, digits, '.', '_' and '-', starting with a letter"
        ],
    ),
]


@problem_table(ADOPTION_CASES)
def test_adoption_problems_are_reported_under_their_key(values, expected):
    assert problems_of(values) == expected


@pytest.mark.parametrize(
    "values",
    [
        # The role named: created by hand, or OrganizationAccountAccessRole written out.
        stack_values(accounts=[{**LEGACY, "roleName": "LegacyAdmin"}], baseline={}),
        stack_values(accounts=[{**LEGACY, "roleName": "OrganizationAccountAccessRole"}], baseline={}),
        # The stack never acts in it.
        stack_values(accounts=[LEGACY]),
        stack_values(accounts=[{"name": "audit"}, LEGACY], baseline={"excludeAccounts": ["legacy"]}),
        # Created by this stack: Organizations creates the role.
        stack_values(accounts=[{"name": "audit"}], baseline={}),
    ],
    ids=["own role", "created-account role written out", "no baseline", "excluded", "created account"],
)
def test_an_account_whose_role_is_known_or_unused_is_accepted(values):
    assert problems_of(values) == []


def test_an_imported_account_is_reached_through_the_role_it_names_in_every_region():
    values = stack_values(
        accounts=[{**LEGACY, "ou": "Workloads", "roleName": "LegacyAdmin"}],
        guardrails=[TWO_REGIONS],
        baseline={},
    )
    result = plan_values(values)
    providers = result.of_type(PROVIDER)
    assert names(providers) == ["legacy-member", "legacy-member-eu-central-1"]
    for provider in providers:
        assert assumed_role_arns(provider) == ["arn:aws:iam::123456789012:role/LegacyAdmin"]


def test_an_existing_analyzer_is_adopted_by_its_name_in_its_region_only():
    values = stack_values(
        guardrails=[TWO_REGIONS],
        baseline={
            "importAnalyzers": [
                {"account": "audit", "name": "ConsoleAnalyzer-eu-west-1"},  # the stack's region
                {"account": "production", "region": "eu-central-1", "name": "ExternalAccess"},
            ]
        },
    )
    analyzers = {a.name: a for a in plan_values(values).of_type(ANALYZER)}
    assert {name: (a.inputs["analyzerName"], a.import_id) for name, a in analyzers.items()} == {
        "audit-access-analyzer": ("ConsoleAnalyzer-eu-west-1", "ConsoleAnalyzer-eu-west-1"),
        "audit-access-analyzer-eu-central-1": ("acme-account", ""),
        "production-access-analyzer": ("acme-account", ""),
        "production-access-analyzer-eu-central-1": ("ExternalAccess", "ExternalAccess"),
    }
    # One account analyzer per account and region: a replacement deletes the old one first.
    assert all(a.delete_before_replace and a.inputs["type"] == "ACCOUNT" for a in analyzers.values())


# Item 7: every derived name is valid for its AWS rule, reported under the key to change.

NAME_CASES = [
    (
        "an organization code starting with a digit, with analyzers",
        stack_values(organization_changes={"name": "1acme"}, baseline={}),
        [
            "landing-zone:organization.name: '1acme' gives the access analyzer name '1acme-account', "
            "which is not an analyzer name of 1 to 255 letters, digits, '.', '_' and '-', starting "
            "with a letter; change the code, or set baseline.accessAnalyzer to false"
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
            ["acme-account", "A.b-c_d", "a" * 255],
            ["1acme-account", "_x", "-x", "a b", "a" * 256],
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


# Item 12: regional settings and delegations in every governed region.


def test_governed_regions_are_the_stack_s_then_every_allowed_one():
    config = load_from_mapping(
        stack_values(
            guardrails=[
                TWO_REGIONS,
                {
                    **TWO_REGIONS,
                    "name": "more",
                    "parameters": {"allowedRegions": ["us-east-1", "eu-west-1"]},
                    "organizationalUnits": ["Security"],
                },
            ]
        )
    )
    assert governed_regions("eu-west-1", config.guardrails) == ("eu-west-1", "eu-central-1", "us-east-1")
    assert governed_regions("ap-south-1", config.guardrails) == (
        "ap-south-1",
        "eu-central-1",
        "eu-west-1",
        "us-east-1",
    )
    assert governed_regions(None, ()) == (None,)


def test_prod_applies_regional_settings_in_each_allowed_region_through_a_provider_each(planned):
    result = planned["prod"]
    ids = account_ids(result)
    for type_ in (EBS, ANALYZER):
        resources = [r for r in member_baseline(result) if r.type == type_]
        placed = {(owning_account(result, r), provider_of(result, r).inputs["region"]) for r in resources}
        assert placed == {(account, region) for account in ids for region in ("eu-west-1", "eu-central-1")}
    for provider in result.of_type(PROVIDER):
        if provider.name.startswith("management-"):
            continue
        account, _, region = provider.name.partition("-member")
        assert provider.inputs["region"] == (region.removeprefix("-") or "eu-west-1"), provider.name
        assert json.loads(provider.inputs["allowedAccountIds"]) == [ids[account]], provider.name


def test_logical_names_in_the_stack_s_region_stay_those_from_before_regions(planned):
    # A rename would replace the resource: only the other regions get a suffix.
    result = planned["prod"]
    audit = {r.name for r in result.resources if r.name.startswith("audit-")}
    assert audit >= {
        "audit-member",
        "audit-password-policy",
        "audit-alias",
        "audit-s3-public-access-block",
        "audit-ebs-encryption-by-default",
        "audit-access-analyzer",
        "audit-member-eu-central-1",
        "audit-ebs-encryption-by-default-eu-central-1",
        "audit-access-analyzer-eu-central-1",
    }
    assert {r.name for r in result.of_type(GUARDDUTY)} == {"acme-guardduty", "acme-guardduty-eu-central-1"}


def test_regional_delegations_go_through_a_management_provider_per_region(planned):
    result = planned["prod"]
    management_id = result.outputs["managementAccountId"]
    audit = account_ids(result)["audit"]
    (provider,) = [p for p in result.of_type(PROVIDER) if p.name.startswith("management-")]
    assert provider.name == "management-eu-central-1"
    assert provider.inputs["region"] == "eu-central-1"
    assert "assumeRoles" not in provider.inputs  # the management account: the pack allows these types there
    assert json.loads(provider.inputs["allowedAccountIds"]) == [management_id]
    for type_ in (GUARDDUTY, SECURITYHUB):
        admins = {r.name: r for r in result.of_type(type_)}
        home, other = sorted(admins, key=len)
        assert not admins[home].provider  # the default provider, in aws:region
        assert provider_of(result, admins[other]).name == "management-eu-central-1"
        assert admins[home].urn in admins[other].dependencies  # registered with Organizations first
        assert {a.inputs["adminAccountId"] for a in admins.values()} == {audit}
    # Organizations' registration is global: once.
    assert len(result.of_type(DELEGATED)) == 2


def test_without_other_allowed_regions_nothing_regional_is_added(planned):
    result = planned["dev"]  # its guardrail allows only its aws:region
    assert not [
        p for p in result.of_type(PROVIDER) if p.name.startswith("management-") or "-member-" in p.name
    ]
    assert not [r for r in result.resources if r.name.endswith("-eu-west-1")]


def test_providers_added_are_one_per_baseline_account_and_other_region():
    accounts = [{"name": f"app{n}", "ou": "Workloads"} for n in range(5)]
    three = {**TWO_REGIONS, "parameters": {"allowedRegions": ["eu-west-1", "eu-central-1", "us-east-1"]}}
    result = plan_values(
        stack_values(
            organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS},
            accounts=accounts,
            guardrails=[three],
            baseline={},
            delegatedAdministrators={"account": "app0", "services": ["guardduty", "securityhub", "config"]},
        )
    )
    # 5 accounts x 3 regions, plus the management account in the 2 other regions.
    assert len(result.of_type(PROVIDER)) == 5 * 3 + 2


def test_other_regions_without_aws_region_are_refused_without_a_traceback(capsys, tmp_path):
    values = stack_values(guardrails=[TWO_REGIONS], baseline={})
    del values["aws:region"]
    # The program raises RunError: the engine (and lz plan) show the message alone.
    with pytest.raises(
        pulumi.RunError, match="aws:region: must be set: guardrails allow eu-central-1, eu-west-1"
    ):
        plan_values(values)
    code, out, err = run_lz(
        capsys, "plan", "--config-file", str(write_stack(tmp_path, values)), "--no-policy"
    )
    assert (code, out) == (1, "")
    assert err.startswith(
        "lz plan: the program stopped: 1 problem in the stack config\n  aws:region: must be set"
    )


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
