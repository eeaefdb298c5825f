"""The policy part of `lz plan`: run the pack in `policy/` over the planned resources."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import grpc

from landing_zone.plan.runner import RegisteredResource
from landing_zone.policy_harness import (
    PolicyConfigError,
    PolicyPack,
    PolicyPackError,
    read_enforcement_file,
)

from .common import StackLocation, UsageError

PACK_DIR = "policy"


def add_policy_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="enforcement config in the --policy-pack-config form "
        f"(default: {PACK_DIR}/config.STACK.json when it exists, else the pack's defaults)",
    )
    group.add_argument("--no-policy", action="store_true", help="do not run the policy pack")


def check_policies(
    args: argparse.Namespace,
    location: StackLocation,
    stack_config: Mapping[str, Any],
    resources: Sequence[RegisteredResource],
) -> dict[str, Any] | None:
    """The `policy` section of the report, or None with --no-policy."""
    if args.no_policy:
        return None
    pack_dir = location.project_dir / PACK_DIR
    if not (pack_dir / "PulumiPolicy.yaml").is_file():
        raise UsageError(f"no policy pack at {pack_dir} (pass --no-policy to skip it)")
    config_file: Path | None = args.policy_config
    if config_file is None and (pack_dir / f"config.{location.stack}.json").is_file():
        config_file = pack_dir / f"config.{location.stack}.json"
    try:
        enforcement = read_enforcement_file(config_file) if config_file is not None else None
        with PolicyPack(pack_dir, location.project, location.stack, stack_config) as pack:
            pack.configure(enforcement)
            violations = pack.analyze(resources)
            name = pack.info.name
    except PolicyConfigError as err:
        raise UsageError(f"--policy-config: {err}") from None
    except PolicyPackError as err:
        raise UsageError(str(err)) from None
    except grpc.RpcError as err:
        # A policy raised: the pack reports it as a gRPC error; show its message, not a traceback.
        raise UsageError(f"the policy pack failed: {err.details()}") from None
    return {
        "pack": name,
        "config": str(config_file) if config_file is not None else None,
        "violations": [v.to_json() for v in violations],
    }


def has_mandatory(section: Mapping[str, Any] | None) -> bool:
    return section is not None and any(v["level"] == "mandatory" for v in section["violations"])


def render_policy_text(section: Mapping[str, Any], resources: Sequence[RegisteredResource]) -> str:
    violations = section["violations"]
    mandatory = sum(v["level"] == "mandatory" for v in violations)
    source = section["config"] or "the pack's default levels"
    lines = [
        "",
        f"Policies ({section['pack']}, {source}): {len(violations)} violation"
        f"{'' if len(violations) == 1 else 's'}, {mandatory} mandatory",
    ]
    names = {r.urn: f"{r.type} '{r.name}'" for r in resources}
    for violation in violations:
        where = names.get(violation["urn"], violation["urn"] or "the stack")
        lines.append(f"  [{violation['level']}] {violation['policy']}: {where}")
        lines += [f"      {line}" for line in violation["message"].splitlines()]
    return "\n".join(lines) + "\n"
