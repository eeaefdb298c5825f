"""What a check reports, and the guard that turns an AWS error into an `error` result."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..errors import AWS_ERRORS, describe_error

log = logging.getLogger(__name__)

# Errors that make one check's answer unknown without saying anything about the others.
CHECK_ERRORS = AWS_ERRORS

Outcome = Literal["pass", "fail", "manual", "error"]
OUTCOMES: tuple[Outcome, ...] = ("pass", "fail", "error", "manual")


@dataclass(frozen=True)
class Target:
    """What a check looked at: the management account, the organization, or one member."""

    kind: Literal["management", "organization", "account", "stack", "manual"]
    id: str
    name: str = ""

    def __str__(self) -> str:
        label = f"{self.kind} {self.id}" if self.id else self.kind
        return f"{label} ({self.name})" if self.name else label


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    outcome: Outcome
    target: Target
    evidence: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "result": self.outcome,
            "target": {"kind": self.target.kind, "id": self.target.id, "name": self.target.name},
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Finding:
    """A check function's verdict before it is labelled with its id and target."""

    outcome: Outcome
    evidence: tuple[str, ...] = ()

    @classmethod
    def passed(cls, *evidence: str) -> Finding:
        return cls("pass", evidence)

    @classmethod
    def failed(cls, *evidence: str) -> Finding:
        return cls("fail", evidence)

    @classmethod
    def of(cls, problems: list[str], *when_clean: str) -> Finding:
        """Fail with the problems as evidence, or pass with `when_clean`."""
        return cls("fail", tuple(problems)) if problems else cls("pass", when_clean)


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    run: Callable[..., Finding]


def guarded(check: Check, target: Target, *args: object) -> CheckResult:
    """Run one check; an AWS error becomes an `error` result for this check only."""
    try:
        finding = check.run(*args)
    except AWS_ERRORS as err:
        log.info("%s on %s: %s", check.id, target, err)
        return CheckResult(check.id, check.title, "error", target, (describe_error(err),))
    return CheckResult(check.id, check.title, finding.outcome, target, finding.evidence)


def errored(check: Check, target: Target, message: str) -> CheckResult:
    return CheckResult(check.id, check.title, "error", target, (message,))
