"""The organization as the stack's own resources show it: accounts, OUs and their paths, and which
account is the management account.

Stack policies build one view and ask it questions; the answers are positive facts taken from
resources (an account id the stack manages, an OU path it creates), never a default. Where a
fact depends on a value that is not known yet, the answer is UNKNOWN and the policy says it
cannot decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .organization_stack import ReferencedOrganization
from .program_rules import ACCOUNT, ORGANIZATION, ORGANIZATION_STACK, ORGANIZATIONAL_UNIT
from .props import UNKNOWN, arn_account, as_list, is_unknown, json_value, tag_matches
from .schema import string_list
from .stack import References, Resource, of_type

AWS_PROVIDER = "pulumi:providers:aws"
ROOT_PATH = ""  # the path of an account that sits directly under the organization's root
# Every type the view reads: pass these to resources_of with a policy's own types.
VIEW_TYPES = (ACCOUNT, ORGANIZATIONAL_UNIT, ORGANIZATION, AWS_PROVIDER, ORGANIZATION_STACK)

# What makes an account production, the same for every policy that asks: the knobs each of
# them takes (config.prod.json sets them alike).
PRODUCTION_KNOBS = {
    "productionOus": string_list(
        "OU names (at any depth) or paths whose accounts, in nested OUs too, are production", ["Production"]
    ),
    "productionAccountTags": string_list(
        "key=value tags that mark an account as production", ["environment=production"]
    ),
    "productionAccounts": string_list("names of accounts that are production whatever their tags and OU"),
}


def in_subtree(path: str, wanted: Iterable[str]) -> bool:
    """Whether the OU `path` (`Workloads/Production/Team`) is one of `wanted` or below one.

    A wanted entry with a `/` is a path from the root; one without is an OU name at any depth.
    """
    parts = path.split("/") if path else []
    for entry in wanted:
        if "/" in entry:
            if path == entry or path.startswith(entry + "/"):
                return True
        elif entry in parts:
            return True
    return False


def provider_roles(provider_props: dict[str, Any]) -> list[Any] | Any:
    """The role ARNs a provider assumes, in order (either provider shape); UNKNOWN if not known yet."""
    roles = provider_props.get("assumeRoles")
    if roles is None:
        roles = provider_props.get("assumeRole")
    if roles is None:
        return []
    # Provider inputs carry nested values as JSON text.
    roles = json_value(roles)
    if is_unknown(roles):
        return UNKNOWN
    arns: list[Any] = []
    for role in as_list(roles):
        if is_unknown(role):
            return UNKNOWN
        if isinstance(role, dict):
            arn = role.get("roleArn")
            if is_unknown(arn):
                return UNKNOWN
            if arn:
                arns.append(arn)
    return arns


def last_role_account(provider_props: dict[str, Any]) -> str | None | Any:
    """The account a provider acts in through its last assumed role.

    None when it assumes no role (it acts with the stack's own credentials: the management
    account's), UNKNOWN when the last role is not known yet, "" when it is not an IAM role ARN.
    """
    roles = provider_roles(provider_props)
    if is_unknown(roles):
        return UNKNOWN
    if not roles:
        return None
    return arn_account(roles[-1]) or ""


class OrganizationView:
    """Accounts, OUs and the management account of the organization this stack manages; in an
    account stack, the OUs and management account its organization stack manages, as the
    account stack names them (`organization_stack`)."""

    def __init__(self, resources: Sequence[Resource], management_account_ids: Iterable[str] = ()) -> None:
        self.accounts = of_type(resources, ACCOUNT)
        self.units = of_type(resources, ORGANIZATIONAL_UNIT)
        self.account_of = References(self.accounts)
        self.unit_of = References(self.units)
        # The first resource of a URN: a native resource before the attachments it embeds.
        self._by_urn: dict[str, Resource] = {}
        for resource in resources:
            self._by_urn.setdefault(resource.urn, resource)
        self.referenced = ReferencedOrganization(resources)
        # An account stack of a split organization: its organization stack holds the organization,
        # its OUs and guardrails (and that stack's run of the pack judges them).
        self.account_stack = bool(of_type(resources, ORGANIZATION_STACK))
        self.management_ids = set(management_account_ids) | self.referenced.management_ids
        for organization in of_type(resources, ORGANIZATION):
            master = organization.props.get("masterAccountId")
            if isinstance(master, str) and not is_unknown(master):
                self.management_ids.add(master)
        for provider in of_type(resources, AWS_PROVIDER):
            # A provider on the stack's own credentials pinned to one account: the program's
            # management-account providers (no role, allowedAccountIds = [management]).
            allowed = json_value(provider.props.get("allowedAccountIds"))
            if last_role_account(provider.props) is None and isinstance(allowed, list):
                self.management_ids.update(a for a in allowed if isinstance(a, str))
        self._paths: dict[str, str | None] = {}

    def resource(self, urn: str) -> Resource | None:
        return self._by_urn.get(urn)

    def account_id(self, account: Resource) -> str | Any:
        """The account's id: its `id` output, UNKNOWN before CreateAccount has run."""
        value = account.props.get("id")
        return value if isinstance(value, str) and value else UNKNOWN

    def member_ids(self) -> set[str]:
        """Ids of the accounts the stack manages as members (known ids only, never the management account)."""
        ids = {self.account_id(a) for a in self.accounts}
        return {i for i in ids if isinstance(i, str)} - self.management_ids

    def depends_on_account(self, resource: Resource) -> Resource | None:
        """The one member account `resource` depends on, directly or through its dependencies."""
        seen: set[str] = set()
        pending = list(resource.dependencies)
        found: dict[str, Resource] = {}
        while pending:
            urn = pending.pop()
            if urn in seen:
                continue
            seen.add(urn)
            dependency = self._by_urn.get(urn)
            if dependency is None:
                continue
            if dependency.type == ACCOUNT:
                found[urn] = dependency
            else:
                pending += dependency.dependencies
        return next(iter(found.values())) if len(found) == 1 else None

    def ou_path(self, unit: Resource) -> str | None:
        """`Workloads/Production` for an OU; None when its name or a parent cannot be told yet."""
        if unit.urn not in self._paths:
            self._paths[unit.urn] = None  # a cycle in broken data ends here
            self._paths[unit.urn] = self._path_of(unit)
        return self._paths[unit.urn]

    def _path_of(self, unit: Resource) -> str | None:
        name = unit.props.get("name")
        if not isinstance(name, str) or is_unknown(name):
            return None
        parent = self.parent_path(unit)
        if parent is None:
            return None
        return f"{parent}/{name}" if parent else name

    def parent_path(self, resource: Resource) -> str | None:
        """The OU path a resource's `parentId` names: ROOT_PATH for the root, None when not known.

        A parent outside this stack (an OU id the stack does not manage) is not known either,
        unless the stack names it as its organization stack's OU (an account stack).
        """
        parent_id = resource.props.get("parentId")
        if isinstance(parent_id, str) and not is_unknown(parent_id) and parent_id.startswith("r-"):
            return ROOT_PATH
        parent = self.unit_of.of(resource, "parentId")
        if parent is None:
            if isinstance(parent_id, str) and parent_id in self.referenced.ou_paths:
                return self.referenced.ou_paths[parent_id]
            return ROOT_PATH if self.is_root_reference(resource, "parentId") else None
        return self.ou_path(parent)

    def is_root_reference(self, resource: Resource, key: str) -> bool:
        """Whether `resource.props[key]`, not known yet, is the root id of the organization the
        stack creates: computed from the Organization resource and from no OU or account."""
        if not is_unknown(resource.props.get(key)):
            return False
        sources = [
            self._by_urn.get(urn) for urn in resource.property_dependencies.get(key, resource.dependencies)
        ]
        types = {source.type for source in sources if source is not None}
        return ORGANIZATION in types and not types & {ORGANIZATIONAL_UNIT, ACCOUNT}

    def marked_production(self, account: Resource, config: Mapping[str, Any]) -> bool | None:
        """Named or tagged production (productionAccounts, productionAccountTags); None when its
        tags are not known yet."""
        if account.label() in config.get("productionAccounts", []):
            return True
        tags = account.props.get("tags")
        if is_unknown(tags):
            return None
        return tag_matches(tags, config.get("productionAccountTags", []))

    def is_production(self, account: Resource, config: Mapping[str, Any]) -> bool | None:
        """Marked production or under a production OU (productionOus, subtree); None when that
        depends on a value not known yet, or on an OU this stack does not manage."""
        marked = self.marked_production(account, config)
        if marked is not False:
            return marked
        path = self.parent_path(account)
        if path is None:
            return None
        return in_subtree(path, config.get("productionOus", []))

    def placement(self, account: Resource) -> str:
        """Where an account sits, as a message says it."""
        path = self.parent_path(account)
        if path == ROOT_PATH:
            return "the organization's root"
        if path is not None:
            return f"OU '{path}'"
        return f"OU {account.props.get('parentId')}, which this stack does not manage"
