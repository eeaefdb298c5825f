"""What `lz plan` shows, as typed data: built from the registered resources, so it is what the program does.

`PlanReport.to_json()` is the `--format json` form; `landing_zone.plan.render` draws the same report
for a terminal. The Identity Center and governance parts are built beside their domain
(`access.py`, `governance.py`), the policy part by `policy.py`, what AWS would refuse by `aws_rules.py`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from landing_zone.config.changes import AccountChanges
from landing_zone.config.organization import LIFECYCLE_TAG
from landing_zone.resource_types import ACCOUNT, ORGANIZATION, ORGANIZATION_STACK, ORGANIZATIONAL_UNIT

from .access import AccessEntry, PermissionSetEntry, access_entries, permission_set_entries
from .aws_rules import Refusal
from .governance import BudgetEntry, GuardrailAttachment, budget_entries, guardrail_entries
from .policy import PolicyCheck
from .runner import PlanResult, RegisteredResource


@dataclass(frozen=True)
class OrganizationSummary:
    managed: bool  # created or imported by the stack; False: an existing one, looked up
    id: str | None
    root_id: str | None
    # An account stack's: its organization stack (org/project/stack), whose outputs it reads.
    stack: str | None = None

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"managed": self.managed, "id": self.id, "rootId": self.root_id}
        if self.stack is not None:
            document["stack"] = self.stack
        return document


@dataclass(frozen=True)
class AccountEntry:
    name: str
    email: str | None
    ou: str | None  # the OU's path; None: directly under the root
    id: str | None
    close_on_deletion: bool
    import_id: str | None  # the account id it adopts; None: created
    # active or suspended (the program's lifecycle tag); a closed account is not registered.
    state: str = "active"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "ou": self.ou,
            "id": self.id,
            "closeOnDeletion": self.close_on_deletion,
            "import": self.import_id,
            "state": self.state,
        }


@dataclass(frozen=True)
class ResourceSummary:
    """The custom resources (not components): how many, and how many of each type."""

    count: int
    by_type: tuple[tuple[str, int], ...]  # (type token, count), by type token

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "byType": dict(self.by_type)}


@dataclass(frozen=True)
class PlanReport:
    project: str
    stack: str
    organization: OrganizationSummary
    organizational_units: tuple[str, ...]  # OU paths, sorted
    accounts: tuple[AccountEntry, ...]  # by OU path (root first), then name
    guardrails: tuple[GuardrailAttachment, ...]
    budgets: tuple[BudgetEntry, ...]
    resources: ResourceSummary
    diagnostics: tuple[str, ...]  # what the program logged, as "level: message"
    permission_sets: tuple[PermissionSetEntry, ...]
    access: tuple[AccessEntry, ...]
    policy: PolicyCheck | None = None  # None: the pack was not run
    refusals: tuple[Refusal, ...] = ()  # what AWS would refuse: `pulumi up` would fail
    account_changes: AccountChanges | None = None  # None: no previous config to compare with

    @property
    def has_mandatory_violations(self) -> bool:
        return self.policy is not None and self.policy.has_mandatory

    @property
    def fails(self) -> bool:
        """`pulumi up` (with the pack) would stop: AWS refuses something, a mandatory policy
        does, or the change closes more accounts than AWS allows or makes a refused state change."""
        changes_fail = self.account_changes is not None and self.account_changes.fails
        return bool(self.refusals) or self.has_mandatory_violations or changes_fail

    def to_json(self) -> dict[str, Any]:
        """The `lz plan --format json` document (its keys and their order are a contract)."""
        document: dict[str, Any] = {
            "project": self.project,
            "stack": self.stack,
            "organization": self.organization.to_json(),
            "organizationalUnits": list(self.organizational_units),
            "accounts": [a.to_json() for a in self.accounts],
            "guardrails": [g.to_json() for g in self.guardrails],
            "budgets": [b.to_json() for b in self.budgets],
            "resources": self.resources.to_json(),
            "diagnostics": list(self.diagnostics),
            "permissionSets": [p.to_json() for p in self.permission_sets],
            "access": [a.to_json() for a in self.access],
            "refusals": [r.to_json() for r in self.refusals],
        }
        if self.policy is not None:
            document["policy"] = self.policy.to_json()
        if self.account_changes is not None:
            document["accountChanges"] = self.account_changes.to_json()
        return document


def build_report(
    project: str,
    stack: str,
    result: PlanResult,
    policy: PolicyCheck | None = None,
    account_changes: AccountChanges | None = None,
) -> PlanReport:
    """The report of one run of the program, with the pack's verdict on it when there is one."""
    ou_paths = _ou_paths_by_id(result.of_type(ORGANIZATIONAL_UNIT))
    organization_stack = _organization_stack(result, ou_paths)
    custom = [r for r in result.resources if r.custom]
    return PlanReport(
        project=project,
        stack=stack,
        organization=OrganizationSummary(
            managed=bool(result.of_type(ORGANIZATION)),
            id=result.outputs.get("organizationId"),
            root_id=result.outputs.get("rootId"),
            stack=organization_stack,
        ),
        organizational_units=tuple(sorted(ou_paths.values())),
        accounts=tuple(
            sorted(
                (_account_entry(account, ou_paths) for account in result.of_type(ACCOUNT)),
                key=lambda a: (a.ou or "", a.name),
            )
        ),
        guardrails=guardrail_entries(result, ou_paths),
        budgets=budget_entries(result),
        resources=ResourceSummary(
            count=len(custom), by_type=tuple(sorted(Counter(r.type for r in custom).items()))
        ),
        diagnostics=tuple(result.diagnostics),
        permission_sets=permission_set_entries(result),
        access=access_entries(result),
        policy=policy,
        refusals=tuple(result.refusals),
        account_changes=account_changes,
    )


def _organization_stack(result: PlanResult, ou_paths: dict[str, str]) -> str | None:
    """An account stack's organization stack, None for any other stack; adds the paths of the
    organization stack's OUs the account stack names to `ou_paths` (by id)."""
    views = result.of_type(ORGANIZATION_STACK)
    for view in views:
        for path, ou_id in (view.inputs.get("organizationalUnitIds") or {}).items():
            if isinstance(ou_id, str):
                ou_paths.setdefault(ou_id, path)
    return str(views[0].inputs.get("stack")) if views else None


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


def _account_entry(account: RegisteredResource, ou_paths: dict[str, str]) -> AccountEntry:
    return AccountEntry(
        name=account.inputs["name"],
        email=account.inputs.get("email"),
        ou=ou_paths.get(account.inputs.get("parentId", "")),
        id=account.id,
        close_on_deletion=bool(account.inputs.get("closeOnDeletion", False)),
        import_id=account.import_id or None,
        state=str((account.inputs.get("tags") or {}).get(LIFECYCLE_TAG, "active")),
    )
