"""Each policy called as the SDK calls it: a case that fires (message asserted) and one that stays quiet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.policy_builders import (
    MEMBER_ROLE,
    UNKNOWN,
    check_resource,
    check_stack,
    provider,
    stack_resource,
    urn_of,
)

from lz_policies import accounts, iam, management, pack  # isort: skip
from landing_zone.resource_types import ACCOUNT, PERMISSION_SET
from landing_zone.resource_types import ALTERNATE_CONTACT as CONTACT
from landing_zone.resource_types import ORGANIZATIONAL_UNIT as OU

INSTANCE = "aws:ec2/instance:Instance"

# --- no-resources-in-management-account -------------------------------------------------------

MGMT = management.no_resources_in_management_account


@pytest.mark.parametrize(
    ("type_", "props", "prov", "config", "expected"),
    [
        (
            INSTANCE,
            {"instanceType": "t3.micro"},
            None,
            None,
            [
                "aws:ec2/instance:Instance 'res' would be created in the management account through "
                "the default provider; give it a provider that assumes a role in a member account"
            ],
        ),
        (
            INSTANCE,
            {},
            provider(region="eu-west-1"),
            None,
            [
                "aws:ec2/instance:Instance 'res' would be created in the management account through "
                "provider 'p'; give it a provider that assumes a role in a member account"
            ],
        ),
        (
            "aws:cloudtrail/trail:Trail",
            {"s3BucketName": "b", "isOrganizationTrail": False},
            None,
            None,
            [
                "aws:cloudtrail/trail:Trail 'res' would be created in the management account through "
                "the default provider; give it a provider that assumes a role in a member account"
            ],
        ),
        (
            INSTANCE,
            {},
            provider(MEMBER_ROLE),
            {"managementAccountIds": ["210987654321"]},
            [
                "aws:ec2/instance:Instance 'res' would be created in the management account through "
                "provider 'p'; give it a provider that assumes a role in a member account"
            ],
        ),
    ],
    ids=["default-provider", "provider-without-role", "non-organization-trail", "role-in-management"],
)
def test_management_account_policy_fires(type_, props, prov, config, expected):
    assert check_resource(MGMT, type_, props, provider=prov, config=config) == expected


@pytest.mark.parametrize(
    ("type_", "props", "prov", "config"),
    [
        (INSTANCE, {}, provider(MEMBER_ROLE), None),
        (INSTANCE, {}, provider(UNKNOWN), None),
        (ACCOUNT, {"email": "a@b.io"}, None, None),
        (PERMISSION_SET, {"name": "Admin"}, None, None),
        ("aws:budgets/budget:Budget", {}, None, None),
        ("aws:account/alternativeContact:AlternativeContact", {}, None, None),
        ("aws:cloudtrail/trail:Trail", {"isOrganizationTrail": True}, None, None),
        ("aws:iam/accountPasswordPolicy:AccountPasswordPolicy", {}, None, None),
        ("pulumi:providers:aws", {}, None, None),
        ("landing-zone:member-account:MemberAccount", {}, None, None),
        ("aws:s3/bucket:Bucket", {}, None, {"allowedTypes": ["aws:s3/*"]}),
    ],
    ids=[
        "member-provider",
        "unknown-role",
        "account",
        "permission-set",
        "budget",
        "contact",
        "org-trail",
        "password-policy",
        "provider",
        "component",
        "allow-listed",
    ],
)
def test_management_account_policy_quiet(type_, props, prov, config):
    assert check_resource(MGMT, type_, props, provider=prov, config=config) == []


def test_management_account_reads_assume_roles_as_a_list_too():
    prov = provider()
    prov.props["assumeRoles"] = [{"roleArn": MEMBER_ROLE}]
    assert check_resource(MGMT, INSTANCE, {}, provider=prov) == []


# --- account-lifecycle-safe -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "protect", "config", "expected"),
    [
        (
            {"name": "audit", "closeOnDeletion": False},
            False,
            None,
            [
                "account 'audit' is not protected: a removed config entry or `pulumi destroy` would "
                "take it out of the organization; register it with protect=True"
            ],
        ),
        (
            {"name": "prod", "closeOnDeletion": True, "tags": {"environment": "production"}},
            True,
            None,
            [
                "account 'prod' sets closeOnDeletion but is not disposable: deleting it would close "
                "the account; list it in disposableAccounts or tag it environment=sandbox"
            ],
        ),
        ({"name": "audit"}, True, None, []),
        ({"name": "sb", "closeOnDeletion": True, "tags": {"environment": "sandbox"}}, True, None, []),
        ({"name": "sb", "closeOnDeletion": True}, True, {"disposableAccounts": ["sb"]}, []),
        # Both come from the stack's config: unknown means something else computes them.
        (
            {"name": "sb", "closeOnDeletion": True, "tags": UNKNOWN},
            True,
            None,
            ["account 'sb' cannot be checked: tags is not known until the update runs"],
        ),
        (
            {"name": "sb", "closeOnDeletion": UNKNOWN},
            True,
            None,
            ["account 'sb' cannot be checked: closeOnDeletion is not known until the update runs"],
        ),
        # Closed when removed, so necessarily unprotected: fine for a disposable account only.
        ({"name": "sb", "closeOnDeletion": True, "tags": {"environment": "sandbox"}}, False, None, []),
        ({"name": "sb", "closeOnDeletion": True}, False, {"disposableAccounts": ["sb"]}, []),
        (
            {"name": "prod", "closeOnDeletion": True, "tags": {"environment": "Sandbox"}},
            False,
            None,
            [
                "account 'prod' sets closeOnDeletion but is not disposable: deleting it would close "
                "the account; list it in disposableAccounts or tag it environment=sandbox"
            ],
        ),
        # Suspended and armed for closure by the program (lifecycle tag); the OU is judged elsewhere.
        ({"name": "old", "closeOnDeletion": True, "tags": {"lifecycle": "suspended"}}, False, None, []),
        (
            {"name": "old", "closeOnDeletion": True, "tags": {"lifecycle": "closing"}},
            False,
            None,
            [
                "account 'old' sets closeOnDeletion but is not disposable: deleting it would close "
                "the account; list it in disposableAccounts or tag it environment=sandbox"
            ],
        ),
        (
            {"name": "audit", "tags": {"environment": "sandbox"}},
            False,
            None,
            [
                "account 'audit' is not protected: a removed config entry or `pulumi destroy` would "
                "take it out of the organization; register it with protect=True"
            ],
        ),
    ],
    ids=[
        "unprotected",
        "closes-production",
        "protected",
        "sandbox-tag",
        "listed",
        "unknown-tags",
        "unknown-close",
        "unprotected-disposable-sandbox",
        "unprotected-disposable-listed",
        "unprotected-closing-tag-in-another-case",
        "suspended-armed",
        "other-lifecycle-tag",
        "unprotected-sandbox-that-does-not-close",
    ],
)
def test_account_lifecycle(props, protect, config, expected):
    policy = accounts.account_lifecycle_safe
    assert check_resource(policy, ACCOUNT, props, protect=protect, config=config) == expected


def test_account_lifecycle_ignores_other_types():
    assert check_resource(accounts.account_lifecycle_safe, OU, {"name": "x"}) == []


# --- account-emails-unique and account-email-convention -----------------------------------------


def account(name: str, email: str, **props) -> object:
    return stack_resource(ACCOUNT, name, {"name": name, "email": email, **props})


def test_duplicate_email_is_reported_on_the_second_account_case_insensitively():
    reported = check_stack(
        accounts.account_emails_unique,
        [account("audit", "aws+audit@acme.io"), account("dev", "AWS+Audit@acme.io"), account("x", UNKNOWN)],
    )
    assert reported == [
        (
            "account 'dev' has the same root email as account 'audit': AWS+Audit@acme.io",
            urn_of(ACCOUNT, "dev"),
        ),
        # Root emails come from the stack's config: an unknown one is not a pass.
        ("account 'x' cannot be checked: email is not known until the update runs", urn_of(ACCOUNT, "x")),
    ]


def test_unique_emails_are_quiet():
    assert (
        check_stack(
            accounts.account_emails_unique, [account("a", "x+a@acme.io"), account("b", "x+b@acme.io")]
        )
        == []
    )


def test_email_convention():
    policy = accounts.account_email_convention
    resources = [
        account("audit", "aws-acme+audit@acme-corp.io"),
        account("dev", "aws-acme+staging@acme-corp.io"),
        account("legacy", "legacy-root@acme-corp.io"),
        account("long", "aws-acme+long@" + "x" * 60 + ".io"),
        account("new", UNKNOWN),
    ]
    assert check_stack(policy, resources) == [
        (
            "account 'dev' has root email aws-acme+staging@acme-corp.io, which does not match "
            r"^[a-z0-9][a-z0-9._-]*\+{account}@[a-z0-9-]+(\.[a-z0-9-]+)+$",
            urn_of(ACCOUNT, "dev"),
        ),
        (
            "account 'legacy' has root email legacy-root@acme-corp.io, which does not match "
            r"^[a-z0-9][a-z0-9._-]*\+{account}@[a-z0-9-]+(\.[a-z0-9-]+)+$",
            urn_of(ACCOUNT, "legacy"),
        ),
        (
            "account 'long' has a root email of 77 characters (AWS allows 64): aws-acme+long@"
            + "x" * 60
            + ".io",
            urn_of(ACCOUNT, "long"),
        ),
        ("account 'new' cannot be checked: email is not known until the update runs", urn_of(ACCOUNT, "new")),
    ]
    config = {
        "pattern": r"^aws-acme\+{account}@acme-corp\.io$",
        "exemptAccounts": ["legacy", "dev", "long", "new"],
    }
    assert check_stack(policy, resources, config) == []


# --- alternate-contacts-complete --------------------------------------------------------------


def contact(owner, contact_type: str, account_id: str | None = None) -> object:
    return stack_resource(
        CONTACT,
        f"{owner.name}-{contact_type.lower()}",
        {
            "accountId": account_id if account_id is not None else owner.props["id"],
            "alternateContactType": contact_type,
        },
        dependencies=[owner],
        property_dependencies={"accountId": [owner]},
    )


def test_missing_security_contact_is_reported_on_the_account():
    audit = account("audit", "a@b.io", id="111111111111")
    dev = account("dev", "d@b.io", id="222222222222")
    resources = [audit, dev, contact(audit, "BILLING"), contact(audit, "OPERATIONS")]
    resources += [contact(dev, t) for t in ("BILLING", "OPERATIONS", "SECURITY")]
    assert check_stack(accounts.alternate_contacts_complete, resources) == [
        ("account 'audit' has no SECURITY alternate contact", urn_of(ACCOUNT, "audit"))
    ]


def test_contacts_found_by_dependency_when_the_account_id_is_unknown():
    new = account("new", "n@b.io", id=UNKNOWN)
    resources = [new] + [contact(new, t, account_id=UNKNOWN) for t in ("BILLING", "OPERATIONS", "SECURITY")]
    assert check_stack(accounts.alternate_contacts_complete, resources) == []


def test_account_without_contacts_lists_all_three():
    assert check_stack(accounts.alternate_contacts_complete, [account("lone", "l@b.io", id="3" * 12)]) == [
        ("account 'lone' has no BILLING, OPERATIONS, SECURITY alternate contact", urn_of(ACCOUNT, "lone"))
    ]


# The IAM and Identity Center policies: tests/test_policies_iam.py, tests/test_policies_identity.py.


# --- the pack ---------------------------------------------------------------------------------


def test_pack_policies_are_unique_kebab_case_and_described_in_one_sentence():
    names = [p.name for p in pack.checked(pack.POLICIES)]
    assert len(names) == 20
    for policy in pack.POLICIES:
        assert policy.enforcement_level is not None, policy.name
        assert policy.description.endswith(".") and policy.description.count(". ") == 0, policy.name


def test_pack_refuses_duplicate_and_badly_named_policies():
    with pytest.raises(pack.PackDefinitionError, match="two policies are named 'account-lifecycle-safe'"):
        pack.checked([accounts.account_lifecycle_safe, accounts.account_lifecycle_safe])
    renamed = iam.ResourceValidationPolicy("NoKeys", "d.", validate=lambda a, r: None)
    with pytest.raises(pack.PackDefinitionError, match="policy name 'NoKeys' is not kebab-case"):
        pack.checked([renamed])


def test_pack_does_not_import_the_program():
    pack_dir = Path(pack.__file__).parents[1]
    imports = re.compile(r"^\s*(from|import)\s+(landing_zone|components)\b", re.MULTILINE)
    offenders = [
        str(p) for p in pack_dir.rglob("*.py") if "venv" not in p.parts and imports.search(p.read_text())
    ]
    assert offenders == []
