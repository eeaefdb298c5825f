"""`lz validate --all`: every stack of the project, and how an organization is split across them.

Each stack is checked as `lz validate --stack` checks it; an organization stack's config is
loaded once for all its account stacks. Then the split as a whole: every stack an organization
lists under accountStacks has a file naming it back, and no account file is read by two stacks
(its accounts would be deployed twice).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from landing_zone.config import ConfigError, StackSettings, config_warnings, load_stack_file, read_stack_file
from landing_zone.config.account_files import AccountFilesError, files_named
from landing_zone.config.errors import Problem
from landing_zone.config.loading import OrganizationCache, config_environment_size
from landing_zone.config.project_stacks import stack_files

from .common import EXIT_OK, EXIT_USAGE


@dataclass
class StackReport:
    """One stack file's result: its settings when it loads, and every problem found."""

    path: Path
    stack: str
    size: int | None = None  # bytes of PULUMI_CONFIG; None when the file does not read
    # The `organizationStack` its file names (account stacks only), even when it does not load.
    organization_stack: str | None = None
    settings: StackSettings | None = None
    problems: list[Problem] = field(default_factory=list)


def validate_all(project_dir: Path, namespace: str) -> int:
    paths = stack_files(project_dir)
    if not paths:
        print(f"no Pulumi.<stack>.yaml beside {project_dir / 'Pulumi.yaml'}", file=sys.stderr)
        return EXIT_USAGE
    organizations: OrganizationCache = {}
    reports = [_read(stack, path, namespace) for stack, path in paths]
    # Organization stacks first: their account stacks then take the organization loaded for them.
    for report in sorted(reports, key=lambda r: r.organization_stack is not None):
        _load(report, namespace, project_dir, organizations)
    by_stack = {report.stack: report for report in reports}
    for report in reports:
        report.problems += list(_split_problems(report, by_stack, namespace))
    _shared_files(reports, project_dir, namespace)
    for report in reports:
        if report.settings is not None and report.settings.slice.is_organization_stack:
            for warning in config_warnings(report.settings.config, namespace):
                print(f"warning: {report.path.name}: {warning}", file=sys.stderr)
        for problem in report.problems:
            print(f"{report.path.name}: {problem}", file=sys.stderr)
        print(_line(report))
    print(_total(reports))
    return EXIT_USAGE if any(report.problems for report in reports) else EXIT_OK


def _read(stack: str, path: Path, namespace: str) -> StackReport:
    """The stack's size and kind, from its file."""
    report = StackReport(path, stack)
    try:
        values = read_stack_file(path)
    except ConfigError as err:
        report.problems = list(err.problems)
        return report
    report.size = config_environment_size(values)
    organization = values.get(f"{namespace}:organizationStack")
    report.organization_stack = organization if isinstance(organization, str) else None
    return report


def _load(report: StackReport, namespace: str, project_dir: Path, organizations: OrganizationCache) -> None:
    if report.problems:
        return  # the file does not read
    try:
        report.settings = load_stack_file(report.path, namespace, project_dir, organizations)
    except ConfigError as err:
        report.problems = list(err.problems)


def _split_problems(
    report: StackReport, by_stack: dict[str, StackReport], namespace: str
) -> Iterator[Problem]:
    """Each account stack an organization stack lists has a file that names it back."""
    settings = report.settings
    if settings is None or not settings.slice.is_organization_stack:
        return
    for stack in settings.config.account_stacks:
        key = f"{namespace}:accountStacks.{stack}"
        other = by_stack.get(stack)
        if other is None:
            yield Problem(
                key,
                f"no Pulumi.{stack}.yaml beside it: write one with aws:region and "
                f"{namespace}:organizationStack: {report.stack} (or remove {stack} from accountStacks: "
                "its accounts would be deployed by no stack)",
            )
        elif other.organization_stack != report.stack:
            names = (
                f"names {namespace}:organizationStack: {other.organization_stack}"
                if other.organization_stack is not None
                else "is not an account stack (no organizationStack)"
            )
            yield Problem(
                key,
                f"Pulumi.{stack}.yaml {names}, not {report.stack}: its accounts would be deployed by no "
                f"stack; set {namespace}:organizationStack: {report.stack} there, or remove {stack} here",
            )


def _shared_files(reports: list[StackReport], project_dir: Path, namespace: str) -> None:
    """An account file read by two stacks: both would deploy its accounts."""
    readers: dict[str, str] = {}
    key = f"{namespace}:accountFiles"
    for report in reports:
        settings = report.settings
        if settings is None or not settings.slice.is_organization_stack or not settings.config.account_files:
            continue
        try:
            files = files_named(settings.config.account_files, project_dir, key)
        except AccountFilesError as err:  # a file removed since it was read
            report.problems += err.problems
            continue
        for name in files:
            first = readers.setdefault(name, report.path.name)
            if first != report.path.name:
                report.problems.append(
                    Problem(
                        key,
                        f"{name} is also read by {first}: both stacks would deploy its accounts; "
                        "name each file in one stack only",
                    )
                )


def _line(report: StackReport) -> str:
    size = f"config {report.size:,} bytes" if report.size is not None else "config not read"
    if report.problems or report.settings is None:
        count = len(report.problems)
        return f"{report.path.name}: {count} problem{'s' if count > 1 else ''} ({size})"
    return f"{report.path.name}: valid ({share(report.settings)}; {size})"


def share(settings: StackSettings) -> str:
    """What a stack deploys of its organization, in words."""
    config, piece = settings.config, settings.slice
    total = len(config.accounts)
    if piece.organization_stack is not None:
        return (
            f"{len(piece.accounts):,} of the organization's {total:,} accounts; account stack of "
            f"{piece.organization_stack}"
        )
    if config.account_stacks:
        stacks = len(config.account_stacks)
        return (
            f"{len(piece.accounts):,} of the organization's {total:,} accounts; organization stack of "
            f"{stacks} account stack{'s' if stacks > 1 else ''}"
        )
    return f"{total:,} accounts, {len(config.organizational_units):,} organizational units"


def _total(reports: list[StackReport]) -> str:
    invalid = sum(1 for report in reports if report.problems)
    organizations = [
        r.settings for r in reports if r.settings is not None and r.settings.slice.is_organization_stack
    ]
    accounts = sum(len(settings.config.accounts) for settings in organizations)
    stacks = f"{len(reports)} stack{'s' if len(reports) > 1 else ''}"
    counted = (
        f"{len(organizations)} organization{'s' if len(organizations) != 1 else ''}, {accounts:,} accounts"
    )
    if invalid:
        return f"{stacks}: {len(reports) - invalid} valid, {invalid} with problems ({counted} valid)"
    return f"{stacks} valid ({counted})"
