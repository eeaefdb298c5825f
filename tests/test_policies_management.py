"""Nothing in the management account: the plain cases per resource, the positive decision on the stack.

`resources-in-member-accounts` allows a resource outside the allow-list only when its provider's
last assumed role is in a member account the stack manages; `no-resources-in-management-account`
stops the plain cases (no role, a role in a listed management account) before creation.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from landing_zone.policy_harness import Violation
from landing_zone.resource_types import ACCOUNT, ORGANIZATION
from tests.policy_builders import (
    UNKNOWN,
    check_resource,
    check_stack,
    provider,
    registered,
    stack_resource,
    urn_of,
)

from lz_policies import management  # isort: skip

MANAGEMENT_ID = "111111111111"
MEMBER_ID = "222222222222"
STRANGER_ID = "333333333333"
INSTANCE = "aws:ec2/instance:Instance"
PROVIDER = "pulumi:providers:aws"
IAM_ROLE = "aws:iam/role:Role"
ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def role(account: str, name: str = "OrganizationAccountAccessRole") -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def roles_props(roles: Any, shape: str = "assumeRoles") -> dict[str, Any]:
    """A provider's inputs as the engine sends them: nested values as JSON text."""
    if roles is UNKNOWN:
        return {shape: UNKNOWN}
    if shape == "assumeRole":  # the single-object shape (pulumi-aws 6, aws-native)
        return {shape: json.dumps({"roleArn": roles[0]})}
    return {shape: json.dumps([{"roleArn": arn} for arn in roles])}


# --- no-resources-in-management-account: the plain cases, before creation ------------------------

MGMT = management.no_resources_in_management_account
BREAK_GLASS = {"breakGlassRoles": ["BreakGlass"]}


@pytest.mark.parametrize(
    ("type_", "props", "prov", "config", "expected"),
    [
        (
            INSTANCE,
            {},
            provider(name="chain", **roles_props([role(MEMBER_ID), role(MANAGEMENT_ID)])),
            {"managementAccountIds": [MANAGEMENT_ID]},
            "aws:ec2/instance:Instance 'res' would be created in the management account through "
            "provider 'chain'; give it a provider that assumes a role in a member account",
        ),
        (
            INSTANCE,
            {},
            provider(name="single", **roles_props([role(MANAGEMENT_ID)], "assumeRole")),
            {"managementAccountIds": [MANAGEMENT_ID]},
            "aws:ec2/instance:Instance 'res' would be created in the management account through "
            "provider 'single'; give it a provider that assumes a role in a member account",
        ),
        (
            IAM_ROLE,
            {"name": "BreakGlass"},
            None,
            None,
            "aws:iam/role:Role 'res' would be created in the management account through the default "
            "provider; give it a provider that assumes a role in a member account",
        ),
        (
            IAM_ROLE,
            {"name": "Ops"},
            None,
            BREAK_GLASS,
            "aws:iam/role:Role 'res' would be created in the management account through the default "
            "provider; give it a provider that assumes a role in a member account",
        ),
        (
            "aws:iam/user:User",
            {"name": "BreakGlass"},
            None,
            BREAK_GLASS,
            "aws:iam/user:User 'res' would be created in the management account through the default "
            "provider; give it a provider that assumes a role in a member account",
        ),
        (
            "aws:iam/policyAttachment:PolicyAttachment",
            {"roles": ["BreakGlass"], "users": ["alice"], "policyArn": "p"},
            None,
            BREAK_GLASS,
            "aws:iam/policyAttachment:PolicyAttachment 'res' would be created in the management account "
            "through the default provider; give it a provider that assumes a role in a member account",
        ),
        (
            "aws:cloudtrail/trail:Trail",
            {"isOrganizationTrail": UNKNOWN},
            None,
            None,
            "aws:cloudtrail/trail:Trail 'res' cannot be checked: isOrganizationTrail is not known "
            "until the update runs",
        ),
    ],
    ids=[
        "chain-ending-in-listed-management",
        "single-role-shape-in-listed-management",
        "break-glass-not-listed",
        "role-not-break-glass",
        "break-glass-name-on-a-user",
        "break-glass-attachment-also-to-a-user",
        "unknown-trail-kind",
    ],
)
def test_management_account_plain_cases_fire(type_, props, prov, config, expected):
    assert check_resource(MGMT, type_, props, provider=prov, config=config) == [expected]


@pytest.mark.parametrize(
    ("type_", "props", "prov", "config"),
    [
        # The last hop decides: a chain from the management account into a member is a member.
        (
            INSTANCE,
            {},
            provider(**roles_props([role(MANAGEMENT_ID), role(MEMBER_ID)])),
            {"managementAccountIds": [MANAGEMENT_ID]},
        ),
        (IAM_ROLE, {"name": "BreakGlass"}, None, BREAK_GLASS),
        (
            ROLE_ATTACHMENT,
            {"role": "BreakGlass", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
            None,
            BREAK_GLASS,
        ),
        (ROLE_POLICY, {"role": "BreakGlass", "policy": "{}"}, None, BREAK_GLASS),
        (
            "aws:iam/policyAttachment:PolicyAttachment",
            {"roles": ["BreakGlass"], "policyArn": "p"},
            None,
            BREAK_GLASS,
        ),
        # Decided on the stack, where the accounts the stack manages are known.
        (INSTANCE, {}, provider(role(STRANGER_ID)), None),
    ],
    ids=[
        "chain-ending-in-member",
        "break-glass-role",
        "break-glass-attachment",
        "break-glass-inline",
        "break-glass-exclusive-attachment",
        "any-role",
    ],
)
def test_management_account_plain_cases_quiet(type_, props, prov, config):
    assert check_resource(MGMT, type_, props, provider=prov, config=config) == []


# --- resources-in-member-accounts: the positive decision on the stack ----------------------------

MEMBERS = management.resources_in_member_accounts


def organization_with(*extra: Any) -> list[Any]:
    """A stack with a management provider (no role, pinned to the management account), a member
    account it manages, and a member account created in this update (id unknown)."""
    management_provider = stack_resource(
        PROVIDER, "management", {"allowedAccountIds": json.dumps([MANAGEMENT_ID])}
    )
    audit = stack_resource(ACCOUNT, "audit", {"name": "audit", "id": MEMBER_ID})
    new = stack_resource(ACCOUNT, "new", {"name": "new", "id": UNKNOWN})
    return [management_provider, audit, new, *extra]


def through(
    name: str,
    props: dict[str, Any],
    dependencies: list[Any] | None = None,
    type_: str = INSTANCE,
    resource_props: dict[str, Any] | None = None,
) -> list[Any]:
    """A provider resource named `name` and a resource of `type_` going through it."""
    return [
        stack_resource(PROVIDER, name, props, dependencies=dependencies),
        stack_resource(type_, "web", resource_props or {}, provider=provider(name=name, **props)),
    ]


def web_message(tail: str) -> str:
    return f"aws:ec2/instance:Instance 'web' {tail}"


def new_account(resources: list[Any]) -> Any:
    return next(r for r in resources if r.name == "new")


FIRES = [
    (
        "role-in-management",
        through("p", roles_props([role(MANAGEMENT_ID)])),
        None,
        web_message(
            "would be created in the management account (111111111111) through provider 'p', whose last "
            "assumed role is there; give it a provider that assumes a role in a member account this stack manages"
        ),
    ),
    (
        "single-role-shape-in-management",
        through("p", roles_props([role(MANAGEMENT_ID)], "assumeRole")),
        None,
        web_message(
            "would be created in the management account (111111111111) through provider 'p', whose last "
            "assumed role is there; give it a provider that assumes a role in a member account this stack manages"
        ),
    ),
    (
        "chain-ending-in-management",
        through("p", roles_props([role(MEMBER_ID), role(MANAGEMENT_ID, "Admin")])),
        None,
        web_message(
            "would be created in the management account (111111111111) through provider 'p', whose last "
            "assumed role is there; give it a provider that assumes a role in a member account this stack manages"
        ),
    ),
    (
        "account-not-managed",
        through("p", roles_props([role(STRANGER_ID)])),
        None,
        web_message(
            "would be created in account 333333333333 through provider 'p', which is not a member account "
            "this stack manages; give it a provider that assumes a role in one of the stack's member "
            "accounts (if 333333333333 is the management account, list it in managementAccountIds)"
        ),
    ),
    (
        "not-an-iam-role",
        through("p", roles_props(["arn:aws:sts::222222222222:assumed-role/x/y"])),
        None,
        web_message(
            "goes through provider 'p', whose last assumed role is not an IAM role ARN, so its account "
            "cannot be told; give it a provider that assumes a role in a member account this stack manages"
        ),
    ),
    (
        "unknown-role-of-no-account",
        through("p", roles_props(UNKNOWN)),
        None,
        web_message("cannot be checked: the role provider 'p' assumes is not known until the update runs"),
    ),
    (
        "break-glass-role-elsewhere-is-still-checked",
        through("p", roles_props([role(STRANGER_ID)]), type_=IAM_ROLE, resource_props={"name": "BreakGlass"}),
        BREAK_GLASS,
        "aws:iam/role:Role 'web' would be created in account 333333333333 through provider 'p', which is "
        "not a member account this stack manages; give it a provider that assumes a role in one of the "
        "stack's member accounts (if 333333333333 is the management account, list it in managementAccountIds)",
    ),
]


@pytest.mark.parametrize(("extra", "config", "expected"), [f[1:] for f in FIRES], ids=[f[0] for f in FIRES])
def test_member_accounts_policy_fires(extra, config, expected):
    assert check_stack(MEMBERS, organization_with(*extra), config) == [(expected, extra[-1].urn)]


def test_the_management_account_is_told_by_the_organization_resource_too():
    organization = stack_resource(ORGANIZATION, "org", {"masterAccountId": STRANGER_ID})
    resources = [organization, *organization_with(*through("p", roles_props([role(STRANGER_ID)])))]
    assert check_stack(MEMBERS, resources) == [
        (
            web_message(
                "would be created in the management account (333333333333) through provider 'p', whose "
                "last assumed role is there; give it a provider that assumes a role in a member account "
                "this stack manages"
            ),
            urn_of(INSTANCE, "web"),
        )
    ]


def test_a_provider_for_an_account_created_in_this_update_is_a_member():
    resources = organization_with()
    resources += through("p", roles_props(UNKNOWN), dependencies=[new_account(resources)])
    assert check_stack(MEMBERS, resources) == []


def test_a_provider_depending_on_two_accounts_is_undecided():
    resources = organization_with()
    resources += through("p", roles_props(UNKNOWN), dependencies=[new_account(resources), resources[1]])
    assert check_stack(MEMBERS, resources) == [
        (
            web_message(
                "cannot be checked: the role provider 'p' assumes is not known until the update runs"
            ),
            urn_of(INSTANCE, "web"),
        )
    ]


@pytest.mark.parametrize(
    ("extra", "config"),
    [
        (through("p", roles_props([role(MEMBER_ID)])), None),
        (through("p", roles_props([role(MANAGEMENT_ID), role(MEMBER_ID)])), None),
        (through("p", roles_props([role(MEMBER_ID)], "assumeRole")), None),
        # Through the management provider: no-resources-in-management-account reports it, once.
        (through("q", {"allowedAccountIds": json.dumps([MANAGEMENT_ID])}), None),
        (
            through(
                "p", roles_props([role(MANAGEMENT_ID)]), type_=IAM_ROLE, resource_props={"name": "BreakGlass"}
            ),
            BREAK_GLASS,
        ),
        (through("p", roles_props([role(MANAGEMENT_ID)]), type_="aws:budgets/budget:Budget"), None),
        (through("p", roles_props([role(STRANGER_ID)])), {"managementAccountIds": [STRANGER_ID]}),
    ],
    ids=[
        "member",
        "chain-ending-in-member",
        "single-role-shape-member",
        "no-role",
        "break-glass",
        "allow-listed-type",
        "listed-management-left-to-the-resource-policy",
    ],
)
def test_member_accounts_policy_quiet(extra, config):
    assert check_stack(MEMBERS, organization_with(*extra), config) == []


# --- through the real pack, over gRPC ------------------------------------------------------------


def _account_id(resources, name: str) -> str:
    return next(r.id for r in resources if r.type == ACCOUNT and r.name == name)


def _management_id(resources) -> str:
    management = next(r for r in resources if r.type == PROVIDER and r.name.startswith("management"))
    return json.loads(management.inputs["allowedAccountIds"])[0]


@pytest.mark.parametrize(
    ("hops", "expected"),
    [
        (
            lambda r: [role(_account_id(r, "dev")), role(_management_id(r))],
            "would be created in the management account ({management}) through provider 'sneaky', whose "
            "last assumed role is there; give it a provider that assumes a role in a member account this "
            "stack manages",
        ),
        (
            lambda r: [role(STRANGER_ID)],
            "would be created in account 333333333333 through provider 'sneaky', which is not a member "
            "account this stack manages; give it a provider that assumes a role in one of the stack's "
            "member accounts (if 333333333333 is the management account, list it in managementAccountIds)",
        ),
        (lambda r: [role(_management_id(r)), role(_account_id(r, "dev"))], None),
    ],
    ids=["chain-into-management", "unmanaged-account", "chain-into-member"],
)
def test_the_prod_pack_decides_by_the_last_hop_into_a_managed_member(prod_pack, planned, hops, expected):
    resources = copy.deepcopy(planned["prod"].resources)
    sneaky = registered(
        PROVIDER, "sneaky", {"assumeRoles": json.dumps([{"roleArn": a} for a in hops(resources)])}
    )
    web = registered(INSTANCE, "web", {"ami": "ami-1"}, provider=f"{sneaky.urn}::{sneaky.id}")
    resources += [sneaky, web]
    violations = prod_pack.analyze(resources)
    if expected is None:
        assert violations == []
    else:
        message = f"aws:ec2/instance:Instance 'web' {expected.format(management=_management_id(resources))}"
        assert violations == [Violation("resources-in-member-accounts", "mandatory", message, web.urn)]


def test_the_prod_pack_lets_a_break_glass_role_live_in_the_management_account(prod_pack, planned):
    resources = copy.deepcopy(planned["prod"].resources)
    resources += [
        registered(IAM_ROLE, "break-glass", {"name": "BreakGlass", "assumeRolePolicy": "{}"}),
        registered(
            ROLE_ATTACHMENT,
            "break-glass-admin",
            {"role": "BreakGlass", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
        ),
    ]
    found = [(v.policy, v.urn.rpartition("::")[2]) for v in prod_pack.analyze(resources)]
    assert ("no-resources-in-management-account", "break-glass") not in found
    assert ("no-resources-in-management-account", "break-glass-admin") not in found


# Organization policies of every type are organization-level: they belong in the management
# account, classic or aws-native. What those policies configure (backup plans, Inspector,
# Bedrock guardrails, Security Hub) lives in member accounts: nothing more is allowed.
POLICY_TYPES_NOW = [
    "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY", "TAG_POLICY", "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY", "DECLARATIVE_POLICY_EC2", "CHATBOT_POLICY", "SECURITYHUB_POLICY",
    "INSPECTOR_POLICY", "BEDROCK_POLICY", "S3_POLICY", "UPGRADE_ROLLOUT_POLICY",
]  # fmt: skip


@pytest.mark.parametrize("policy_type", POLICY_TYPES_NOW)
@pytest.mark.parametrize("token", ["aws:organizations/policy:Policy", "aws-native:organizations:Policy"])
def test_policies_of_every_type_are_allowed_in_the_management_account(token, policy_type):
    props = {"name": "p", "type": policy_type, "content": "{}"}
    assert check_resource(MGMT, token, props, provider=None, config=BREAK_GLASS) == []


@pytest.mark.parametrize(
    "type_",
    [
        "aws:backup/plan:Plan",
        "aws:inspector2/enabler:Enabler",
        "aws:bedrock/guardrail:Guardrail",
        "aws:securityhub/account:Account",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
        "aws-native:backup:BackupPlan",
    ],
)
def test_what_the_policies_configure_is_not_allowed_in_the_management_account(type_):
    assert check_resource(MGMT, type_, {}, provider=None, config=BREAK_GLASS) == [
        f"{type_} 'res' would be created in the management account through the default provider; "
        "give it a provider that assumes a role in a member account"
    ]
