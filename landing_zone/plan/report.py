"""What `lz plan` shows: built from the registered resources, so it is what the program does.

`build_report` gives the JSON form; `render_text` draws the same data for a terminal.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from landing_zone.resource_types import ACCOUNT, ORGANIZATION, ORGANIZATIONAL_UNIT

from .access import access_report, render_access
from .governance import budget_entries, guardrail_entries, render_governance
from .runner import PlanResult, RegisteredResource


def build_report(project: str, stack: str, result: PlanResult) -> dict[str, Any]:
    ou_paths = _ou_paths_by_id(result.of_type(ORGANIZATIONAL_UNIT))
    custom = [r for r in result.resources if r.custom]
    return {
        "project": project,
        "stack": stack,
        "organization": {
            "managed": bool(result.of_type(ORGANIZATION)),
            "id": result.outputs.get("organizationId"),
            "rootId": result.outputs.get("rootId"),
        },
        "organizationalUnits": sorted(ou_paths.values()),
        "accounts": sorted(
            (_account_entry(account, ou_paths) for account in result.of_type(ACCOUNT)),
            key=lambda a: (a["ou"] or "", a["name"]),
        ),
        "guardrails": guardrail_entries(result, ou_paths),
        "budgets": budget_entries(result),
        "resources": {
            "count": len(custom),
            "byType": dict(sorted(Counter(r.type for r in custom).items())),
        },
        "diagnostics": result.diagnostics,
        **access_report(result),
    }


def _ou_paths_by_id(units: list[RegisteredResource]) -> dict[str, str]:
    by_id = {u.id: u for u in units if u.id}
    paths: dict[str, str] = {}

    def path_of(unit: RegisteredResource) -> str:
        if unit.id in paths:
            return paths[unit.id]  # type: ignore[index]
        parent = by_id.get(unit.inputs.get("parentId", ""))
        path = f"{path_of(parent)}/{unit.inputs['name']}" if parent else unit.inputs["name"]
        paths[unit.id] = path  # type: ignore[index]
        return path

    for unit in units:
        path_of(unit)
    return paths


def _account_entry(account: RegisteredResource, ou_paths: dict[str, str]) -> dict[str, Any]:
    return {
        "name": account.inputs.get("name"),
        "email": account.inputs.get("email"),
        "ou": ou_paths.get(account.inputs.get("parentId", "")),
        "id": account.id,
        "closeOnDeletion": bool(account.inputs.get("closeOnDeletion", False)),
        "import": account.import_id or None,
    }


def render_text(report: dict[str, Any]) -> str:
    lines = [
        f"Offline plan of stack '{report['stack']}' (project {report['project']}): "
        "Pulumi mocks, no AWS credentials used.",
        "",
    ]
    org = report["organization"]
    mode = "managed by this stack" if org["managed"] else "existing, looked up"
    lines += [f"Organization {org['id']} ({mode}), root {org['rootId']}", ""]
    lines += _render_tree(report)
    lines += render_access(report)
    if report["diagnostics"]:
        lines += ["", "Program diagnostics:", *(f"  {d}" for d in report["diagnostics"])]
    lines += render_governance(report)
    lines += ["", f"Resources: {report['resources']['count']}"]
    width = max((len(t) for t in report["resources"]["byType"]), default=0)
    for type_, count in report["resources"]["byType"].items():
        lines.append(f"  {type_:<{width}}  {count:>4}")
    return "\n".join(lines) + "\n"


def _render_tree(report: dict[str, Any]) -> list[str]:
    accounts_by_ou: dict[str | None, list[dict[str, Any]]] = {}
    for account in report["accounts"]:
        accounts_by_ou.setdefault(account["ou"], []).append(account)
    children: dict[str | None, list[str]] = {}
    for path in report["organizationalUnits"]:
        parent = path.rpartition("/")[0] or None
        children.setdefault(parent, []).append(path)

    lines = ["Root"]

    def draw(ou: str | None, indent: str) -> None:
        entries: list[tuple[str, str | None]] = [(_account_line(a), None) for a in accounts_by_ou.get(ou, [])]
        entries += [(path.rpartition("/")[2] + "/", path) for path in children.get(ou, [])]
        for position, (label, path) in enumerate(entries):
            last = position == len(entries) - 1
            lines.append(f"{indent}{'└── ' if last else '├── '}{label}")
            if path is not None:
                draw(path, indent + ("    " if last else "│   "))

    draw(None, "")
    return lines


def _account_line(account: dict[str, Any]) -> str:
    notes = []
    if account["import"]:
        notes.append(f"import {account['import']}")
    if account["closeOnDeletion"]:
        notes.append("closed on deletion")
    suffix = f"  [{', '.join(notes)}]" if notes else ""
    return f"{account['name']}  <{account['email']}>{suffix}"
