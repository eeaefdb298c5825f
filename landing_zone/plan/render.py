"""The plan report drawn for a terminal: the OU tree, access, guardrails, budgets, resources, what
AWS would refuse, policies.

Every text form of `lz plan` is here; the data comes from `landing_zone.plan.report.PlanReport`.
"""

from __future__ import annotations

from landing_zone.config.changes import AccountChanges
from landing_zone.guardrails.policy_types import POLICY_TYPES

from .access import AccessEntry, PermissionSetEntry
from .aws_rules import Refusal
from .document import (
    Block,
    Bullets,
    Collapsed,
    Document,
    OrgTree,
    Paragraph,
    Table,
    clean,
    permission_set_policies,
)
from .governance import BudgetEntry, GuardrailAttachment
from .policy import PolicyCheck, PolicyViolation
from .report import AccountEntry, PlanReport

TARGET_LABELS = {"ROOT": "Root", "ORGANIZATIONAL_UNIT": "OU ", "ACCOUNT": "account "}


def render_text(report: PlanReport) -> str:
    lines = [
        f"Offline plan of stack '{report.stack}' (project {report.project}): "
        "Pulumi mocks, no AWS credentials used.",
        "",
    ]
    org = report.organization
    if org.stack is not None:
        lines += [
            f"Organization, OUs, permission sets and groups: stack {org.stack}'s (read from its outputs)",
            "",
        ]
    else:
        mode = "managed by this stack" if org.managed else "existing, looked up"
        lines += [f"Organization {org.id} ({mode}), root {org.root_id}", ""]
    lines += _tree(report.organizational_units, report.accounts)
    lines += _access(report.permission_sets, report.access)
    if report.diagnostics:
        lines += ["", "Program diagnostics:", *(f"  {d}" for d in report.diagnostics)]
    lines += _guardrails(report.guardrails)
    lines += _budgets(report.budgets)
    lines += ["", f"Resources: {report.resources.count}"]
    width = max((len(type_) for type_, _ in report.resources.by_type), default=0)
    for type_, count in report.resources.by_type:
        lines.append(f"  {type_:<{width}}  {count:>4}")
    lines += _refusals(report.refusals)
    if report.policy is not None:
        lines += _policies(report.policy)
    if report.account_changes is not None:
        lines += _account_changes(report.account_changes)
    return "\n".join(lines) + "\n"


def _tree(organizational_units: tuple[str, ...], accounts: tuple[AccountEntry, ...]) -> list[str]:
    accounts_by_ou: dict[str | None, list[AccountEntry]] = {}
    for account in accounts:
        accounts_by_ou.setdefault(account.ou, []).append(account)
    children: dict[str | None, list[str]] = {}
    # An account stack's accounts sit in OUs of its organization stack: drawn as they are named.
    paths = set(organizational_units)
    for account in accounts:
        ou = account.ou
        while ou:
            paths.add(ou)
            ou = ou.rpartition("/")[0]
    for path in sorted(paths):
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


def _account_line(account: AccountEntry) -> str:
    notes = []
    if account.import_id:
        notes.append(f"import {account.import_id}")
    if account.state != "active":
        notes.append(f"{account.state}: no access, no baseline")
    if account.close_on_deletion:
        notes.append("closed on deletion")
    suffix = f"  [{', '.join(notes)}]" if notes else ""
    return f"{account.name}  <{account.email}>{suffix}"


def _access(permission_sets: tuple[PermissionSetEntry, ...], access: tuple[AccessEntry, ...]) -> list[str]:
    """The permission sets, then group -> account: permission sets (nothing without either)."""
    if not permission_sets and not access:
        return []
    # An account stack's permission sets are its organization stack's: only its access is shown.
    lines = ["", "Permission sets (IAM Identity Center)"] if permission_sets else []
    width = max((len(ps.name) for ps in permission_sets), default=0)
    for ps in permission_sets:
        policies = permission_set_policies(ps)
        lines.append(f"  {ps.name:<{width}}  {ps.session_duration or 'PT1H':<5}  {', '.join(policies)}")
    lines += ["", "Access: group -> account: permission sets"]
    by_group: dict[str, dict[str, list[str]]] = {}
    for entry in access:
        by_group.setdefault(entry.group, {}).setdefault(entry.account, []).append(entry.permission_set)
    account_width = max((len(entry.account) for entry in access), default=0)
    for group, accounts in by_group.items():
        lines.append(f"  {group}")
        for account, sets in accounts.items():
            lines.append(f"    {account:<{account_width}}  {', '.join(sets)}")
    return lines


def _guardrails(guardrails: tuple[GuardrailAttachment, ...]) -> list[str]:
    """The guardrails per type, then per target (nothing when there are none)."""
    by_type: dict[str, dict[str, list[str]]] = {}
    for entry in guardrails:
        label = TARGET_LABELS[entry.target_type] + (entry.target if entry.target_type != "ROOT" else "")
        by_type.setdefault(entry.policy_type, {}).setdefault(label, []).append(entry.policy)
    if not by_type:
        return []
    width = max(len(label) for by_target in by_type.values() for label in by_target)
    lines = ["", "Guardrails (organization policies by type and target):"]
    for policy_type, by_target in by_type.items():
        rules = POLICY_TYPES.get(policy_type)
        heading = rules.plural if rules is not None else policy_type
        if rules is not None and rules.always_attached:
            heading += f" ({rules.always_attached} stays attached to every target)"
        lines.append(f"  {heading[0].upper()}{heading[1:]}:")
        lines += [f"    {label:<{width}}  {', '.join(policies)}" for label, policies in by_target.items()]
    return lines


def _budgets(budgets: tuple[BudgetEntry, ...]) -> list[str]:
    """One line per budget and who is notified (nothing when there are none)."""
    if not budgets:
        return []
    rows = [
        (
            budget.name,
            f"{budget.limit_amount} {budget.limit_unit}/month",
            budget.account or "whole organization",
            ", ".join(f"{n.type} {n.threshold:g}%" for n in budget.notifications),
        )
        for budget in budgets
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    subscribers = sorted({address for budget in budgets for address in budget.subscribers})
    return [
        "",
        "Budgets:",
        *(
            f"  {name:<{widths[0]}}  {limit:>{widths[1]}}  {scope:<{widths[2]}}  {alerts}"
            for name, limit, scope, alerts in rows
        ),
        f"  notifications to {', '.join(subscribers)}",
    ]


def _refusals(refusals: tuple[Refusal, ...]) -> list[str]:
    """What AWS would refuse, each with its rule and source (nothing when nothing is refused)."""
    if not refusals:
        return []
    count = len(refusals)
    what = (
        "this (`pulumi up` would fail on it)"
        if count == 1
        else f"these {count} (`pulumi up` would fail on each)"
    )
    lines = ["", f"AWS would refuse {what}:"]
    for refusal in refusals:
        subject = f"{refusal.type} '{refusal.name}'" if refusal.name else f"{refusal.type} (lookup)"
        lines += [
            f"  [{refusal.rule}] {subject}",
            f"      {refusal.message}",
            f"      rule: {refusal.words}",
            f"      source: {refusal.source}",
        ]
    return lines


def _policies(check: PolicyCheck) -> list[str]:
    """The pack, its levels' source and each violation with its level and resource."""
    count = len(check.violations)
    source = check.enforcement_file or "the pack's default levels"
    lines = [
        "",
        f"Policies ({check.pack}, {source}): {count} violation{'' if count == 1 else 's'}, "
        f"{check.mandatory} mandatory",
    ]
    for violation in check.violations:
        lines.append(f"  [{violation.level}] {violation.policy}: {_subject(violation)}")
        lines += [f"      {line}" for line in violation.message.splitlines()]
    return lines


def _subject(violation: PolicyViolation) -> str:
    if violation.resource is not None:
        return f"{violation.resource.type} '{violation.resource.name}'"
    return violation.urn or "the stack"


def _account_changes(changes: AccountChanges) -> list[str]:
    lines = ["", "Changes to existing accounts (against --previous):"]
    lines += [f"  REFUSED: {message}" for message in changes.refused]
    if changes.closed:
        used, quota = len(changes.closed), changes.closure_quota
        quota_text = f"uses {used} of the {quota} closures AWS allows per rolling 30 days"
        verdict = "OVER THE QUOTA: close fewer at a time" if changes.over_quota else "within the quota"
        lines.append(f"  closed: {', '.join(changes.closed)} ({quota_text}: {verdict})")
    if changes.suspended:
        lines.append(
            f"  suspended: {', '.join(changes.suspended)} (to the suspended OU; Identity Center "
            "assignments and baseline removed; contacts kept)"
        )
    if changes.reactivated:
        lines.append(f"  reactivated: {', '.join(changes.reactivated)}")
    if changes.released:
        lines.append(
            f"  RELEASED, NOT CLOSED: {', '.join(changes.released)} leave the stack and stay in the "
            "organization, open (to close an account: state: suspended, then state: closed)"
        )
    lines += [
        f"  roleName of {edit.account}: {edit.before} -> {edit.after} (not applied to the account; "
        "the stack would assume the new role: create it first)"
        for edit in changes.role_names
    ]
    lines += [
        f"  root email of {edit.account}: {edit.before} -> {edit.after} (not applied by pulumi up, "
        "which would replace the account: lz account change-email makes it in place)"
        for edit in changes.emails
    ]
    lines += [
        f"  AWS name of {edit.account}: {edit.before} -> {edit.after} (not applied by pulumi up, "
        "which would replace the account: lz account rename makes it in place)"
        for edit in changes.renames
    ]
    if len(lines) == 2:
        lines.append("  none")
    return lines


def render_document_text(document: Document) -> str:
    """A plan document (`lz plan --compare` in text): sections, bullets and aligned tables.

    Text from plan files is made printable first: no escape sequence reaches the terminal.
    """
    lines = [clean(document.title), ""]
    for block in document.intro:
        lines += _document_block(block, "")
    for section in document.sections:
        lines += [clean(section.title) + ":"]
        for block in section.blocks:
            lines += _document_block(block, "  ")
    return "\n".join(lines).rstrip("\n") + "\n"


def _document_block(block: Block, indent: str) -> list[str]:
    if isinstance(block, Paragraph):
        return [indent + clean(block.text), ""]
    if isinstance(block, Bullets):
        return [*(f"{indent}- {clean(item)}" for item in block.items), ""]
    if isinstance(block, Table):
        rows = [tuple(clean(cell) for cell in row) for row in (block.columns, *block.rows)]
        widths = [max(len(row[column]) for row in rows) for column in range(len(block.columns))]
        return [
            indent + "  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ] + [""]
    if isinstance(block, OrgTree):
        return []  # the table beside it says the same in text
    if isinstance(block, Collapsed):
        return [line for child in block.blocks for line in _document_block(child, indent)]
    raise TypeError(f"no text for {type(block).__name__}")
