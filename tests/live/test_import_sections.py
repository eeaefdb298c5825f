"""`lz import` of service control policies and Identity Center from hand-made live states:
the cases a moto organization does not show (Sid-less documents, the management account,
user assignments, an external identity source)."""

from __future__ import annotations

import json

import yaml

from landing_zone.guardrails import catalog, minify
from landing_zone.live.identity_center import (
    LiveAssignment,
    LiveGroup,
    LiveIdentityCenter,
    LivePermissionSet,
    LiveUser,
)
from landing_zone.live.importer import ImportOptions, LiveState, build_stack
from landing_zone.live.organization import LiveAccount, LiveOrganization, LivePolicy

ROOT, MANAGEMENT, DEV, OLD = "r-ab12", "111111111111", "222222222222", "333333333333"
INSTANCE = "arn:aws:sso:::instance/ssoins-0123456789abcdef"
ADMIN = "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-aaaaaaaaaaaaaaaa"
STORE = "d-1234567890"
PLATFORM = "b8a1c340-8031-7071-a2fb-7dc540320c30"
ALICE, BOB = "065212b4-9061-703b-5876-13a517ae2a7c", "165212b4-9061-703b-5876-13a517ae2a7c"
MEMBERSHIP = "00000000-1111-2222-3333-444444444444"


def state(policies=(), center=None, dev_name="dev"):
    organization = LiveOrganization(
        id="o-abcdefghij",
        feature_set="ALL",
        management_account_id=MANAGEMENT,
        management_email="aws-acme+management@acme-corp.io",
        root_id=ROOT,
        enabled_policy_types=("SERVICE_CONTROL_POLICY",),
        service_access_principals=(),
        organizational_units=(),
        accounts=(
            LiveAccount(MANAGEMENT, "management", "aws-acme+management@acme-corp.io", "ACTIVE", ROOT, None),
            LiveAccount(DEV, dev_name, f"aws-acme+{dev_name}@acme-corp.io", "ACTIVE", ROOT, None),
            LiveAccount(OLD, "old", "aws-acme+old@acme-corp.io", "SUSPENDED", ROOT, None),
        ),
        policies=tuple(policies),
    )
    return LiveState(organization, center, {}, {})


def imported(live_state):
    stack = build_stack(live_state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert yaml.safe_load(stack.text)["config"] == stack.values  # what is written is what validated
    return stack


def test_policies_keep_their_text_get_sids_and_skip_what_the_config_cannot_target():
    sidless = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
            {"Sid": "Statement1", "Effect": "Deny", "Action": "ec2:DeleteVpc", "Resource": "*"},
        ],
    }
    policies = [
        LivePolicy("p-fullaccess", "FullAWSAccess", "SERVICE_CONTROL_POLICY", True, (ROOT, DEV)),
        LivePolicy("p-sidless00", "no-deletes", "SERVICE_CONTROL_POLICY", False, (DEV, MANAGEMENT, OLD), "",
                   json.dumps(sidless)),
        LivePolicy("p-catalog00", "deny-root-user", "SERVICE_CONTROL_POLICY", False, (ROOT,),
                   catalog()["deny-root-user"].description, minify(catalog()["deny-root-user"].render({}))),
        LivePolicy("p-unused000", "unused", "SERVICE_CONTROL_POLICY", False, (), "", json.dumps(sidless)),
        LivePolicy("p-broken000", "broken", "SERVICE_CONTROL_POLICY", False, (ROOT,), "", "{not json"),
    ]  # fmt: skip
    stack = imported(state(policies))
    no_deletes, root_user = stack.values["landing-zone:guardrails"]
    assert json.loads(no_deletes.pop("document"))["Statement"] == [
        {"Sid": "Statement2", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
        {"Sid": "Statement1", "Effect": "Deny", "Action": "ec2:DeleteVpc", "Resource": "*"},
    ]
    assert no_deletes == {
        "name": "no-deletes",
        "accounts": ["dev"],
        "import": {"policy": "p-sidless00", "attachments": [DEV]},
    }
    # Same name and description as the catalog's: nothing but the guardrail's name.
    assert root_user == {
        "guardrail": "deny-root-user",
        "root": True,
        "import": {"policy": "p-catalog00", "attachments": [ROOT]},
    }
    lines = stack.text.splitlines()
    for comment in (
        "no-deletes: statements without a Sid got one (Statement1, ...); the first `pulumi up` updates the "
        "policy's text, not what it allows",
        f"not imported: the attachment of no-deletes to the management account {MANAGEMENT} (not in accounts); "
        "it stays as it is",
        f"not imported: the attachment of no-deletes to an account {OLD} (not in accounts); it stays as it is",
        "not imported: unused (p-unused000) is attached to nothing here",
        "not imported: broken (p-broken000) has a document that is not JSON",
    ):
        assert f"  # {comment}" in lines
    assert "  1 service control policies" not in stack.summary
    assert stack.summary[2] == (
        "2 service control policies (1 from the catalog, 1 as documents), 2 attachments, each with its import id"
    )


def center(groups, assignments, users=()):
    return LiveIdentityCenter(
        instance_arn=INSTANCE,
        identity_store_id=STORE,
        permission_sets=(LivePermissionSet(ADMIN, "AdministratorAccess", None, managed_policies=(
            "arn:aws:iam::aws:policy/AdministratorAccess",)),),
        groups=tuple(groups),
        assignments=tuple(assignments),
        users=tuple(users),
    )  # fmt: skip


def test_the_management_account_is_named_and_its_id_kept_for_assignment_import_ids():
    live_center = center(
        [LiveGroup(PLATFORM, "Platform", memberships={ALICE: MEMBERSHIP, BOB: MEMBERSHIP})],
        [
            LiveAssignment(MANAGEMENT, ADMIN, "GROUP", PLATFORM),
            LiveAssignment(DEV, ADMIN, "GROUP", PLATFORM),
            LiveAssignment(OLD, ADMIN, "GROUP", PLATFORM),
            LiveAssignment(DEV, ADMIN, "USER", ALICE),
        ],
        users=[
            LiveUser(ALICE, "alice", "Alice Liddell", "Alice", "Liddell", "alice@acme-corp.io"),
            LiveUser(BOB, "bob", None, "Bob", None, None),
        ],
    )
    # A member named "management" would clash with the management account's default name.
    stack = imported(state(center=live_center, dev_name="Management"))
    identity = stack.values["landing-zone:identityCenter"]
    assert identity["managementAccountName"] == "management-account"
    assert identity["permissionSets"][0]["sessionDuration"] == "PT1H"  # AWS's default, written out
    assert identity["groups"] == [
        {
            "name": "Platform",
            "members": ["alice"],
            "importMemberships": {"alice": MEMBERSHIP},
            "import": PLATFORM,
        }
    ]
    assert identity["access"] == [
        {"group": "Platform", "permissionSets": ["AdministratorAccess"], "accounts": ["Management", "management-account"],
         "import": True}
    ]  # fmt: skip
    assert identity["import"] == {
        "instanceArn": INSTANCE,
        "identityStoreId": STORE,
        "managementAccountId": MANAGEMENT,
    }
    lines = stack.text.splitlines()
    for comment in (
        f"not imported: user bob ({BOB}) lacks a given name, family name or valid email; it and its "
        "memberships stay as they are",
        f"not imported: the assignment of {ADMIN} to group {PLATFORM} in account {OLD} (not in this stack)",
        "not imported: 1 account assignments to users (access rules give groups access); they stay as they are",
    ):
        assert f"  # {comment}" in lines


def test_groups_of_an_identity_provider_are_looked_up_without_members():
    live_center = center(
        [LiveGroup(PLATFORM, "Platform", external=True, memberships={ALICE: MEMBERSHIP})],
        [LiveAssignment(DEV, ADMIN, "GROUP", PLATFORM)],
        users=[LiveUser(ALICE, "alice", None, "Alice", "Liddell", "alice@acme-corp.io", external=True)],
    )
    identity = imported(state(center=live_center)).values["landing-zone:identityCenter"]
    assert identity["identitySource"] == "external"
    assert "users" not in identity
    # The id is kept for the assignments' import ids; the group itself is looked up by name.
    assert identity["groups"] == [{"name": "Platform", "import": PLATFORM}]
    assert identity["access"][0]["accounts"] == ["dev"]


def test_an_organization_without_custom_policies_or_identity_center_content_says_so():
    empty = LiveIdentityCenter(INSTANCE, STORE, permission_sets=(), groups=(), assignments=())
    stack = imported(state(center=empty))
    assert "landing-zone:guardrails" not in stack.values
    assert "landing-zone:identityCenter" not in stack.values
    assert stack.summary[2:] == [
        "no organization policies to adopt",
        "Identity Center: empty, nothing written",
    ]
