"""What a stack needs of its organization, from its config alone: the trusted access each
feature needs and the policy types it attaches (pinned to the principals' one home)."""

from __future__ import annotations

import pytest

from landing_zone import principals
from landing_zone.config import load_from_mapping
from landing_zone.live.preflight.organization import needed_policy_types, needed_principals
from tests.builders import ALL_PRINCIPALS, stack_values

IDENTITY = {
    "permissionSets": [{"name": "ReadOnly", "managedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}]
}


@pytest.mark.parametrize(
    ("keys", "principal", "why"),
    [
        ({}, principals.ACCOUNT, "accounts' alternate contacts"),
        ({"identityCenter": IDENTITY}, principals.IDENTITY_CENTER, "identityCenter"),
        ({"organizationTrail": {"logArchiveAccount": "audit"}}, principals.CLOUDTRAIL, "organizationTrail"),
        *(
            (
                {"delegatedAdministrators": {"services": [service]}},
                principal,
                f"delegatedAdministrators ({service})",
            )
            for service, principal in principals.DELEGATED_SERVICES.items()
        ),
    ],
)
def test_each_feature_needs_its_trusted_access(keys, principal, why):
    config = load_from_mapping(
        stack_values(organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS}, **keys)
    )
    assert needed_principals(config)[principal] == why


def test_a_listed_principal_no_feature_needs_is_still_needed_in_a_looked_up_organization():
    config = load_from_mapping(stack_values(accounts=[], organizational_units=[]))
    assert needed_principals(config) == {
        principals.ACCOUNT: "organization.awsServiceAccessPrincipals",
        principals.IDENTITY_CENTER: "organization.awsServiceAccessPrincipals",
    }


def test_guardrails_need_service_control_policies():
    plain = load_from_mapping(stack_values(organization_changes={"enabledPolicyTypes": []}))
    guarded = load_from_mapping(stack_values(guardrails=[{"guardrail": "deny-root-user", "root": True}]))
    assert needed_policy_types(plain) == {}
    assert needed_policy_types(guarded) == {
        "SERVICE_CONTROL_POLICY": "guardrails attach service control policies"
    }
