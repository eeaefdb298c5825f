"""What several commands share: finding the Pulumi project and the stack's config file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from landing_zone.config import ConfigError
from landing_zone.config.loading import stack_file, stack_of

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or files: reported in one line, exit 2, no traceback."""


@dataclass(frozen=True)
class StackLocation:
    project_dir: Path
    project: str  # the config namespace: Pulumi.yaml's name
    stack: str
    config_file: Path


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--stack", "-s", help="stack name: reads Pulumi.NAME.yaml beside Pulumi.yaml")
    source.add_argument("--config-file", type=Path, help="any file in the form of Pulumi.<stack>.yaml")
    parser.add_argument(
        "--project-dir",
        type=Path,
        help="the Pulumi project (default: the nearest directory with a Pulumi.yaml)",
    )


def locate_stack(args: argparse.Namespace) -> StackLocation:
    project_dir = args.project_dir or find_project_dir(Path.cwd())
    project = read_project_name(project_dir)
    if args.config_file is not None:
        path: Path = args.config_file
        stack = stack_of(path)
    elif args.stack:
        stack = args.stack
        path = stack_file(project_dir, stack)
    else:
        raise UsageError("name a stack with --stack NAME or a file with --config-file PATH")
    if not path.is_file():
        raise UsageError(f"no stack config file at {path}")
    return StackLocation(project_dir=project_dir, project=project, stack=stack, config_file=path)


def find_project_dir(start: Path) -> Path:
    for directory in (start, *start.parents):
        if (directory / "Pulumi.yaml").is_file():
            return directory
    # An installed `lz` run outside a checkout: the project this package came from.
    source_root = Path(__file__).resolve().parents[2]
    if (source_root / "Pulumi.yaml").is_file():
        return source_root
    raise UsageError("no Pulumi.yaml here or above; pass --project-dir")


def read_project_name(project_dir: Path) -> str:
    try:
        document = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read {project_dir / 'Pulumi.yaml'}: {err}") from None
    name = document.get("name") if isinstance(document, dict) else None
    if not isinstance(name, str) or not name:
        raise UsageError(f"{project_dir / 'Pulumi.yaml'} has no project name")
    return name


def report_config_error(err: ConfigError) -> int:
    """One line per problem on stderr; exit code 2."""
    for problem in err.problems:
        print(problem, file=sys.stderr)
    return EXIT_USAGE
