"""Accounts: contacts credited to the account their accountId names, disposable only in sandbox OUs,
and values from the stack's config that are unknown are reported, not passed."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from landing_zone.policy_harness import Violation
from landing_zone.resource_types import ACCOUNT
from landing_zone.resource_types import ALTERNATE_CONTACT as CONTACT
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU
from tests.builders import stack_values
from tests.helpers import run_lz, write_stack
from tests.policy_builders import UNKNOWN, check_stack, stack_resource, urn_of

from lz_policies import accounts  # isort: skip

TYPES = ("BILLING", "OPERATIONS", "SECURITY")

# --- alternate-contacts-complete: a contact counts for the account its accountId names -----------

CONTACTS = accounts.alternate_contacts_complete


def account(name: str, **props: Any) -> Any:
    return stack_resource(ACCOUNT, name, {"name": name, "email": f"aws+{name}@acme.io", **props})


def contact(name: str, props: dict[str, Any], depends_on: Any = None, computed_from: Any = None) -> Any:
    """A contact; `depends_on` only orders it (dependsOn), `computed_from` is where accountId comes from."""
    return stack_resource(
        CONTACT,
        name,
        props,
        dependencies=[depends_on] if depends_on is not None else [],
        property_dependencies={"accountId": [computed_from]} if computed_from is not None else {},
    )


def full_set(owner: Any, **kwargs: Any) -> list[Any]:
    return [
        contact(
            f"{owner.name}-{t.lower()}",
            {**kwargs.get("props", {}), "alternateContactType": t},
            **kwargs["deps"],
        )
        for t in TYPES
    ]


AUDIT = account("audit", id="111111111111")
NEW = account("new", id=UNKNOWN)
ALL_MISSING = "account 'new' has no BILLING, OPERATIONS, SECURITY alternate contact"


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        # No accountId: the contact is the management account's, whatever it waits for.
        (full_set(NEW, deps={"depends_on": NEW}), [(ALL_MISSING, NEW.urn)]),
        # An accountId outside the stack: that account's contact, not the one it waits for.
        (
            full_set(NEW, props={"accountId": "999999999999"}, deps={"depends_on": NEW}),
            [(ALL_MISSING, NEW.urn)],
        ),
        # Unknown accountId computed from another account: that account's contacts.
        (
            full_set(NEW, props={"accountId": UNKNOWN}, deps={"depends_on": NEW, "computed_from": AUDIT}),
            [(ALL_MISSING, NEW.urn)],
        ),
        # Unknown accountId and only a dependsOn: whose it is cannot be told, so it is nobody's.
        (full_set(NEW, props={"accountId": UNKNOWN}, deps={"depends_on": NEW}), [(ALL_MISSING, NEW.urn)]),
        (
            [contact("new-billing", {"accountId": UNKNOWN, "alternateContactType": UNKNOWN}, NEW, NEW)]
            + full_set(NEW, props={"accountId": UNKNOWN}, deps={"depends_on": NEW, "computed_from": NEW})[1:],
            [
                (
                    "alternate contact 'new-billing' cannot be checked: alternateContactType is not known "
                    "until the update runs",
                    urn_of(CONTACT, "new-billing"),
                ),
                ("account 'new' has no BILLING alternate contact", NEW.urn),
            ],
        ),
    ],
    ids=[
        "no-account-id",
        "another-account-id",
        "computed-from-another-account",
        "depends-on-only",
        "unknown-type",
    ],
)
def test_contacts_of_the_wrong_account_are_not_counted(contacts, expected):
    audit_contacts = full_set(AUDIT, props={"accountId": "111111111111"}, deps={})
    assert check_stack(CONTACTS, [AUDIT, NEW, *audit_contacts, *contacts]) == expected


@pytest.mark.parametrize(
    "contacts",
    [
        full_set(NEW, props={"accountId": UNKNOWN}, deps={"depends_on": NEW, "computed_from": NEW}),
        full_set(NEW, props={"accountId": UNKNOWN}, deps={"computed_from": NEW}),
    ],
    ids=["computed-from-the-account", "computed-from-without-depends-on"],
)
def test_contacts_computed_from_their_account_count_while_its_id_is_unknown(contacts):
    audit_contacts = full_set(AUDIT, props={"accountId": "111111111111"}, deps={"depends_on": NEW})
    assert check_stack(CONTACTS, [AUDIT, NEW, *audit_contacts, *contacts]) == []


# --- disposable-accounts-in-sandbox ---------------------------------------------------------------

DISPOSABLE = accounts.disposable_accounts_in_sandbox
ROOT = "r-abcd"
SANDBOX = stack_resource(OU, "Sandbox", {"name": "Sandbox", "parentId": ROOT, "id": "ou-sand"})
TEAM = stack_resource(OU, "Sandbox/Team", {"name": "Team", "parentId": "ou-sand", "id": "ou-team"})
WORKLOADS = stack_resource(OU, "Workloads", {"name": "Workloads", "parentId": ROOT, "id": "ou-work"})
PRODUCTION = stack_resource(OU, "Production", {"name": "Production", "parentId": "ou-work", "id": "ou-prod"})
SUSPENDED = stack_resource(OU, "Suspended", {"name": "Suspended", "parentId": ROOT, "id": "ou-susp"})
QUARANTINE = stack_resource(OU, "Quarantine", {"name": "Quarantine", "parentId": ROOT, "id": "ou-quar"})
UNITS = [SANDBOX, TEAM, WORKLOADS, PRODUCTION, SUSPENDED, QUARANTINE]
SUSPENDED_TAG = {"lifecycle": "suspended"}
SANDBOX_TAG = {"environment": "sandbox"}


def closing(name: str, parent_id: Any, tags: dict[str, str] | None = None, **kwargs: Any) -> Any:
    props = {"name": name, "closeOnDeletion": True, "parentId": parent_id, "tags": tags or SANDBOX_TAG}
    return stack_resource(ACCOUNT, name, props, **kwargs)


def outside(name: str, where: str) -> str:
    return (
        f"account '{name}' sets closeOnDeletion but sits in {where}, outside the sandbox, suspended and "
        "quarantine OUs (Sandbox, Suspended, Quarantine): only sandbox and suspended accounts are closed on "
        "deletion; move it under a sandbox OU or unset closeOnDeletion"
    )


def production(name: str) -> str:
    return (
        f"account '{name}' is a production account but sets closeOnDeletion: removing it from the config "
        "would close it; a production account is never disposable, unset closeOnDeletion"
    )


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (closing("prod", "ou-prod"), production("prod")),
        (closing("prod", "ou-sand", {"environment": "production"}), production("prod")),
        (closing("stray", ROOT), outside("stray", "the organization's root")),
        # Suspended, armed for closure: still never a production account.
        (closing("prod", "ou-susp", {**SUSPENDED_TAG, "environment": "production"}), production("prod")),
        # In quarantine (a new account): still never a production account.
        (closing("prod", "ou-quar", {"environment": "production"}), production("prod")),
        (closing("stray", "ou-work"), outside("stray", "OU 'Workloads'")),
        (
            closing("stray", "ou-elsewhere"),
            outside("stray", "OU ou-elsewhere, which this stack does not manage"),
        ),
        (
            closing("stray", UNKNOWN),
            "account 'stray' cannot be checked: the OU it sits in (parentId) is not known until the update runs",
        ),
    ],
    ids=[
        "production-ou",
        "production-tag-in-sandbox",
        "root",
        "production-suspended",
        "production-quarantined",
        "other-ou",
        "unmanaged-ou",
        "unknown-ou",
    ],
)
def test_disposable_outside_the_sandbox_ous_fires(resource, expected):
    assert check_stack(DISPOSABLE, [*UNITS, resource]) == [(expected, resource.urn)]


@pytest.mark.parametrize(
    ("resource", "config"),
    [
        (closing("sb", "ou-sand"), None),
        (closing("sb", "ou-team"), None),
        (closing("sb", UNKNOWN, dependencies=[SANDBOX]), None),
        (closing("lab", "ou-work"), {"sandboxOus": ["Workloads"], "productionOus": ["Production"]}),
        (
            stack_resource(
                ACCOUNT, "prod", {"name": "prod", "closeOnDeletion": False, "parentId": "ou-prod"}
            ),
            None,
        ),
        # Unknown tags are account-lifecycle-safe's to report.
        (closing("sb", "ou-work", UNKNOWN), None),
        (closing("old-team", "ou-susp", SUSPENDED_TAG), None),
        # A new sandbox in quarantine (organization.quarantineOu), moved to its OU next update.
        (closing("new-sb", "ou-quar"), None),
    ],
    ids=[
        "sandbox",
        "below-sandbox",
        "new-ou-by-dependency",
        "configured-sandbox",
        "kept",
        "unknown-tags",
        "suspended",
        "quarantined",
    ],
)
def test_disposable_in_a_sandbox_ou_is_quiet(resource, config):
    assert check_stack(DISPOSABLE, [*UNITS, resource], config) == []


# --- through the real pack, over gRPC, and through lz plan ---------------------------------------


def _find(resources, type_, name):
    return next(r for r in resources if r.type == type_ and r.name == name)


def production_tagged_sandbox(resources):
    account = _find(resources, ACCOUNT, "production")
    for record in (account.inputs, account.outputs):
        record["closeOnDeletion"], record["tags"] = True, {**record["tags"], "environment": "sandbox"}
    account.protect = False
    return ("disposable-accounts-in-sandbox", production("production"), account.urn)


def security_contact_in_the_management_account(resources):
    security = _find(resources, CONTACT, "production-security")
    for record in (security.inputs, security.outputs):
        del record["accountId"]
    security.property_dependencies.pop("accountId", None)
    return (
        "alternate-contacts-complete",
        "account 'production' has no SECURITY alternate contact",
        _find(resources, ACCOUNT, "production").urn,
    )


@pytest.mark.parametrize("mutate", [production_tagged_sandbox, security_contact_in_the_management_account])
def test_the_prod_pack_finds_the_account_bypasses(prod_pack, planned, mutate):
    resources = copy.deepcopy(planned["prod"].resources)
    policy, message, urn = mutate(resources)
    assert prod_pack.analyze(resources) == [Violation(policy, "mandatory", message, urn)]


def test_lz_plan_refuses_a_production_account_that_tags_itself_disposable(capsys, tmp_path):
    values = stack_values(
        accounts=[
            {"name": "audit", "ou": "Security"},
            {
                "name": "production",
                "ou": "Workloads/Production",
                "closeOnDeletion": True,
                "tags": {"environment": "sandbox"},
            },
        ]
    )
    code, out, err = run_lz(capsys, "plan", "--config-file", str(write_stack(tmp_path, values)))
    assert (code, err) == (1, "")
    assert out[out.index("\nPolicies (") :].splitlines()[1:] == [
        "Policies (landing-zone-policies, the pack's default levels): 1 violation, 1 mandatory",
        "  [mandatory] disposable-accounts-in-sandbox: aws:organizations/account:Account 'production'",
        f"      {production('production')}",
    ]
