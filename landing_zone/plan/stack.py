"""`lz plan` as two library calls: run a stack's program under mocks, then report on that run.

Two calls, not one, so a caller can use the run (its resources and outputs) before the policy
pack is started, as `lz plan --resources-out` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi

from landing_zone.config import LandingZoneConfig, StackSettings, load_stack, read_stack_file
from landing_zone.config.changes import account_changes
from landing_zone.config.loading import stack_file

from .mocks import MockOrganization
from .policy import check_policies, pack_dir_of
from .report import PlanReport, build_report
from .runner import PlanResult, run_program


class ProgramError(Exception):
    """The program stopped the way `pulumi preview` would (a RunError): nothing to report on."""


@dataclass(frozen=True)
class StackRun:
    """One run of a stack's program under mocks, and what it ran with."""

    project_dir: Path
    project: str  # the config namespace: Pulumi.yaml's name
    stack: str
    config: Mapping[str, Any]  # the stack file's keys
    parsed: LandingZoneConfig
    result: PlanResult
    # The whole stack's settings: what this stack deploys of the organization (its slice).
    settings: StackSettings


def run_stack(
    project_dir: Path,
    project: str,
    stack: str,
    config: Mapping[str, Any],
    organization: MockOrganization | None = None,
    previous_outputs: Mapping[str, Any] | None = None,
    other_stacks: Mapping[str, Mapping[str, Any]] | None = None,
) -> StackRun:
    """Validate `config` (ConfigError with every problem), then run the program under mocks
    (ProgramError when it stops, as it would stop `pulumi preview`).

    `organization` is the existing organization lookups answer for (`run_program`'s default if None);
    `previous_outputs` the stack's outputs from its last update (`run_program`); `other_stacks`
    the outputs of other stacks of the project by stack name (`run_program`). An account stack
    whose organization stack is not among them reads that stack's planned outputs: its
    `Pulumi.<stack>.yaml` is run under mocks first (`planned_outputs`).
    """
    # Validate first: a config problem is then reported under its key, not raised from the program.
    settings = load_stack(config, stack, project_dir, project)
    parsed = settings.config
    organization_stack = settings.slice.organization_stack
    if organization_stack is not None and organization_stack not in (other_stacks or {}):
        other_stacks = {
            **(other_stacks or {}),
            organization_stack: planned_outputs(project_dir, project, organization_stack, organization),
        }
    try:
        result = run_program(
            project_dir,
            project,
            stack,
            config,
            organization,
            previous_outputs=previous_outputs,
            other_stacks=other_stacks,
        )
    except pulumi.RunError as err:
        raise ProgramError(str(err)) from None
    return StackRun(project_dir, project, stack, config, parsed, result, settings)


def planned_outputs(
    project_dir: Path, project: str, stack: str, organization: MockOrganization | None = None
) -> dict[str, Any]:
    """The outputs stack `stack` (its `Pulumi.<stack>.yaml` in `project_dir`) would have after an
    update, from its run under mocks: what an account stack's reference reads in a plan.
    Its config was validated with the account stack's; a program that stops is a ProgramError."""
    values = read_stack_file(stack_file(project_dir, stack))
    try:
        return run_program(project_dir, project, stack, values, organization).outputs
    except pulumi.RunError as err:
        raise ProgramError(f"the organization stack {stack}: {err}") from None


def report_stack(
    run: StackRun,
    *,
    policies: bool = True,
    enforcement_file: Path | None = None,
    previous: LandingZoneConfig | None = None,
    pack_dir: Path | None = None,
) -> PlanReport:
    """The report of `run`, with the verdict of the project's policy pack unless `policies` is False,
    and what the change from `previous` (the config as deployed) does to existing accounts.

    `pack_dir` is the pack to run (default: the project's `policy/`, as `pulumi preview
    --policy-pack policy`); `enforcement_file` (unused without policies) and the exceptions are
    as for `check_policies`: by default the pack's `config.<stack>.json` sets the levels.
    """
    changes = account_changes(previous, run.parsed) if previous is not None else None
    if not policies:
        return build_report(run.project, run.stack, run.result, account_changes=changes)
    if pack_dir is None:
        pack_dir = pack_dir_of(run.project_dir)
    check = check_policies(
        pack_dir,
        run.project,
        run.stack,
        run.config,
        run.result.resources,
        enforcement_file,
        organization_stack=run.settings.slice.organization_stack,
    )
    return build_report(run.project, run.stack, run.result, check, account_changes=changes)
