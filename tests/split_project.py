"""A Pulumi project on disk for split-organization tests: stack files, account files, `lz` runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.builders import NAMESPACE, stack_values

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def write_project(root: Path, stacks: dict[str, dict[str, Any]], files: dict[str, Any] | None = None) -> Path:
    """`root` as a project: Pulumi.yaml, `Pulumi.<stack>.yaml` holding each config mapping, and
    `files` (relative path -> text, or a value written as YAML)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text(f"name: {NAMESPACE}\nruntime: python\n")
    for stack, values in stacks.items():
        (root / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": values}, sort_keys=False))
    for relative, content in (files or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False))
    return root


def identity_center(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "permissionSets": [{"name": "AdministratorAccess", "managedPolicies": [ADMIN]}],
        "groups": [{"name": "Platform"}, {"name": "bu00-developers"}],
        "access": [],
    }
    base.update(changes)
    return base


def organization_values(
    account_stacks: dict[str, list[str]] | None = None, extra_units: tuple[str, ...] = (), **keys: Any
) -> dict[str, Any]:
    """An organization with OUs Security, Workloads/bu00, Workloads/bu01 (and Workloads/bu01/Eu),
    and `extra_units`, the account audit (Security) unless `accounts`; `account_stacks`: stack -> OU paths."""
    extra = dict(keys)
    if account_stacks is not None:
        extra["accountStacks"] = {
            stack: {"organizationalUnits": paths} for stack, paths in account_stacks.items()
        }
    extra.setdefault("accounts", [{"name": "audit", "ou": "Security"}])
    return stack_values(
        organizational_units=[
            {"path": "Security"},
            {"path": "Workloads"},
            {"path": "Workloads/bu00"},
            {"path": "Workloads/bu01"},
            {"path": "Workloads/bu01/Eu"},
            *({"path": path} for path in extra_units),
        ],
        **extra,
    )


def account_stack_values(organization: str = "org", region: str = "eu-west-1", **keys: Any) -> dict[str, Any]:
    return {"aws:region": region, f"{NAMESPACE}:organizationStack": organization, **keys}


def go_json(values: dict[str, Any]) -> str:
    """`PULUMI_CONFIG` as Pulumi writes it: every value a string (structured ones JSON), then Go's
    encoding/json (sorted keys, UTF-8, `<>&` and U+2028/U+2029 escaped)."""
    strings = {
        k: v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)
        for k, v in values.items()
    }
    text = json.dumps(strings, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def config_bytes(values: dict[str, Any]) -> int:
    """Bytes of the `PULUMI_CONFIG=...` environment string and its NUL."""
    return len(f"PULUMI_CONFIG={go_json(values)}\0".encode())
