"""What a preflight check reports: each prerequisite `ready`, `blocked` (with its fix) or `unknown`.

A check is a function of the `Preflight` context returning its results; `guarded` turns an AWS
error into an `unknown` result for that check only (the call was refused, with AWS's words).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from landing_zone.config import LandingZoneConfig

from ..errors import AWS_ERRORS, describe_error
from ..organization import LiveAccount, LiveOrganization
from ..session import Clients

log = logging.getLogger(__name__)

Status = Literal["blocked", "unknown", "ready"]
# The order of the report: what stops `pulumi up` first, then what could not be looked at.
STATUSES: tuple[Status, ...] = ("blocked", "unknown", "ready")


@dataclass(frozen=True)
class Prerequisite:
    """One prerequisite's verdict. `subject` is what it is about (a principal, an account);
    `detail` what was found; `fix` the console step, command or config key (blocked only)."""

    id: str
    status: Status
    subject: str
    detail: str
    fix: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "status": self.status,
            "subject": self.subject,
            "detail": self.detail,
            "fix": self.fix,
        }


def ready(check_id: str, subject: str, detail: str) -> Prerequisite:
    return Prerequisite(check_id, "ready", subject, detail)


def blocked(check_id: str, subject: str, detail: str, fix: str) -> Prerequisite:
    return Prerequisite(check_id, "blocked", subject, detail, fix)


def unknown(check_id: str, subject: str, detail: str) -> Prerequisite:
    return Prerequisite(check_id, "unknown", subject, detail)


@dataclass(frozen=True)
class Preflight:
    """What every check reads: the management account's clients, the stack's config, the
    region it deploys to, and the organization as it is (read once)."""

    clients: Clients
    config: LandingZoneConfig
    home_region: str
    live: LiveOrganization
    # The stack file as deployed (`--previous`): what the change closes. None: not counted.
    previous: LandingZoneConfig | None = None
    # The accounts this stack deploys, when it is one stack of several (its slice): only their
    # member accounts are visited. None: every account of the config.
    deployed: frozenset[str] | None = None

    @cached_property
    def accounts_by_id(self) -> dict[str, LiveAccount]:
        return {account.id: account for account in self.live.accounts}


@dataclass(frozen=True)
class Check:
    id: str
    run: Callable[[Preflight], list[Prerequisite]]
    # Where the report says the check could not look.
    subject: str = ""


def guarded(check: Check, preflight: Preflight) -> list[Prerequisite]:
    """Run one check; an AWS error makes it `unknown`, with the operation and AWS's message."""
    try:
        return check.run(preflight)
    except AWS_ERRORS as err:
        log.info("%s: %s", check.id, err)
        return [unknown(check.id, check.subject, f"cannot tell: {describe_error(err)}")]


@dataclass(frozen=True)
class PreflightReport:
    stack: str
    organization_id: str
    management_account_id: str
    prerequisites: tuple[Prerequisite, ...] = field(default_factory=tuple)

    def ordered(self) -> list[Prerequisite]:
        """Blocked first, then unknown, then ready; the checks' own order within each."""
        return sorted(self.prerequisites, key=lambda p: STATUSES.index(p.status))

    def counts(self) -> dict[Status, int]:
        return {status: sum(1 for p in self.prerequisites if p.status == status) for status in STATUSES}

    def to_json(self) -> dict[str, object]:
        return {
            "stack": self.stack,
            "organizationId": self.organization_id,
            "managementAccountId": self.management_account_id,
            "summary": self.counts(),
            "prerequisites": [p.to_json() for p in self.ordered()],
        }
