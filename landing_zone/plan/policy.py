"""The policy pack's verdict on a plan: the pack in `policy/` run over the resources a program registered.

Driven through `landing_zone.policy_harness` as the engine drives it. Failures are this module's
exceptions (and the harness's `PolicyConfigError`), worded for any caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc

from landing_zone.policy_harness import (
    PolicyConfigError,
    PolicyPack,
    PolicyPackError,
    Violation,
    read_enforcement_file,
)

from . import PACK_DIR_NAME
from .runner import RegisteredResource

__all__ = [
    "PACK_DIR_NAME",
    "PolicyCheck",
    "PolicyConfigError",
    "PolicyPackError",
    "PolicyPackFailedError",
    "PolicyPackNotFoundError",
    "PolicyViolation",
    "ResourceRef",
    "check_policies",
    "default_enforcement_file",
    "pack_dir_of",
]

MANDATORY = "mandatory"


class PolicyPackNotFoundError(PolicyPackError):
    """No policy pack (no PulumiPolicy.yaml) where one was expected."""

    def __init__(self, pack_dir: Path) -> None:
        self.pack_dir = pack_dir
        super().__init__(f"no policy pack at {pack_dir}")


class PolicyPackFailedError(PolicyPackError):
    """A call to the running pack failed: a policy raised (its message is in `details`), or the pack died."""

    def __init__(self, details: str | None) -> None:
        self.details = details
        super().__init__(f"the policy pack failed: {details}")


@dataclass(frozen=True)
class ResourceRef:
    """A planned resource by type and logical name, as a reader knows it."""

    type: str
    name: str


@dataclass(frozen=True)
class PolicyViolation:
    policy: str
    level: str  # advisory, mandatory, ... as the pack reports it
    message: str
    urn: str  # "" when a stack policy names no resource
    resource: ResourceRef | None  # the planned resource `urn` names; None when it names none

    @property
    def mandatory(self) -> bool:
        return self.level == MANDATORY

    def to_json(self) -> dict[str, str]:
        return {"policy": self.policy, "level": self.level, "message": self.message, "urn": self.urn}


@dataclass(frozen=True)
class PolicyCheck:
    """What the pack said about a plan, and with which enforcement levels."""

    pack: str  # the pack's name
    enforcement_file: Path | None  # None: the pack's default levels
    violations: tuple[PolicyViolation, ...]

    @property
    def mandatory(self) -> int:
        return sum(v.mandatory for v in self.violations)

    @property
    def has_mandatory(self) -> bool:
        return self.mandatory > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "config": str(self.enforcement_file) if self.enforcement_file is not None else None,
            "violations": [v.to_json() for v in self.violations],
        }


def pack_dir_of(project_dir: Path) -> Path:
    return project_dir / PACK_DIR_NAME


def default_enforcement_file(
    pack_dir: Path, stack: str, organization_stack: str | None = None
) -> Path | None:
    """The pack's `config.<stack>.json` when it exists (the file `pulumi preview` is given in CI);
    for an account stack without one, its organization stack's: the stacks of one organization
    are judged alike (as .github/workflows/deploy.yml runs them)."""
    for name in (stack, organization_stack):
        if name is not None and (path := pack_dir / f"config.{name}.json").is_file():
            return path
    return None


def check_policies(
    pack_dir: Path,
    project: str,
    stack: str,
    stack_config: Mapping[str, Any],
    resources: Sequence[RegisteredResource],
    enforcement_file: Path | None = None,
    organization_stack: str | None = None,
) -> PolicyCheck:
    """Run the pack at `pack_dir` over `resources` as the engine would for `project`/`stack`.

    `stack_config` is the stack file's keys; `enforcement_file` (the `--policy-pack-config` form)
    defaults to `default_enforcement_file` (an account stack's `organization_stack` named), else
    the pack's own levels apply. Raises
    PolicyPackNotFoundError, PolicyConfigError (a file the pack cannot take), PolicyPackError
    (the pack did not start) and PolicyPackFailedError (a policy raised).
    """
    if not (pack_dir / "PulumiPolicy.yaml").is_file():
        raise PolicyPackNotFoundError(pack_dir)
    if enforcement_file is None:
        enforcement_file = default_enforcement_file(pack_dir, stack, organization_stack)
    enforcement = read_enforcement_file(enforcement_file) if enforcement_file is not None else None
    try:
        with PolicyPack(pack_dir, project, stack, stack_config) as pack:
            pack.configure(enforcement)
            violations = pack.analyze(resources)
            name = pack.info.name
    except grpc.RpcError as err:
        # A policy that raises reaches us as the gRPC error of the call; its message is the details.
        raise PolicyPackFailedError(err.details()) from err
    by_urn = {r.urn: ResourceRef(r.type, r.name) for r in resources}
    return PolicyCheck(
        pack=name,
        enforcement_file=enforcement_file,
        violations=tuple(_planned(v, by_urn) for v in violations),
    )


def _planned(violation: Violation, by_urn: Mapping[str, ResourceRef]) -> PolicyViolation:
    return PolicyViolation(
        policy=violation.policy,
        level=violation.level,
        message=violation.message,
        urn=violation.urn,
        resource=by_urn.get(violation.urn),
    )
