"""Runs every check: management account, organization, members (concurrently), costs, drift.

Each unit of work is a task returning results; tasks run in one bounded thread pool and
their results come back in task order, whatever order they finish in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from landing_zone.config import LandingZoneConfig

from ..defaults import DEFAULT_ROLE_NAME, DEFAULT_WORKERS
from ..organization import (
    LiveAccount,
    LiveDataError,
    LiveOrganization,
    NotManagementAccount,
    read_organization,
    require_management_account,
)
from ..session import Clients
from ..tasks import Progress, run_tasks
from . import (
    account_settings,
    contacts,
    costs,
    drift,
    governance,
    iam,
    identities,
    organization,
    policies,
    root_access,
    root_user,
    workloads,
)
from .manual import manual_steps
from .model import (
    CHECK_ERRORS,
    OUTCOMES,
    Check,
    CheckResult,
    Outcome,
    Target,
    describe_error,
    errored,
    guarded,
)

log = logging.getLogger(__name__)

MEMBER_CHECKS = (contacts.MEMBER_CONTACTS, iam.MEMBER_USER_KEYS, iam.MEMBER_PASSWORD_POLICY)

Task = tuple[str, Callable[[], list[CheckResult]]]


class AuditError(Exception):
    """The audit cannot start: wrong credentials, or no organization to audit."""


@dataclass(frozen=True)
class AuditOptions:
    role_name: str = DEFAULT_ROLE_NAME
    config: LandingZoneConfig | None = None  # with --stack: drift checks
    regions: tuple[str, ...] | None = None  # None: every enabled region
    max_workers: int = DEFAULT_WORKERS


@dataclass(frozen=True)
class AuditReport:
    organization_id: str
    management_account_id: str
    results: tuple[CheckResult, ...] = field(default_factory=tuple)
    member_account_ids: tuple[str, ...] = ()  # the active member accounts, each checked through its role

    def counts(self) -> dict[Outcome, int]:
        return {outcome: sum(1 for r in self.results if r.outcome == outcome) for outcome in OUTCOMES}

    def examined_members(self) -> tuple[str, ...]:
        """The member accounts at least one check through their role could look into (not all `error`).

        The root credentials check is left out: it looks from the management account, whatever the role.
        """
        from_management = root_access.MEMBER_ROOT_CREDENTIALS.id
        looked = {
            r.target.id
            for r in self.results
            if r.target.kind == "account" and r.outcome != "error" and r.id != from_management
        }
        return tuple(a for a in self.member_account_ids if a in looked)

    def warnings(self) -> list[str]:
        """What the counts hide: member accounts the audit could not look into."""
        total, examined = len(self.member_account_ids), len(self.examined_members())
        if total == 0 or examined == total:
            return []
        if examined == 0:
            return [
                f"WARNING: none of the {total} member accounts could be examined (every member check is an "
                "error: is the role there, and trusted?); this audit says nothing about them. In CI, run "
                "with --fail-on-error."
            ]
        return [f"WARNING: {total - examined} of the {total} member accounts could not be examined."]

    def to_json(self) -> dict[str, object]:
        return {
            "organizationId": self.organization_id,
            "managementAccountId": self.management_account_id,
            "summary": self.counts(),
            "memberAccounts": {
                "active": len(self.member_account_ids),
                "examined": len(self.examined_members()),
            },
            "warnings": self.warnings(),
            "checks": [r.to_json() for r in self.results],
        }


def run_audit(clients: Clients, options: AuditOptions, progress: Progress | None = None) -> AuditReport:
    live = _read_live(clients)
    tasks = _tasks(clients, live, options)
    flat = run_tasks(tasks, options.max_workers, progress) + manual_steps()
    members = tuple(a.id for a in live.member_accounts if a.active)
    return AuditReport(live.id, live.management_account_id, tuple(flat), members)


def _read_live(clients: Clients) -> LiveOrganization:
    try:
        require_management_account(clients, "lz audit")
        return read_organization(clients, with_tags=False, with_policies=False)
    except NotManagementAccount as err:
        raise AuditError(str(err)) from None
    except CHECK_ERRORS as err:
        raise AuditError(f"cannot read the organization: {describe_error(err)}") from None
    except LiveDataError as err:
        raise AuditError(str(err)) from None


def _tasks(clients: Clients, live: LiveOrganization, options: AuditOptions) -> list[Task]:
    management = Target("management", live.management_account_id, _name(live, live.management_account_id))
    org_target = Target("organization", live.id)

    def root_checks() -> list[CheckResult]:
        facts = root_user.RootFacts(clients)
        return [
            guarded(root_user.ROOT_MFA, management, facts),
            guarded(root_user.ROOT_ACCESS_KEYS, management, facts),
        ]

    def one(check: Check, target: Target, *args: object) -> Callable[[], list[CheckResult]]:
        return lambda: [guarded(check, target, *args)]

    tasks: list[Task] = [
        ("management: root user", root_checks),
        ("management: IAM users", one(iam.MANAGEMENT_USER_KEYS, management, clients)),
        ("management: alternate contacts", one(contacts.MANAGEMENT_CONTACTS, management, clients)),
        ("management: console MFA", one(iam.MANAGEMENT_CONSOLE_MFA, management, clients)),
        ("management: password policy", one(iam.MANAGEMENT_PASSWORD_POLICY, management, clients)),
        ("management: workloads", one(workloads.WORKLOADS, management, clients, options.regions)),
    ]
    tasks += [(f"organization: {c.id}", one(c, org_target, clients)) for c in organization.CHECKS]
    trail = governance.ORGANIZATION_TRAIL
    tasks.append((f"organization: {trail.id}", one(trail, org_target, clients, options.config)))
    root_access_facts = root_access.RootAccessFacts(clients)
    tasks.append(("organization: root access", one(root_access.ROOT_ACCESS, org_target, root_access_facts)))
    tasks += [(f"organization: {c.id}", one(c, org_target, clients)) for c in policies.CHECKS]
    tasks += [
        (f"account {a.id} ({a.name})", _member_task(clients, a, options.role_name))
        for a in live.member_accounts
        if a.active
    ]
    # From the management account, in a root session per member (sts:AssumeRoot).
    tasks += [
        (
            f"account {a.id} ({a.name}): root credentials",
            one(
                root_access.MEMBER_ROOT_CREDENTIALS, Target("account", a.id, a.name), root_access_facts, a.id
            ),
        )
        for a in live.member_accounts
        if a.active
    ]
    tasks += [
        ("costs: budgets", one(costs.BUDGETS, management, clients, live.management_account_id)),
        (
            "costs: budget subscribers",
            one(costs.BUDGET_SUBSCRIBERS, management, clients, live.management_account_id),
        ),
        ("costs: anomaly detection", one(costs.ANOMALY_DETECTION, management, clients)),
    ]
    if options.config is not None:
        stack = Target("stack", live.id)
        tasks += [(f"stack: {c.id}", one(c, stack, options.config, live)) for c in drift.CHECKS]
        tasks += [
            (f"stack: {c.id}", one(c, stack, clients, options.config, live))
            for c in (*_settings_checks(options.config), *policies.STACK_CHECKS)
        ]
        check = identities.ADMIN_AND_DAILY
        tasks.append((f"stack: {check.id}", one(check, stack, clients, options.config, live)))
    return tasks


def _settings_checks(config: LandingZoneConfig) -> list[Check]:
    """The stack checks of what the config sets: nothing configured, nothing to compare."""
    checks = []
    structure = config.structure
    resolved = [structure.resolve(a) for a in config.accounts]
    management = structure.resolve_management()
    if management is not None:
        resolved_management = [(management.primary_contact, management.opt_in_regions)]
    else:
        resolved_management = []
    settings = [(r.primary_contact, r.opt_in_regions) for r in resolved] + resolved_management
    if any(contact is not None for contact, _ in settings):
        checks.append(account_settings.PRIMARY_CONTACTS)
    if any(regions for _, regions in settings):
        checks.append(account_settings.OPT_IN_REGIONS)
    if config.delegated_administrators is not None:
        checks.append(governance.DELEGATED_ADMINISTRATORS)
    return checks


def _member_task(clients: Clients, account: LiveAccount, role_name: str) -> Callable[[], list[CheckResult]]:
    target = Target("account", account.id, account.name)

    def run() -> list[CheckResult]:
        try:
            member = clients.for_account(account.id, role_name)
        except CHECK_ERRORS as err:
            message = f"cannot assume {role_name}: {describe_error(err)}"
            return [errored(check, target, message) for check in MEMBER_CHECKS]
        return [guarded(check, target, member) for check in MEMBER_CHECKS]

    return run


def _name(live: LiveOrganization, account_id: str) -> str:
    return next((a.name for a in live.accounts if a.id == account_id), "")


def failed(results: Sequence[CheckResult], errors_fail: bool = False) -> bool:
    """Whether the audit should exit 1: a check failed (or, if asked, could not run).

    No member account examined does not fail by itself: those are `error` results like any
    check that could not run, and `errors_fail` (--fail-on-error, the setting for CI) is what
    makes them fail; exit 1 alone keeps meaning "something is wrong in the organization". The
    report says it loudly instead (`AuditReport.warnings`).
    """
    bad = ("fail", "error") if errors_fail else ("fail",)
    return any(r.outcome in bad for r in results)
