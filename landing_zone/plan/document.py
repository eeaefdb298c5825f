"""What a reviewer reads of a plan, or of the changes between two plans, once for every format.

`report_document` (from the typed report) and `changes_document` (from `compare.PlanChanges`) decide
the sections, tables and diagram; `markdown.py`, `html.py` and `render.render_document_text` only
draw them. Every string in a block is plain text, never markup: each renderer escapes all of it,
since names, emails and messages come from config, live values or another branch's plan file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from landing_zone.guardrails.policy_types import POLICY_TYPES

from .access import PermissionSetEntry
from .compare import PlanChanges, budget_alerts, budget_limit
from .governance import TargetType
from .plan_json import PlanAccount
from .report import PlanReport

# Past this many rows a table (or list) is collapsed: the PR comment stays short at 100 accounts.
LONG = 12

Mark = Literal["added", "removed", "moved"]


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TreeAccount:
    name: str
    ou: str | None  # OU path; None: the root
    mark: Mark | None = None  # for a diagram of changes
    note: str = ""


@dataclass(frozen=True)
class OrgTree:
    """The root, OUs (paths) and accounts: a Mermaid graph in Markdown, nested lists in HTML."""

    units: tuple[str, ...]
    accounts: tuple[TreeAccount, ...]


@dataclass(frozen=True)
class Collapsed:
    summary: str
    blocks: tuple[Block, ...]


Block = Paragraph | Bullets | Table | OrgTree | Collapsed


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]


def clean(text: str) -> str:
    """One line of visible text, for every renderer: whitespace runs become one space; control and
    format characters (escape sequences, bidi overrides, line separators) become U+FFFD."""
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append("\ufffd" if unicodedata.category(ch)[0] in "CZ" else ch)
    return "".join(out).strip()


TARGET_WORDS: dict[TargetType, str] = {"ROOT": "Root", "ORGANIZATIONAL_UNIT": "OU", "ACCOUNT": "account"}


# Messages are long: past this many, the rest are counted, not shown (`lz plan` shows them all).
MAX_MESSAGES = 40


def listing(summary: str, block: Table | Bullets) -> Block:
    """`block` as it is when short, collapsed under `summary` when long."""
    count = len(block.rows) if isinstance(block, Table) else len(block.items)
    return Collapsed(summary, (block,)) if count > LONG else block


def messages(summary: str, table: Table) -> Block:
    """A table of messages (violations, refusals): collapsed when long, cut at MAX_MESSAGES."""
    if len(table.rows) <= MAX_MESSAGES:
        return listing(summary, table)
    shown = Table(table.columns, table.rows[:MAX_MESSAGES])
    rest = len(table.rows) - MAX_MESSAGES
    return Collapsed(summary, (shown, Paragraph(f"And {rest} more: lz plan lists them all.")))


def target_words(target_type: TargetType, target: str) -> str:
    return "Root" if target_type == "ROOT" else f"{TARGET_WORDS[target_type]} {target}"


def policy_type_words(policy_type: str) -> str:
    """`SERVICE_CONTROL_POLICY` -> "service control policy"; a type this version does not know
    (a plan file is untrusted) reads as written."""
    rules = POLICY_TYPES.get(policy_type)
    return rules.words if rules is not None else policy_type


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def report_document(report: PlanReport) -> Document:
    """The whole plan of one stack."""
    intro: list[Block] = [
        Paragraph(
            f"Offline plan of stack {report.stack} (project {report.project}): the program under Pulumi's "
            "mocks, no AWS credentials used; account ids are made up."
        ),
        Paragraph(_verdict(report)),
    ]
    sections = [_organization(report), _access(report), _guardrails(report), _budgets(report)]
    sections += [_refusals(report), _policies(report), _account_changes(report), _diagnostics(report)]
    return Document(
        title=f"Plan of stack {report.stack}",
        intro=tuple(intro),
        sections=tuple(s for s in sections if s.blocks),
    )


def _verdict(report: PlanReport) -> str:
    if not report.fails:
        return "Verdict: pulumi up would go ahead (nothing AWS would refuse, no mandatory violation)."
    reasons = []
    if report.refusals:
        reasons.append(f"AWS would refuse {_plural(len(report.refusals), 'registration')}")
    if report.policy is not None and report.policy.mandatory:
        reasons.append(f"{_plural(report.policy.mandatory, 'mandatory policy violation')}")
    if report.account_changes is not None and report.account_changes.over_quota:
        reasons.append("more accounts would close than AWS allows in 30 days")
    if report.account_changes is not None and report.account_changes.refused:
        reasons.append(f"{_plural(len(report.account_changes.refused), 'refused account state change')}")
    return f"Verdict: pulumi up would stop: {'; '.join(reasons)}."


def _organization(report: PlanReport) -> Section:
    org = report.organization
    mode = "managed by this stack" if org.managed else "existing, looked up"
    rows = []
    for account in report.accounts:
        notes = []
        if account.import_id:
            notes.append(f"imports {account.import_id}")
        if account.state != "active":
            notes.append(f"{account.state}: no access, no baseline")
        if account.close_on_deletion:
            notes.append("closed on deletion")
        rows.append((account.name, account.ou or "Root", account.email or "", ", ".join(notes)))
    return Section(
        "Organization",
        (
            Paragraph(
                f"Organization {org.id or '(id not known yet)'} ({mode}): "
                f"{_plural(len(report.organizational_units), 'OU')}, "
                f"{_plural(len(report.accounts), 'account')}."
            ),
            OrgTree(
                units=report.organizational_units,
                accounts=tuple(TreeAccount(a.name, a.ou) for a in report.accounts),
            ),
            listing(f"Accounts ({len(rows)})", Table(("Account", "OU", "Root email", "Notes"), tuple(rows))),
        ),
    )


def _access(report: PlanReport) -> Section:
    """The access matrix: one column per group, permission sets in the cells; accounts with the same
    access share a row (at 100 accounts, an OU's accounts are one row, not dozens)."""
    if not report.access and not report.permission_sets:
        return Section("Access (IAM Identity Center)", ())
    groups = sorted({entry.group for entry in report.access})
    cells: dict[str, dict[str, list[str]]] = {}
    for entry in report.access:
        cells.setdefault(entry.account, {}).setdefault(entry.group, []).append(entry.permission_set)
    accounts_by_access: dict[tuple[str, ...], list[str]] = {}
    for account, by_group in sorted(cells.items()):
        row = tuple(", ".join(by_group.get(group, [])) for group in groups)
        accounts_by_access.setdefault(row, []).append(account)
    matrix = Table(
        ("Accounts", *groups),
        tuple((", ".join(accounts), *row) for row, accounts in accounts_by_access.items()),
    )
    sets = Table(
        ("Permission set", "Session", "Policies"),
        tuple(
            (ps.name, ps.session_duration or "PT1H", ", ".join(permission_set_policies(ps)))
            for ps in report.permission_sets
        ),
    )
    return Section(
        "Access (IAM Identity Center)",
        (
            Paragraph(
                f"{_plural(len(report.access), 'assignment')} of "
                f"{_plural(len(report.permission_sets), 'permission set')} to "
                f"{_plural(len(groups), 'group')} in {_plural(len(cells), 'account')}."
            ),
            listing(f"Access matrix ({len(cells)} accounts)", matrix),
            listing(f"Permission sets ({len(sets.rows)})", sets),
        ),
    )


def permission_set_policies(ps: PermissionSetEntry) -> list[str]:
    """What a permission set carries, in words (the text plan says the same)."""
    policies = [arn.rpartition(":policy/")[2] for arn in ps.managed_policies]
    policies += [f"{ref.full_name} (customer managed)" for ref in ps.customer_managed_policies]
    if ps.inline_policy:
        policies.append("inline policy")
    if ps.permissions_boundary is not None:
        policies.append("permissions boundary")
    return policies


def _guardrails(report: PlanReport) -> Section:
    rows = tuple(
        (target_words(g.target_type, g.target), policy_type_words(g.policy_type), g.policy)
        for g in report.guardrails
    )
    if not rows:
        return Section("Guardrails", ())
    table = Table(("Target", "Policy type", "Policy"), rows)
    return Section(
        "Guardrails",
        (
            Paragraph("AWS's own policy of each type (FullAWSAccess, RCPFullAWSAccess) stays attached."),
            listing(f"Organization policies per target ({len(rows)})", table),
        ),
    )


def _budgets(report: PlanReport) -> Section:
    if not report.budgets:
        return Section("Budgets", ())
    table = Table(
        ("Budget", "Limit", "Covers", "Alerts"),
        tuple(
            (
                b.name,
                budget_limit(b),
                b.account or "whole organization",
                budget_alerts(b),
            )
            for b in report.budgets
        ),
    )
    subscribers = sorted({address for budget in report.budgets for address in budget.subscribers})
    return Section(
        "Budgets",
        (
            listing(f"Budgets ({len(table.rows)})", table),
            Paragraph(f"Notifications to {', '.join(subscribers) or 'nobody'}."),
        ),
    )


def _refusals(report: PlanReport) -> Section:
    if not report.refusals:
        return Section("AWS would refuse", ())
    table = Table(
        ("Rule", "Resource", "Why", "Source"),
        tuple(
            (r.rule, f"{r.type} {r.name}" if r.name else f"{r.type} (lookup)", r.message, r.source)
            for r in report.refusals
        ),
    )
    return Section(
        "AWS would refuse",
        (
            Paragraph("pulumi up would fail on each of these."),
            messages(f"Refusals ({len(table.rows)})", table),
        ),
    )


def _policies(report: PlanReport) -> Section:
    check = report.policy
    if check is None:
        return Section("Policies", (Paragraph("The policy pack was not run (--no-policy)."),))
    source = (
        str(check.enforcement_file) if check.enforcement_file is not None else "the pack's default levels"
    )
    blocks: list[Block] = [
        Paragraph(
            f"{check.pack} ({source}): {_plural(len(check.violations), 'violation')}, "
            f"{check.mandatory} mandatory."
        )
    ]
    if check.violations:
        table = Table(
            ("Level", "Policy", "Resource", "Message"),
            tuple(
                (
                    v.level,
                    v.policy,
                    f"{v.resource.type} {v.resource.name}"
                    if v.resource is not None
                    else (v.urn or "the stack"),
                    v.message,
                )
                for v in check.violations
            ),
        )
        blocks.append(messages(f"Violations ({len(table.rows)})", table))
    return Section("Policies", tuple(blocks))


def _account_changes(report: PlanReport) -> Section:
    changes = report.account_changes
    if changes is None:
        return Section("Changes to existing accounts", ())
    items = [f"REFUSED: {message}" for message in changes.refused]
    items += [f"closed: {name}" for name in changes.closed]
    items += [f"suspended (suspended OU, no access, baseline removed): {name}" for name in changes.suspended]
    items += [f"reactivated: {name}" for name in changes.reactivated]
    items += [
        f"RELEASED, NOT CLOSED: {name} leaves the stack and stays in the organization, open "
        "(close it with state: suspended, then closed)"
        for name in changes.released
    ]
    items += [f"roleName of {e.account}: {e.before} -> {e.after}" for e in changes.role_names]
    items += [f"root email of {e.account}: {e.before} -> {e.after}" for e in changes.emails]
    if changes.closed:
        verdict = "over the quota" if changes.over_quota else "within the quota"
        items.append(
            f"closure quota: {len(changes.closed)} of {changes.closure_quota} per rolling 30 days: {verdict}"
        )
    return Section("Changes to existing accounts", (Bullets(tuple(items) or ("none",)),))


def _diagnostics(report: PlanReport) -> Section:
    if not report.diagnostics:
        return Section("Program diagnostics", ())
    return Section("Program diagnostics", (listing("Diagnostics", Bullets(report.diagnostics)),))


def changes_document(changes: PlanChanges, base_name: str) -> Document:
    """What the plan changes of the base plan (`base_name`: how the reader knows it)."""
    head = changes.head
    intro: list[Block] = [
        Paragraph(
            f"Stack {head.stack} (project {head.project}) compared with {base_name}: offline plans under "
            "Pulumi's mocks."
        )
    ]
    if changes.base.stack != head.stack:
        intro.append(Paragraph(f"The base plan is of another stack: {changes.base.stack}."))
    if changes.empty:
        intro.append(Paragraph("No changes."))
    sections = (
        _account_section(changes),
        _access_section(changes),
        _guardrail_section(changes),
        _budget_section(changes),
        _verdict_section(changes),
    )
    return Document(
        title=f"Plan changes: stack {head.stack}",
        intro=tuple(intro),
        sections=tuple(s for s in sections if s.blocks),
    )


def _account_section(changes: PlanChanges) -> Section:
    rows: list[tuple[str, ...]] = []
    rows += [("added", a.name, a.ou or "Root", _account_note(a)) for a in changes.accounts_added]
    rows += [
        (
            "removed",
            a.name,
            a.ou or "Root",
            "the account is closed (AWS CloseAccount: counts against the closure quota)"
            if a.close_on_deletion
            else "RELEASED, NOT CLOSED: leaves the stack, stays open in the organization",
        )
        for a in changes.accounts_removed
    ]
    rows += [
        ("moved", m.account, m.after or "Root", f"from {m.before or 'Root'}") for m in changes.accounts_moved
    ]
    rows += [
        ("changed", e.subject, "", f"{e.setting}: {e.before} -> {e.after}") for e in changes.account_edits
    ]
    rows += [("OU added", path, path.rpartition("/")[0] or "Root", "") for path in changes.ous_added]
    rows += [("OU removed", path, path.rpartition("/")[0] or "Root", "") for path in changes.ous_removed]
    if not rows:
        return Section("Accounts", ())
    blocks: list[Block] = []
    tree = _changes_tree(changes)
    if tree.accounts:
        blocks.append(tree)
    blocks.append(
        listing(f"Account changes ({len(rows)})", Table(("Change", "Account", "OU", "Notes"), tuple(rows)))
    )
    return Section("Accounts", tuple(blocks))


def _account_note(account: PlanAccount) -> str:
    notes = [f"root email {account.email}"] if account.email else []
    if account.import_id:
        notes.append(f"imports {account.import_id}")
    if account.close_on_deletion:
        notes.append("closed on deletion")
    return ", ".join(notes)


def _changes_tree(changes: PlanChanges) -> OrgTree:
    """Only the accounts that appear, leave or move, under the OUs they are in."""
    accounts = [TreeAccount(a.name, a.ou, "added") for a in changes.accounts_added]
    accounts += [TreeAccount(a.name, a.ou, "removed") for a in changes.accounts_removed]
    accounts += [
        TreeAccount(m.account, m.after, "moved", f"from {m.before or 'Root'}") for m in changes.accounts_moved
    ]
    units: set[str] = set()
    for account in accounts:
        path = account.ou
        while path:
            units.add(path)
            path = path.rpartition("/")[0]
    return OrgTree(units=tuple(sorted(units)), accounts=tuple(accounts))


def _access_section(changes: PlanChanges) -> Section:
    rows = [("granted", a.group, a.account, a.permission_set) for a in changes.access_granted]
    rows += [("revoked", a.group, a.account, a.permission_set) for a in changes.access_revoked]
    set_rows = [("added", name, "", "") for name in changes.permission_sets_added]
    set_rows += [("removed", name, "", "") for name in changes.permission_sets_removed]
    set_rows += [
        ("changed", e.subject, e.setting, f"{e.before} -> {e.after}") for e in changes.permission_set_edits
    ]
    blocks: list[Block] = []
    if rows:
        table = Table(("Change", "Group", "Account", "Permission set"), tuple(rows))
        blocks.append(listing(f"Access changes ({len(rows)})", table))
    if set_rows:
        table = Table(("Change", "Permission set", "Setting", "Before -> after"), tuple(set_rows))
        blocks.append(listing(f"Permission set changes ({len(set_rows)})", table))
    return Section("Access (IAM Identity Center)", tuple(blocks))


def _guardrail_section(changes: PlanChanges) -> Section:
    rows = [
        ("attached", target_words(g.target_type, g.target), policy_type_words(g.policy_type), g.policy)
        for g in changes.guardrails_attached
    ]
    rows += [
        ("detached", target_words(g.target_type, g.target), policy_type_words(g.policy_type), g.policy)
        for g in changes.guardrails_detached
    ]
    if not rows:
        return Section("Guardrails", ())
    table = Table(("Change", "Target", "Policy type", "Policy"), tuple(rows))
    return Section("Guardrails", (listing(f"Guardrail changes ({len(rows)})", table),))


def _budget_section(changes: PlanChanges) -> Section:
    rows = [
        ("added", b.name, "", f"{budget_limit(b)}, {b.account or 'whole organization'}")
        for b in changes.budgets_added
    ]
    rows += [("removed", b.name, "", budget_limit(b)) for b in changes.budgets_removed]
    rows += [("changed", e.subject, e.setting, f"{e.before} -> {e.after}") for e in changes.budget_edits]
    if not rows:
        return Section("Budgets", ())
    table = Table(("Change", "Budget", "Setting", "Details"), tuple(rows))
    return Section("Budgets", (listing(f"Budget changes ({len(rows)})", table),))


def _verdict_section(changes: PlanChanges) -> Section:
    """The verdicts: always the head's summary when something changed in them."""
    rows = [(f"new {v.level}", v.policy, _urn_name(v.urn), v.message) for v in changes.violations_new]
    rows += [
        (f"resolved {v.level}", v.policy, _urn_name(v.urn), v.message) for v in changes.violations_resolved
    ]
    rows += [
        ("AWS would refuse", r.rule, f"{r.type} {r.name}".strip(), r.message) for r in changes.refusals_new
    ]
    rows += [
        ("no longer refused", r.rule, f"{r.type} {r.name}".strip(), r.message)
        for r in changes.refusals_resolved
    ]
    head = changes.head
    if not changes.policies_compared:
        which = "this plan" if head.policy is None else "the base plan"
        unmatched = Paragraph(f"Policy violations not compared: the policy pack did not run on {which}.")
        return Section("Policies and AWS rules", (unmatched, *_verdict_rows(rows)))
    if not rows:
        return Section("Policies and AWS rules", ())
    if head.policy is None:
        summary = "The policy pack was not run on this plan."
    else:
        summary = (
            f"This plan: {_plural(len(head.policy.violations), 'policy violation')}, "
            f"{head.policy.mandatory} mandatory; AWS would refuse {len(head.refusals)}."
        )
    return Section("Policies and AWS rules", (Paragraph(summary), *_verdict_rows(rows)))


def _verdict_rows(rows: list[tuple[str, str, str, str]]) -> tuple[Block, ...]:
    if not rows:
        return ()
    table = Table(("Change", "Policy or rule", "Resource", "Message"), tuple(rows))
    return (messages(f"Verdict changes ({len(rows)})", table),)


def _urn_name(urn: str) -> str:
    # A URN ends with the resource's logical name; "" names the stack.
    return urn.rpartition("::")[2] if urn else "the stack"
