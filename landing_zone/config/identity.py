"""IAM Identity Center config (`landing-zone:identityCenter`): permission sets, groups, users,
access rules, their cross-reference checks, and the expansion of rules into assignments.

`import` keys (written by `lz import`) adopt what exists live: every import id is built from
strings in config, because a resource's import id cannot wait for an Output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from .base import EMAIL_PATTERN, PATTERN_DESCRIPTIONS, AccountId, ConfigModel, Tags
from .errors import Problem

if TYPE_CHECKING:
    from .model import LandingZoneConfig

# Identity Center's limits on a permission set's session (ISO-8601 durations).
MIN_SESSION_SECONDS = 3600
MAX_SESSION_SECONDS = 12 * 3600
MAX_INLINE_POLICY_CHARACTERS = 32768  # Identity Center's limit on a permission set's inline policy
ISO_DURATION = re.compile(r"^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
AWS_MANAGED_POLICY_ARN = re.compile(r"^arn:aws(-[a-z]+)*:iam::aws:policy/[\w+=,.@/-]+$")
REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
START_URL_PATTERN = re.compile(r"^https://[A-Za-z0-9.-]+(/[^\s]*)?$")

INSTANCE_ARN_PATTERN = r"^arn:aws[a-z-]*:sso:::instance/(sso)?ins-[a-zA-Z0-9.-]{16}$"
# AWS writes arn:aws:sso:::permissionSet/ssoins-.../ps-...; moto writes "instance/" in its place.
# The ARN is only copied back into import ids, so the resource word is not pinned down.
PERMISSION_SET_ARN_PATTERN = (
    r"^arn:aws[a-z-]*:sso:::[A-Za-z]+/(sso)?ins-[a-zA-Z0-9.-]{16}/ps-[a-zA-Z0-9.-]{16}$"
)
# AWS: d- and 10 hex digits (or a UUID); moto's ids have letters past f.
IDENTITY_STORE_ID_PATTERN = r"^(d-[0-9a-z]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
# Identity store ids of groups, users and memberships: a UUID, possibly after a 10-hex prefix.
IDENTITY_STORE_ITEM_ID_PATTERN = (
    r"^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$"
)
PATTERN_DESCRIPTIONS.update(
    {
        INSTANCE_ARN_PATTERN: "an Identity Center instance ARN like "
        "arn:aws:sso:::instance/ssoins-0123456789abcdef",
        PERMISSION_SET_ARN_PATTERN: "a permission set ARN like "
        "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef",
        IDENTITY_STORE_ID_PATTERN: "an identity store id like d-1234567890",
        IDENTITY_STORE_ITEM_ID_PATTERN: "an identity store id of a group, user or membership (a UUID)",
    }
)
IdentityStoreItemId = Annotated[str, StringConstraints(pattern=IDENTITY_STORE_ITEM_ID_PATTERN)]

PermissionSetName = Annotated[str, StringConstraints(pattern=r"^[\w+=,.@-]{1,32}$")]
PolicyPath = Annotated[str, StringConstraints(pattern=r"^/([\x21-\x7e]*/)?$")]


class CustomerManagedPolicyReference(ConfigModel):
    """A policy of this name (and path) that must exist in every account the set reaches."""

    name: Annotated[str, StringConstraints(pattern=r"^[\w+=,.@-]{1,128}$")]
    path: PolicyPath = "/"


class PermissionsBoundary(ConfigModel):
    """Exactly one of an AWS managed policy ARN or a customer managed policy reference."""

    managed_policy_arn: str | None = None
    customer_managed_policy: CustomerManagedPolicyReference | None = None


class PermissionSetImport(ConfigModel):
    """A live permission set to adopt, and which of its attachments existed when imported.

    Only those get import ids: a policy added later is a new attachment, created.
    """

    arn: Annotated[str, StringConstraints(pattern=PERMISSION_SET_ARN_PATTERN)]
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


class IdentityCenterImport(ConfigModel):
    """The live instance's ids, as strings: import ids are built from them."""

    instance_arn: Annotated[str, StringConstraints(pattern=INSTANCE_ARN_PATTERN)]
    identity_store_id: Annotated[str, StringConstraints(pattern=IDENTITY_STORE_ID_PATTERN)]
    # Needed when imported access rules reach the management account.
    management_account_id: AccountId | None = None


class IdentityCenterConfig(ConfigModel):
    """The existing Identity Center instance's content; the instance itself is looked up."""

    # Where the instance lives; default: the stack's aws:region.
    region: str | None = None
    # A custom alias (https://acme.awsapps.com/start); default: the identity store's URL.
    start_url: str | None = None
    # "external": groups come from an identity provider (SCIM) and are looked up by display
    # name; users and memberships are the provider's business.
    identity_source: Literal["identityCenter", "external"] = "identityCenter"
    # The name access rules use for the management account (it is not in `accounts`).
    management_account_name: Annotated[str, StringConstraints(min_length=1, max_length=50)] = "management"
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
    """Seconds in an ISO-8601 time duration like PT8H or PT1H30M; None if not one."""
    match = ISO_DURATION.match(duration)
    if not match:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def accounts_in_ou(config: LandingZoneConfig, path: str) -> list[str]:
    """Names of the member accounts in the OU at `path` or any OU below it."""
    return [
        account.name
        for account in config.accounts
        if account.ou is not None and (account.ou == path or account.ou.startswith(path + "/"))
    ]


def expand_access(config: LandingZoneConfig) -> list[AccessGrant]:
    """Every distinct (account, group, permission set) the access rules imply, sorted."""
    identity = config.identity_center
    if identity is None:
        return []
    grants: set[AccessGrant] = set()
    for rule in identity.access:
        accounts = set(rule.accounts)
        for path in rule.organizational_units:
            accounts.update(accounts_in_ou(config, path))
        if rule.all_member_accounts:
            accounts.update(account.name for account in config.accounts)
        for account in accounts:
            for permission_set in rule.permission_sets:
                grants.add(AccessGrant(account=account, group=rule.group, permission_set=permission_set))
    return sorted(grants)


def assignment_import_ids(config: LandingZoneConfig) -> dict[AccessGrant, str]:
    """Import ids of the assignments imported access rules name (only valid configs)."""
    identity = config.identity_center
    if identity is None or identity.import_ is None:
        return {}
    adopted = identity.import_
    account_ids = {account.name: account.import_id for account in config.accounts}
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


def identity_center_problems(config: LandingZoneConfig, namespace: str) -> list[Problem]:
    """Cross-reference problems under `landing-zone:identityCenter`, in config order."""
    if config.identity_center is None:
        return []
    checker = _IdentityChecker(config, config.identity_center, namespace)
    checker.check()
    return checker.problems


class _IdentityChecker:
    def __init__(self, config: LandingZoneConfig, identity: IdentityCenterConfig, namespace: str) -> None:
        self.config = config
        self.identity = identity
        self.namespace = namespace
        self.problems: list[Problem] = []

    def report(self, parts: Iterable[str | int], message: str) -> None:
        # Imported here: validation.py imports this module to run these checks.
        from .validation import key_path

        self.problems.append(Problem(key_path(self.namespace, "identityCenter", *parts), message))

    def check(self) -> None:
        self.check_instance_settings()
        self.check_permission_sets()
        self.check_users()
        self.check_groups()
        self.check_access()
        self.check_imports()

    def check_instance_settings(self) -> None:
        identity = self.identity
        if identity.region is not None and not REGION_PATTERN.match(identity.region):
            self.report(("region",), f"'{identity.region}' is not an AWS region like eu-west-1")
        if identity.start_url is not None and not START_URL_PATTERN.match(identity.start_url):
            self.report(
                ("startUrl",),
                f"'{identity.start_url}' is not an https URL like https://acme.awsapps.com/start",
            )
        for index, account in enumerate(self.config.accounts):
            if account.name.lower() == identity.management_account_name.lower():
                self.report(
                    ("managementAccountName",),
                    f"'{identity.management_account_name}' is also the name of accounts[{index}]; "
                    "access rules could not tell them apart",
                )

    def check_permission_sets(self) -> None:
        seen: dict[str, int] = {}
        for index, permission_set in enumerate(self.identity.permission_sets):
            parts: tuple[str | int, ...] = ("permissionSets", index)
            if permission_set.name in seen:
                self.report((*parts, "name"), f"same name as permissionSets[{seen[permission_set.name]}]")
            else:
                seen[permission_set.name] = index
            self.check_session_duration((*parts, "sessionDuration"), permission_set.session_duration)
            for position, arn in enumerate(permission_set.managed_policies):
                self.check_managed_policy_arn((*parts, "managedPolicies", position), arn)
            if permission_set.inline_policy is not None:
                self.check_inline_policy((*parts, "inlinePolicy"), permission_set.inline_policy)
            boundary = permission_set.permissions_boundary
            if boundary is not None:
                if (boundary.managed_policy_arn is None) == (boundary.customer_managed_policy is None):
                    self.report(
                        (*parts, "permissionsBoundary"),
                        "set exactly one of managedPolicyArn and customerManagedPolicy",
                    )
                elif boundary.managed_policy_arn is not None:
                    self.check_managed_policy_arn(
                        (*parts, "permissionsBoundary", "managedPolicyArn"), boundary.managed_policy_arn
                    )

    def check_session_duration(self, parts: tuple[str | int, ...], duration: str) -> None:
        seconds = session_seconds(duration)
        if seconds is None:
            self.report(parts, f"'{duration}' is not an ISO-8601 duration like PT8H or PT1H30M")
        elif seconds > MAX_SESSION_SECONDS:
            self.report(parts, f"'{duration}' is longer than PT12H, the Identity Center maximum")
        elif seconds < MIN_SESSION_SECONDS:
            self.report(parts, f"'{duration}' is shorter than PT1H, the Identity Center minimum")

    def check_managed_policy_arn(self, parts: tuple[str | int, ...], arn: str) -> None:
        if not AWS_MANAGED_POLICY_ARN.match(arn):
            self.report(
                parts,
                f"'{arn}' is not an AWS managed policy ARN like arn:aws:iam::aws:policy/ReadOnlyAccess "
                "(customer managed policies go in customerManagedPolicies)",
            )

    def check_inline_policy(self, parts: tuple[str | int, ...], text: str) -> None:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as err:
            self.report(parts, f"is not valid JSON: {err.msg} (line {err.lineno} column {err.colno})")
            return
        if not isinstance(document, dict) or "Statement" not in document:
            self.report(parts, "must be a JSON policy document: an object with a Statement")
        elif len(text) > MAX_INLINE_POLICY_CHARACTERS:
            self.report(
                parts,
                f"is {len(text)} characters; Identity Center allows at most {MAX_INLINE_POLICY_CHARACTERS}",
            )

    def check_users(self) -> None:
        if self.identity.external_groups and self.identity.users:
            self.report(
                ("users",),
                "cannot be set with identitySource external: users come from the identity provider",
            )
            return
        seen: dict[str, int] = {}
        for index, user in enumerate(self.identity.users):
            folded = user.user_name.lower()
            if folded in seen:
                self.report(("users", index, "userName"), f"same user name as users[{seen[folded]}]")
            else:
                seen[folded] = index
            if not EMAIL_PATTERN.match(user.email):
                self.report(("users", index, "email"), f"'{user.email}' is not a valid email address")

    def check_groups(self) -> None:
        users = {user.user_name for user in self.identity.users}
        seen: dict[str, int] = {}
        for index, group in enumerate(self.identity.groups):
            if group.name in seen:
                self.report(("groups", index, "name"), f"same name as groups[{seen[group.name]}]")
            else:
                seen[group.name] = index
            if self.identity.external_groups and group.members:
                self.report(
                    ("groups", index, "members"),
                    "cannot be set with identitySource external: the identity provider owns memberships",
                )
                continue
            for position, member in enumerate(group.members):
                if member not in users:
                    self.report(
                        ("groups", index, "members", position),
                        f"user '{member}' is not defined in identityCenter.users",
                    )

    def check_access(self) -> None:
        groups = {group.name for group in self.identity.groups}
        permission_sets = {permission_set.name for permission_set in self.identity.permission_sets}
        accounts = {account.name for account in self.config.accounts}
        management = self.identity.management_account_name
        ou_paths = {ou.path for ou in self.config.organizational_units}
        for index, rule in enumerate(self.identity.access):
            parts: tuple[str | int, ...] = ("access", index)
            if rule.group not in groups:
                self.report(
                    (*parts, "group"), f"group '{rule.group}' is not defined in identityCenter.groups"
                )
            if not rule.permission_sets:
                self.report((*parts, "permissionSets"), "names no permission set")
            for position, name in enumerate(rule.permission_sets):
                if name not in permission_sets:
                    self.report(
                        (*parts, "permissionSets", position),
                        f"permission set '{name}' is not defined in identityCenter.permissionSets",
                    )
            for position, name in enumerate(rule.accounts):
                if name not in accounts and name != management:
                    self.report(
                        (*parts, "accounts", position),
                        f"account '{name}' is not defined in accounts "
                        f"(the management account is '{management}')",
                    )
            for position, path in enumerate(rule.organizational_units):
                if path not in ou_paths:
                    self.report(
                        (*parts, "organizationalUnits", position),
                        f"OU '{path}' is not defined in organizationalUnits",
                    )
            if not (rule.accounts or rule.organizational_units or rule.all_member_accounts):
                self.report(parts, "names no target: set accounts, organizationalUnits or allMemberAccounts")

    def check_imports(self) -> None:
        """Everything marked imported carries the live ids its import ids are built from."""
        identity = self.identity
        instance = identity.import_
        marked: list[tuple[str | int, ...]] = [
            ("permissionSets", i, "import") for i, ps in enumerate(identity.permission_sets) if ps.import_
        ]
        marked += [("users", i, "import") for i, user in enumerate(identity.users) if user.import_id]
        marked += [("groups", i, "import") for i, group in enumerate(identity.groups) if group.import_id]
        marked += [("access", i, "import") for i, rule in enumerate(identity.access) if rule.import_]
        if instance is None:
            for parts in marked:
                self.report(parts, "needs identityCenter.import: the instance ARN and identity store id")
        else:
            self.check_permission_set_imports(instance.instance_arn)
        self.check_membership_imports()
        self.check_access_imports()

    def check_permission_set_imports(self, instance_arn: str) -> None:
        instance_id = instance_arn.rpartition("/")[2]
        for index, ps in enumerate(self.identity.permission_sets):
            adopted = ps.import_
            if adopted is None:
                continue
            parts: tuple[str | int, ...] = ("permissionSets", index, "import")
            if adopted.arn.split("/")[1] != instance_id:
                self.report((*parts, "arn"), f"belongs to another instance than {instance_arn}")
            for position, arn in enumerate(adopted.managed_policies):
                if arn not in ps.managed_policies:
                    self.report(
                        (*parts, "managedPolicies", position), f"'{arn}' is not in this set's managedPolicies"
                    )
            for position, reference in enumerate(adopted.customer_managed_policies):
                if reference not in ps.customer_managed_policies:
                    self.report(
                        (*parts, "customerManagedPolicies", position),
                        f"'{reference.path}{reference.name}' is not in this set's customerManagedPolicies",
                    )
            if adopted.inline_policy and ps.inline_policy is None:
                self.report((*parts, "inlinePolicy"), "this set has no inlinePolicy")
            if adopted.permissions_boundary and ps.permissions_boundary is None:
                self.report((*parts, "permissionsBoundary"), "this set has no permissionsBoundary")

    def check_membership_imports(self) -> None:
        for index, group in enumerate(self.identity.groups):
            for user_name in group.import_memberships:
                if user_name not in group.members:
                    self.report(
                        ("groups", index, "importMemberships", user_name),
                        "is not one of this group's members",
                    )

    def check_access_imports(self) -> None:
        identity = self.identity
        groups = {group.name: group for group in identity.groups}
        permission_sets = {ps.name: ps for ps in identity.permission_sets}
        account_ids = {account.name: account.import_id for account in self.config.accounts}
        management = identity.management_account_name
        for index, rule in enumerate(identity.access):
            if not rule.import_:
                continue
            parts: tuple[str | int, ...] = ("access", index)
            if rule.organizational_units or rule.all_member_accounts:
                self.report(
                    (*parts, "import"),
                    "an imported rule names its accounts: organizationalUnits and allMemberAccounts "
                    "could reach accounts where the assignment does not exist yet",
                )
            group = groups.get(rule.group)
            if group is not None and group.import_id is None:
                self.report((*parts, "group"), f"group '{rule.group}' has no import id")
            for position, name in enumerate(rule.permission_sets):
                if name in permission_sets and permission_sets[name].import_ is None:
                    self.report(
                        (*parts, "permissionSets", position), f"permission set '{name}' has no import id"
                    )
            for position, name in enumerate(rule.accounts):
                if name == management and name not in account_ids:
                    if identity.import_ is not None and identity.import_.management_account_id is None:
                        self.report(
                            (*parts, "accounts", position),
                            "the management account needs identityCenter.import.managementAccountId",
                        )
                elif name in account_ids and account_ids[name] is None:
                    self.report((*parts, "accounts", position), f"account '{name}' has no import id")
