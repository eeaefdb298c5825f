"""Organization policies of every type: which types the root enables and what is attached to it;
with `--stack`, every type the config uses is enabled, and each OU's (and the root's) service
and resource control policies are the configured ones.

Live names and ids are untrusted text: they are shown through `shown`, never interpreted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from landing_zone.config import LandingZoneConfig
from landing_zone.guardrails.policy_types import (
    AWS_POLICY_TYPES,
    POLICY_TYPES,
    RESOURCE_CONTROL_POLICY,
    SERVICE_CONTROL_POLICY,
)

from ..organization import LiveOrganization
from ..session import Clients, paginate
from ..shown import shown
from .model import Check, Finding

# The types whose coverage of each OU the stack's config decides (authorization policies).
COVERED_TYPES = (SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY)


def _root(clients: Clients) -> tuple[str, list[str]]:
    """The root's id and the types it enables, in AWS's order (unknown ones last)."""
    root = clients.client("organizations").list_roots()["Roots"][0]
    enabled = [t["Type"] for t in root.get("PolicyTypes", []) if t.get("Status") == "ENABLED"]
    order = {name: index for index, name in enumerate(AWS_POLICY_TYPES)}
    return root["Id"], sorted(enabled, key=lambda t: (order.get(t, len(order)), t))


def _attached(org: Any, target_id: str, policy_type: str) -> list[str]:
    """The names of the policies of `policy_type` directly attached to `target_id`."""
    return sorted(
        str(p.get("Name", ""))
        for p in paginate(org, "list_policies_for_target", "Policies", TargetId=target_id, Filter=policy_type)
    )


def _names(names: Iterable[str]) -> str:
    return ", ".join(shown(name) for name in names) or "nothing"


def root_policies(clients: Clients) -> Finding:
    """Each enabled type and what is attached to the root; fails when the root enables none."""
    org = clients.client("organizations")
    root_id, enabled = _root(clients)
    evidence = [
        f"root {root_id}: {shown(policy_type)} enabled; attached to the root: "
        f"{_names(_attached(org, root_id, policy_type))}"
        for policy_type in enabled
    ]
    return (
        Finding("pass", tuple(evidence))
        if enabled
        else Finding.failed(f"root {root_id}: no policy type enabled")
    )


def used_types_enabled(clients: Clients, config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    root_id, enabled = _root(clients)
    used = dict.fromkeys(entry.policy_type for entry in config.guardrails)
    return Finding.of(
        [
            f"{policy_type} is used by the config and not enabled on root {root_id} "
            f"(aws organizations enable-policy-type --root-id {root_id} --policy-type {policy_type})"
            for policy_type in used
            if policy_type not in enabled
        ],
        f"root {root_id} enables every type the config uses ({', '.join(used) or 'none'})",
    )


def coverage(clients: Clients, config: LandingZoneConfig, live: LiveOrganization) -> Finding:
    """The root's and each configured OU's SCPs and RCPs are the configured ones, by name.

    AWS's own FullAWSAccess and RCPFullAWSAccess are expected everywhere and not listed.
    """
    org = clients.client("organizations")
    root_id, enabled = _root(clients)
    ou_ids = {ou.path: ou.id for ou in live.organizational_units}
    # (label, OU path or None for the root, live id or None when the OU is missing)
    targets: list[tuple[str, str | None, str | None]] = [("the root", None, root_id)]
    targets += [(f"OU {ou.path}", ou.path, ou_ids.get(ou.path)) for ou in config.organizational_units]
    problems: list[str] = []
    checked: list[str] = []  # the types whose coverage was compared
    for policy_type in COVERED_TYPES:
        rules = POLICY_TYPES[policy_type]
        if policy_type not in enabled:
            if any(entry.policy_type == policy_type for entry in config.guardrails):
                problems.append(f"{policy_type} is not enabled on root {root_id}: no {rules.plural} apply")
            continue
        for label, path, target_id in targets:
            configured = sorted(
                entry.policy_name
                for entry in config.guardrails
                if entry.policy_type == policy_type
                and (entry.root if path is None else path in entry.organizational_units)
            )
            if target_id is None:
                if configured:
                    problems.append(
                        f"{label} is not in the organization: {', '.join(configured)} not attached"
                    )
                continue
            live_names = [n for n in _attached(org, target_id, policy_type) if n != rules.always_attached]
            missing = [name for name in configured if name not in live_names]
            extra = [name for name in live_names if name not in configured]
            if missing:
                problems.append(f"{label}: {rules.plural} configured but not attached: {', '.join(missing)}")
            if extra:
                problems.append(f"{label}: {rules.plural} attached but not configured: {_names(extra)}")
        checked.append(rules.plural)
    return Finding.of(
        problems,
        f"the root and {len(config.organizational_units)} configured OUs carry exactly the configured "
        f"{' and '.join(checked) or 'policies'}",
    )


ROOT_POLICIES = Check(
    "organization.policy-types", "Policy types enabled on the root, and what is attached to it", root_policies
)
USED_TYPES_ENABLED = Check(
    "stack.policy-types-enabled",
    "Every policy type the config uses is enabled on the root",
    used_types_enabled,
)
COVERAGE = Check(
    "stack.policy-coverage",
    "The root and each OU carry exactly the configured service and resource control policies",
    coverage,
)
CHECKS = (ROOT_POLICIES,)
STACK_CHECKS = (USED_TYPES_ENABLED, COVERAGE)
