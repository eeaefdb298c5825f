"""Config keys `lz import` writes: custom guardrail documents, import ids on guardrails and in
Identity Center. Exact messages, and the import ids the program registers."""

from __future__ import annotations

import json

from landing_zone.config import load_from_mapping
from landing_zone.plan.runner import run_program
from tests.builders import stack_values
from tests.conftest import PROJECT_DIR
from tests.helpers import problem_table, problems_of

INSTANCE = "arn:aws:sso:::instance/ssoins-0123456789abcdef"
OTHER_INSTANCE_SET = "arn:aws:sso:::permissionSet/ssoins-fedcba9876543210/ps-0123456789abcdef"
ADMIN_SET = "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-aaaaaaaaaaaaaaaa"
DATA_SET = "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-bbbbbbbbbbbbbbbb"
STORE = "d-1234567890"
GROUP_ID = "b8a1c340-8031-7071-a2fb-7dc540320c30"
USER_ID = "065212b4-9061-703b-5876-13a517ae2a7c"
MEMBERSHIP_ID = "00000000-1111-2222-3333-444444444444"
AUDIT_ID, PRODUCTION_ID, MANAGEMENT_ID = "210987654321", "098765432109", "123456789012"
SECURITY_OU, WORKLOADS_OU = "ou-ab12-securit1", "ou-ab12-workload"
DOCUMENT = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "DenyS3Delete", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
        ],
    },
    indent=2,
)
UNITS = [
    {"path": "Security", "import": SECURITY_OU},
    {"path": "Workloads", "import": WORKLOADS_OU},
    {"path": "Workloads/Production"},
]
ACCOUNTS = [
    {"name": "audit", "ou": "Security", "import": AUDIT_ID},
    {"name": "production", "ou": "Workloads/Production", "import": PRODUCTION_ID},
    {"name": "staging", "ou": "Workloads"},  # created, not imported
]


def guardrails(*entries):
    return stack_values(organizational_units=UNITS, accounts=ACCOUNTS, guardrails=list(entries))


def identity(**changes):
    base = {
        "import": {"instanceArn": INSTANCE, "identityStoreId": STORE, "managementAccountId": MANAGEMENT_ID},
        "permissionSets": [
            {
                "name": "AdministratorAccess",
                "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                "import": {
                    "arn": ADMIN_SET,
                    "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                },
            },
            {"name": "Billing", "managedPolicies": ["arn:aws:iam::aws:policy/job-function/Billing"]},
        ],
        "users": [
            {
                "userName": "alice",
                "givenName": "Alice",
                "familyName": "Liddell",
                "email": "alice@acme-corp.io",
            }
        ],
        "groups": [
            {"name": "Platform", "members": ["alice"], "import": GROUP_ID},
            {"name": "Finance"},
        ],
        "access": [
            {
                "group": "Platform",
                "permissionSets": ["AdministratorAccess"],
                "accounts": ["audit"],
                "import": True,
            }
        ],
    }
    base.update(changes)
    return stack_values(organizational_units=UNITS, accounts=ACCOUNTS, identityCenter=base)


CASES = [
    (
        "guardrail and document together, and neither",
        guardrails(
            {"guardrail": "deny-root-user", "document": DOCUMENT, "name": "x", "root": True},
            {"name": "nothing", "root": True},
        ),
        [
            "landing-zone:guardrails[0]: set exactly one of guardrail (from the catalog) and document "
            "(a custom policy)",
            "landing-zone:guardrails[1]: set exactly one of guardrail (from the catalog) and document "
            "(a custom policy)",
        ],
    ),
    (
        "a document without a name, with parameters, not JSON",
        guardrails(
            {"document": DOCUMENT, "root": True},
            {
                "document": "{not json",
                "name": "broken",
                "parameters": {"allowedRegions": ["eu-west-1"]},
                "accounts": ["audit"],
            },
        ),
        [
            "landing-zone:guardrails[0].name: is required with document: the policy's name in AWS",
            "landing-zone:guardrails[1].document: is not valid JSON: Expecting property name enclosed in "
            "double quotes (line 1 column 2)",
            "landing-zone:guardrails[1].parameters: only catalog guardrails take parameters",
        ],
    ),
    (
        "two documents without names are not reported as one name used twice",
        guardrails({"document": DOCUMENT, "root": True}, {"document": DOCUMENT, "accounts": ["audit"]}),
        [
            "landing-zone:guardrails[0].name: is required with document: the policy's name in AWS",
            "landing-zone:guardrails[1].name: is required with document: the policy's name in AWS",
        ],
    ),
    (
        "a document without statements, a statement without a Sid",
        guardrails(
            {"document": '{"Version": "2012-10-17"}', "name": "empty", "root": True},
            {
                "document": json.dumps(
                    {
                        "Statement": [
                            {"Sid": "A", "Effect": "Deny", "Action": "*", "Resource": "*"},
                            {"Effect": "Deny", "Action": "*", "Resource": "*"},
                        ]
                    }
                ),
                "name": "anonymous",
                "root": True,
            },
        ),  # fmt: skip
        [
            "landing-zone:guardrails[0].document: must be a policy document: an object with a Statement list",
            "landing-zone:guardrails[1].document: statement 1 has no Sid: every statement needs one, "
            "to name it in reviews",
        ],
    ),
    (
        "a document over 10,240 characters once minified",
        guardrails(
            {
                "document": json.dumps(
                    {
                        "Statement": [
                            {
                                "Sid": f"Deny{n}",
                                "Effect": "Deny",
                                "Action": f"s3:Action{n:04d}",
                                "Resource": "*",
                            }
                            for n in range(150)
                        ]
                    }
                ),
                "name": "huge",
                "root": True,
            }
        ),
        [
            "landing-zone:guardrails[0]: 'huge' is 11,005 characters once minified; AWS allows at most 10,240 "
            "per service control policy"
        ],
    ),  # fmt: skip
    (
        "imported attachments that are not the entry's targets",
        guardrails(
            {
                "guardrail": "deny-root-user",
                "organizationalUnits": ["Security"],
                "accounts": ["audit"],
                "import": {
                    "policy": "p-ab12cd34",
                    "attachments": [
                        "r-ab12",
                        WORKLOADS_OU,
                        PRODUCTION_ID,
                        SECURITY_OU,
                        SECURITY_OU,
                        "arn:aws:organizations::1:ou/x",
                    ],
                },
            }
        ),
        [
            "landing-zone:guardrails[0].import.attachments[0]: 'r-ab12' is the root, but root is not set",
            f"landing-zone:guardrails[0].import.attachments[1]: '{WORKLOADS_OU}' is not the import id of one "
            "of this entry's organizationalUnits or accounts",
            f"landing-zone:guardrails[0].import.attachments[2]: '{PRODUCTION_ID}' is not the import id of one "
            "of this entry's organizationalUnits or accounts",
            f"landing-zone:guardrails[0].import.attachments[4]: '{SECURITY_OU}' is listed twice",
            "landing-zone:guardrails[0].import.attachments[5]: 'arn:aws:organizations::1:ou/x' is not a "
            "root, OU or account id",
        ],
    ),
    (
        "a malformed policy id and a long description",
        guardrails(
            {
                "guardrail": "deny-root-user",
                "root": True,
                "description": "x" * 513,
                "import": {"policy": "deny-root-user"},
            }
        ),
        [
            f"landing-zone:guardrails[0].description: string should have at most 512 characters "
            f"(got '{'x' * 30}...{'x' * 15}' (513 characters))",
            "landing-zone:guardrails[0].import.policy: 'deny-root-user' is not a policy id like p-ab12cd34",
        ],
    ),
    (
        "imports without the instance's ids",
        identity(**{"import": None}),
        [
            "landing-zone:identityCenter.permissionSets[0].import: needs identityCenter.import: "
            "the instance ARN and identity store id",
            "landing-zone:identityCenter.groups[0].import: needs identityCenter.import: "
            "the instance ARN and identity store id",
            "landing-zone:identityCenter.access[0].import: needs identityCenter.import: "
            "the instance ARN and identity store id",
        ],
    ),
    (
        "malformed instance ids",
        identity(**{"import": {"instanceArn": "ssoins-0123456789abcdef", "identityStoreId": "store"}}),
        [
            "landing-zone:identityCenter.import.instanceArn: 'ssoins-0123456789abcdef' is not an Identity "
            "Center instance ARN like arn:aws:sso:::instance/ssoins-0123456789abcdef",
            "landing-zone:identityCenter.import.identityStoreId: 'store' is not an identity store id like "
            "d-1234567890",
        ],
    ),
    (
        "a permission set's import that does not match it",
        identity(
            permissionSets=[
                {
                    "name": "AdministratorAccess",
                    "import": {
                        "arn": OTHER_INSTANCE_SET,
                        "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                        "customerManagedPolicies": [{"name": "DataLake"}],
                        "inlinePolicy": True,
                        "permissionsBoundary": True,
                    },
                }
            ]
        ),
        [
            "landing-zone:identityCenter.permissionSets[0].import.arn: belongs to another instance than "
            f"{INSTANCE}",
            "landing-zone:identityCenter.permissionSets[0].import.managedPolicies[0]: "
            "'arn:aws:iam::aws:policy/AdministratorAccess' is not in this set's managedPolicies",
            "landing-zone:identityCenter.permissionSets[0].import.customerManagedPolicies[0]: "
            "'/DataLake' is not in this set's customerManagedPolicies",
            "landing-zone:identityCenter.permissionSets[0].import.inlinePolicy: this set has no inlinePolicy",
            "landing-zone:identityCenter.permissionSets[0].import.permissionsBoundary: "
            "this set has no permissionsBoundary",
        ],
    ),
    (
        "a membership to import for a user who is not a member",
        identity(
            groups=[
                {"name": "Platform", "import": GROUP_ID, "importMemberships": {"alice": MEMBERSHIP_ID}},
                {"name": "Finance"},
            ]
        ),
        ["landing-zone:identityCenter.groups[0].importMemberships.alice: is not one of this group's members"],
    ),
    (
        "a malformed group id",
        identity(groups=[{"name": "Platform", "import": "Platform"}, {"name": "Finance"}]),
        [
            "landing-zone:identityCenter.groups[0].import: 'Platform' is not an identity store id of a group, "
            "user or membership (a UUID)",
        ],
    ),
    (
        "imported rules that reach beyond what exists live",
        identity(
            access=[
                {
                    "group": "Finance",
                    "permissionSets": ["AdministratorAccess", "Billing"],
                    "accounts": ["audit", "staging", "management"],
                    "organizationalUnits": ["Security"],
                    "import": True,
                }
            ],
            managementAdminGroups=["Finance"],
            **{"import": {"instanceArn": INSTANCE, "identityStoreId": STORE}},
        ),
        [
            "landing-zone:identityCenter.access[0].group: group 'Finance' has no import id",
            "landing-zone:identityCenter.access[0].permissionSets[1]: permission set 'Billing' has no import id",
            "landing-zone:identityCenter.access[0].accounts[1]: account 'staging' has no import id",
            "landing-zone:identityCenter.access[0].accounts[2]: the management account needs "
            "identityCenter.import.managementAccountId",
            "landing-zone:identityCenter.access[0].import: an imported rule names its accounts: "
            "organizationalUnits and allMemberAccounts could reach accounts where the assignment does not "
            "exist yet",
        ],
    ),
]


@problem_table(CASES)
def test_problems(values, expected):
    assert problems_of(values) == expected


def test_a_valid_imported_stack_loads():
    load_from_mapping(identity())
    load_from_mapping(
        guardrails(
            {
                "document": DOCUMENT,
                "name": "deny-s3-delete",
                "root": True,
                "import": {"policy": "p-ab12cd34", "attachments": ["r-ab12"]},
            }
        )
    )


def import_ids(result, type_suffix):
    return {r.name: r.import_id for r in result.resources if r.type.endswith(type_suffix)}


def test_only_what_existed_live_gets_an_import_id():
    boundary = {"customerManagedPolicy": {"name": "Boundary", "path": "/"}}
    values = identity(
        permissionSets=[
            {
                "name": "AdministratorAccess",
                # ReadOnlyAccess was added after the import: created, not imported.
                "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
                "import": {"arn": ADMIN_SET, "managedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
            },
            {
                "name": "DataEngineer",
                "customerManagedPolicies": [{"name": "DataLake", "path": "/analytics/"}],
                "inlinePolicy": DOCUMENT,
                "permissionsBoundary": boundary,
                "import": {
                    "arn": DATA_SET,
                    "customerManagedPolicies": [{"name": "DataLake", "path": "/analytics/"}],
                    "inlinePolicy": True,
                    "permissionsBoundary": True,
                },
            },
        ],
        users=[
            {"userName": "alice", "givenName": "Alice", "familyName": "Liddell", "email": "alice@acme-corp.io",
             "import": USER_ID},
            {"userName": "bob", "givenName": "Bob", "familyName": "Builder", "email": "bob@acme-corp.io"},
        ],
        groups=[
            {"name": "Platform", "members": ["alice", "bob"], "import": GROUP_ID,
             "importMemberships": {"alice": MEMBERSHIP_ID}},
        ],
        managementAdminGroups=["Platform"],
        access=[
            {"group": "Platform", "permissionSets": ["AdministratorAccess"], "accounts": ["audit", "management"],
             "import": True},
            # A rule written after the import: its assignments are created.
            {"group": "Platform", "permissionSets": ["DataEngineer"], "accounts": ["production"]},
        ],
    )  # fmt: skip
    values["landing-zone:guardrails"] = [
        {
            "document": DOCUMENT,
            "name": "deny-s3-delete",
            "root": True,
            "organizationalUnits": ["Security", "Workloads"],  # Workloads added after the import
            "import": {"policy": "p-ab12cd34", "attachments": ["r-ab12", SECURITY_OU]},
        }
    ]
    result = run_program(PROJECT_DIR, "landing-zone", "test", values)
    assert import_ids(result, ":Policy") == {"deny-s3-delete": "p-ab12cd34"}
    assert import_ids(result, ":PolicyAttachment") == {
        "deny-s3-delete-root": "r-ab12:p-ab12cd34",
        "deny-s3-delete-ou-Security": f"{SECURITY_OU}:p-ab12cd34",
        "deny-s3-delete-ou-Workloads": "",
    }
    (policy,) = result.of_type("aws:organizations/policy:Policy")
    assert policy.inputs["content"] == json.dumps(json.loads(DOCUMENT), separators=(",", ":"))
    assert "description" not in policy.inputs  # a document without one has none
    assert import_ids(result, ":PermissionSet") == {
        "AdministratorAccess": f"{ADMIN_SET},{INSTANCE}",
        "DataEngineer": f"{DATA_SET},{INSTANCE}",
    }
    assert import_ids(result, ":ManagedPolicyAttachment") == {
        "AdministratorAccess-AdministratorAccess": f"arn:aws:iam::aws:policy/AdministratorAccess,{ADMIN_SET},{INSTANCE}",
        "AdministratorAccess-ReadOnlyAccess": "",
    }
    assert import_ids(result, ":CustomerManagedPolicyAttachment") == {
        "DataEngineer-cm-/analytics/DataLake": f"DataLake,/analytics/,{DATA_SET},{INSTANCE}"
    }
    assert import_ids(result, ":PermissionSetInlinePolicy") == {
        "DataEngineer-inline": f"{DATA_SET},{INSTANCE}"
    }
    assert import_ids(result, ":PermissionsBoundaryAttachment") == {
        "DataEngineer-boundary": f"{DATA_SET},{INSTANCE}"
    }
    assert import_ids(result, ":User") == {"user-alice": f"{STORE}/{USER_ID}", "user-bob": ""}
    assert import_ids(result, ":Group") == {"group-Platform": f"{STORE}/{GROUP_ID}"}
    assert import_ids(result, ":GroupMembership") == {
        "Platform-alice": f"{STORE}/{MEMBERSHIP_ID}",
        "Platform-bob": "",
    }
    assert import_ids(result, ":AccountAssignment") == {
        "audit-g-Platform-AdministratorAccess": f"{GROUP_ID},GROUP,{AUDIT_ID},AWS_ACCOUNT,{ADMIN_SET},{INSTANCE}",
        "management-g-Platform-AdministratorAccess": (
            f"{GROUP_ID},GROUP,{MANAGEMENT_ID},AWS_ACCOUNT,{ADMIN_SET},{INSTANCE}"
        ),
        "production-g-Platform-DataEngineer": "",
    }
