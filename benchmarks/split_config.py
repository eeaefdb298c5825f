"""Large organizations split across stacks, written as a project a user would keep (issue 17).

`write_split_project(directory, 5000)` writes a Pulumi project of 5,000 accounts: an organization
stack (`Pulumi.scale.yaml`: the organization, OUs, guardrails, permission sets, groups and the
organization-wide access rules, plus the Security accounts) and one account stack per business
unit of `ACCOUNTS_PER_STACK` accounts (`Pulumi.scale-buNN.yaml`, two lines each), every account in
a per-OU file under `accounts/` and each business unit's own access rules in its folder. Groups
come from an external identity provider (SCIM), as they do in organizations of this size: the
config names groups, never users. The program, the pack and Pulumi.yaml are linked from this
checkout, so `lz validate --all` and `lz plan --all --project-dir DIR` run the real code.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import yaml

from benchmarks.large_config import (
    NAMESPACE,
    PERMISSION_SETS,
    organization_access,
    organization_settings,
    # The same enforcement levels fit the split stacks (a clean run has no violations).
    policy_enforcement,  # noqa: F401 - re-exported for bench_split and the tests
)

ROOT = Path(__file__).resolve().parents[1]
ORGANIZATION_STACK = "scale"
ACCOUNTS_PER_STACK = 250
ORGANIZATION_GROUPS = ("Platform", "Security", "Auditors", "Finance")
# The two Security accounts the organization stack deploys (the trail's log archive among them).
CORE_ACCOUNTS = ("audit", "log-archive")


def business_units(accounts: int, per_stack: int = ACCOUNTS_PER_STACK) -> int:
    """One account stack per `per_stack` accounts (at least one)."""
    return max(1, math.ceil((accounts - len(CORE_ACCOUNTS)) / per_stack))


def account_stack(bu: int) -> str:
    return f"{ORGANIZATION_STACK}-bu{bu:02d}"


def _bu_accounts(bu: int, count: int) -> dict[str, list[dict[str, Any]]]:
    """A business unit's accounts by OU path: production, non-production and sandboxes in turn."""
    by_ou: dict[str, list[dict[str, Any]]] = {}
    for index in range(count):
        kind = index % 3
        if kind == 2:
            ou = f"Sandbox/bu{bu:02d}"
            # Tagged as the pack's account-lifecycle-safe policy expects of an account closed on deletion.
            entry: dict[str, Any] = {
                "name": f"sbx{bu:02d}-{index:04d}",
                "ou": ou,
                "closeOnDeletion": True,
                "tags": {"environment": "sandbox"},
            }
        else:
            env = "Production" if kind == 0 else "NonProduction"
            ou = f"Workloads/bu{bu:02d}/{env}"
            entry = {
                "name": f"app{bu:02d}-{index:04d}-{env[:4].lower()}",
                "ou": ou,
                "tags": {"environment": env.lower()},
            }
        by_ou.setdefault(ou, []).append(entry)
    return by_ou


def _bu_access(bu: int) -> list[dict[str, Any]]:
    """The business unit's own rules: only its accounts (one stack's), as a team would keep them."""
    prefix = f"Workloads/bu{bu:02d}"
    return [
        {
            "group": f"bu{bu:02d}-developers",
            "permissionSets": ["Developer", "ReadOnlyAccess"],
            "organizationalUnits": [f"{prefix}/NonProduction", f"Sandbox/bu{bu:02d}"],
        },
        {
            "group": f"bu{bu:02d}-developers",
            "permissionSets": ["ViewOnlyAccess"],
            "organizationalUnits": [prefix],
        },
        {
            "group": f"bu{bu:02d}-operators",
            "permissionSets": ["ReadOnlyAccess", "ViewOnlyAccess"],
            "organizationalUnits": [f"{prefix}/Production"],
        },
    ]


def organization_values(accounts: int, per_stack: int = ACCOUNTS_PER_STACK) -> dict[str, Any]:
    """The organization stack's config mapping (what Pulumi.scale.yaml holds)."""
    units = business_units(accounts, per_stack)
    ous = ["Security", "Sandbox", "Workloads"]
    for bu in range(units):
        ous += [
            f"Workloads/bu{bu:02d}",
            f"Workloads/bu{bu:02d}/Production",
            f"Workloads/bu{bu:02d}/NonProduction",
        ]
        ous.append(f"Sandbox/bu{bu:02d}")
    groups = [
        *ORGANIZATION_GROUPS,
        *(f"bu{bu:02d}-{role}" for bu in range(units) for role in ("developers", "operators")),
    ]
    return {
        "aws:region": "eu-west-1",
        f"{NAMESPACE}:organization": organization_settings(),
        f"{NAMESPACE}:organizationalUnits": [{"path": path} for path in sorted(ous)],
        f"{NAMESPACE}:accountFiles": ["accounts"],
        f"{NAMESPACE}:accountStacks": {
            account_stack(bu): {"organizationalUnits": [f"Workloads/bu{bu:02d}", f"Sandbox/bu{bu:02d}"]}
            for bu in range(units)
        },
        f"{NAMESPACE}:identityCenter": {
            "identitySource": "external",
            "managementAccountName": "management",
            "managementAdminGroups": ["Platform"],
            "permissionSets": [
                {
                    "name": name,
                    "sessionDuration": duration,
                    "managedPolicies": [f"arn:aws:iam::aws:policy/{policy}"],
                }
                for name, policy, duration in PERMISSION_SETS
            ],
            "groups": [{"name": group} for group in groups],
            "access": organization_access(),
        },
        f"{NAMESPACE}:guardrails": [
            {"guardrail": "deny-leaving-organization", "root": True},
            {"guardrail": "deny-root-user", "organizationalUnits": ["Workloads", "Sandbox"]},
        ],
    }


def account_stack_values(organization: str = ORGANIZATION_STACK) -> dict[str, Any]:
    """An account stack's whole config: its region and its organization stack."""
    return {"aws:region": "eu-west-1", f"{NAMESPACE}:organizationStack": organization}


def account_files(accounts: int, per_stack: int = ACCOUNTS_PER_STACK) -> dict[str, dict[str, Any]]:
    """The files under accounts/, by path relative to the project: one per OU, plus each business
    unit's access rules."""
    files: dict[str, dict[str, Any]] = {
        "accounts/security.yaml": {"accounts": [{"name": name, "ou": "Security"} for name in CORE_ACCOUNTS]}
    }
    remaining = accounts - len(CORE_ACCOUNTS)
    for bu in range(business_units(accounts, per_stack)):
        count = min(per_stack, remaining)
        remaining -= count
        folder = f"accounts/bu{bu:02d}"
        for ou, entries in _bu_accounts(bu, count).items():
            files[f"{folder}/{ou.rsplit('/', 1)[-1].lower()}.yaml"] = {"accounts": entries}
        files[f"{folder}/access.yaml"] = {"access": _bu_access(bu)}
    return files


def write_split_project(directory: Path, accounts: int, per_stack: int = ACCOUNTS_PER_STACK) -> list[str]:
    """Write the project into `directory` (the program, pack and Pulumi.yaml linked from this
    checkout), `per_stack` accounts to an account stack (fewer in tests); the stack names, the
    organization stack first."""
    for name in ("Pulumi.yaml", "__main__.py", "policy"):
        link = directory / name
        if not link.exists():
            os.symlink(ROOT / name, link)
    organization = organization_values(accounts, per_stack)
    _dump(directory / f"Pulumi.{ORGANIZATION_STACK}.yaml", {"config": organization})
    stacks = [ORGANIZATION_STACK]
    for bu in range(business_units(accounts, per_stack)):
        stacks.append(account_stack(bu))
        _dump(directory / f"Pulumi.{account_stack(bu)}.yaml", {"config": account_stack_values()})
    for relative, content in account_files(accounts, per_stack).items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        _dump(path, content)
    return stacks


def _dump(path: Path, content: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
