"""What changes between two plans (`lz plan --compare BASE.json`): accounts, OUs, access, guardrails,
budgets and the verdicts, each found by its natural key (names, never positions or made-up ids).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from .plan_json import (
    PLAN_VERSION,
    VERSION_KEY,
    PlanAccess,
    PlanAccount,
    PlanBudget,
    PlanGuardrail,
    PlanPermissionSet,
    PlanPolicy,
    PlanRefusal,
    PlanSnapshot,
    PlanViolation,
)

T = TypeVar("T")


@dataclass(frozen=True)
class AccountMove:
    account: str
    before: str | None  # OU path; None: the root
    after: str | None


@dataclass(frozen=True)
class Edit:
    """One setting of a named thing, before and after (as a reader reads them)."""

    subject: str
    setting: str
    before: str
    after: str


@dataclass(frozen=True)
class PlanChanges:
    base: PlanSnapshot
    head: PlanSnapshot
    ous_added: tuple[str, ...]
    ous_removed: tuple[str, ...]
    accounts_added: tuple[PlanAccount, ...]
    accounts_removed: tuple[PlanAccount, ...]  # closeOnDeletion says whether the account closes
    accounts_moved: tuple[AccountMove, ...]
    account_edits: tuple[Edit, ...]
    access_granted: tuple[PlanAccess, ...]
    access_revoked: tuple[PlanAccess, ...]
    permission_sets_added: tuple[str, ...]
    permission_sets_removed: tuple[str, ...]
    permission_set_edits: tuple[Edit, ...]
    guardrails_attached: tuple[PlanGuardrail, ...]
    guardrails_detached: tuple[PlanGuardrail, ...]
    budgets_added: tuple[PlanBudget, ...]
    budgets_removed: tuple[PlanBudget, ...]
    budget_edits: tuple[Edit, ...]
    violations_new: tuple[PlanViolation, ...]
    violations_resolved: tuple[PlanViolation, ...]
    refusals_new: tuple[PlanRefusal, ...]
    refusals_resolved: tuple[PlanRefusal, ...]

    @property
    def policies_compared(self) -> bool:
        """The pack ran on both plans (or on neither: nothing to compare)."""
        return (self.base.policy is None) == (self.head.policy is None)

    @property
    def empty(self) -> bool:
        """Nothing a reviewer would see differs (the verdicts included)."""
        return not any(
            getattr(self, name) for name in self.__dataclass_fields__ if name not in ("base", "head")
        )

    def to_json(self) -> dict[str, Any]:
        """`lz plan --compare --format json`: each kind of change as a list, in the plan file's words."""
        changes = {
            json_name(name): [_item_json(item) for item in getattr(self, name)]
            for name in self.__dataclass_fields__
            if name not in ("base", "head")
        }
        return {
            VERSION_KEY: PLAN_VERSION,
            "stack": self.head.stack,
            "empty": self.empty,
            "policiesCompared": self.policies_compared,
            "changes": changes,
        }


def json_name(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


def _item_json(item: object) -> Any:
    if isinstance(item, BaseModel):
        return item.model_dump(mode="json", by_alias=True)
    if isinstance(item, AccountMove | Edit):
        return {json_name(key): value for key, value in asdict(item).items()}
    return item


def compare_plans(base: PlanSnapshot, head: PlanSnapshot) -> PlanChanges:
    """What `head` changes of `base` (base: the plan of the target branch; head: this one)."""
    base_accounts = {a.name: a for a in base.accounts}
    head_accounts = {a.name: a for a in head.accounts}
    kept = sorted(base_accounts.keys() & head_accounts.keys())
    base_sets = {p.name: p for p in base.permission_sets}
    head_sets = {p.name: p for p in head.permission_sets}
    base_budgets = {b.name: b for b in base.budgets}
    head_budgets = {b.name: b for b in head.budgets}
    # Violations are compared only when the pack ran on both: against a plan without it, every
    # violation would read as new (or resolved).
    both = base.policy is not None and head.policy is not None
    violations_new, violations_resolved = _set_changes(
        _violations(base.policy) if both else (), _violations(head.policy) if both else (), _violation_key
    )
    refusals_new, refusals_resolved = _set_changes(
        base.refusals, head.refusals, lambda r: (r.rule, r.type, r.name, r.message)
    )
    granted, revoked = _set_changes(
        base.access, head.access, lambda a: (a.group, a.account, a.permission_set)
    )
    attached, detached = _set_changes(
        base.guardrails,
        head.guardrails,
        lambda g: (_TARGET_ORDER[g.target_type], g.target, g.policy_type, g.policy),
    )
    return PlanChanges(
        base=base,
        head=head,
        ous_added=tuple(sorted(set(head.organizational_units) - set(base.organizational_units))),
        ous_removed=tuple(sorted(set(base.organizational_units) - set(head.organizational_units))),
        accounts_added=_only_in(head_accounts, base_accounts, lambda a: (a.ou or "", a.name)),
        accounts_removed=_only_in(base_accounts, head_accounts, lambda a: (a.ou or "", a.name)),
        accounts_moved=tuple(
            AccountMove(name, base_accounts[name].ou, head_accounts[name].ou)
            for name in kept
            if base_accounts[name].ou != head_accounts[name].ou
        ),
        account_edits=tuple(
            edit for name in kept for edit in _account_edits(base_accounts[name], head_accounts[name])
        ),
        access_granted=granted,
        access_revoked=revoked,
        permission_sets_added=tuple(sorted(head_sets.keys() - base_sets.keys())),
        permission_sets_removed=tuple(sorted(base_sets.keys() - head_sets.keys())),
        permission_set_edits=tuple(
            edit
            for name in sorted(base_sets.keys() & head_sets.keys())
            for edit in _permission_set_edits(base_sets[name], head_sets[name])
        ),
        guardrails_attached=attached,
        guardrails_detached=detached,
        budgets_added=_only_in(head_budgets, base_budgets, _budget_order),
        budgets_removed=_only_in(base_budgets, head_budgets, _budget_order),
        budget_edits=tuple(
            edit
            for name in sorted(base_budgets.keys() & head_budgets.keys())
            for edit in _budget_edits(base_budgets[name], head_budgets[name])
        ),
        violations_new=violations_new,
        violations_resolved=violations_resolved,
        refusals_new=refusals_new,
        refusals_resolved=refusals_resolved,
    )


_TARGET_ORDER = {"ROOT": 0, "ORGANIZATIONAL_UNIT": 1, "ACCOUNT": 2}


def _set_changes(
    before: Iterable[T], after: Iterable[T], key: Callable[[T], tuple[Any, ...]]
) -> tuple[tuple[T, ...], tuple[T, ...]]:
    """(in `after` only, in `before` only), each sorted by `key`."""
    before_by_key = {key(item): item for item in before}
    after_by_key = {key(item): item for item in after}
    added = [after_by_key[k] for k in sorted(after_by_key.keys() - before_by_key.keys())]
    removed = [before_by_key[k] for k in sorted(before_by_key.keys() - after_by_key.keys())]
    return tuple(added), tuple(removed)


def _only_in(these: dict[str, T], others: dict[str, T], order: Callable[[T], Any]) -> tuple[T, ...]:
    return tuple(sorted((item for name, item in these.items() if name not in others), key=order))


def _budget_order(budget: PlanBudget) -> tuple[bool, str, str]:
    return (budget.account is not None, budget.account or "", budget.name)


def _violations(policy: PlanPolicy | None) -> tuple[PlanViolation, ...]:
    return policy.violations if policy is not None else ()


def _violation_key(violation: PlanViolation) -> tuple[str, str, str, str]:
    return (violation.policy, violation.urn, violation.level, violation.message)


def _edits(subject: str, pairs: Iterable[tuple[str, str, str]]) -> list[Edit]:
    return [Edit(subject, setting, before, after) for setting, before, after in pairs if before != after]


def _words(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(_words(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_words(v)}" for k, v in value.items()) or "none"
    return str(value)


def _account_edits(before: PlanAccount, after: PlanAccount) -> list[Edit]:
    return _edits(
        before.name,
        [
            ("state", before.state, after.state),
            ("root email", _words(before.email), _words(after.email)),
            ("closed on deletion", _words(before.close_on_deletion), _words(after.close_on_deletion)),
            ("imports", _words(before.import_id), _words(after.import_id)),
        ],
    )


def _permission_set_edits(before: PlanPermissionSet, after: PlanPermissionSet) -> list[Edit]:
    return _edits(
        before.name,
        [
            ("session", before.session_duration or "PT1H", after.session_duration or "PT1H"),
            ("managed policies", _words(before.managed_policies), _words(after.managed_policies)),
            (
                "customer managed policies",
                _words(before.customer_managed_policies),
                _words(after.customer_managed_policies),
            ),
            ("inline policy", _words(before.inline_policy), _words(after.inline_policy)),
            ("permissions boundary", _words(before.permissions_boundary), _words(after.permissions_boundary)),
        ],
    )


class _Notification(Protocol):
    @property
    def type(self) -> str | None: ...
    @property
    def threshold(self) -> float | None: ...


class Budget(Protocol):
    """A budget as the report has it and as a plan file has it: the same words for both."""

    @property
    def limit_amount(self) -> str | None: ...
    @property
    def limit_unit(self) -> str | None: ...
    @property
    def time_unit(self) -> str | None: ...
    @property
    def notifications(self) -> Sequence[_Notification]: ...


def budget_limit(budget: Budget) -> str:
    return f"{budget.limit_amount} {budget.limit_unit}/{(budget.time_unit or 'MONTHLY').lower()}"


def budget_alerts(budget: Budget) -> str:
    return ", ".join(f"{n.type} {n.threshold:g}%" for n in budget.notifications if n.threshold is not None)


def _budget_edits(before: PlanBudget, after: PlanBudget) -> list[Edit]:
    return _edits(
        before.name,
        [
            ("limit", budget_limit(before), budget_limit(after)),
            ("covers", before.account or "whole organization", after.account or "whole organization"),
            ("alerts", budget_alerts(before) or "none", budget_alerts(after) or "none"),
            ("notifies", _words(before.subscribers), _words(after.subscribers)),
        ],
    )
