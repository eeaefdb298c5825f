"""`identityCenter.adminIdentities`: admin work and daily work use separate users (lz validate)."""

from __future__ import annotations

from landing_zone.config import config_warnings, load_from_mapping, read_stack_file
from landing_zone.config.admin_identities import admin_groups, names_admin_identity
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, problem_table, problems_of, run_lz, write_stack

KEY = "landing-zone:identityCenter"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
WHY = "permission set 'AdministratorAccess' on account 'production': it carries the AWS managed policy AdministratorAccess"


def user(name, **fields):
    return {"userName": name, "givenName": "A", "familyName": "B", "email": "a@acme-corp.io", **fields}


def values(platform, developers, users=None, settings=None, sandbox_admin=False):
    """Platform: admin of production; Developers: read-only (and admin of the sandbox if asked)."""
    access = [
        {"group": "Platform", "permissionSets": ["AdministratorAccess"], "accounts": ["production"]},
        {"group": "Developers", "permissionSets": ["ReadOnlyAccess"], "allMemberAccounts": True},
    ]
    if sandbox_admin:
        access.append(
            {"group": "Developers", "permissionSets": ["AdministratorAccess"], "accounts": ["sandbox"]}
        )
    identity = {
        "permissionSets": [
            {"name": "AdministratorAccess", "managedPolicies": [ADMIN]},
            {"name": "ReadOnlyAccess", "managedPolicies": [READ_ONLY]},
        ],
        "users": users
        if users is not None
        else [user("alice@acme-corp.io"), user("alice+admin@acme-corp.io"), user("bob@acme-corp.io")],
        "groups": [{"name": "Platform", "members": platform}, {"name": "Developers", "members": developers}],
        "access": access,
    }
    if settings is not None:
        identity["adminIdentities"] = settings
    return stack_values(
        organizational_units=[{"path": "Workloads"}, {"path": "Sandbox"}],
        accounts=[
            {"name": "production", "ou": "Workloads"},
            {"name": "sandbox", "ou": "Sandbox", "closeOnDeletion": True},
        ],
        identityCenter=identity,
    )


CASES = [
    ("separate admin and daily users", values(["alice+admin@acme-corp.io"], ["alice@acme-corp.io"]), []),
    (
        "one user in an admin group and a daily group",
        values(["alice@acme-corp.io"], ["alice@acme-corp.io", "bob@acme-corp.io"]),
        [
            f"{KEY}.groups[1].members[0]: user 'alice@acme-corp.io' is in admin group 'Platform' ({WHY}) and "
            "in group 'Developers', meant for daily work: give admin work a separate user, or list "
            "'alice@acme-corp.io' in identityCenter.adminIdentities.allowAdminAndDaily"
        ],
    ),
    (
        "explicitly allowed for that user",
        values(
            ["alice@acme-corp.io"],
            ["alice@acme-corp.io"],
            settings={"allowAdminAndDaily": ["alice@acme-corp.io"]},
        ),
        [],
    ),
    (
        "admin of a disposable sandbox is daily work: the group is not an admin group",
        values(["alice@acme-corp.io"], ["alice@acme-corp.io"], sandbox_admin=True),
        [
            f"{KEY}.groups[1].members[0]: user 'alice@acme-corp.io' is in admin group 'Platform' ({WHY}) and "
            "in group 'Developers', meant for daily work: give admin work a separate user, or list "
            "'alice@acme-corp.io' in identityCenter.adminIdentities.allowAdminAndDaily"
        ],
    ),
    (
        "an admin identity by the naming convention in a daily group",
        values([], ["alice+admin@acme-corp.io"], settings={"userNames": "*+admin@*"}),
        [
            f"{KEY}.groups[1].members[0]: user 'alice+admin@acme-corp.io' is an admin identity (its name "
            "matches identityCenter.adminIdentities.userNames '*+admin@*') and group 'Developers' is meant "
            "for daily work: add the person's daily user instead, or list 'alice+admin@acme-corp.io' in "
            "identityCenter.adminIdentities.allowAdminAndDaily"
        ],
    ),
    (
        "a user marked admin: true in a daily group",
        values([], ["root-ops"], users=[user("root-ops", admin=True)]),
        [
            f"{KEY}.groups[1].members[0]: user 'root-ops' is an admin identity (identityCenter.users[0].admin "
            "is true) and group 'Developers' is meant for daily work: add the person's daily user instead, "
            "or list 'root-ops' in identityCenter.adminIdentities.allowAdminAndDaily"
        ],
    ),
    (
        "an exception for a user that does not exist",
        values([], [], settings={"allowAdminAndDaily": ["carol@acme-corp.io"]}),
        [
            f"{KEY}.adminIdentities.allowAdminAndDaily[0]: user 'carol@acme-corp.io' is not defined in "
            "identityCenter.users"
        ],
    ),
]


@problem_table(CASES)
def test_admin_and_daily_identities(values, expected):
    assert problems_of(values) == expected


def test_admin_groups_name_the_grant_that_makes_them_admin():
    config = load_from_mapping(values([], [], sandbox_admin=True))
    found = admin_groups(config.identity_center, config.structure)
    assert {group: str(grant) for group, grant in found.items()} == {"Platform": WHY}


def test_naming_convention_is_a_case_insensitive_pattern_with_stars():
    table = [
        ("*+admin@*", "alice+admin@acme-corp.io", True),
        ("*+admin@*", "Alice+ADMIN@acme-corp.io", True),
        ("*+admin@*", "alice@acme-corp.io", False),
        ("*+admin@*", "alice+admins@acme-corp.io", False),
        ("admin-*", "admin-alice", True),
        ("a.b", "axb", False),  # only * is special
        (None, "alice+admin@acme-corp.io", False),
    ]
    assert [(p, n, names_admin_identity(p, n)) for p, n, _ in table] == table


def test_an_admin_group_member_not_named_as_admin_is_a_warning():
    config = load_from_mapping(
        values(
            ["alice@acme-corp.io", "ops"],
            [],
            users=[user("alice@acme-corp.io"), user("ops", admin=True)],
            settings={"userNames": "*+admin@*"},
        )
    )
    assert [str(w) for w in config_warnings(config, "landing-zone")] == [
        f"{KEY}.groups[0].members[0]: user 'alice@acme-corp.io' is in admin group 'Platform' but is not "
        "named as an admin identity: name it like identityCenter.adminIdentities.userNames '*+admin@*', "
        "or set admin: true on it"
    ]


def test_lz_validate_refuses_the_prod_stack_with_its_admin_user_in_developers(capsys, tmp_path):
    values = read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")
    developers = values["landing-zone:identityCenter"]["groups"][1]
    developers["members"] = [*developers["members"], "alice+admin@acme-corp.io"]
    path = write_stack(tmp_path, values, "Pulumi.prod.yaml")
    assert run_lz(capsys, "validate", "--config-file", str(path)) == (
        2,
        "",
        f"{KEY}.groups[1].members[2]: user 'alice+admin@acme-corp.io' is in admin group 'Platform' (permission "
        "set 'AdministratorAccess' on account 'audit': it carries the AWS managed policy AdministratorAccess) "
        "and in group 'Developers', meant for daily work: give admin work a separate user, or list "
        "'alice+admin@acme-corp.io' in identityCenter.adminIdentities.allowAdminAndDaily\n",
    )
