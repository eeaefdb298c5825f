"""`lz plan --all`: every stack of a project planned together, an account stack after its
organization stack and with that stack's planned outputs, and what they add up to.

A stack that cannot be planned (a bad file, a program that stops, a pack that cannot judge
it) is one entry with its messages; the others are still planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from landing_zone.config.project_stacks import project_stacks as stacks_of_project

from .plan_json import PLAN_VERSION, VERSION_KEY
from .render import render_text
from .report import PlanReport

# Exit statuses, as `lz plan` gives them for one stack.
CLEAN, FAILS, UNUSABLE = 0, 1, 2


@dataclass(frozen=True)
class StackPlan:
    """One stack of the project: its report, or why it has none."""

    stack: str
    report: PlanReport | None
    # Why the stack could not be planned, one message a line (a config problem each).
    problems: tuple[str, ...] = ()
    # The exit status `lz plan --stack <stack>` would give.
    exit_code: int = CLEAN

    def to_json(self) -> dict[str, Any]:
        if self.report is not None:
            return self.report.to_json()
        return {"stack": self.stack, "error": {"exitCode": self.exit_code, "messages": list(self.problems)}}


def project_stacks(project_dir: Path, project: str) -> list[str]:
    """The stacks of `project_dir` in the order they are planned (`landing_zone.config.project_stacks`:
    each organization stack before its account stacks). A file that cannot be read counts as a
    stack of its own: planning it reports why."""
    return [stack.name for stack in stacks_of_project(project_dir, project)]


def exit_code(plans: list[StackPlan]) -> int:
    """The worst stack's: a stack that cannot be planned (2) over one that would fail (1)."""
    return max((plan.exit_code for plan in plans), default=CLEAN)


def total_line(plans: list[StackPlan]) -> str:
    reports = [plan.report for plan in plans if plan.report is not None]
    resources = sum(report.resources.count for report in reports)
    refusals = sum(len(report.refusals) for report in reports)
    violations = sum(len(report.policy.violations) for report in reports if report.policy is not None)
    mandatory = sum(report.policy.mandatory for report in reports if report.policy is not None)
    failing = [plan.stack for plan in plans if plan.exit_code != CLEAN]
    verdict = f"failing: {', '.join(failing)}" if failing else "every stack plans clean"
    return (
        f"Total: {len(plans)} stack{'' if len(plans) == 1 else 's'}, {resources} resources, "
        f"{refusals} refused by AWS, {violations} policy violation{'' if violations == 1 else 's'} "
        f"({mandatory} mandatory); {verdict}"
    )


def render_all_text(plans: list[StackPlan]) -> str:
    """Each stack's plan under a header of its own, then the total."""
    sections = []
    for plan in plans:
        header = f"=== stack {plan.stack} ==="
        if plan.report is not None:
            body = render_text(plan.report)
        else:
            body = "".join(f"{problem}\n" for problem in plan.problems)
        sections.append(f"{header}\n{body}")
    return "\n".join(sections) + "\n" + total_line(plans) + "\n"


def all_plans_document(plans: list[StackPlan]) -> dict[str, Any]:
    """`lz plan --all --format json`: each stack's plan document (without the version, said once)
    or its error, and the total."""
    reports = [plan.report for plan in plans if plan.report is not None]
    return {
        VERSION_KEY: PLAN_VERSION,
        "stacks": [plan.to_json() for plan in plans],
        "total": {
            "stacks": len(plans),
            "resources": sum(report.resources.count for report in reports),
            "refusals": sum(len(report.refusals) for report in reports),
            "violations": sum(len(r.policy.violations) for r in reports if r.policy is not None),
            "mandatory": sum(r.policy.mandatory for r in reports if r.policy is not None),
            "failing": [plan.stack for plan in plans if plan.exit_code != CLEAN],
            "exitCode": exit_code(plans),
        },
    }
