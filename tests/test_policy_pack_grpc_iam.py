"""The IAM and Identity Center policies through the real pack, started as the Pulumi CLI starts it
and driven over gRPC with `config.prod.json` (every policy mandatory), on the prod stack's
resources plus one hand-made change each: a few bypass classes of issue 11, end to end."""

from __future__ import annotations

import copy
import json

import pytest

from landing_zone.plan.runner import RegisteredResource
from landing_zone.policy_harness import Violation
from landing_zone.resource_types import (
    ACCOUNT,
    ACCOUNT_ASSIGNMENT,
    CUSTOMER_MANAGED_POLICY_ATTACHMENT,
    IDENTITY_STORE_GROUP,
    ORGANIZATIONAL_UNIT,
    PERMISSION_SET,
)
from tests.policy_builders import UNKNOWN, registered

ROLE = "aws:iam/role:Role"
NATIVE_ROLE = "aws-native:iam:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
FORCE_MFA = json.dumps(
    {
        "Statement": [
            {
                "Effect": "Deny",
                "NotAction": ["iam:EnableMFADevice", "sts:GetSessionToken"],
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            }
        ]
    }
)


def _find(resources, type_, name) -> RegisteredResource:
    return next(r for r in resources if r.type == type_ and r.name == name)


def _member(resources, account: str) -> str:
    """The provider reference of one of the stack's own member-account providers."""
    provider = _find(resources, "pulumi:providers:aws", f"{account}-member")
    return f"{provider.urn}::{provider.id}"


def _group_id(resources, name: str) -> str:
    return _find(resources, IDENTITY_STORE_GROUP, f"group-{name}").outputs["groupId"]


def management_admin_for_developers(resources):
    """Item 3: AdministratorAccess on the management account for Developers."""
    platform = _find(resources, ACCOUNT_ASSIGNMENT, "management-g-Platform-AdministratorAccess")
    assignment = copy.deepcopy(platform)
    assignment.name = "management-g-Developers-AdministratorAccess"
    assignment.urn = platform.urn.replace(platform.name, assignment.name)
    for record in (assignment.inputs, assignment.outputs):
        record["principalId"] = _group_id(resources, "Developers")
    resources.append(assignment)
    return assignment.name


def unreadable_set_in_a_child_production_ou(resources):
    """Item 4: the production account moved to a child OU of Workloads/Production, and a permission
    set named anything, whose customer managed policy the pack cannot read, for Developers there."""
    production_ou = _find(resources, ORGANIZATIONAL_UNIT, "Workloads/Production")
    eu = registered(ORGANIZATIONAL_UNIT, "Workloads/Production/Eu", {"name": "Eu", "parentId": production_ou.id},
                    resource_id="ou-59h6-eu000001")  # fmt: skip
    production = _find(resources, ACCOUNT, "production")
    for record in (production.inputs, production.outputs):
        record["parentId"] = eu.id
    # Item 12 on the way: a full ISO-8601 session duration passes permission-set-session-limit.
    helpdesk = registered(PERMISSION_SET, "Helpdesk", {"name": "Helpdesk", "sessionDuration": "P0DT4H",
                          "arn": "arn:aws:sso:::permissionSet/ssoins-doypg04xgooh2z2i/ps-helpdesk000000"})  # fmt: skip
    attachment = registered(
        CUSTOMER_MANAGED_POLICY_ATTACHMENT,
        "Helpdesk-cm-/Helpdesk",
        {
            "permissionSetArn": helpdesk.outputs["arn"],
            "customerManagedPolicyReference": {"name": "Helpdesk", "path": "/"},
        },
    )
    assignment = registered(
        ACCOUNT_ASSIGNMENT,
        "production-g-Developers-Helpdesk",
        {
            "permissionSetArn": helpdesk.outputs["arn"],
            "principalId": _group_id(resources, "Developers"),
            "principalType": "GROUP",
            "targetId": production.id,
            "targetType": "AWS_ACCOUNT",
        },
    )
    resources += [eu, helpdesk, attachment, assignment]
    return assignment.name


def role_trusting_long_term_keys(resources):
    """Item 5: BoolIfExists aws:MultiFactorAuthPresent true holds for long-term access keys."""
    trust = {"Effect": "Allow", "Action": "sts:Assume*", "Principal": {"AWS": "arn:aws:iam::125722098607:root"},
             "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}}  # fmt: skip
    resources.append(
        registered(
            ROLE,
            "ops",
            {"name": "ops", "assumeRolePolicy": json.dumps({"Statement": [trust]})},
            provider=_member(resources, "dev"),
        )  # fmt: skip
    )
    return "ops"


def aws_native_role_open_to_anyone(resources):
    """Item 5: aws-native roles, their trust policy an object; Principal "*" even with MFA."""
    trust = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*",
             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}  # fmt: skip
    resources.append(
        registered(
            NATIVE_ROLE,
            "native",
            {"roleName": "native", "assumeRolePolicyDocument": {"Statement": [trust]}},
            provider=_member(resources, "dev"),
        )  # fmt: skip
    )
    return "native"


def mfa_group_in_another_account(resources):
    """Item 6: a group of the same name in another account does not hold the user."""
    dev, staging = _member(resources, "dev"), _member(resources, "staging")
    resources += [
        registered("aws:iam/user:User", "alice", {"name": "alice"}, provider=dev),
        registered(
            "aws:iam/userLoginProfile:UserLoginProfile", "alice-login", {"user": "alice"}, provider=dev
        ),
        registered(
            "aws:iam/userGroupMembership:UserGroupMembership",
            "alice-groups",
            {"user": "alice", "groups": ["humans"]},
            provider=dev,
        ),  # fmt: skip
        registered(
            "aws:iam/groupPolicy:GroupPolicy",
            "humans-mfa",
            {"group": "humans", "policy": FORCE_MFA},
            provider=staging,
        ),  # fmt: skip
    ]
    return "alice"


def role_policy_allowing_iam_star(resources):
    """Item 7: admin is iam:* on arn:*, not only "*" on "*"."""
    policy = json.dumps({"Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "arn:*"}]})
    resources.append(
        registered(
            ROLE_POLICY, "ops-inline", {"role": "ops", "policy": policy}, provider=_member(resources, "dev")
        )
    )
    return "ops-inline"


ADMIN = (
    "permission set 'AdministratorAccess' is admin (it carries the AWS managed policy AdministratorAccess)"
)
MUTATIONS = [
    (
        management_admin_for_developers,
        "management-admin-restricted",
        f"{ADMIN} and is assigned on the management account 210346501521 to group 'Developers', which is not in "
        "allowedGroups; admin there is admin of the whole organization",
    ),
    (
        unreadable_set_in_a_child_production_ou,
        "production-admin-restricted",
        "permission set 'Helpdesk' is admin (the pack cannot read its customer managed policy 'Helpdesk', so it "
        "counts as admin) and is assigned on production account 'production' to group 'Developers', which is not "
        "in allowedGroups",
    ),
    (
        role_trusting_long_term_keys,
        "human-roles-require-mfa",
        "role 'ops' lets arn:aws:iam::125722098607:root assume it without MFA; add the condition "
        '"Bool": {"aws:MultiFactorAuthPresent": "true"} to its trust statement, or, for a vendor, list its '
        "accountId and externalId in vendorRoles and require sts:ExternalId with StringEquals",
    ),
    (
        aws_native_role_open_to_anyone,
        "human-roles-require-mfa",
        "role 'native' lets any AWS principal assume it (Principal \"*\"); name the accounts that may, or restrict "
        "callers with a condition on aws:PrincipalOrgID or aws:PrincipalAccount",
    ),
    (
        mfa_group_in_another_account,
        "iam-users-require-mfa",
        "IAM user 'alice' has a console login but is in no group whose policy denies everything without MFA; "
        "people should sign in through Identity Center",
    ),
    (
        role_policy_allowing_iam_star,
        "no-wildcard-inline-admin",
        "role 'ops' has a policy that grants administrator access (it allows 'iam:*', which includes "
        "iam:addusertogroup); attach the AdministratorAccess managed policy where admin is meant, narrow the "
        "policy, or allow-list the name in allowedNames",
    ),
]


@pytest.mark.parametrize(("mutate", "policy", "message"), MUTATIONS, ids=[m[0].__name__ for m in MUTATIONS])
def test_a_bypass_of_issue_11_gives_exactly_its_violation(prod_pack, planned, mutate, policy, message):
    resources = copy.deepcopy(planned["prod"].resources)
    culprit = mutate(resources)
    urn = next(r.urn for r in resources if r.name == culprit and not r.type.startswith("landing-zone:"))
    assert prod_pack.analyze(resources) == [Violation(policy, "mandatory", message, urn)]


def test_legitimate_setups_that_were_refused_pass(prod_pack, planned):
    """Item 5: MFA through its age; an allow-listed vendor's role. Item 12: force-MFA through policyAttachment."""
    resources = copy.deepcopy(planned["prod"].resources)
    dev = _member(resources, "dev")
    by_age = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "125722098607"},
              "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}  # fmt: skip
    resources += [
        registered(
            ROLE,
            "ops",
            {"name": "ops", "assumeRolePolicy": json.dumps({"Statement": [by_age]})},
            provider=dev,
        ),
        registered("aws:iam/user:User", "alice", {"name": "alice"}, provider=dev),
        registered(
            "aws:iam/userLoginProfile:UserLoginProfile", "alice-login", {"user": "alice"}, provider=dev
        ),
        registered(
            "aws:iam/groupMembership:GroupMembership",
            "humans-members",
            {"group": "humans", "users": ["alice"]},
            provider=dev,
        ),  # fmt: skip
        registered(
            "aws:iam/policy:Policy",
            "force-mfa",
            {"name": "force-mfa", "policy": FORCE_MFA, "arn": "arn:aws:iam::125722098607:policy/force-mfa"},
            provider=dev,
        ),  # fmt: skip
        registered(
            "aws:iam/policyAttachment:PolicyAttachment",
            "force-mfa-humans",
            {"groups": ["humans"], "policyArn": "arn:aws:iam::125722098607:policy/force-mfa"},
            provider=dev,
        ),  # fmt: skip
    ]
    assert prod_pack.analyze(resources) == []


def test_values_unknown_at_preview_that_matter_are_reported_as_undecided(prod_pack, planned):
    """Item 9: an unknown trust policy, inline policy or session duration is not a pass."""
    resources = copy.deepcopy(planned["prod"].resources)
    dev = _member(resources, "dev")
    resources += [
        registered(PERMISSION_SET, "Admin", {"name": "Admin", "sessionDuration": UNKNOWN}),
        registered(ROLE, "later", {"name": "later", "assumeRolePolicy": UNKNOWN}, provider=dev),
        registered(ROLE_POLICY, "later-inline", {"role": "later", "policy": UNKNOWN}, provider=dev),
    ]
    assert sorted((v.policy, v.message) for v in prod_pack.analyze(resources)) == [
        (
            "human-roles-require-mfa",
            "role 'later' cannot be checked: assumeRolePolicy is not known until the update runs",
        ),
        (
            "no-wildcard-inline-admin",
            "role 'later' cannot be checked: policy is not known until the update runs",
        ),
        (
            "permission-set-session-limit",
            "permission set 'Admin' cannot be checked: sessionDuration is not known until the update runs",
        ),
    ]
