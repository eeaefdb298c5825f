"""Issue 11's bypasses a stack file can express, end to end: the prod stack patched one way at a
time, its program run under mocks as `lz plan` runs it, judged by the real pack over gRPC with
`policy/config.prod.json` (every policy mandatory). Each patch used to plan clean."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from landing_zone.config import read_stack_file
from landing_zone.plan.stack import run_stack
from tests.helpers import PROJECT_DIR

PROD = read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")
Patch = Callable[[dict[str, Any]], None]


def account(values: dict[str, Any], name: str) -> dict[str, Any]:
    return next(a for a in values["landing-zone:accounts"] if a["name"] == name)


def identity(values: dict[str, Any]) -> dict[str, Any]:
    return values["landing-zone:identityCenter"]


def production_to_root(values: dict[str, Any]) -> None:
    del account(values, "production")["ou"]


def root_guardrails_removed(values: dict[str, Any]) -> None:
    values["landing-zone:guardrails"] = [g for g in values["landing-zone:guardrails"] if not g.get("root")]


def delegation_to_a_sandbox(values: dict[str, Any]) -> None:
    values["landing-zone:delegatedAdministrators"]["account"] = "sandbox-alice"


def production_tagged_disposable(values: dict[str, Any]) -> None:
    account(values, "production").update(closeOnDeletion=True, tags={"environment": "sandbox"})


def admin_in_a_child_production_ou(values: dict[str, Any]) -> None:
    values["landing-zone:organizationalUnits"].append({"path": "Workloads/Production/Payments"})
    values["landing-zone:accounts"].append({"name": "payments", "ou": "Workloads/Production/Payments"})
    identity(values)["access"].append(
        {"group": "Developers", "permissionSets": ["AdministratorAccess"], "accounts": ["payments"]}
    )


def admin_under_another_name(values: dict[str, Any]) -> None:
    identity(values)["permissionSets"].append(
        {"name": "Operator", "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"]}
    )
    identity(values)["access"].append(
        {"group": "Developers", "permissionSets": ["Operator"], "accounts": ["production"]}
    )


def inline_admin_under_another_name(values: dict[str, Any]) -> None:
    identity(values)["permissionSets"].append(
        {
            "name": "Helper",
            "inlinePolicy": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
            '"Action": "iam:*", "Resource": "*"}]}',
        }
    )
    identity(values)["access"].append(
        {"group": "Developers", "permissionSets": ["Helper"], "organizationalUnits": ["Workloads/Production"]}
    )


def root_guardrail(name: str) -> tuple[str, str, str]:
    return (
        "guardrails-stay-attached",
        "",
        f"guardrail '{name}' is not attached to the organization's root, which rootGuardrails requires; "
        "attach it to the root (guardrails: root: true) or take it out of rootGuardrails",
    )


def delegation(type_: str, name: str, principal: str) -> tuple[str, str, str]:
    return (
        "delegated-administrators-designated",
        name,
        f"{type_} '{name}' makes account 'sandbox-alice' a delegated administrator of {principal}, which "
        "delegatedAdministrators does not allow (audit); delegate to a designated account, or designate "
        f"'sandbox-alice' for {principal} in the policy config",
    )


GUARDDUTY = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
SECURITY_HUB = "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount"
DELEGATED = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
NOT_ALLOWED = "to group 'Developers', which is not in allowedGroups"
HELPER_ADMIN = "it allows 'iam:*', which includes iam:addusertogroup"

# (id, patch, every violation it raises as (policy, the resource's logical name, message)), all mandatory
BYPASSES: list[tuple[str, Patch, set[tuple[str, str, str]]]] = [
    (
        "production-account-at-the-root",
        production_to_root,
        {
            (
                "production-accounts-in-production-ous",
                "production",
                "production account 'production' sits in the organization's root, outside the production "
                "OUs (Workloads/Production), whose guardrails it would lose; move it back under a production OU",
            )
        },
    ),
    (
        "root-guardrails-removed",
        root_guardrails_removed,
        {
            root_guardrail("deny-leaving-organization"),
            root_guardrail("deny-root-user"),
            root_guardrail("protect-security-services"),
            root_guardrail("deny-insecure-transport"),
        },
    ),
    (
        "delegation-to-a-sandbox",
        delegation_to_a_sandbox,
        {
            delegation(GUARDDUTY, "acme-guardduty", "guardduty.amazonaws.com"),
            delegation(GUARDDUTY, "acme-guardduty-eu-central-1", "guardduty.amazonaws.com"),
            delegation(SECURITY_HUB, "acme-securityhub", "securityhub.amazonaws.com"),
            delegation(SECURITY_HUB, "acme-securityhub-eu-central-1", "securityhub.amazonaws.com"),
            delegation(DELEGATED, "acme-access-analyzer", "access-analyzer.amazonaws.com"),
            delegation(DELEGATED, "acme-config", "config.amazonaws.com"),
        },
    ),
    (
        "production-tagged-disposable",
        production_tagged_disposable,
        {
            (
                "disposable-accounts-in-sandbox",
                "production",
                "account 'production' is a production account but sets closeOnDeletion: removing it from the "
                "config would close it; a production account is never disposable, unset closeOnDeletion",
            )
        },
    ),
    (
        "admin-in-a-child-production-ou",
        admin_in_a_child_production_ou,
        {
            (
                "production-admin-restricted",
                "payments-g-Developers-AdministratorAccess",
                "permission set 'AdministratorAccess' is admin (it carries the AWS managed policy "
                f"AdministratorAccess) and is assigned on production account 'payments' {NOT_ALLOWED}",
            )
        },
    ),
    (
        "admin-under-another-name",
        admin_under_another_name,
        {
            (
                "production-admin-restricted",
                "production-g-Developers-Operator",
                "permission set 'Operator' is admin (it carries the AWS managed policy AdministratorAccess) "
                f"and is assigned on production account 'production' {NOT_ALLOWED}",
            )
        },
    ),
    (
        "inline-admin-under-another-name",
        inline_admin_under_another_name,
        {
            (
                "no-wildcard-inline-admin",
                "Helper-inline",
                f"permission set 'Helper' has a policy that grants administrator access ({HELPER_ADMIN}); "
                "attach the AdministratorAccess managed policy where admin is meant, narrow the policy, or "
                "allow-list the name in allowedNames",
            ),
            (
                "production-admin-restricted",
                "production-g-Developers-Helper",
                f"permission set 'Helper' is admin (its inline policy is admin: {HELPER_ADMIN}) and is "
                f"assigned on production account 'production' {NOT_ALLOWED}",
            ),
        },
    ),
]


@pytest.mark.parametrize(("patch", "expected"), [b[1:] for b in BYPASSES], ids=[b[0] for b in BYPASSES])
def test_a_stack_file_that_breaks_a_promise_is_stopped_by_the_pack(prod_pack, patch, expected):
    values = copy.deepcopy(PROD)
    patch(values)
    run = run_stack(PROJECT_DIR, "landing-zone", "prod", values)
    violations = prod_pack.analyze(run.result.resources)
    assert {v.level for v in violations} == {"mandatory"}
    assert {(v.policy, v.urn.rsplit("::", 1)[-1], v.message) for v in violations} == expected
