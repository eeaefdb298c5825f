"""Organization-level power: delegated administrators, guardrails kept on the root and production OUs,
production accounts kept in production OUs, and the management account never a member."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from landing_zone import principals, resource_types
from landing_zone.guardrails import catalog
from landing_zone.plan.mocks import MANAGEMENT_ACCOUNT_ID
from landing_zone.resource_types import ACCOUNT, ORGANIZATION
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from tests.builders import stack_values
from tests.helpers import run_lz, write_stack
from tests.policy_builders import UNKNOWN, check_stack, registered, stack_resource

from lz_policies import organization  # isort: skip

AUDIT_ID, SANDBOX_ID, STRANGER_ID, MANAGEMENT_ID = (
    "111111111111",
    "222222222222",
    "999999999999",
    "444444444444",
)
AUDIT = stack_resource(ACCOUNT, "audit", {"name": "audit", "id": AUDIT_ID})
SANDBOX = stack_resource(ACCOUNT, "sandbox", {"name": "sandbox", "id": SANDBOX_ID})
NEW = stack_resource(ACCOUNT, "new", {"name": "new", "id": UNKNOWN})
ACCOUNTS = [AUDIT, SANDBOX, NEW]
DA = organization.DELEGATED_ADMINISTRATOR
GUARDDUTY = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
RESOURCE_POLICY = organization.RESOURCE_POLICY

# --- delegated-administrators-designated ---------------------------------------------------------

DELEGATIONS = organization.delegated_administrators_designated
DESIGNATED = {
    "delegatedAdministrators": {
        "sso.amazonaws.com": ["audit"],
        "config.amazonaws.com": ["audit"],
        "guardduty.amazonaws.com": ["audit"],
        "organizations.amazonaws.com": ["audit"],
    }
}


def delegate(account_id: Any, principal: str = "sso.amazonaws.com", computed_from: Any = None) -> Any:
    return stack_resource(
        DA,
        "delegation",
        {"accountId": account_id, "servicePrincipal": principal},
        property_dependencies={"accountId": [computed_from]} if computed_from is not None else None,
    )


def org_policy(*principals: Any) -> Any:
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": list(principals)},
        "Action": "organizations:*Policy*",
    }
    return stack_resource(RESOURCE_POLICY, "delegation", {"content": json.dumps({"Statement": [statement]})})


def not_designated(type_: str, account: str, principal: str, listed: str = "audit") -> str:
    return (
        f"{type_} 'delegation' makes account '{account}' a delegated administrator of {principal}, which "
        f"delegatedAdministrators does not allow ({listed}); delegate to a designated account, or designate "
        f"'{account}' for {principal} in the policy config"
    )


@pytest.mark.parametrize(
    ("resource", "config", "expected"),
    [
        (delegate(SANDBOX_ID), DESIGNATED, not_designated(DA, "sandbox", "sso.amazonaws.com")),
        (
            delegate(AUDIT_ID, "config.amazonaws.com"),
            None,
            not_designated(DA, "audit", "config.amazonaws.com", "no account"),
        ),
        (
            stack_resource(GUARDDUTY, "delegation", {"adminAccountId": SANDBOX_ID}),
            DESIGNATED,
            not_designated(GUARDDUTY, "sandbox", "guardduty.amazonaws.com"),
        ),
        (
            org_policy(f"arn:aws:iam::{SANDBOX_ID}:root"),
            DESIGNATED,
            not_designated(RESOURCE_POLICY, "sandbox", "organizations.amazonaws.com"),
        ),
        (
            org_policy("*"),
            DESIGNATED,
            not_designated(RESOURCE_POLICY, "anyone", "organizations.amazonaws.com"),
        ),
        (delegate(UNKNOWN, computed_from=NEW), DESIGNATED, not_designated(DA, "new", "sso.amazonaws.com")),
        (delegate(STRANGER_ID), DESIGNATED, not_designated(DA, STRANGER_ID, "sso.amazonaws.com")),
        (
            delegate(UNKNOWN),
            DESIGNATED,
            f"{DA} 'delegation' cannot be checked: the account it delegates to is not known until the update runs",
        ),
        (
            stack_resource(RESOURCE_POLICY, "delegation", {"content": UNKNOWN}),
            DESIGNATED,
            f"{RESOURCE_POLICY} 'delegation' cannot be checked: content is not known until the update runs",
        ),
    ],
    ids=[
        "identity-center-to-a-sandbox",
        "nothing-designated-by-default",
        "guardduty-to-a-sandbox",
        "organizations-policy-management-to-a-sandbox",
        "organizations-policy-management-to-anyone",
        "new-account",
        "account-outside-the-stack",
        "unknown-account",
        "unknown-resource-policy",
    ],
)
def test_delegation_to_an_undesignated_account_fires(resource, config, expected):
    assert check_stack(DELEGATIONS, [*ACCOUNTS, resource], config) == [(expected, resource.urn)]


@pytest.mark.parametrize(
    "resource",
    [
        delegate(AUDIT_ID),
        delegate(AUDIT_ID, "config.amazonaws.com"),
        delegate(UNKNOWN, computed_from=AUDIT),
        stack_resource(GUARDDUTY, "delegation", {"adminAccountId": AUDIT_ID}),
        org_policy(AUDIT_ID, f"arn:aws:iam::{AUDIT_ID}:root"),
    ],
    ids=["identity-center", "config", "by-property-dependency", "guardduty", "resource-policy"],
)
def test_delegation_to_the_designated_account_is_quiet(resource):
    assert check_stack(DELEGATIONS, [*ACCOUNTS, resource], DESIGNATED) == []


def test_the_security_services_principals_are_the_program_s():
    # The program delegates these (components/delegated_administrators.py); the allow-list names them.
    admin_types = organization.SERVICE_ADMIN_TYPES
    assert (
        admin_types[resource_types.GUARDDUTY_ADMIN_ACCOUNT][0] == principals.DELEGATED_SERVICES["guardduty"]
    )
    assert (
        admin_types[resource_types.SECURITY_HUB_ADMIN_ACCOUNT][0]
        == principals.DELEGATED_SERVICES["securityhub"]
    )


# --- guardrails-stay-attached ----------------------------------------------------------------------

GUARDRAILS = organization.guardrails_stay_attached
ROOT = "r-abcd"
WORKLOADS = stack_resource(OU, "Workloads", {"name": "Workloads", "parentId": ROOT, "id": "ou-work"})
PRODUCTION = stack_resource(
    OU, "Workloads/Production", {"name": "Production", "parentId": "ou-work", "id": "ou-prod"}
)
SANDBOX_OU = stack_resource(OU, "Sandbox", {"name": "Sandbox", "parentId": ROOT, "id": "ou-sand"})
LEAVING = stack_resource(organization.POLICY, "deny-leaving", {"name": "deny-leaving", "id": "p-1"})
REGIONS = stack_resource(organization.POLICY, "deny-regions", {"name": "deny-regions", "id": "p-2"})
REQUIRED = {
    "rootGuardrails": ["deny-leaving"],
    "productionGuardrails": ["deny-regions"],
    "productionOus": ["Workloads/Production"],
}


def attach(policy: Any, target: Any, **kwargs: Any) -> Any:
    name = f"{policy.name}-{target if isinstance(target, str) else 'unknown'}"
    props = {"policyId": policy.props["id"], "targetId": target}
    return stack_resource(organization.POLICY_ATTACHMENT, name, props, dependencies=[policy], **kwargs)


def guardrail_set(*attachments: Any) -> list[Any]:
    return [WORKLOADS, PRODUCTION, SANDBOX_OU, LEAVING, REGIONS, *attachments]


ROOT_MISSING = (
    "guardrail 'deny-leaving' is not attached to the organization's root, which rootGuardrails requires; "
    "attach it to the root (guardrails: root: true) or take it out of rootGuardrails"
)
PRODUCTION_MISSING = (
    "guardrail 'deny-regions' does not reach production OU 'Workloads/Production', which productionGuardrails "
    "requires; attach it to that OU, an OU above it or the root, or take it out of productionGuardrails"
)


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        (guardrail_set(attach(REGIONS, "ou-prod")), [(ROOT_MISSING, None)]),
        (guardrail_set(attach(LEAVING, "ou-work"), attach(REGIONS, "ou-prod")), [(ROOT_MISSING, None)]),
        (
            guardrail_set(attach(LEAVING, ROOT), attach(REGIONS, "ou-sand")),
            [(PRODUCTION_MISSING, PRODUCTION.urn)],
        ),
        (
            guardrail_set(attach(LEAVING, UNKNOWN), attach(REGIONS, ROOT)),
            [
                (
                    "guardrail 'deny-leaving' cannot be checked: the target it is attached to is not known "
                    "until the update runs",
                    None,
                )
            ],
        ),
    ],
    ids=["root-emptied", "root-guardrail-moved-to-an-ou", "production-guardrail-elsewhere", "unknown-target"],
)
def test_a_required_guardrail_that_is_gone_fires(resources, expected):
    assert check_stack(GUARDRAILS, resources, REQUIRED) == expected


def test_required_guardrails_reach_their_targets_from_above():
    new_org = stack_resource(ORGANIZATION, "org", {})
    cases = [
        guardrail_set(attach(LEAVING, ROOT), attach(REGIONS, "ou-prod")),
        guardrail_set(attach(LEAVING, ROOT), attach(REGIONS, "ou-work")),
        guardrail_set(attach(LEAVING, ROOT), attach(REGIONS, ROOT)),
        # An organization created in this update: the root id comes from it.
        [new_org, *guardrail_set(attach(LEAVING, UNKNOWN, property_dependencies={"targetId": [new_org]}))]
        + [attach(REGIONS, "ou-prod")],
    ]
    for resources in cases:
        assert check_stack(GUARDRAILS, resources, REQUIRED) == []
    # Nothing is required by default: the organization names its own guardrails.
    assert check_stack(GUARDRAILS, guardrail_set()) == []


def typed(policy: Any, policy_type: Any) -> Any:
    """`policy` as a policy of `policy_type` (same name and id)."""
    return stack_resource(organization.POLICY, policy.name, {**policy.props, "type": policy_type})


TYPED_CASES = [
    # (id, deny-leaving's type, deny-regions' type, expected)
    ("both SCPs", "SERVICE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY", []),
    ("an RCP on the root and one in production", "RESOURCE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY", []),
    (
        "the root's guardrail turned into an AI opt-out policy",
        "AISERVICES_OPT_OUT_POLICY",
        "SERVICE_CONTROL_POLICY",
        [(
            "guardrail 'deny-leaving' is not attached to the organization's root, which rootGuardrails requires; "
            "a AISERVICES_OPT_OUT_POLICY of that name is attached, which guards nothing (only service and "
            "resource control policies do); attach it to the root (guardrails: root: true) or take it out "
            "of rootGuardrails",
            None,
        )],
    ),
    (
        "the production RCP turned into a tag policy",
        "SERVICE_CONTROL_POLICY",
        "TAG_POLICY",
        [(
            "guardrail 'deny-regions' does not reach production OU 'Workloads/Production', which "
            "productionGuardrails requires; a TAG_POLICY of that name is attached, which guards nothing "
            "(only service and resource control policies do); attach it to that OU, an OU above it or the "
            "root, or take it out of productionGuardrails",
            PRODUCTION.urn,
        )],
    ),
    (
        "a type in another spelling is not an SCP",
        "service_control_policy",
        "RESOURCE_CONTROL_POLICY",
        [(
            "guardrail 'deny-leaving' is not attached to the organization's root, which rootGuardrails requires; "
            "a service_control_policy of that name is attached, which guards nothing (only service and "
            "resource control policies do); attach it to the root (guardrails: root: true) or take it out "
            "of rootGuardrails",
            None,
        )],
    ),
    (
        "a type not known until the update runs",
        UNKNOWN,
        "RESOURCE_CONTROL_POLICY",
        [(
            "guardrail 'deny-leaving' cannot be checked: its policy type is not known until the update runs",
            None,
        )],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("leaving_type", "regions_type", "expected"),
    [c[1:] for c in TYPED_CASES],
    ids=[c[0] for c in TYPED_CASES],
)
def test_only_service_and_resource_control_policies_count_as_guardrails(leaving_type, regions_type, expected):
    leaving, regions = typed(LEAVING, leaving_type), typed(REGIONS, regions_type)
    resources = [
        WORKLOADS,
        PRODUCTION,
        SANDBOX_OU,
        leaving,
        regions,
        attach(leaving, ROOT),
        attach(regions, "ou-work"),
    ]
    assert check_stack(GUARDRAILS, resources, REQUIRED) == expected


# --- production-accounts-in-production-ous ---------------------------------------------------------

PLACEMENT = organization.production_accounts_in_production_ous
TEAM = stack_resource(
    OU, "Workloads/Production/Team", {"name": "Team", "parentId": "ou-prod", "id": "ou-team"}
)
UNITS = [WORKLOADS, PRODUCTION, SANDBOX_OU, TEAM]
PRODUCTION_TAG = {"environment": "production"}
# A new account starts in quarantine (organization.quarantineOu), under the deny-all guardrail.
QUARANTINE_OU = stack_resource(OU, "Quarantine", {"name": "Quarantine", "parentId": ROOT, "id": "ou-quar"})
# The catalog's text, as the program renders it: what makes a policy a deny-all is its content.
DENY_ALL_CONTENT = catalog()["deny-all-suspended"].render({})
QUARANTINE_DENY_ALL = stack_resource(
    organization.POLICY,
    "deny-all-suspended",
    {"name": "deny-all-suspended", "id": "p-9", "content": DENY_ALL_CONTENT},
)
OTHER_SCP = stack_resource(organization.POLICY, "deny-iam-users", {"name": "deny-iam-users", "id": "p-8"})


def placed(name: str, parent_id: Any, tags: dict[str, str] | None = None) -> Any:
    return stack_resource(ACCOUNT, name, {"name": name, "parentId": parent_id, "tags": tags or {}})


def moved(name: str, where: str) -> str:
    return (
        f"production account '{name}' sits in {where}, outside the production OUs (Workloads/Production), "
        "whose guardrails it would lose; move it back under a production OU"
    )


@pytest.mark.parametrize(
    ("account", "expected"),
    [
        (placed("production", ROOT, PRODUCTION_TAG), moved("production", "the organization's root")),
        (placed("production", "ou-work", PRODUCTION_TAG), moved("production", "OU 'Workloads'")),
        (placed("payments", "ou-sand"), moved("payments", "OU 'Sandbox'")),
        (
            placed("production", UNKNOWN, PRODUCTION_TAG),
            "account 'production' cannot be checked: the OU it sits in (parentId) is not known until the "
            "update runs",
        ),
    ],
    ids=["moved-to-the-root", "moved-up-one-ou", "listed-without-tag", "unknown-ou"],
)
def test_a_production_account_outside_production_ous_fires(account, expected):
    config = {"productionOus": ["Workloads/Production"], "productionAccounts": ["payments"]}
    assert check_stack(PLACEMENT, [*UNITS, account], config) == [(expected, account.urn)]


@pytest.mark.parametrize(
    ("guarding", "config", "contained"),
    [
        ([attach(QUARANTINE_DENY_ALL, "ou-quar")], {}, True),
        ([attach(QUARANTINE_DENY_ALL, ROOT)], {}, True),
        # The OU's name alone does not contain it: the deny-all guardrail must reach it.
        ([], {}, False),
        ([attach(OTHER_SCP, "ou-quar")], {}, False),
        ([attach(QUARANTINE_DENY_ALL, "ou-sand")], {}, False),
        ([attach(QUARANTINE_DENY_ALL, "ou-quar")], {"denyAllGuardrails": []}, False),
    ],
    ids=[
        "deny-all-on-the-ou",
        "deny-all-on-the-root",
        "no-guardrail",
        "another-guardrail",
        "deny-all-elsewhere",
        "not-deny-all",
    ],
)
def test_a_production_account_in_quarantine_is_quiet_only_where_deny_all_reaches_it(
    guarding, config, contained
):
    account = placed("production", "ou-quar", PRODUCTION_TAG)
    resources = [*UNITS, QUARANTINE_OU, QUARANTINE_DENY_ALL, OTHER_SCP, *guarding, account]
    expected = [] if contained else [(moved("production", "OU 'Quarantine'"), account.urn)]
    assert (
        check_stack(PLACEMENT, resources, {"productionOus": ["Workloads/Production"], **config}) == expected
    )


def test_a_policy_only_named_deny_all_does_not_contain_a_production_account():
    # The same name over a text that allows everything: the account would lose its guardrails.
    impostor = stack_resource(
        organization.POLICY,
        "deny-all-suspended",
        {
            "name": "deny-all-suspended",
            "id": "p-9",
            "content": json.dumps({"Statement": [{**DENY_EVERYTHING, "Effect": "Allow"}]}),
        },
    )
    account = placed("production", "ou-quar", PRODUCTION_TAG)
    resources = [*UNITS, QUARANTINE_OU, impostor, attach(impostor, "ou-quar"), account]
    assert check_stack(PLACEMENT, resources, {"productionOus": ["Workloads/Production"]}) == [
        (moved("production", "OU 'Quarantine'"), account.urn)
    ]


def test_production_accounts_in_production_ous_are_quiet():
    resources = [
        *UNITS,
        placed("production", "ou-prod", PRODUCTION_TAG),
        placed("team", "ou-team", PRODUCTION_TAG),
        placed("sandbox", "ou-sand", {"environment": "sandbox"}),
    ]
    assert check_stack(PLACEMENT, resources, {"productionOus": ["Workloads/Production"]}) == []


# --- management-account-not-a-member ---------------------------------------------------------------

NOT_MEMBER = organization.management_account_not_a_member
AS_MEMBER = stack_resource(ACCOUNT, "payer", {"name": "payer", "id": MANAGEMENT_ID})
AS_MEMBER_MESSAGE = (
    "account 'payer' is the management account (444444444444), which cannot be managed as a member account "
    "(guardrails never restrict it); remove it from the stack's accounts"
)


@pytest.mark.parametrize(
    ("told_by", "config"),
    [
        (stack_resource(ORGANIZATION, "org", {"masterAccountId": MANAGEMENT_ID}), None),
        (
            stack_resource(
                "pulumi:providers:aws", "management", {"allowedAccountIds": json.dumps([MANAGEMENT_ID])}
            ),
            None,
        ),
        (None, {"managementAccountIds": [MANAGEMENT_ID]}),
    ],
    ids=["organization", "management-provider", "config"],
)
def test_the_management_account_as_a_member_fires(told_by, config):
    resources = [AUDIT, AS_MEMBER, *([told_by] if told_by is not None else [])]
    assert check_stack(NOT_MEMBER, resources, config) == [(AS_MEMBER_MESSAGE, AS_MEMBER.urn)]
    # A provider that assumes a role is a member's: it does not say which account is the management one.
    member_provider = stack_resource(
        "pulumi:providers:aws",
        "payer",
        {
            "allowedAccountIds": json.dumps([MANAGEMENT_ID]),
            "assumeRoles": json.dumps([{"roleArn": f"arn:aws:iam::{MANAGEMENT_ID}:role/R"}]),
        },
    )
    assert check_stack(NOT_MEMBER, [AUDIT, AS_MEMBER, member_provider]) == []


# --- through the real pack, over gRPC, and through lz plan -------------------------------------------


def _find(resources, type_, name):
    return next(r for r in resources if r.type == type_ and r.name == name)


def _account_urn(resources, name):
    return _find(resources, ACCOUNT, name).urn


def identity_center_to_a_sandbox(resources):
    sandbox = _find(resources, ACCOUNT, "sandbox-alice")
    resources.append(
        registered(
            DA,
            "sso-to-sandbox",
            {"accountId": sandbox.id, "servicePrincipal": "sso.amazonaws.com"},
            dependencies=[sandbox.urn],
        )
    )
    return (
        "delegated-administrators-designated",
        f"{DA} 'sso-to-sandbox' makes account 'sandbox-alice' a delegated administrator of sso.amazonaws.com, "
        "which delegatedAdministrators does not allow (no account); delegate to a designated account, or "
        "designate 'sandbox-alice' for sso.amazonaws.com in the policy config",
        resources[-1].urn,
    )


def root_guardrail_detached(resources):
    resources.remove(_find(resources, organization.POLICY_ATTACHMENT, "deny-root-user-root"))
    return (
        "guardrails-stay-attached",
        "guardrail 'deny-root-user' is not attached to the organization's root, which rootGuardrails requires; "
        "attach it to the root (guardrails: root: true) or take it out of rootGuardrails",
        "",
    )


def production_moved_to_the_root(resources):
    production = _find(resources, ACCOUNT, "production")
    root_id = _find(resources, organization.POLICY_ATTACHMENT, "deny-root-user-root").inputs["targetId"]
    for record in (production.inputs, production.outputs):
        record["parentId"] = root_id
    production.dependencies = []
    return (
        "production-accounts-in-production-ous",
        "production account 'production' sits in the organization's root, outside the production OUs "
        "(Workloads/Production), whose guardrails it would lose; move it back under a production OU",
        production.urn,
    )


@pytest.mark.parametrize(
    "mutate", [identity_center_to_a_sandbox, root_guardrail_detached, production_moved_to_the_root]
)
def test_the_prod_pack_finds_the_organization_bypasses(prod_pack, planned, mutate):
    resources = copy.deepcopy(planned["prod"].resources)
    policy, message, urn = mutate(resources)
    assert [(v.policy, v.level, v.message, v.urn) for v in prod_pack.analyze(resources)] == [
        (policy, "mandatory", message, urn)
    ]


def test_the_prod_pack_refuses_the_management_account_as_a_member(prod_pack, planned):
    resources = copy.deepcopy(planned["prod"].resources)
    management_id = json.loads(
        _find(resources, "pulumi:providers:aws", "management-eu-central-1").inputs["allowedAccountIds"]
    )[0]
    payer = registered(ACCOUNT, "payer", {"name": "payer"}, protect=True, resource_id=management_id)
    resources.append(payer)
    found = [(v.policy, v.message, v.urn) for v in prod_pack.analyze(resources)]
    assert (
        "management-account-not-a-member",
        f"account 'payer' is the management account ({management_id}), which cannot be managed as a member "
        "account (guardrails never restrict it); remove it from the stack's accounts",
        payer.urn,
    ) in found


def test_lz_plan_stops_on_an_account_that_imports_the_management_account(capsys, tmp_path):
    values = stack_values(
        accounts=[
            {"name": "audit", "ou": "Security"},
            {"name": "payer", "ou": "Security", "import": MANAGEMENT_ACCOUNT_ID},
        ]
    )
    code, out, err = run_lz(capsys, "plan", "--config-file", str(write_stack(tmp_path, values)))
    assert (code, out) == (1, "")
    assert err == (
        f"lz plan: the program stopped: accounts[1].import: account 'payer' imports {MANAGEMENT_ACCOUNT_ID}, "
        "the management account; the management account is not a member account (service control policies "
        "never restrict it, and closing or moving it is refused): remove it from accounts\n"
    )


def _first_preview(resources) -> None:
    """What a first `pulumi preview` of the stack sends: every id the update creates is unknown,
    and so is every input computed from one (a parentId, an accountId, a provider's role)."""
    created = (ACCOUNT, OU, organization.POLICY)
    ids = {r.id for r in resources if r.type in created and r.id}
    for resource in resources:
        if resource.type in created:
            resource.id = UNKNOWN
        for record in (resource.inputs, resource.outputs):
            for key, value in record.items():
                if isinstance(value, str) and any(i in value for i in ids):
                    record[key] = UNKNOWN


def test_a_first_preview_of_prod_is_quiet(prod_pack, planned):
    # Unknown ids are followed through the engine's dependencies, not reported.
    resources = copy.deepcopy(planned["prod"].resources)
    _first_preview(resources)
    member = _find(resources, "pulumi:providers:aws", "production-member")
    contact = _find(resources, "aws:account/alternativeContact:AlternativeContact", "production-security")
    assert member.inputs["assumeRoles"] == contact.inputs["accountId"] == UNKNOWN
    assert prod_pack.analyze(resources) == []


# --- suspended-accounts-contained --------------------------------------------------------------------

CONTAINED = organization.suspended_accounts_contained
SUSPENDED_OU = stack_resource(OU, "Suspended", {"name": "Suspended", "parentId": ROOT, "id": "ou-susp"})
DENY_ALL = stack_resource(
    organization.POLICY,
    "deny-all-suspended",
    {"name": "deny-all-suspended", "id": "p-9", "content": DENY_ALL_CONTENT},
)


def deny_all_named(statement: dict[str, Any] | None = None, content: Any = None) -> Any:
    """A policy that calls itself deny-all-suspended, with another text."""
    text = json.dumps({"Version": "2012-10-17", "Statement": [statement]}) if content is None else content
    return stack_resource(
        organization.POLICY,
        "deny-all-suspended",
        {"name": "deny-all-suspended", "id": "p-9", "content": text},
    )


DENY_EVERYTHING = {"Effect": "Deny", "Action": "*", "Resource": "*"}
EXEMPT_ONE_ROLE = {"ArnNotLike": {"aws:PrincipalARN": "arn:aws:iam::*:role/OrganizationAccountAccessRole"}}
# The same name over another text: only a real deny-all contains an account.
NOT_DENY_ALL = "account 'old' is suspended under deny-all-suspended, which does not deny every action: a deny-all guardrail denies Action * on Resource *, exempting at most named roles (aws:PrincipalArn), with no other condition"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (deny_all_named(DENY_EVERYTHING), []),
        (deny_all_named({**DENY_EVERYTHING, "Condition": EXEMPT_ONE_ROLE}), []),
        (deny_all_named({**DENY_EVERYTHING, "Action": ["s3:*", "*"]}), []),
        (
            deny_all_named(
                {
                    **DENY_EVERYTHING,
                    "Condition": {
                        "ArnNotLike": {
                            "aws:PrincipalArn": "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_AdministratorAccess_????????????????"
                        }
                    },
                }
            ),
            [],
        ),
        (deny_all_named({**DENY_EVERYTHING, "Effect": "Allow"}), [NOT_DENY_ALL]),
        (deny_all_named({**DENY_EVERYTHING, "Action": "s3:*"}), [NOT_DENY_ALL]),
        (deny_all_named({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}), [NOT_DENY_ALL]),
        (deny_all_named({**DENY_EVERYTHING, "Resource": "arn:aws:s3:::*"}), [NOT_DENY_ALL]),
        (
            deny_all_named(
                {**DENY_EVERYTHING, "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}
            ),
            [NOT_DENY_ALL],
        ),
        (
            deny_all_named(
                {
                    **DENY_EVERYTHING,
                    "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}},
                }
            ),
            [NOT_DENY_ALL],
        ),
        (
            deny_all_named({**DENY_EVERYTHING, "Condition": {"ArnNotLike": {"aws:PrincipalArn": "*"}}}),
            [NOT_DENY_ALL],
        ),
        (
            deny_all_named(
                {
                    **DENY_EVERYTHING,
                    "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Ops*"}},
                }
            ),
            [NOT_DENY_ALL],
        ),
        (deny_all_named(content="not json"), [NOT_DENY_ALL]),
        (
            deny_all_named(content=UNKNOWN),
            [
                "guardrail 'deny-all-suspended' cannot be checked: its content is not known until the update runs"
            ],
        ),
    ],
    ids=[
        "plain-deny-all",
        "one-role-exempt",
        "star-among-actions",
        "permission-set-role-exempt",
        "allow",
        "one-service",
        "not-action",
        "some-resources",
        "one-region",
        "every-role-exempt",
        "everyone-exempt",
        "role-prefix-exempt",
        "not-json",
        "unknown-content",
    ],
)
def test_only_a_policy_that_denies_everything_contains_a_suspended_account(policy, expected):
    reported = check_stack(
        CONTAINED, [WORKLOADS, SUSPENDED_OU, policy, suspended("ou-susp"), attach(policy, "ou-susp")]
    )
    assert [message for message, _ in reported] == expected


def suspended(parent_id: Any, tags: Any = None) -> Any:
    props = {
        "name": "old",
        "parentId": parent_id,
        "tags": {"lifecycle": "suspended"} if tags is None else tags,
    }
    return stack_resource(ACCOUNT, "old", props)


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ([suspended("ou-susp"), attach(DENY_ALL, "ou-susp")], []),
        ([suspended("ou-susp"), attach(DENY_ALL, ROOT)], []),
        ([suspended("ou-work", {"lifecycle": "active"})], []),
        (
            [suspended("ou-work"), attach(DENY_ALL, "ou-susp")],
            [
                "account 'old' is suspended but sits in OU 'Workloads', which no deny-all-suspended guardrail "
                "reaches: everything must stay denied there; attach it to the suspended OU "
                "(organization.suspendedOu)"
            ],
        ),
        (
            [suspended(UNKNOWN), attach(DENY_ALL, "ou-susp")],
            [
                "account 'old' cannot be checked: the OU it sits in (parentId) is not known until the update runs"
            ],
        ),
        (
            [suspended("ou-susp"), attach(DENY_ALL, UNKNOWN)],
            [
                "guardrail 'deny-all-suspended' cannot be checked: the target it is attached to is not known "
                "until the update runs"
            ],
        ),
    ],
    ids=[
        "in-the-suspended-ou",
        "reached-from-the-root",
        "not-suspended",
        "elsewhere",
        "unknown-ou",
        "unknown-target",
    ],
)
def test_a_suspended_account_is_reached_by_deny_all(resources, expected):
    reported = check_stack(CONTAINED, [WORKLOADS, SUSPENDED_OU, DENY_ALL, *resources])
    assert [message for message, _ in reported] == expected
