"""IAM Identity Center config (`landing-zone:identityCenter`): permission sets, groups, users,
access rules, their cross-reference checks, and the expansion of rules into assignments.

`import` keys (written by `lz import`) adopt what exists live: every import id is built from
strings in config, because a resource's import id cannot wait for an Output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from landing_zone import principals
from landing_zone.admin_access import admin_grant, admin_managed_policy

from .base import AccountId, ConfigModel, Matching, PermissionSetName, PolicyName, Region, Tags
from .checker import Checker, Key, repeats
from .json_text import JsonTextError, parse_json
from .organization import OrganizationStructure

# Identity Center's limits on a permission set's session (ISO-8601 durations).
MIN_SESSION_SECONDS = 3600
MAX_SESSION_SECONDS = 12 * 3600
MAX_INLINE_POLICY_CHARACTERS = 32768  # Identity Center's limit on a permission set's inline policy
# The ISO-8601 form CreatePermissionSet's SessionDuration accepts (its pattern in the API reference):
# https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreatePermissionSet.html
# The policy pack keeps a copy (permission-set-session-limit), pinned by tests/test_shared_rules.py.
ISO_DURATION = re.compile(
    r"P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?",
    re.ASCII,
)
_SECONDS_PER = {"Y": 365 * 86400, "M": 30 * 86400, "W": 7 * 86400, "D": 86400}
AWS_MANAGED_POLICY_ARN = re.compile(r"arn:aws(-[a-z]+)*:iam::aws:policy/[\w+=,.@/-]+", re.ASCII)
START_URL = Matching(r"https://[A-Za-z0-9.-]+(/[^\s]*)?", "an https URL like https://acme.awsapps.com/start")

InstanceArn = Annotated[
    str,
    Matching(
        r"arn:aws[a-z-]*:sso:::instance/(sso)?ins-[a-zA-Z0-9.-]{16}",
        "an Identity Center instance ARN like arn:aws:sso:::instance/ssoins-0123456789abcdef",
    ),
]
# AWS writes arn:aws:sso:::permissionSet/ssoins-.../ps-...; moto writes "instance/" in its place.
# The ARN is only copied back into import ids, so the resource word is not pinned down.
PermissionSetArn = Annotated[
    str,
    Matching(
        r"arn:aws[a-z-]*:sso:::[A-Za-z]+/(sso)?ins-[a-zA-Z0-9.-]{16}/ps-[a-zA-Z0-9.-]{16}",
        "a permission set ARN like arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef",
    ),
]
# AWS: d- and 10 hex digits (or a UUID); moto's ids have letters past f.
IdentityStoreId = Annotated[
    str,
    Matching(
        r"d-[0-9a-z]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "an identity store id like d-1234567890",
    ),
]
# Identity store ids of groups, users and memberships: a UUID, possibly after a 10-hex prefix.
IdentityStoreItemId = Annotated[
    str,
    Matching(
        r"([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}",
        "an identity store id of a group, user or membership (a UUID)",
    ),
]
PolicyPath = Annotated[
    str,
    Matching(r"/([\x21-\x7e]*/)?", "an IAM path that starts and ends with '/', like / or /teams/"),
]


class CustomerManagedPolicyReference(ConfigModel):
    """A policy of this name (and path) that must exist in every account the set reaches."""

    name: PolicyName
    path: PolicyPath = "/"


class PermissionsBoundary(ConfigModel):
    """Exactly one of an AWS managed policy ARN or a customer managed policy reference."""

    managed_policy_arn: str | None = None
    customer_managed_policy: CustomerManagedPolicyReference | None = None


class PermissionSetImport(ConfigModel):
    """A live permission set to adopt, and which of its attachments existed when imported.

    Only those get import ids: a policy added later is a new attachment, created.
    """

    arn: PermissionSetArn
    managed_policies: tuple[str, ...] = ()
    customer_managed_policies: tuple[CustomerManagedPolicyReference, ...] = ()
    inline_policy: bool = False
    permissions_boundary: bool = False


class PermissionSetConfig(ConfigModel):
    name: PermissionSetName
    description: Annotated[str, StringConstraints(min_length=1, max_length=700)] | None = None
    session_duration: str = "PT12H"
    # AWS managed policies only; customer managed ones go in customerManagedPolicies.
    managed_policies: tuple[str, ...] = ()
    customer_managed_policies: tuple[CustomerManagedPolicyReference, ...] = ()
    # A JSON policy document (YAML block scalar in the stack file).
    inline_policy: str | None = None
    permissions_boundary: PermissionsBoundary | None = None
    relay_state: str | None = None
    tags: Tags = Field(default_factory=dict)
    import_: PermissionSetImport | None = Field(default=None, alias="import")


class UserConfig(ConfigModel):
    user_name: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    given_name: Annotated[str, StringConstraints(min_length=1)]
    family_name: Annotated[str, StringConstraints(min_length=1)]
    email: str
    display_name: str | None = None  # default: "<given name> <family name>"
    # An identity for admin work only (see identityCenter.adminIdentities): never in a daily group.
    admin: bool = False
    import_id: IdentityStoreItemId | None = Field(default=None, alias="import")  # the live user id


class GroupConfig(ConfigModel):
    # The display name: the natural key in the identity store and in access rules.
    name: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    description: str | None = None
    members: tuple[str, ...] = ()  # user names from identityCenter.users
    # The live group id: adopts the group (identitySource identityCenter); with an external
    # source the group is still looked up, and the id only builds assignment import ids.
    import_id: IdentityStoreItemId | None = Field(default=None, alias="import")
    # Live membership ids by user name: the memberships to adopt.
    import_memberships: dict[str, IdentityStoreItemId] = Field(default_factory=dict)


class AccessRule(ConfigModel):
    """Give a group these permission sets in every targeted account."""

    group: str
    permission_sets: tuple[str, ...]
    accounts: tuple[str, ...] = ()  # account names; the management account only by its name
    organizational_units: tuple[str, ...] = ()  # OU paths: every account below, nested OUs included
    all_member_accounts: bool = False
    # True: every assignment this rule makes exists live and is adopted (written by lz import).
    import_: bool = Field(default=False, alias="import")


class AdminIdentitiesConfig(ConfigModel):
    """How admin identities are told apart from daily ones (landing_zone/config/admin_identities.py)."""

    # A user name pattern that names admin identities, `*` for any text: `*+admin@*`. When set,
    # every member of an admin group must match it (or be marked `admin: true`).
    user_names: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = None
    # Users who may be in an admin group and in a daily group at once: an explicit exception.
    allow_admin_and_daily: tuple[str, ...] = ()


class IdentityCenterImport(ConfigModel):
    """The live instance's ids, as strings: import ids are built from them."""

    instance_arn: InstanceArn
    identity_store_id: IdentityStoreId
    # Needed when imported access rules reach the management account.
    management_account_id: AccountId | None = None


class IdentityCenterConfig(ConfigModel):
    """The existing Identity Center instance's content; the instance itself is looked up."""

    # Where the instance lives; default: the stack's aws:region.
    region: Region | None = None
    # A custom alias (https://acme.awsapps.com/start); default: the identity store's URL.
    start_url: Annotated[str, START_URL] | None = None
    # "external": groups come from an identity provider (SCIM) and are looked up by display
    # name; users and memberships are the provider's business.
    identity_source: Literal["identityCenter", "external"] = "identityCenter"
    # The name access rules use for the management account (it is not in `accounts`).
    management_account_name: Annotated[str, StringConstraints(min_length=1, max_length=50)] = "management"
    # The only groups an access rule may give an admin-equivalent permission set on the management
    # account: it owns the organization, so admin there is admin of every account.
    management_admin_groups: tuple[str, ...] = ()
    admin_identities: AdminIdentitiesConfig = Field(default_factory=AdminIdentitiesConfig)
    permission_sets: tuple[PermissionSetConfig, ...] = ()
    users: tuple[UserConfig, ...] = ()
    groups: tuple[GroupConfig, ...] = ()
    access: tuple[AccessRule, ...] = ()
    import_: IdentityCenterImport | None = Field(default=None, alias="import")

    @property
    def external_groups(self) -> bool:
        return self.identity_source == "external"

    def display_name_of(self, user: UserConfig) -> str:
        return user.display_name or f"{user.given_name} {user.family_name}"


@dataclass(frozen=True, order=True)
class AccessGrant:
    """One account assignment: a group gets a permission set in an account."""

    account: str
    group: str
    permission_set: str

    @property
    def logical_name(self) -> str:
        # Natural keys only: reordering rules or lists never replaces an assignment.
        return f"{self.account}-g-{self.group}-{self.permission_set}"


def session_seconds(duration: str) -> int | None:
    """Seconds in an ISO-8601 duration like PT8H, PT1H30M or P0DT4H; None if not one."""
    match = ISO_DURATION.fullmatch(duration)
    if not match:
        return None
    years, months, days, day_unit, hours, minutes, seconds = match.groups()
    total = int(years or 0) * _SECONDS_PER["Y"] + int(months or 0) * _SECONDS_PER["M"]
    total += int(days or 0) * _SECONDS_PER[day_unit or "D"] + int(hours or 0) * 3600 + int(minutes or 0) * 60
    return total + int(float(seconds or 0))


def expand_access(
    identity: IdentityCenterConfig | None, structure: OrganizationStructure
) -> list[AccessGrant]:
    """Every distinct (account, group, permission set) the access rules imply for active
    accounts (and the management account), sorted."""
    if identity is None:
        return []
    grants: set[AccessGrant] = set()
    for rule in identity.access:
        accounts = set(rule.accounts)
        for path in rule.organizational_units:
            accounts.update(structure.accounts_in_ou(path))
        if rule.all_member_accounts:
            accounts.update(structure.account_names)
        # A suspended or closed account gets no assignment, whatever names it (lifecycle).
        accounts -= structure.account_names - structure.active_account_names
        for account in accounts:
            for permission_set in rule.permission_sets:
                grants.add(AccessGrant(account=account, group=rule.group, permission_set=permission_set))
    # By the fields' tuple: the same order as the dataclass's, without its Python-level __lt__
    # (tens of thousands of grants at 5,000 accounts).
    return sorted(grants, key=lambda grant: (grant.account, grant.group, grant.permission_set))


# Import ids, built from strings in config: a resource's import id cannot wait for an Output.


def _instance_import_id(identity: IdentityCenterConfig, *parts: str) -> str | None:
    """`<parts>,<instance arn>`: how ssoadmin resources are imported."""
    if identity.import_ is None:
        return None
    return ",".join((*parts, identity.import_.instance_arn))


def store_import_id(identity: IdentityCenterConfig, item_id: str | None) -> str | None:
    """`<identity store id>/<id>`: how identitystore resources (users, groups, memberships) are imported."""
    if item_id is None or identity.import_ is None:
        return None
    return f"{identity.import_.identity_store_id}/{item_id}"


@dataclass(frozen=True)
class PermissionSetImportIds:
    """Import ids of a permission set and of the attachments that existed live (None: created)."""

    permission_set: str | None = None
    managed_policies: dict[str, str] = field(default_factory=dict)  # by policy ARN
    customer_managed_policies: dict[CustomerManagedPolicyReference, str] = field(default_factory=dict)
    inline_policy: str | None = None
    permissions_boundary: str | None = None


def permission_set_import_ids(
    identity: IdentityCenterConfig, permission_set: PermissionSetConfig
) -> PermissionSetImportIds:
    adopted = permission_set.import_
    if adopted is None or identity.import_ is None:
        return PermissionSetImportIds()
    set_id = _instance_import_id(identity, adopted.arn)
    return PermissionSetImportIds(
        permission_set=set_id,
        managed_policies={
            arn: f"{arn},{adopted.arn},{identity.import_.instance_arn}" for arn in adopted.managed_policies
        },
        customer_managed_policies={
            reference: f"{reference.name},{reference.path},{adopted.arn},{identity.import_.instance_arn}"
            for reference in adopted.customer_managed_policies
        },
        inline_policy=set_id if adopted.inline_policy else None,
        permissions_boundary=set_id if adopted.permissions_boundary else None,
    )


def assignment_import_ids(
    identity: IdentityCenterConfig | None, structure: OrganizationStructure
) -> dict[AccessGrant, str]:
    """Import ids of the assignments imported access rules name (only valid configs)."""
    if identity is None or identity.import_ is None:
        return {}
    adopted = identity.import_
    account_ids = dict(structure.account_import_ids)
    account_ids[identity.management_account_name] = adopted.management_account_id
    group_ids = {group.name: group.import_id for group in identity.groups}
    permission_set_arns = {ps.name: ps.import_.arn for ps in identity.permission_sets if ps.import_}
    ids: dict[AccessGrant, str] = {}
    for rule in identity.access:
        if not rule.import_:
            continue
        for account in rule.accounts:
            for permission_set in rule.permission_sets:
                parts = (
                    group_ids.get(rule.group),
                    "GROUP",
                    account_ids.get(account),
                    "AWS_ACCOUNT",
                    permission_set_arns.get(permission_set),
                    adopted.instance_arn,
                )
                if all(parts):
                    ids[AccessGrant(account, rule.group, permission_set)] = ",".join(map(str, parts))
    return ids


# Checks: `checker` reports under `identityCenter`.


def check_identity_center(
    identity: IdentityCenterConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    _check_organization_prerequisites(identity, structure, checker)
    _check_management_account_name(identity, structure, checker)
    _check_permission_sets(identity, checker)
    _check_users(identity, checker)
    _check_groups(identity, checker)
    _check_access(identity, structure, checker)
    _check_management_admin(identity, checker)
    _check_imports(identity, structure, checker)


def _check_organization_prerequisites(
    identity: IdentityCenterConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    organization = structure.organization
    if principals.IDENTITY_CENTER not in organization.aws_service_access_principals:
        checker.report(
            (),
            "Identity Center needs trusted access: "
            f"add {principals.IDENTITY_CENTER} to organization.awsServiceAccessPrincipals",
        )
    if organization.create and identity.import_ is None:
        # An organization instance of Identity Center is enabled in the console, never by an
        # API this stack can call: a brand-new organization has none, and the lookup would fail.
        # https://docs.aws.amazon.com/singlesignon/latest/userguide/get-set-up-for-idc.html
        checker.report(
            (),
            "a new organization (organization.create) has no Identity Center instance yet: "
            "1) run pulumi up without identityCenter; 2) enable IAM Identity Center in the "
            "management account's console; 3) add identityCenter with import: {instanceArn, "
            "identityStoreId} from its Settings page, then run pulumi up again",
        )


def _check_management_account_name(
    identity: IdentityCenterConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    for index, account in enumerate(structure.accounts):
        if account.name.lower() == identity.management_account_name.lower():
            checker.report(
                ("managementAccountName",),
                f"'{identity.management_account_name}' is also the name of accounts[{index}]; "
                "access rules could not tell them apart",
            )


def _check_permission_sets(identity: IdentityCenterConfig, checker: Checker) -> None:
    sets = identity.permission_sets
    for index, first in repeats(ps.name for ps in sets):
        checker.report(("permissionSets", index, "name"), f"same name as permissionSets[{first}]")
    for index, permission_set in enumerate(sets):
        here = checker.under("permissionSets", index)
        _check_session_duration(here, permission_set.session_duration)
        for position, arn in enumerate(permission_set.managed_policies):
            _check_managed_policy_arn(here, ("managedPolicies", position), arn)
        if permission_set.inline_policy is not None:
            _check_inline_policy(here, permission_set.inline_policy)
        if permission_set.permissions_boundary is not None:
            _check_boundary(here, permission_set.permissions_boundary)


def _check_session_duration(checker: Checker, duration: str) -> None:
    seconds = session_seconds(duration)
    key = ("sessionDuration",)
    if seconds is None:
        checker.report(key, f"'{duration}' is not an ISO-8601 duration like PT8H or PT1H30M")
    elif seconds > MAX_SESSION_SECONDS:
        checker.report(key, f"'{duration}' is longer than PT12H, the Identity Center maximum")
    elif seconds < MIN_SESSION_SECONDS:
        checker.report(key, f"'{duration}' is shorter than PT1H, the Identity Center minimum")


def _check_managed_policy_arn(checker: Checker, key: Key, arn: str) -> None:
    if not AWS_MANAGED_POLICY_ARN.fullmatch(arn):
        checker.report(
            key,
            f"'{arn}' is not an AWS managed policy ARN like arn:aws:iam::aws:policy/ReadOnlyAccess "
            "(customer managed policies go in customerManagedPolicies)",
        )


def _check_inline_policy(checker: Checker, text: str) -> None:
    key = ("inlinePolicy",)
    try:
        document = parse_json(text)
    except JsonTextError as err:
        checker.report(key, str(err))
        return
    if not isinstance(document, dict) or "Statement" not in document:
        checker.report(key, "must be a JSON policy document: an object with a Statement")
    elif len(text) > MAX_INLINE_POLICY_CHARACTERS:
        checker.report(
            key, f"is {len(text)} characters; Identity Center allows at most {MAX_INLINE_POLICY_CHARACTERS}"
        )


def _check_boundary(checker: Checker, boundary: PermissionsBoundary) -> None:
    if (boundary.managed_policy_arn is None) == (boundary.customer_managed_policy is None):
        checker.report(
            ("permissionsBoundary",), "set exactly one of managedPolicyArn and customerManagedPolicy"
        )
    elif boundary.managed_policy_arn is not None:
        _check_managed_policy_arn(
            checker, ("permissionsBoundary", "managedPolicyArn"), boundary.managed_policy_arn
        )


def _check_users(identity: IdentityCenterConfig, checker: Checker) -> None:
    if identity.external_groups and identity.users:
        checker.report(
            ("users",), "cannot be set with identitySource external: users come from the identity provider"
        )
        return
    for index, first in repeats(user.user_name.lower() for user in identity.users):
        checker.report(("users", index, "userName"), f"same user name as users[{first}]")
    for index, user in enumerate(identity.users):
        # The same rule as every other address of the stack (production refuses placeholders).
        checker.email(("users", index, "email"), user.email)


def _check_groups(identity: IdentityCenterConfig, checker: Checker) -> None:
    users = {user.user_name for user in identity.users}
    for index, first in repeats(group.name for group in identity.groups):
        checker.report(("groups", index, "name"), f"same name as groups[{first}]")
    for index, group in enumerate(identity.groups):
        if identity.external_groups and group.members:
            checker.report(
                ("groups", index, "members"),
                "cannot be set with identitySource external: the identity provider owns memberships",
            )
            continue
        for position, member in enumerate(group.members):
            if member not in users:
                checker.report(
                    ("groups", index, "members", position),
                    f"user '{member}' is not defined in identityCenter.users",
                )


def _check_access(identity: IdentityCenterConfig, structure: OrganizationStructure, checker: Checker) -> None:
    groups = {group.name for group in identity.groups}
    permission_sets = {permission_set.name for permission_set in identity.permission_sets}
    management = identity.management_account_name
    for index, rule in enumerate(identity.access):
        here = checker.under("access", index)
        if rule.group not in groups:
            here.report(("group",), f"group '{rule.group}' is not defined in identityCenter.groups")
        if not rule.permission_sets:
            here.report(("permissionSets",), "names no permission set")
        for position, name in enumerate(rule.permission_sets):
            if name not in permission_sets:
                here.report(
                    ("permissionSets", position),
                    f"permission set '{name}' is not defined in identityCenter.permissionSets",
                )
        for position, name in enumerate(rule.accounts):
            if name not in structure.account_names and name != management:
                here.report(
                    ("accounts", position),
                    f"account '{name}' is not defined in accounts (the management account is '{management}')",
                )
        for position, path in enumerate(rule.organizational_units):
            if path not in structure.ou_paths:
                here.report(
                    ("organizationalUnits", position), f"OU '{path}' is not defined in organizationalUnits"
                )
        if not (rule.accounts or rule.organizational_units or rule.all_member_accounts):
            here.report((), "names no target: set accounts, organizationalUnits or allMemberAccounts")


def admin_reason(permission_set: PermissionSetConfig) -> str | None:
    """Why a permission set is administrator access (an AWS managed admin policy, or an inline
    policy that grants admin), or None; the same notion as the policy pack's."""
    for arn in permission_set.managed_policies:
        name = admin_managed_policy(arn)
        if name is not None:
            return f"it carries the AWS managed policy {name}"
    if permission_set.inline_policy is not None:
        try:
            document = parse_json(permission_set.inline_policy)
        except JsonTextError:
            return None  # reported by _check_inline_policy
        reason = admin_grant(document)
        if reason is not None:
            return f"its inline policy is admin: {reason}"
    return None


def _check_management_admin(identity: IdentityCenterConfig, checker: Checker) -> None:
    groups = {group.name for group in identity.groups}
    for position, name in enumerate(identity.management_admin_groups):
        if name not in groups:
            checker.report(
                ("managementAdminGroups", position), f"group '{name}' is not defined in identityCenter.groups"
            )
    allowed = set(identity.management_admin_groups)
    admin = {ps.name: reason for ps in identity.permission_sets if (reason := admin_reason(ps))}
    management = identity.management_account_name
    for index, rule in enumerate(identity.access):
        if management not in rule.accounts or rule.group in allowed:
            continue
        for position, name in enumerate(rule.permission_sets):
            if name in admin:
                checker.report(
                    ("access", index, "permissionSets", position),
                    f"gives group '{rule.group}' permission set '{name}' on the management account "
                    f"'{management}', and {admin[name]}; admin there is admin of the whole organization: "
                    "list the group in identityCenter.managementAdminGroups if it should have it",
                )


def _check_imports(
    identity: IdentityCenterConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    """Everything marked imported carries the live ids its import ids are built from."""
    instance = identity.import_
    marked: list[Key] = [
        ("permissionSets", i, "import") for i, ps in enumerate(identity.permission_sets) if ps.import_
    ]
    marked += [("users", i, "import") for i, user in enumerate(identity.users) if user.import_id]
    marked += [("groups", i, "import") for i, group in enumerate(identity.groups) if group.import_id]
    marked += [("access", i, "import") for i, rule in enumerate(identity.access) if rule.import_]
    if instance is None:
        for key in marked:
            checker.report(key, "needs identityCenter.import: the instance ARN and identity store id")
    else:
        _check_permission_set_imports(identity, instance.instance_arn, checker)
    _check_membership_imports(identity, checker)
    _check_access_imports(identity, structure, checker)


def _check_permission_set_imports(
    identity: IdentityCenterConfig, instance_arn: str, checker: Checker
) -> None:
    instance_id = instance_arn.rpartition("/")[2]
    for index, ps in enumerate(identity.permission_sets):
        adopted = ps.import_
        if adopted is None:
            continue
        here = checker.under("permissionSets", index, "import")
        if adopted.arn.split("/")[1] != instance_id:
            here.report(("arn",), f"belongs to another instance than {instance_arn}")
        for position, arn in enumerate(adopted.managed_policies):
            if arn not in ps.managed_policies:
                here.report(("managedPolicies", position), f"'{arn}' is not in this set's managedPolicies")
        for position, reference in enumerate(adopted.customer_managed_policies):
            if reference not in ps.customer_managed_policies:
                here.report(
                    ("customerManagedPolicies", position),
                    f"'{reference.path}{reference.name}' is not in this set's customerManagedPolicies",
                )
        if adopted.inline_policy and ps.inline_policy is None:
            here.report(("inlinePolicy",), "this set has no inlinePolicy")
        if adopted.permissions_boundary and ps.permissions_boundary is None:
            here.report(("permissionsBoundary",), "this set has no permissionsBoundary")


def _check_membership_imports(identity: IdentityCenterConfig, checker: Checker) -> None:
    for index, group in enumerate(identity.groups):
        for user_name in group.import_memberships:
            if user_name not in group.members:
                checker.report(
                    ("groups", index, "importMemberships", user_name), "is not one of this group's members"
                )


def _check_access_imports(
    identity: IdentityCenterConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    groups = {group.name: group for group in identity.groups}
    permission_sets = {ps.name: ps for ps in identity.permission_sets}
    account_ids = structure.account_import_ids
    management = identity.management_account_name
    for index, rule in enumerate(identity.access):
        if not rule.import_:
            continue
        here = checker.under("access", index)
        if rule.organizational_units or rule.all_member_accounts:
            here.report(
                ("import",),
                "an imported rule names its accounts: organizationalUnits and allMemberAccounts "
                "could reach accounts where the assignment does not exist yet",
            )
        group = groups.get(rule.group)
        if group is not None and group.import_id is None:
            here.report(("group",), f"group '{rule.group}' has no import id")
        for position, name in enumerate(rule.permission_sets):
            if name in permission_sets and permission_sets[name].import_ is None:
                here.report(("permissionSets", position), f"permission set '{name}' has no import id")
        for position, name in enumerate(rule.accounts):
            if name == management and name not in account_ids:
                if identity.import_ is not None and identity.import_.management_account_id is None:
                    here.report(
                        ("accounts", position),
                        "the management account needs identityCenter.import.managementAccountId",
                    )
            elif name in account_ids and account_ids[name] is None:
                here.report(("accounts", position), f"account '{name}' has no import id")
