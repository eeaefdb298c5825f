"""`lz import`: the planted organization written as a stack, then read back by `lz plan`."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from landing_zone.config import load_from_mapping
from landing_zone.live.audit import drift
from landing_zone.live.contacts import LiveContact
from landing_zone.live.importer import ImportOptions, ImportProblem, LiveState, build_stack, read_live_state
from landing_zone.live.organization import (
    LiveAccount,
    LiveOrganization,
    LiveOrganizationalUnit,
    read_organization,
)
from landing_zone.live.session import Clients
from tests.conftest import PROJECT_DIR
from tests.helpers import run_lz
from tests.live.planted import ACCOUNTS, DENY_LEAVE, OU_PATHS, READ_ONLY_INLINE


@pytest.fixture
def project(tmp_path):
    """A copy of the Pulumi project, so that the written stack file lands beside it."""
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    # The pack too: the imported stack must also pass the landing zone's policies.
    shutil.copytree(
        PROJECT_DIR / "policy", tmp_path / "policy", ignore=shutil.ignore_patterns("venv", "__pycache__")
    )
    return tmp_path


def import_args(project, *extra):
    return ["import", "--stack", "live", "--project-dir", str(project), "--org-name", "acme",
            "--domain", "acme-corp.io", *extra]  # fmt: skip


def test_import_then_plan_reproduces_the_live_organization(server_env, capsys, project):
    session, planted = server_env
    code, out, err = run_lz(capsys, *import_args(project))
    assert (code, err) == (0, "")
    stack_file = project / "Pulumi.live.yaml"
    assert out == (
        f"Wrote {stack_file}\n"
        "  4 organizational units, 5 accounts (1 with an explicit email), each with its import id\n"
        f"  organization {planted.organization_id}: looked up\n"
        "  2 service control policies (1 from the catalog, 1 as documents), 3 attachments, "
        "each with its import id\n"
        "  Identity Center: 2 permission sets, 2 groups, 1 users, 3 group assignments (of 4 live), "
        "each with its import id\n"
        "Next: lz plan --stack live, then pulumi up --stack live\n"
    )
    values = yaml.safe_load(stack_file.read_text())["config"]
    assert values["landing-zone:organizationalUnits"] == [
        {
            "path": path,
            "import": planted.ou_ids[path],
            **({"tags": {"cost-center": "rnd"}} if path == "Sandbox" else {}),
        }
        for path in sorted(OU_PATHS)
    ]
    accounts = {a["name"]: a for a in values["landing-zone:accounts"]}
    assert accounts["legacy"] == {
        "name": "legacy",
        "email": "legacy-root@acme-corp.io",  # off the pattern: kept explicitly
        "import": planted.account_ids["legacy"],
        "tags": {"environment": "legacy"},
    }
    # Contacts equal to the organization's (from the management account's) need no override.
    assert accounts["production"] == {
        "name": "production",
        "ou": "Workloads/Production",
        "import": planted.account_ids["production"],
        "tags": {"environment": "production"},
    }
    # Account ids stay strings for Pulumi's YAML 1.2 reader too, even with a leading zero.
    for account_id in planted.account_ids.values():
        assert f"import: '{account_id}'" in stack_file.read_text()
    assert values["landing-zone:guardrails"] == expected_guardrails(planted)
    assert values["landing-zone:identityCenter"] == expected_identity_center(planted)
    organization = values["landing-zone:organization"]
    assert organization["notificationEmail"] == "aws-notifications@acme-corp.io"
    assert organization["contacts"]["security"] == {
        "name": "Acme Security",
        "title": "Team",
        "phone": "+44 20 7946 0000",
    }

    code, out, err = run_lz(capsys, "validate", "--stack", "live", "--project-dir", str(project))
    assert (code, out, err) == (0, f"{stack_file}: valid (5 accounts, 4 organizational units)\n", "")
    header = [line for line in stack_file.read_text().splitlines() if line.startswith("# ")]
    # The moto server lacks these two calls: said in the header, the rest goes on.
    assert [line.partition(" not read")[0] for line in header if " not read" in line] == [
        "# Identity Center: permissions boundaries",
        "# Identity Center: permission set tags",
    ]

    resources_file = project / "resources.json"
    code, out, err = run_lz(capsys, "plan", "--stack", "live", "--project-dir", str(project), "--format", "json",
        "--resources-out", str(resources_file),
    )  # fmt: skip
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["organizationalUnits"] == sorted(OU_PATHS)
    assert {a["name"]: (a["ou"], a["email"], a["import"]) for a in report["accounts"]} == {
        name: (ou, email, planted.account_ids[name]) for name, (ou, email) in ACCOUNTS.items()
    }
    SCP = "SERVICE_CONTROL_POLICY"
    assert report["guardrails"] == [
        {"policy": "deny-leave-organization", "policyType": SCP, "target": "Root", "targetType": "ROOT"},
        {
            "policy": "deny-root-access-keys",
            "policyType": SCP,
            "target": "Workloads",
            "targetType": "ORGANIZATIONAL_UNIT",
        },
        {
            "policy": "deny-root-access-keys",
            "policyType": SCP,
            "target": "sandbox-alice",
            "targetType": "ACCOUNT",
        },
    ]
    assert report["access"] == [
        {"group": "auditors", "permissionSet": "ReadOnly", "account": "audit"},
        {"group": "auditors", "permissionSet": "ReadOnly", "account": "sandbox-alice"},
        {"group": "platform-admins", "permissionSet": "AdministratorAccess", "account": "audit"},
    ]
    read_only = next(ps for ps in report["permissionSets"] if ps["name"] == "ReadOnly")
    assert (read_only["managedPolicies"], read_only["inlinePolicy"], read_only["sessionDuration"]) == (
        ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        True,
        "PT8H",
    )
    resources = json.loads(resources_file.read_text())
    ou_imports = {r["name"]: r["importId"] for r in resources if r["type"].endswith(":OrganizationalUnit")}
    assert ou_imports == planted.ou_ids
    imports = {
        (r["type"].rpartition(":")[2], r["name"]): r["importId"]
        for r in resources
        if r["custom"] and not r["type"].startswith("pulumi:providers:")
    }
    # Every resource that exists live is adopted; only what AWS lacks (alternate contacts of
    # the accounts, the instance's region lookups) would be created, and the management
    # account's password policy, which the stack sets whatever it was.
    assert {k: v for k, v in imports.items() if v} == expected_import_ids(planted)
    assert {t for (t, _), v in imports.items() if not v} == {"AlternativeContact", "AccountPasswordPolicy"}

    # Round trip: the written stack shows no drift against the organization it came from.
    config = load_from_mapping(values)
    live = read_organization(Clients(session), with_tags=False, with_policies=False)
    assert {check.id: check.run(config, live).outcome for check in drift.CHECKS} == {
        "stack.accounts-not-in-config": "pass",
        "stack.accounts-not-in-organization": "pass",
        "stack.account-ou": "pass",
        "stack.account-emails": "pass",
    }


def expected_guardrails(planted):
    return [
        {
            "name": "deny-leave-organization",
            "description": "Accounts cannot leave the organization",
            "document": json.dumps(DENY_LEAVE, indent=2) + "\n",  # not the catalog's: kept as a document
            "root": True,
            "import": {
                "policy": planted.policy_ids["deny-leave-organization"],
                "attachments": [planted.root_id],
            },
        },
        {
            "guardrail": "deny-root-access-keys",  # the catalog's document: written as the guardrail
            "description": "Root cannot create access keys",
            "organizationalUnits": ["Workloads"],
            "accounts": ["sandbox-alice"],
            "import": {
                "policy": planted.policy_ids["deny-root-access-keys"],
                "attachments": [planted.ou_ids["Workloads"], planted.account_ids["sandbox-alice"]],
            },
        },
    ]


def expected_identity_center(planted):
    arns = planted.permission_set_arns
    return {
        "permissionSets": [
            {
                "name": "AdministratorAccess",
                "sessionDuration": "PT4H",
                "import": {"arn": arns["AdministratorAccess"]},
            },
            {
                "name": "ReadOnly",
                "description": "Look, do not touch",
                "sessionDuration": "PT8H",
                "managedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                "inlinePolicy": json.dumps(READ_ONLY_INLINE, indent=2) + "\n",
                "import": {
                    "arn": arns["ReadOnly"],
                    "managedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    "inlinePolicy": True,
                },
            },
        ],
        "users": [
            {
                "userName": "alice",
                "givenName": "Alice",
                "familyName": "Liddell",
                "email": "alice@acme-corp.io",
                "import": planted.user_ids["alice"],
            }
        ],
        "groups": [
            {
                "name": "auditors",
                "description": "Read-only reviewers",
                "members": ["alice"],
                "importMemberships": {"alice": planted.membership_ids["auditors/alice"]},
                "import": planted.group_ids["auditors"],
            },
            {"name": "platform-admins", "import": planted.group_ids["platform-admins"]},
        ],
        "access": [
            {
                "group": "auditors",
                "permissionSets": ["ReadOnly"],
                "accounts": ["audit", "sandbox-alice"],
                "import": True,
            },
            {
                "group": "platform-admins",
                "permissionSets": ["AdministratorAccess"],
                "accounts": ["audit"],
                "import": True,
            },
        ],
        "import": {"instanceArn": planted.instance_arn, "identityStoreId": planted.identity_store_id},
    }


def expected_import_ids(planted):
    """(resource type, logical name) -> import id, in the forms pulumi-aws documents."""
    instance, store = planted.instance_arn, planted.identity_store_id
    admin, read_only = (
        planted.permission_set_arns["AdministratorAccess"],
        planted.permission_set_arns["ReadOnly"],
    )
    keys, leave = planted.policy_ids["deny-root-access-keys"], planted.policy_ids["deny-leave-organization"]
    auditors, admins = planted.group_ids["auditors"], planted.group_ids["platform-admins"]
    audit, sandbox = planted.account_ids["audit"], planted.account_ids["sandbox-alice"]
    return {
        **{("OrganizationalUnit", path): ou_id for path, ou_id in planted.ou_ids.items()},
        **{("Account", name): account_id for name, account_id in planted.account_ids.items()},
        ("Policy", "deny-leave-organization"): leave,
        ("Policy", "deny-root-access-keys"): keys,
        ("PolicyAttachment", "deny-leave-organization-root"): f"{planted.root_id}:{leave}",
        ("PolicyAttachment", "deny-root-access-keys-ou-Workloads"): f"{planted.ou_ids['Workloads']}:{keys}",
        ("PolicyAttachment", "deny-root-access-keys-account-sandbox-alice"): f"{sandbox}:{keys}",
        ("PermissionSet", "AdministratorAccess"): f"{admin},{instance}",
        ("PermissionSet", "ReadOnly"): f"{read_only},{instance}",
        ("ManagedPolicyAttachment", "ReadOnly-ReadOnlyAccess"): (
            f"arn:aws:iam::aws:policy/ReadOnlyAccess,{read_only},{instance}"
        ),
        ("PermissionSetInlinePolicy", "ReadOnly-inline"): f"{read_only},{instance}",
        ("User", "user-alice"): f"{store}/{planted.user_ids['alice']}",
        ("Group", "group-auditors"): f"{store}/{auditors}",
        ("Group", "group-platform-admins"): f"{store}/{admins}",
        ("GroupMembership", "auditors-alice"): f"{store}/{planted.membership_ids['auditors/alice']}",
        (
            "AccountAssignment",
            "audit-g-auditors-ReadOnly",
        ): f"{auditors},GROUP,{audit},AWS_ACCOUNT,{read_only},{instance}",
        ("AccountAssignment", "sandbox-alice-g-auditors-ReadOnly"): (
            f"{auditors},GROUP,{sandbox},AWS_ACCOUNT,{read_only},{instance}"
        ),
        ("AccountAssignment", "audit-g-platform-admins-AdministratorAccess"): (
            f"{admins},GROUP,{audit},AWS_ACCOUNT,{admin},{instance}"
        ),
    }


def test_an_existing_stack_file_is_kept_unless_forced(server_env, capsys, project):
    stack_file = project / "Pulumi.live.yaml"
    stack_file.write_text("config: {}\n")
    code, out, err = run_lz(capsys, *import_args(project))
    assert (code, out) == (2, "")
    assert err == f"lz import: {stack_file} already exists; pass --force to overwrite it\n"
    assert stack_file.read_text() == "config: {}\n"
    code, out, err = run_lz(capsys, *import_args(project, "--force"))
    assert (code, err) == (0, "")
    assert "landing-zone:accounts:" in stack_file.read_text()


def test_bad_stack_name_is_a_usage_error(capsys, project):
    code, out, err = run_lz(capsys, "import", "--stack", "../x", "--project-dir", str(project))
    assert (code, err) == (
        2,
        "lz import: --stack: '../x' is not a stack name (letters, digits, '-', '_', '.')\n",
    )


def test_manage_organization_adopts_it_with_its_live_settings(planted_inprocess):
    session, planted = planted_inprocess
    state = read_live_state(Clients(session))
    options = ImportOptions(
        org_name="acme", domain="acme-corp.io", manage_organization=True, region="eu-west-1"
    )
    organization = build_stack(state, options, "landing-zone", "live").values["landing-zone:organization"]
    assert {k: organization[k] for k in ("import", "featureSet", "awsServiceAccessPrincipals")} == {
        "import": planted.organization_id,
        "featureSet": "ALL",
        "awsServiceAccessPrincipals": ["account.amazonaws.com", "sso.amazonaws.com"],
    }


def live_state(accounts, management_contacts=None, member_contacts=None, units=()):
    organization = LiveOrganization(
        id="o-abcdefghij",
        feature_set="ALL",
        management_account_id="111111111111",
        management_email="aws-acme+management@acme-corp.io",
        root_id="r-ab12",
        enabled_policy_types=("SERVICE_CONTROL_POLICY",),
        service_access_principals=(),
        organizational_units=tuple(units),
        accounts=(
            LiveAccount(
                "111111111111", "management", "aws-acme+management@acme-corp.io", "ACTIVE", "r-ab12", None
            ),
            *accounts,
        ),
        policies=(),
    )
    return LiveState(organization, None, management_contacts or {}, member_contacts or {})


def test_names_come_from_the_management_email_and_missing_contacts_are_flagged():
    state = live_state(
        [
            LiveAccount("222222222222", "dev", "aws-acme+dev@acme-corp.io", "ACTIVE", "r-ab12", None),
            LiveAccount("333333333333", "old", "aws-acme+old@acme-corp.io", "SUSPENDED", "r-ab12", None),
        ]
    )
    imported = build_stack(state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    organization = imported.values["landing-zone:organization"]
    assert (organization["name"], organization["domain"]) == ("acme", "acme-corp.io")
    assert organization["notificationEmail"] == "aws-acme+management@acme-corp.io"
    assert organization["contacts"]["billing"] == {
        "name": "Billing contact (placeholder)",
        "title": "Replace me",
        "phone": "+1 555 0100",
    }
    assert imported.values["landing-zone:accounts"] == [{"name": "dev", "import": "222222222222"}]
    lines = imported.text.splitlines()
    assert (
        "  # PLACEHOLDER organization.contacts.billing: the management account's BILLING contact is not set; "
        "every member account gets this contact on `pulumi up`"
    ) in lines
    assert "  # not imported: 333333333333 old is SUSPENDED" in lines
    assert yaml.safe_load(imported.text)["config"] == imported.values


def test_member_contacts_that_differ_from_the_defaults_become_overrides():
    security = LiveContact("Acme Security", "SecOps", "secops@acme-corp.io", "+1 555 0101")
    state = live_state(
        [LiveAccount("222222222222", "dev", "aws-acme+dev@acme-corp.io", "ACTIVE", "r-ab12", None)],
        management_contacts={"SECURITY": security},
        member_contacts={
            "222222222222": {"SECURITY": LiveContact("Dev Lead", "SecOps", "dev@acme-corp.io", "+1 555 0101")}
        },
    )
    imported = build_stack(state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert imported.values["landing-zone:organization"]["notificationEmail"] == "secops@acme-corp.io"
    assert imported.values["landing-zone:accounts"][0]["contacts"] == {
        "security": {"name": "Dev Lead", "email": "dev@acme-corp.io"}
    }


def test_an_organization_that_breaks_the_config_rules_is_refused():
    units = [
        LiveOrganizationalUnit(f"ou-ab12-{i:08d}", f"L{i}", "/".join(f"L{j}" for j in range(i + 1)), "x")
        for i in range(6)
    ]
    state = live_state([], units=units)
    with pytest.raises(ImportProblem) as raised:
        build_stack(state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert str(raised.value) == (
        "the live organization does not fit the config rules:\n"
        "  landing-zone:organizationalUnits[5].path: 'L0/L1/L2/L3/L4/L5' is 6 levels deep; AWS allows at most 5"
    )


def test_a_live_value_the_config_cannot_hold_is_refused_without_a_traceback():
    long_name = "x" * 51  # AWS allows 50: only a hand-edited or future organization has this
    state = live_state([LiveAccount("222222222222", long_name, "a@acme-corp.io", "ACTIVE", "r-ab12", None)])
    with pytest.raises(ImportProblem) as raised:
        build_stack(state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert str(raised.value) == (
        "the live organization does not fit the config model:\n"
        f"  name: '{long_name}' is not 1 to 50 printable ASCII characters (AWS account name rules)"
    )
