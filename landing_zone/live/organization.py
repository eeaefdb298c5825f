"""The live organization as plain data: root, OU tree by path, accounts, policies, trusted access."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from landing_zone.config.base import ACCOUNT_ID, ORGANIZATION_ID, OU_ID, ROOT_ID, Matching
from landing_zone.guardrails.policy_types import AWS_POLICY_TYPES, SERVICE_CONTROL_POLICY

from .session import Clients, paginate

log = logging.getLogger(__name__)


class LiveDataError(Exception):
    """AWS answered with something this tool cannot represent (e.g. an OU name with '/')."""


class NotManagementAccount(Exception):
    """The credentials are not the management account's: the organization-wide reads would be
    refused or, worse, read only what a member account sees."""


def require_management_account(clients: Clients, command: str) -> None:
    """Stop unless the session's account is the organization's management account."""
    caller = clients.client("sts").get_caller_identity()["Account"]
    description = clients.client("organizations").describe_organization()["Organization"]
    if caller != description["MasterAccountId"]:
        raise NotManagementAccount(
            f"the credentials are for account {caller}; {command} needs the management account "
            f"{description['MasterAccountId']} of {description['Id']}"
        )


@dataclass(frozen=True)
class LiveOrganizationalUnit:
    id: str
    name: str
    path: str  # slash-separated from the root, the config's natural key
    parent_id: str
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LiveAccount:
    id: str
    name: str
    email: str
    status: str  # ACTIVE, SUSPENDED, PENDING_CLOSURE
    parent_id: str
    ou_path: str | None  # None: directly under the root
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"


@dataclass(frozen=True)
class LivePolicy:
    id: str
    name: str
    type: str
    aws_managed: bool
    targets: tuple[str, ...]  # root, OU and account ids it is attached to
    description: str = ""
    content: str = ""  # the document as AWS holds it (read for customer managed policies only)


@dataclass(frozen=True)
class LiveOrganization:
    id: str
    feature_set: str
    management_account_id: str
    management_email: str
    root_id: str
    enabled_policy_types: tuple[str, ...]
    service_access_principals: tuple[str, ...]
    organizational_units: tuple[LiveOrganizationalUnit, ...]
    accounts: tuple[LiveAccount, ...]
    policies: tuple[LivePolicy, ...]

    @property
    def management_account(self) -> LiveAccount | None:
        return next((a for a in self.accounts if a.id == self.management_account_id), None)

    @property
    def member_accounts(self) -> tuple[LiveAccount, ...]:
        return tuple(a for a in self.accounts if a.id != self.management_account_id)


def read_organization(
    clients: Clients, *, with_tags: bool = True, with_policies: bool = True
) -> LiveOrganization:
    """Everything `lz import` and the drift checks need to know about the organization."""
    org = clients.client("organizations")
    description = org.describe_organization()["Organization"]
    organization_id = _checked(ORGANIZATION_ID, description["Id"], "organization id")
    roots = org.list_roots()["Roots"]
    if len(roots) != 1:
        raise LiveDataError(f"organization {organization_id} has {len(roots)} roots; expected one")
    root = roots[0]
    root_id = _checked(ROOT_ID, root["Id"], "root id")
    units = list(_walk_units(org, root_id, None))
    paths = {unit.id: unit.path for unit in units}
    accounts = []
    for parent_id in (root_id, *paths):
        for account in paginate(org, "list_accounts_for_parent", "Accounts", ParentId=parent_id):
            accounts.append(
                LiveAccount(
                    id=_checked(ACCOUNT_ID, account["Id"], "account id"),
                    name=account["Name"],
                    email=account["Email"],
                    status=account.get("State") or account.get("Status", "ACTIVE"),
                    parent_id=parent_id,
                    ou_path=paths.get(parent_id),
                )
            )
    if with_tags:
        units = [_with_tags(org, unit) for unit in units]
        accounts = [_with_tags(org, account) for account in accounts]
    enabled_types = tuple(
        sorted(t["Type"] for t in root.get("PolicyTypes", []) if t.get("Status") == "ENABLED")
    )
    policies = _read_policies(org, enabled_types) if with_policies else []
    principals = tuple(
        sorted(
            p["ServicePrincipal"]
            for p in paginate(org, "list_aws_service_access_for_organization", "EnabledServicePrincipals")
        )
    )
    log.info("organization %s: %d OUs, %d accounts", organization_id, len(units), len(accounts))
    return LiveOrganization(
        id=organization_id,
        feature_set=description.get("FeatureSet", "ALL"),
        management_account_id=description["MasterAccountId"],
        management_email=description.get("MasterAccountEmail", ""),
        root_id=root_id,
        enabled_policy_types=enabled_types,
        service_access_principals=principals,
        organizational_units=tuple(sorted(units, key=lambda u: u.path)),
        accounts=tuple(sorted(accounts, key=lambda a: (a.ou_path or "", a.name.lower(), a.id))),
        policies=tuple(policies),
    )


def policy_document(clients: Clients, policy_id: str) -> dict[str, Any]:
    content = clients.client("organizations").describe_policy(PolicyId=policy_id)["Policy"]["Content"]
    document = json.loads(content)
    return document if isinstance(document, dict) else {}


def _walk_units(org: Any, parent_id: str, parent_path: str | None) -> Iterator[LiveOrganizationalUnit]:
    for unit in paginate(
        org, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent_id
    ):
        name = unit["Name"]
        if "/" in name:
            # Paths are the config's natural key; a '/' inside a name would make them ambiguous.
            raise LiveDataError(f"OU {unit['Id']} is named {name!r}: names with '/' are not supported")
        path = f"{parent_path}/{name}" if parent_path else name
        ou_id = _checked(OU_ID, unit["Id"], "OU id")
        yield LiveOrganizationalUnit(id=ou_id, name=name, path=path, parent_id=parent_id)
        yield from _walk_units(org, ou_id, path)


def _read_policies(org: Any, enabled_types: Sequence[str]) -> list[LivePolicy]:
    """The policies of every type the root enables (SCPs always: they are there without it).

    ListPolicies takes one type at a time (its Filter is required); a type AWS's model does not
    know yet is not asked for.
    """
    types = dict.fromkeys((SERVICE_CONTROL_POLICY, *(t for t in enabled_types if t in AWS_POLICY_TYPES)))
    return [policy for policy_type in types for policy in _read_policies_of_type(org, policy_type)]


def _read_policies_of_type(org: Any, policy_type: str) -> list[LivePolicy]:
    policies = []
    for summary in paginate(org, "list_policies", "Policies", Filter=policy_type):
        targets = tuple(
            t["TargetId"] for t in paginate(org, "list_targets_for_policy", "Targets", PolicyId=summary["Id"])
        )
        aws_managed = bool(summary.get("AwsManaged", False))
        content = "" if aws_managed else org.describe_policy(PolicyId=summary["Id"])["Policy"]["Content"]
        policies.append(
            LivePolicy(
                id=summary["Id"],
                name=summary["Name"],
                type=summary.get("Type", policy_type),
                aws_managed=aws_managed,
                targets=targets,
                description=summary.get("Description", ""),
                content=content,
            )
        )
    return sorted(policies, key=lambda p: p.name)


def _with_tags(org: Any, item: Any) -> Any:
    tags = {t["Key"]: t["Value"] for t in paginate(org, "list_tags_for_resource", "Tags", ResourceId=item.id)}
    return dataclasses.replace(item, tags=tags)


def _checked(rule: Matching, value: str, what: str) -> str:
    if not rule.matches(value):
        raise LiveDataError(f"AWS returned {value!r} as {what}, which is not in the expected form")
    return value
