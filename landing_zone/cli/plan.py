"""`lz plan`: what a stack would create (its program under Pulumi's mocks), what AWS would refuse of it
and the policy pack's verdict.

Arguments to `landing_zone.plan.stack` calls, the library's exceptions to exit codes and messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from landing_zone.config import (
    ConfigError,
    LandingZoneConfig,
    load_stack_file,
    read_stack_file,
)
from landing_zone.plan import PACK_DIR_NAME
from landing_zone.sso.profiles import MOCKED_KEY

from .common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_stack_arguments,
    find_project_dir,
    locate_stack,
    read_project_name,
    report_config_error,
)

if TYPE_CHECKING:
    from landing_zone.plan.plan_json import PlanSnapshot
    from landing_zone.plan.project import StackPlan
    from landing_zone.plan.report import PlanReport
    from landing_zone.plan.stack import StackRun


FORMATS = ("text", "json", "markdown", "html")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="show what a stack would create (Pulumi mocks, no AWS credentials)",
        description="Run the stack's program under Pulumi's mocks, offline, judge it against AWS's rules "
        "and the policy pack, and show what it would create. Exit 1 when AWS would refuse something, a "
        "mandatory policy is violated or too many accounts would close; 2 on bad config or arguments.",
    )
    add_stack_arguments(parser)
    parser.add_argument(
        "--all",
        action="store_true",
        help="plan every stack of the project (each Pulumi.STACK.yaml beside Pulumi.yaml), an account stack "
        "with its organization stack's planned outputs, and show them together with a total",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default); json: the plan file --compare reads (versioned, lzPlanVersion); markdown: "
        "for a pull request comment (a Mermaid diagram, tables); html: one self-contained page",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write the plan (in --format) to FILE instead of standard output",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="PLAN_JSON",
        help="show what this plan changes of another one (written by lz plan --format json, e.g. of the "
        "base branch): accounts, OUs, access, guardrails, budgets, verdicts",
    )
    parser.add_argument(
        "--resources-out",
        type=Path,
        metavar="FILE",
        help="write every registered resource (inputs and options) as JSON",
    )
    parser.add_argument(
        "--policy-pack",
        type=Path,
        metavar="DIR",
        help=f"the policy pack to run, as `pulumi preview --policy-pack DIR` (default: the project's "
        f"{PACK_DIR_NAME}/); a CI gate passes the protected base branch's copy",
    )
    policy = parser.add_mutually_exclusive_group()
    policy.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="enforcement config in the --policy-pack-config form "
        "(default: the pack's config.STACK.json when it exists, else the pack's defaults)",
    )
    policy.add_argument("--no-policy", action="store_true", help="do not run the policy pack")
    parser.add_argument(
        "--outputs-out",
        type=Path,
        metavar="FILE",
        help="write the stack outputs as `pulumi stack output --json` would (for lz sso-config --outputs), "
        f'marked "{MOCKED_KEY}": true (the account ids are made up)',
    )
    parser.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help="the stack file as deployed: also list what the change does to existing accounts "
        "(closed, leaving the stack, role and email edits); exit 1 past AWS's closure quota",
    )
    parser.add_argument(
        "--previous-outputs",
        type=Path,
        metavar="FILE",
        help="the stack's outputs from its last update (`pulumi stack output --json`, or a previous "
        "plan's --outputs-out): what organization.quarantineOu reads to move baselined accounts out "
        "of quarantine (default: none, the first update)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Here, not at the top: Pulumi and the plan's modules are not for the other commands.
    from landing_zone.plan.stack import ProgramError, run_stack

    if args.no_policy and args.policy_pack is not None:
        raise UsageError("--policy-pack: not allowed with --no-policy (which runs no pack)")
    if args.all:
        return _run_all(args)
    location = locate_stack(args)
    _require_program(location.project_dir)
    previous = previous_config(args.previous, location.project) if args.previous is not None else None
    base = _read_compare(args.compare) if args.compare is not None else None
    last_outputs = _read_outputs(args.previous_outputs) if args.previous_outputs is not None else None
    try:
        values = read_stack_file(location.config_file)
        stack_run = run_stack(
            location.project_dir, location.project, location.stack, values, previous_outputs=last_outputs
        )
    except ConfigError as err:
        return report_config_error(err)
    except ProgramError as err:
        # What `pulumi preview` would stop with: not a bad argument, a stack that cannot deploy.
        print(f"lz plan: the program stopped: {err}", file=sys.stderr)
        return EXIT_FAILED
    if args.resources_out is not None:
        _write_json(args.resources_out, [r.to_json() for r in stack_run.result.resources], "--resources-out")
    if args.outputs_out is not None:
        # Marked, so that lz sso-config --write does not take the mock ids for real ones.
        _write_json(args.outputs_out, {**stack_run.result.outputs, MOCKED_KEY: True}, "--outputs-out")
    report = _report(stack_run, args, previous)
    shown = _render(report, args.format) if base is None else _render_changes(report, base, args)
    if args.output is not None:
        _write_text(args.output, shown, "--output")
    else:
        print(shown, end="")
    # As `pulumi up` would fail: AWS refuses something, a mandatory policy stops it, or more
    # accounts would close than AWS allows.
    return EXIT_FAILED if report.fails else EXIT_OK


def _require_program(project_dir: Path) -> None:
    if not (project_dir / "__main__.py").is_file():
        raise UsageError(
            f"{project_dir} has no __main__.py: lz plan runs the landing-zone program of "
            "--project-dir (a copy of this project, with its Pulumi.yaml and __main__.py)"
        )


# What names one stack's files or compares one plan: not for a plan of every stack.
SINGLE_STACK_OPTIONS = (
    ("stack", "--stack"),
    ("config_file", "--config-file"),
    ("compare", "--compare"),
    ("resources_out", "--resources-out"),
    ("outputs_out", "--outputs-out"),
    ("previous", "--previous"),
    ("previous_outputs", "--previous-outputs"),
)
ALL_FORMATS = ("text", "json")


def _run_all(args: argparse.Namespace) -> int:
    """Every stack of the project: each planned (an account stack with its organization stack's
    planned outputs), reported together; the worst stack's exit status."""
    from landing_zone.plan.collector import collect_frozen
    from landing_zone.plan.project import all_plans_document, exit_code, project_stacks, render_all_text

    for attribute, option in SINGLE_STACK_OPTIONS:
        if getattr(args, attribute) is not None:
            raise UsageError(f"{option}: not allowed with --all (which plans every stack of the project)")
    if args.format not in ALL_FORMATS:
        raise UsageError(f"--format {args.format}: --all writes {' or '.join(ALL_FORMATS)}")
    project_dir = args.project_dir or find_project_dir(Path.cwd())
    project = read_project_name(project_dir)
    _require_program(project_dir)
    stacks = project_stacks(project_dir, project)
    if not stacks:
        raise UsageError(f"{project_dir} has no stack files (Pulumi.STACK.yaml) to plan")
    outputs: dict[str, dict[str, Any]] = {}
    plans = []
    for stack in stacks:
        plans.append(_plan_one(project_dir, project, stack, args, outputs))
        # Only the report is kept of each stack: what its run left is freed before the next.
        collect_frozen()
    if args.format == "json":
        shown = json.dumps(all_plans_document(plans), indent=2) + "\n"
    else:
        shown = render_all_text(plans)
    if args.output is not None:
        _write_text(args.output, shown, "--output")
    else:
        print(shown, end="")
    return exit_code(plans)


def _plan_one(
    project_dir: Path, project: str, stack: str, args: argparse.Namespace, outputs: dict[str, dict[str, Any]]
) -> StackPlan:
    """One stack of `lz plan --all`: what `lz plan --stack STACK` would show or say. `outputs`
    holds the planned outputs of the stacks before it (an account stack's organization stack
    is planned before it), and gets this one's."""
    from landing_zone.config.loading import stack_file
    from landing_zone.plan.project import StackPlan
    from landing_zone.plan.stack import ProgramError, run_stack

    try:
        values = read_stack_file(stack_file(project_dir, stack))
        stack_run = run_stack(project_dir, project, stack, values, other_stacks=outputs)
    except ConfigError as err:
        return StackPlan(stack, None, tuple(str(problem) for problem in err.problems), EXIT_USAGE)
    except ProgramError as err:
        return StackPlan(stack, None, (f"the program stopped: {err}",), EXIT_FAILED)
    outputs[stack] = stack_run.result.outputs
    try:
        report = _report(stack_run, args, None)
    except UsageError as err:
        return StackPlan(stack, None, (str(err),), EXIT_USAGE)
    return StackPlan(stack, report, (), EXIT_FAILED if report.fails else EXIT_OK)


def _render(report: PlanReport, format_: str) -> str:
    from landing_zone.plan.document import report_document
    from landing_zone.plan.html import render_html
    from landing_zone.plan.markdown import render_markdown
    from landing_zone.plan.plan_json import plan_document
    from landing_zone.plan.render import render_text

    if format_ == "json":
        return json.dumps(plan_document(report), indent=2) + "\n"
    if format_ == "markdown":
        return render_markdown(report_document(report))
    if format_ == "html":
        return render_html(report_document(report))
    return render_text(report)


def _render_changes(report: PlanReport, base: PlanSnapshot, args: argparse.Namespace) -> str:
    from landing_zone.plan.compare import compare_plans
    from landing_zone.plan.document import changes_document
    from landing_zone.plan.html import render_html
    from landing_zone.plan.markdown import render_markdown
    from landing_zone.plan.plan_json import snapshot_of
    from landing_zone.plan.render import render_document_text

    changes = compare_plans(base, snapshot_of(report))
    if args.format == "json":
        return json.dumps(changes.to_json(), indent=2) + "\n"
    document = changes_document(changes, f"the plan in {args.compare.name}")
    if args.format == "markdown":
        return render_markdown(document)
    if args.format == "html":
        return render_html(document)
    return render_document_text(document)


def _read_compare(path: Path) -> PlanSnapshot:
    """The plan --compare names, read before the program runs: a bad file fails fast (exit 2)."""
    from landing_zone.plan.plan_json import PlanFileError, read_plan

    try:
        return read_plan(path)
    except PlanFileError as err:
        raise UsageError(f"--compare: {err}") from None


def _read_outputs(path: Path) -> dict[str, Any]:
    """The stack outputs --previous-outputs names: a JSON object, read before the program runs."""
    try:
        outputs = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"--previous-outputs: no file at {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise UsageError(f"--previous-outputs: {path} is not JSON stack outputs: {err}") from None
    if not isinstance(outputs, dict):
        raise UsageError(
            f"--previous-outputs: {path} is not JSON stack outputs: expected an object of output names"
        )
    # A previous plan's --outputs-out carries this marker; it is not an output.
    outputs.pop(MOCKED_KEY, None)
    return outputs


def previous_config(path: Path, project: str) -> LandingZoneConfig:
    """The deployed config `--previous` names: it must be a valid stack file itself. Its account
    files, and an account stack's organization stack file, are read beside it: with those, name
    the stack file in a checkout of the deployed commit (`git worktree add ../deployed main`)."""
    if not path.is_file():
        raise UsageError(f"--previous: no stack config file at {path}")
    try:
        return load_stack_file(path, project).config
    except ConfigError as err:
        first = err.problems[0]
        more = f" (and {len(err.problems) - 1} more)" if len(err.problems) > 1 else ""
        raise UsageError(f"--previous: {path} is not a valid stack config: {first}{more}") from None


def _report(stack_run: StackRun, args: argparse.Namespace, previous: LandingZoneConfig | None) -> PlanReport:
    """The report, the policy pack's failures as usage errors (exit 2)."""
    from landing_zone.plan.policy import (
        PolicyConfigError,
        PolicyPackError,
        PolicyPackNotFoundError,
        default_enforcement_file,
        pack_dir_of,
    )
    from landing_zone.plan.stack import report_stack

    try:
        return report_stack(
            stack_run,
            policies=not args.no_policy,
            enforcement_file=args.policy_config,
            previous=previous,
            pack_dir=args.policy_pack,
        )
    except PolicyConfigError as err:
        if args.policy_config is not None:
            raise UsageError(f"--policy-config: {err}") from None
        # The file lz plan picked itself: name it, the user did not.
        pack_dir = args.policy_pack or pack_dir_of(stack_run.project_dir)
        picked = default_enforcement_file(
            pack_dir, stack_run.stack, stack_run.settings.slice.organization_stack
        )
        problem = str(err)
        if picked is not None and str(picked) not in problem:
            problem = f"{picked}: {problem}"
        raise UsageError(
            f"{problem} (the enforcement file for stack {stack_run.stack}; --policy-config picks another)"
        ) from None
    except PolicyPackNotFoundError as err:
        if args.policy_pack is not None:
            raise UsageError(f"--policy-pack: {err}") from None
        raise UsageError(f"{err} (pass --no-policy to skip it)") from None
    except PolicyPackError as err:  # did not start, or a policy raised
        raise UsageError(str(err)) from None


def _write_text(path: Path, text: str, option: str) -> None:
    """Write `text` whole: to a temporary file beside `path`, read back, then moved over it."""
    temporary = path.with_name(f".{path.name}.lz-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        if temporary.read_text(encoding="utf-8") != text:
            raise UsageError(f"{option}: {path}: what was written does not read back the same")
        temporary.replace(path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"{option}: cannot write {path}: {err.strerror}") from None


def _write_json(path: Path, data: Any, option: str) -> None:
    try:
        path.write_text(json.dumps(data, indent=2, sort_keys=isinstance(data, dict)) + "\n", encoding="utf-8")
    except OSError as err:
        raise UsageError(f"{option}: cannot write {path}: {err.strerror}") from None
