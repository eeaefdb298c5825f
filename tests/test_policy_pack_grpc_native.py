"""aws-native resources through the real pack over gRPC (`config.prod.json`, every policy
mandatory), added to the prod stack's resources: each is judged as its classic twin, and the
violations name the native resource's own URN."""

from __future__ import annotations

import copy

from landing_zone.plan.runner import RegisteredResource
from landing_zone.resource_types import ACCOUNT, ORGANIZATIONAL_UNIT
from tests.policy_builders import registered

ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
BREAK_FIX_ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-breakfix"


def _find(resources, type_, name) -> RegisteredResource:
    return next(r for r in resources if r.type == type_ and r.name == name)


def test_native_resources_are_judged_as_their_classic_twins(prod_pack, planned):
    resources = copy.deepcopy(planned["prod"].resources)
    production = _find(resources, ACCOUNT, "production")
    production_ou = _find(resources, ORGANIZATIONAL_UNIT, "Workloads/Production")
    permission_set = registered(
        "aws-native:sso:PermissionSet",
        "break-fix",
        {
            "name": "BreakFix",
            "sessionDuration": "PT24H",
            "managedPolicies": [ADMIN_POLICY],
            "permissionSetArn": BREAK_FIX_ARN,
        },
        resource_id=BREAK_FIX_ARN,
    )
    contractors = registered(
        "aws-native:identitystore:Group",
        "contractors",
        {"displayName": "Contractors"},
        resource_id="g-contractors",
    )
    contractors.outputs["groupId"] = contractors.id
    assignment = registered(
        "aws-native:sso:Assignment",
        "contractors-break-fix",
        {
            "permissionSetArn": permission_set.id,
            "principalId": "g-contractors",
            "principalType": "GROUP",
            "targetId": production.id,
            "targetType": "AWS_ACCOUNT",
        },
    )
    shadow = registered(
        "aws-native:organizations:Account",
        "shadow",
        {
            "accountName": "shadow",
            "email": "aws-acme+shadow@acme-corp.io",
            "parentIds": [production_ou.id],
            "tags": [{"key": "environment", "value": "production"}],
        },
    )
    # Quiet: a workload role in a member account, through that account's provider, trusted with MFA.
    member = _find(resources, "pulumi:providers:aws", "dev-member")
    role = registered(
        "aws-native:iam:Role",
        "app",
        {
            "roleName": "app",
            "assumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{production.id}:root"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                    }
                ]
            },
        },
        provider=f"{member.urn}::{member.id}",
    )
    resources += [permission_set, contractors, assignment, shadow, role]

    violations = sorted((v.policy, v.message, v.urn) for v in prod_pack.analyze(resources))

    native = "urn:pulumi:prod::landing-zone::aws-native"
    assert violations == [
        (
            "account-lifecycle-safe",
            "account 'shadow' is an aws-native account (closed when deleted) but is not disposable: deleting it "
            "would close the account; list it in disposableAccounts or tag it environment=sandbox",
            f"{native}:organizations:Account::shadow",
        ),
        (
            "alternate-contacts-complete",
            "account 'shadow' has no BILLING, OPERATIONS, SECURITY alternate contact",
            f"{native}:organizations:Account::shadow",
        ),
        (
            "disposable-accounts-in-sandbox",
            "account 'shadow' is a production account but is an aws-native account (closed when deleted): "
            "removing it from the config would close it; a production account is never disposable, make it "
            "with aws.organizations.Account",
            f"{native}:organizations:Account::shadow",
        ),
        (
            "permission-set-session-limit",
            "permission set 'BreakFix' allows sessions of PT24H (24 hours); the maximum is 12 hours",
            f"{native}:sso:PermissionSet::break-fix",
        ),
        (
            "production-admin-restricted",
            "permission set 'BreakFix' is admin (it carries the AWS managed policy AdministratorAccess) and is "
            "assigned on production account 'production' to group 'Contractors', which is not in allowedGroups",
            f"{native}:sso:Assignment::contractors-break-fix",
        ),
    ]
