"""Runs every preflight check: the organization first (everything else needs it), then the
organization-wide checks and one task per member account in one bounded thread pool, in
priority order; results come back in task order whatever order they finish in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from botocore.exceptions import ClientError

from landing_zone.config import LandingZoneConfig

from ..defaults import DEFAULT_WORKERS
from ..errors import AWS_ERRORS, describe_error
from ..organization import LiveDataError, NotManagementAccount, read_organization, require_management_account
from ..session import Clients
from ..tasks import Progress, run_tasks
from . import costs, delegation, identity_center, imports, members, organization, password_policy, quotas
from .model import Check, Preflight, PreflightReport, Prerequisite, blocked, guarded, ready

# In priority order: what the issue ranks first is checked (and listed) first.
CHECKS: tuple[Check, ...] = (
    *organization.CHECKS,
    *identity_center.CHECKS,
    *imports.CHECKS,
    *identity_center.IMPORT_CHECKS,
    *password_policy.CHECKS,
    *costs.CHECKS,
    *quotas.CHECKS,
    *delegation.CHECKS,
)
NO_ORGANIZATION = "AWSOrganizationsNotInUseException"
MEMBER_READY = {
    members.ROLE: "role assumed",
    members.PASSWORD_POLICY: "no other password policy to replace",
    members.ALIAS: "no other alias to replace",
    members.ANALYZERS: "no account analyzer in the way",
}

Task = tuple[str, Callable[[], list[Prerequisite]]]


class PreflightError(Exception):
    """Preflight cannot start: the credentials are not the management account's, or AWS
    refused the first reads."""


@dataclass(frozen=True)
class PreflightOptions:
    stack: str
    config: LandingZoneConfig
    home_region: str  # the stack's aws:region, else the session's
    previous: LandingZoneConfig | None = None
    max_workers: int = DEFAULT_WORKERS
    # The accounts this stack deploys (an account stack's slice); None: every account.
    accounts: frozenset[str] | None = None


def run_preflight(
    clients: Clients, options: PreflightOptions, progress: Progress | None = None
) -> PreflightReport:
    try:
        require_management_account(clients, "lz preflight")
    except NotManagementAccount as err:
        raise PreflightError(str(err)) from None
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") != NO_ORGANIZATION:
            raise PreflightError(f"cannot read the organization: {describe_error(err)}") from None
        return _without_organization(clients, options)
    except AWS_ERRORS as err:
        raise PreflightError(f"cannot read the organization: {describe_error(err)}") from None
    try:
        live = read_organization(clients, with_tags=False, with_policies=bool(options.config.guardrails))
    except AWS_ERRORS as err:
        raise PreflightError(f"cannot read the organization: {describe_error(err)}") from None
    except LiveDataError as err:
        raise PreflightError(str(err)) from None
    preflight = Preflight(
        clients, options.config, options.home_region, live, options.previous, deployed=options.accounts
    )
    baseline_members = members.members(preflight)
    tasks: list[Task] = [(check.id, _guarded(check, preflight)) for check in CHECKS]
    tasks += [
        (f"account {m.account_id} ({m.config.name})", members.member_task(preflight, m))
        for m in baseline_members
    ]
    flat = run_tasks(tasks, options.max_workers, progress)
    flat += _member_summaries(preflight, baseline_members, flat)
    return PreflightReport(options.stack, live.id, live.management_account_id, tuple(flat))


def _guarded(check: Check, preflight: Preflight) -> Callable[[], list[Prerequisite]]:
    return lambda: guarded(check, preflight)


def _member_summaries(
    preflight: Preflight, baseline_members: list[members.Member], results: list[Prerequisite]
) -> list[Prerequisite]:
    """One `ready` line per member check for the accounts where nothing stands in the way: a
    line per account would bury the few that matter at 200 accounts."""
    if not baseline_members:
        return []
    baseline = preflight.config.baseline
    applies = {
        members.ROLE: True,
        members.PASSWORD_POLICY: True,
        members.ALIAS: baseline is not None and baseline.account_alias is not None,
        members.ANALYZERS: baseline is not None and baseline.access_analyzer,
    }
    subjects = {m.subject for m in baseline_members}
    unreachable = {r.subject for r in results if r.id == members.ROLE}
    summaries = []
    for check_id, text in MEMBER_READY.items():
        if not applies[check_id]:
            continue
        spoken = {r.subject for r in results if r.id == check_id}
        quiet = len(subjects - spoken - unreachable)
        if quiet:
            summaries.append(ready(check_id, f"{quiet} of {len(subjects)} baseline accounts", text))
    return summaries


def _without_organization(clients: Clients, options: PreflightOptions) -> PreflightReport:
    """No organization: one that the stack creates is ready; every other check needs one."""
    caller = clients.client("sts").get_caller_identity()["Account"]
    subject = f"account {caller}"
    if options.config.organization.create:
        result = ready("organization.expected", subject, "no organization yet; pulumi up creates it")
    else:
        result = blocked(
            "organization.expected",
            subject,
            "is in no organization",
            "set organization.create: true, "
            "or create it (aws organizations create-organization --feature-set ALL)",
        )
    return PreflightReport(options.stack, "", caller, (result,))
