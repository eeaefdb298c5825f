"""`lz import` of organization policies of every type: live policies as `landing-zone:guardrails` entries.

A policy whose type and document equal a catalog guardrail rendered with its defaults (and the
organization's own id) is written as that guardrail; any other as a custom `document` with its
`type` (left out for service control policies, the default). Each entry carries the policy's id
and the targets it is attached to (`import`), so `pulumi up` adopts them. AWS's own policies
(FullAWSAccess, RCPFullAWSAccess) are left alone: they stay attached everywhere and are not part
of the config. Types pulumi-aws cannot create are reported, not written.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from landing_zone.config import LandingZoneConfig
from landing_zone.guardrails import ORGANIZATION_ID, catalog, minify
from landing_zone.guardrails.policy_types import POLICY_TYPES, SERVICE_CONTROL_POLICY

from .organization import LiveOrganization, LivePolicy


@cache
def _catalog_by_document(organization_id: str) -> dict[tuple[str, str], str]:
    """Guardrail name by (type, minified document), for the guardrails that need no parameters
    (the organization's id is the organization's own)."""
    return {
        (guardrail.policy_type, minify(guardrail.render({ORGANIZATION_ID: organization_id}))): name
        for name, guardrail in catalog().items()
        if not guardrail.required_parameters
    }


def guardrail_entries(
    live: LiveOrganization, config: LandingZoneConfig
) -> tuple[list[dict[str, Any]], list[str]]:
    """Entries for every customer managed policy attached somewhere the config can name, and comments.

    `config` holds the OUs and accounts already written: targets are named by their import ids.
    """
    ou_paths = {ou.import_id: ou.path for ou in config.organizational_units}
    account_names = {account.import_id: account.name for account in config.accounts}
    entries: list[dict[str, Any]] = []
    comments: list[str] = []
    # A policy's name is its logical name, unique across types in config (AWS only within one).
    named: dict[str, LivePolicy] = {}
    for policy in live.policies:
        if policy.aws_managed:
            continue
        first = named.setdefault(policy.name, policy)
        if first is not policy:
            comments.append(
                f"not imported: {policy.name} ({policy.id}, a {policy.type}) has the name of {first.id} "
                f"(a {first.type}); the config names policies uniquely: rename one in AWS and import again"
            )
            continue
        if policy.type not in POLICY_TYPES:
            comments.append(
                f"not imported: {policy.name} ({policy.id}) is a {policy.type}, which pulumi-aws "
                "cannot manage yet; it stays as it is"
            )
            continue
        try:
            entry = _policy_entry(policy, live.id, comments)
        except ValueError:
            comments.append(f"not imported: {policy.name} ({policy.id}) has a document that is not JSON")
            continue
        attachments: list[str] = []
        for target_id in policy.targets:
            if target_id == live.root_id:
                entry["root"] = True
            elif target_id in ou_paths:
                entry.setdefault("organizationalUnits", []).append(ou_paths[target_id])
            elif target_id in account_names:
                entry.setdefault("accounts", []).append(account_names[target_id])
            else:
                what = "the management account" if target_id == live.management_account_id else "an account"
                comments.append(
                    f"not imported: the attachment of {policy.name} to {what} {target_id} "
                    "(not in accounts); it stays as it is"
                )
                continue
            attachments.append(target_id)
        if not attachments:
            comments.append(f"not imported: {policy.name} ({policy.id}) is attached to nothing here")
            continue
        entry["import"] = {"policy": policy.id, "attachments": attachments}
        entries.append(entry)
    return entries, comments


def _policy_entry(policy: LivePolicy, organization_id: str, comments: list[str]) -> dict[str, Any]:
    document = json.loads(policy.content)
    guardrail = _catalog_by_document(organization_id).get((policy.type, minify(document)))
    if guardrail is not None:
        entry: dict[str, Any] = {"guardrail": guardrail}
        if policy.name != guardrail:
            entry["name"] = policy.name
        if policy.description != catalog()[guardrail].description:
            entry["description"] = policy.description
        return entry
    entry = {"name": policy.name}
    if policy.type != SERVICE_CONTROL_POLICY:
        entry["type"] = policy.type
    if policy.description:
        entry["description"] = policy.description
    # Only IAM's grammar has statements; management policies have none to name.
    if POLICY_TYPES[policy.type].grammar == "iam" and _add_missing_sids(document):
        comments.append(
            f"{policy.name}: statements without a Sid got one (Statement1, ...); the first `pulumi up` "
            "updates the policy's text, not what it allows"
        )
    entry["document"] = json.dumps(document, indent=2) + "\n"
    return entry


def _add_missing_sids(document: Any) -> bool:
    """Give every statement a Sid, as the config requires; True if one was missing."""
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return False
    added = False
    taken = {s.get("Sid") for s in statements if isinstance(s, dict)}
    counter = 0
    for statement in statements:
        if isinstance(statement, dict) and not statement.get("Sid"):
            counter += 1
            while f"Statement{counter}" in taken:
                counter += 1
            # Sid first, as people write it.
            rest = {key: value for key, value in statement.items() if key != "Sid"}
            statement.clear()
            statement.update({"Sid": f"Statement{counter}", **rest})
            added = True
    return added
