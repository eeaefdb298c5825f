"""The policy part of `lz plan`: its arguments, and the pack's errors as usage errors."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from landing_zone.plan.policy import (
    PACK_DIR_NAME,
    PolicyCheck,
    PolicyConfigError,
    PolicyPackError,
    PolicyPackNotFoundError,
    pack_dir_of,
)
from landing_zone.plan.policy import (
    check_policies as run_pack,
)
from landing_zone.plan.runner import RegisteredResource

from .common import StackLocation, UsageError


def add_policy_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="enforcement config in the --policy-pack-config form "
        f"(default: {PACK_DIR_NAME}/config.STACK.json when it exists, else the pack's defaults)",
    )
    group.add_argument("--no-policy", action="store_true", help="do not run the policy pack")


def check_policies(
    args: argparse.Namespace,
    location: StackLocation,
    stack_config: Mapping[str, Any],
    resources: list[RegisteredResource],
) -> PolicyCheck | None:
    """The pack's verdict, or None with --no-policy."""
    if args.no_policy:
        return None
    try:
        return run_pack(
            pack_dir_of(location.project_dir),
            location.project,
            location.stack,
            stack_config,
            resources,
            args.policy_config,
        )
    except PolicyConfigError as err:
        raise UsageError(f"--policy-config: {err}") from None
    except PolicyPackNotFoundError as err:
        raise UsageError(f"{err} (pass --no-policy to skip it)") from None
    except PolicyPackError as err:
        raise UsageError(str(err)) from None
