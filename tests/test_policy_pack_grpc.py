"""The real pack, started as the Pulumi CLI starts it and driven over gRPC, on what the program registers."""

from __future__ import annotations

import copy
import json

import pytest

from landing_zone.config import read_stack_file
from landing_zone.plan.runner import RegisteredResource, run_program
from landing_zone.policy_harness import (
    PolicyConfigError,
    PolicyPack,
    PolicyPackError,
    Violation,
    read_enforcement_file,
)
from landing_zone.resource_types import ACCOUNT
from landing_zone.resource_types import ALTERNATE_CONTACT as CONTACT
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from tests.conftest import PROJECT_DIR, STACKS
from tests.policy_builders import PACK_DIR, UNKNOWN, registered


@pytest.fixture(scope="module")
def packs():
    """One pack process per stack for the whole module, as `pulumi preview --stack S` starts one."""
    started = {
        stack: PolicyPack(
            PACK_DIR, "landing-zone", stack, read_stack_file(PROJECT_DIR / f"Pulumi.{stack}.yaml")
        )
        for stack in STACKS
    }
    yield started
    for pack in started.values():
        pack.close()


def enforcement(stack: str) -> dict:
    return read_enforcement_file(PACK_DIR / f"config.{stack}.json")


def analyze(pack: PolicyPack, resources: list[RegisteredResource], stack: str = "prod") -> list[Violation]:
    pack.configure(enforcement(stack))
    return pack.analyze(resources)


def test_analyzer_info_lists_every_policy_with_level_and_schema(packs):
    info = packs["prod"].info
    assert info.name == "landing-zone-policies"
    levels = {p.name: p.enforcementLevel for p in info.policies}
    assert sorted(levels) == [
        "account-email-convention",
        "account-emails-unique",
        "account-lifecycle-safe",
        "admin-identities-separate",
        "alternate-contacts-complete",
        "delegated-administrators-designated",
        "disposable-accounts-in-sandbox",
        "guardrails-stay-attached",
        "human-roles-require-mfa",
        "iam-users-require-mfa",
        "management-account-not-a-member",
        "management-admin-restricted",
        "no-iam-user-access-keys",
        "no-resources-in-management-account",
        "no-wildcard-inline-admin",
        "permission-set-session-limit",
        "production-accounts-in-production-ous",
        "production-admin-restricted",
        "resources-in-member-accounts",
        "suspended-accounts-contained",
    ]
    session = next(p for p in info.policies if p.name == "permission-set-session-limit")
    assert session.configSchema.properties["maxSessionHours"]["default"] == 12


@pytest.mark.parametrize(("stack", "level"), [("prod", "mandatory"), ("dev", "advisory")])
def test_enforcement_files_set_every_policy_level_and_keep_defaults(packs, stack, level):
    settings = packs[stack].configure(enforcement(stack))
    assert {s.level for s in settings.values()} == {level}
    assert settings["permission-set-session-limit"].properties == {"maxSessionHours": 12}
    assert settings["account-lifecycle-safe"].properties["disposableTags"] == ["environment=sandbox"]


def test_enforcement_file_problems_are_all_named(packs):
    with pytest.raises(PolicyConfigError) as err:
        packs["prod"].configure(
            {
                "no-such-policy": "mandatory",
                "all": "loud",
                "permission-set-session-limit": {"maxSessionHours": "12"},
            }
        )
    assert str(err.value) == (
        "'all'.enforcementLevel: 'loud' is not one of advisory, mandatory, disabled, remediate; "
        "'no-such-policy': no such policy in pack landing-zone-policies; "
        "'permission-set-session-limit'.maxSessionHours: expected number, got \"12\""
    )


@pytest.mark.parametrize("stack", STACKS)
def test_example_stacks_have_no_violations(packs, planned, stack):
    resources = planned[stack].resources
    assert len(resources) > 20
    assert analyze(packs[stack], resources, stack) == []


# --- mutated prod sets: each gives exactly the expected violation --------------------------------


def _prod(planned) -> list[RegisteredResource]:
    return copy.deepcopy(planned["prod"].resources)


def _find(resources, type_, name) -> RegisteredResource:
    return next(r for r in resources if r.type == type_ and r.name == name)


def member_role(resources, account: str = "dev") -> str:
    """The access role of one of the stack's own member accounts: where workloads may go."""
    return f"arn:aws:iam::{_find(resources, ACCOUNT, account).id}:role/OrganizationAccountAccessRole"


def ec2_through_default_provider(resources):
    resources.append(
        registered("aws:ec2/instance:Instance", "web", {"instanceType": "t3.micro", "ami": "ami-1"})
    )
    return "web"


def unprotected_account(resources):
    _find(resources, ACCOUNT, "audit").protect = False
    return "audit"


def duplicated_email(resources):
    # A copy-pasted account block: `dev` registered with audit's name and root email.
    audit, dev = _find(resources, ACCOUNT, "audit"), _find(resources, ACCOUNT, "dev")
    for record in (dev.inputs, dev.outputs):
        record["name"], record["email"] = audit.inputs["name"], audit.inputs["email"]
    return "dev"


def missing_security_contact(resources):
    resources.remove(_find(resources, CONTACT, "production-security"))
    return "production"


def iam_user_without_mfa_group(resources):
    provider = registered(
        "pulumi:providers:aws",
        "workload",
        {"region": "eu-west-1", "assumeRoles": json.dumps([{"roleArn": member_role(resources)}])},
    )
    ref = f"{provider.urn}::{provider.id}"
    resources += [
        provider,
        registered("aws:iam/user:User", "alice", {"name": "alice"}, provider=ref),
        registered(
            "aws:iam/userLoginProfile:UserLoginProfile", "alice-login", {"user": "alice"}, provider=ref
        ),
    ]
    return "alice"


def day_long_session(resources):
    permission_set = _find(resources, "aws:ssoadmin/permissionSet:PermissionSet", "AdministratorAccess")
    permission_set.inputs["sessionDuration"] = "PT24H"
    return "AdministratorAccess"


MUTATIONS = [
    (
        ec2_through_default_provider,
        "no-resources-in-management-account",
        "aws:ec2/instance:Instance 'web' would be created in the management account through provider 'default'; "
        "give it a provider that assumes a role in a member account",
    ),
    (
        unprotected_account,
        "account-lifecycle-safe",
        "account 'audit' is not protected: a removed config entry or `pulumi destroy` would take it out of the "
        "organization; register it with protect=True",
    ),
    (
        duplicated_email,
        "account-emails-unique",
        "account 'audit' has the same root email as account 'audit': aws-acme+audit@acme-corp.io",
    ),
    (
        missing_security_contact,
        "alternate-contacts-complete",
        "account 'production' has no SECURITY alternate contact",
    ),
    (
        iam_user_without_mfa_group,
        "iam-users-require-mfa",
        "IAM user 'alice' has a console login but is in no group whose policy denies everything without MFA; "
        "people should sign in through Identity Center",
    ),
    (
        day_long_session,
        "permission-set-session-limit",
        "permission set 'AdministratorAccess' allows sessions of PT24H (24 hours); the maximum is 12 hours",
    ),
]


@pytest.mark.parametrize(("mutate", "policy", "message"), MUTATIONS, ids=[m[0].__name__ for m in MUTATIONS])
def test_mutated_prod_set_gives_exactly_the_expected_violation(packs, planned, mutate, policy, message):
    resources = _prod(planned)
    culprit = mutate(resources)
    urn = next(r.urn for r in resources if r.name == culprit and not r.type.startswith("landing-zone:"))
    assert analyze(packs["prod"], resources) == [Violation(policy, "mandatory", message, urn)]


def test_dev_enforcement_reports_the_same_violation_as_advisory(packs, planned):
    resources = copy.deepcopy(planned["dev"].resources)
    resources.append(
        registered("aws:ec2/instance:Instance", "web", {"instanceType": "t3.micro"}, stack="dev")
    )
    assert [(v.policy, v.level) for v in analyze(packs["dev"], resources, "dev")] == [
        ("no-resources-in-management-account", "advisory")
    ]


def test_the_same_instance_through_a_member_provider_is_quiet(packs, planned):
    resources = _prod(planned)
    provider = registered(
        "pulumi:providers:aws", "workload", {"assumeRoles": json.dumps([{"roleArn": member_role(resources)}])}
    )
    resources += [
        provider,
        registered("aws:ec2/instance:Instance", "web", {}, provider=f"{provider.urn}::{provider.id}"),
    ]
    assert analyze(packs["prod"], resources) == []


def test_values_unknown_during_preview_are_neither_crashes_nor_violations(packs, planned):
    resources = _prod(planned)
    new_account = registered(
        ACCOUNT,
        "sandbox-carol",
        {
            "name": "sandbox-carol",
            "email": "aws-acme+sandbox-carol@acme-corp.io",
            "closeOnDeletion": True,
            "tags": {"environment": "sandbox"},
            "parentId": _find(resources, OU, "Sandbox").id,
        },
        protect=True,
        resource_id=UNKNOWN,
    )
    # The provider of an account created in this update: its role ARN waits for the account's id.
    new_member = registered(
        "pulumi:providers:aws", "new-member", {"assumeRoles": UNKNOWN}, dependencies=[new_account.urn]
    )
    resources += [
        new_member,
        new_account,
        *(
            registered(
                CONTACT,
                f"sandbox-carol-{t.lower()}",
                {"accountId": UNKNOWN, "alternateContactType": t},
                dependencies=[new_account.urn],
                property_dependencies={"accountId": [new_account.urn]},
            )
            for t in ("BILLING", "OPERATIONS", "SECURITY")
        ),
        registered(
            "aws:ec2/instance:Instance",
            "web",
            {"ami": UNKNOWN},
            provider=f"{new_member.urn}::{new_member.id}",
        ),
        # An unknown session duration or trust policy is reported as undecided:
        # tests/test_policy_pack_grpc_iam.py.
        registered(
            "aws:iam/accessKey:AccessKey",
            "key",
            {"user": UNKNOWN},
            provider=f"{new_member.urn}::{new_member.id}",
        ),
    ]
    assert analyze(packs["prod"], resources) == []


def test_a_disabled_policy_stays_silent(packs, planned):
    resources = _prod(planned)
    unprotected_account(resources)
    packs["prod"].configure({**enforcement("prod"), "account-lifecycle-safe": "disabled"})
    assert packs["prod"].analyze(resources) == []


def test_a_pack_that_cannot_start_is_reported_with_its_error(tmp_path):
    (tmp_path / "__main__.py").write_text("raise ImportError('no module named lz_policies')\n")
    with pytest.raises(PolicyPackError) as err:
        PolicyPack(tmp_path, "landing-zone", "prod", {})
    assert str(err.value).startswith("the policy pack did not start: ")
    assert "ImportError: no module named lz_policies" in str(err.value)


IDENTITY_CENTER_PROGRAM = """
import pulumi
import pulumi_aws as aws

workloads = aws.organizations.OrganizationalUnit("Workloads", name="Workloads", parent_id="r-abcd")
production_ou = aws.organizations.OrganizationalUnit(
    "Workloads/Production", name="Production", parent_id=workloads.id
)
production = aws.organizations.Account(
    "production", name="production", email="aws-acme+production@acme-corp.io", parent_id=production_ou.id,
    opts=pulumi.ResourceOptions(protect=True),
)
instance_arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
admin = aws.ssoadmin.PermissionSet(
    "AdministratorAccess", name="AdministratorAccess", instance_arn=instance_arn, session_duration="PT8H"
)
group = aws.identitystore.Group("GROUP_NAME", display_name="GROUP_NAME", identity_store_id="d-1234567890")
aws.ssoadmin.AccountAssignment(
    "production-g-GROUP_NAME-AdministratorAccess",
    instance_arn=instance_arn,
    permission_set_arn=admin.arn,
    principal_id=group.group_id,
    principal_type="GROUP",
    target_id=production.id,
    target_type="AWS_ACCOUNT",
)
member = aws.Provider(
    "production",
    region="eu-west-1",
    assume_roles=[
        aws.ProviderAssumeRoleArgs(
            role_arn=production.id.apply(lambda i: f"arn:aws:iam::{i}:role/OrganizationAccountAccessRole"),
            session_name="landing-zone",
        )
    ],
)
aws.ec2.Instance("member-web", ami="ami-1", instance_type="t3.micro", opts=pulumi.ResourceOptions(provider=member))
aws.ec2.Instance("web", ami="ami-1", instance_type="t3.micro")
"""


def registrations_of(tmp_path, group: str):
    """What pulumi-aws registers (under `lz plan`'s mocks) for Identity Center and a member provider."""
    (tmp_path / "__main__.py").write_text(IDENTITY_CENTER_PROGRAM.replace("GROUP_NAME", group))
    return run_program(tmp_path, "landing-zone", "prod", {"aws:region": "eu-west-1"}).resources


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pulumi_aws.ec2 warns on import
@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("platform-admins", []),
        (
            "developers",
            [
                (
                    "production-admin-restricted",
                    "permission set 'AdministratorAccess' is admin (the policy config names it as admin) and is "
                    "assigned on production account 'production' to group 'developers', which is not in "
                    "allowedGroups",
                )
            ],
        ),
    ],
)
def test_identity_center_references_resolve_on_real_registrations(packs, tmp_path, group, expected):
    resources = registrations_of(tmp_path, group)
    packs["prod"].configure(
        {
            "all": "disabled",
            "production-admin-restricted": {
                "enforcementLevel": "mandatory",
                "allowedGroups": ["platform-admins"],
            },
            "no-resources-in-management-account": "mandatory",
            "permission-set-session-limit": "mandatory",
        }
    )
    violations = packs["prod"].analyze(resources)
    assert [(v.policy, v.message) for v in violations] == [
        (
            "no-resources-in-management-account",
            "aws:ec2/instance:Instance 'web' would be created in the management account through provider "
            "'default'; give it a provider that assumes a role in a member account",
        ),
        *expected,
    ]
    provider = next(r for r in resources if r.type == "pulumi:providers:aws")
    assert isinstance(provider.inputs["assumeRoles"], str)  # the engine's shape: nested inputs as JSON text
