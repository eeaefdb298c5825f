"""AWS's quotas against the organization after the change: accounts, policies per target,
closures, OU depth."""

from __future__ import annotations

from collections.abc import Sequence

from landing_zone.config.changes import account_changes, closure_quota
from landing_zone.config.organization import MAX_OU_DEPTH
from landing_zone.guardrails.policy_types import POLICY_TYPES

from ..session import paginate
from .model import Check, Preflight, Prerequisite, blocked, ready, unknown

QUOTA_REGION = "us-east-1"  # Organizations' quotas are read in us-east-1 (Organizations quotas page)
# The account quota by its name: "quota codes can change over time", AWS says; names do not.
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
ACCOUNT_QUOTA_NAME = "Default maximum number of accounts"


def accounts_created(preflight: Preflight) -> list[str]:
    """Config accounts the stack creates: not imported, no live account with their email."""
    emails = {account.email.lower() for account in preflight.live.accounts}
    config = preflight.config
    return [
        account.name
        for account in config.structure.live_accounts
        if account.import_id is None and config.email_for(account).lower() not in emails
    ]


def account_quota(preflight: Preflight) -> list[Prerequisite]:
    # Closed accounts count until they are closed for good, invitations too (same page).
    existing, created = len(preflight.live.accounts), len(accounts_created(preflight))
    after = existing + created
    subject = "accounts"
    counted = f"{after} after the change ({existing} in the organization, {created} created)"
    quotas = paginate(
        preflight.clients.client("service-quotas", QUOTA_REGION),
        "list_service_quotas",
        "Quotas",
        ServiceCode="organizations",
    )
    quota = next((q for q in quotas if q.get("QuotaName") == ACCOUNT_QUOTA_NAME), None)
    if quota is None or quota.get("Value") is None:
        return [
            unknown("quota.accounts", subject, f"{counted}; Service Quotas lists no '{ACCOUNT_QUOTA_NAME}'")
        ]
    value = int(quota["Value"])
    if after > value:
        return [
            blocked(
                "quota.accounts",
                subject,
                f"{counted}; the account quota is {value}",
                f"aws service-quotas request-service-quota-increase --region {QUOTA_REGION} --service-code "
                f"organizations --quota-code {quota.get('QuotaCode')} --desired-value {after}",
            )
        ]
    return [ready("quota.accounts", subject, f"{counted}; the account quota is {value}")]


def _targets(preflight: Preflight) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(live target id, policy type) -> (label, the stack's policies of the type on it), for
    targets that exist live: each type has its own quota."""
    config, live = preflight.config, preflight.live
    ou_ids = {unit.path: unit.id for unit in live.organizational_units}
    ou_ids.update({ou.path: ou.import_id for ou in config.organizational_units if ou.import_id})
    account_ids = config.structure.account_import_ids
    targets: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for entry in config.guardrails:
        found = [(live.root_id, "the root")] if entry.root else []
        found += [(ou_ids[path], f"OU '{path}'") for path in entry.organizational_units if path in ou_ids]
        found += [
            (account_ids[name] or "", f"account '{name}'") for name in entry.accounts if account_ids.get(name)
        ]
        for target_id, label in found:
            targets.setdefault((target_id, entry.policy_type), (label, []))[1].append(entry.policy_name)
    return targets


def policies_per_target(preflight: Preflight) -> list[Prerequisite]:
    """Live policies the stack does not manage stay attached, AWS's own (FullAWSAccess,
    RCPFullAWSAccess) among them; each type against its own quota (types without one are not
    counted)."""
    managed = {entry.import_.policy for entry in preflight.config.guardrails if entry.import_}
    results = []
    for (target_id, policy_type), (label, stack_policies) in _targets(preflight).items():
        rules = POLICY_TYPES[policy_type]
        limit = rules.max_attached
        if limit is None:
            continue
        staying = [
            policy
            for policy in preflight.live.policies
            if target_id in policy.targets and policy.id not in managed and policy.type == policy_type
        ]
        total = len(staying) + len(stack_policies)
        subject = f"{label} ({target_id})"
        names = ", ".join([*(p.name for p in staying), *stack_policies])
        included = f", {rules.always_attached} included" if rules.always_attached else ""
        if total > limit:
            others = [p for p in staying if p.name != rules.always_attached] or staying
            commands = "; ".join(
                f"aws organizations detach-policy --policy-id {p.id} --target-id {target_id}" for p in others
            )
            results.append(
                blocked(
                    "quota.policies-per-target",
                    subject,
                    f"would have {total} {rules.plural} ({names}); AWS allows {limit}{included}",
                    f"detach what the stack does not manage ({commands}), or attach fewer guardrails there",
                )
            )
        else:
            # Counted per type: the subject says which when it is not the service control policies'.
            shown_total = f"{total} of {limit}" + (
                "" if policy_type == "SERVICE_CONTROL_POLICY" else f" {rules.plural}"
            )
            results.append(ready("quota.policies-per-target", subject, f"{shown_total} ({names})"))
    return results


def closures(preflight: Preflight) -> list[Prerequisite]:
    """Disposable accounts the change closes (`--previous`: the stack file as deployed), against
    10 % of the members per rolling 30 days (`changes.closure_quota`, which cites CloseAccount)."""
    if preflight.previous is None:
        return []
    closed = account_changes(preflight.previous, preflight.config).closed
    quota = closure_quota(len(preflight.live.member_accounts))
    subject = f"{len(closed)} accounts closed"
    if len(closed) > quota:
        return [
            blocked(
                "quota.closures",
                subject,
                f"{', '.join(closed)}; AWS closes at most {quota} per rolling 30 days",
                f"close at most {quota} in this change: keep {len(closed) - quota} of them in accounts "
                "until a later one",
            )
        ]
    used = f"uses {len(closed)} of the {quota} closures AWS allows per rolling 30 days"
    # Closed accounts stay SUSPENDED (or PENDING_CLOSURE) for 90 days; Organizations does not
    # say when each was closed, so those may still count against the 30-day window.
    recent = [a.name for a in preflight.live.member_accounts if a.status != "ACTIVE"]
    if closed and len(closed) + len(recent) > quota:
        return [
            unknown(
                "quota.closures",
                subject,
                f"{used}, but {len(recent)} accounts closed in the last 90 days are still in the "
                f"organization ({', '.join(sorted(recent))}): those closed in the last 30 days count too",
            )
        ]
    return [ready("quota.closures", subject, used)]


def ou_depth(preflight: Preflight) -> list[Prerequisite]:
    """OU paths in config start at the root: the deepest path is the depth in AWS, which allows
    five levels below the root (Organizations quotas page, "OU maximum nesting in a root")."""
    paths: Sequence[str] = [ou.path for ou in preflight.config.organizational_units]
    deepest = max((len(path.split("/")) for path in paths), default=0)
    return [ready("quota.ou-depth", f"{deepest} levels", f"AWS allows {MAX_OU_DEPTH} below the root")]


CHECKS = (
    Check("quota.accounts", account_quota, "accounts"),
    Check("quota.policies-per-target", policies_per_target, "policies per target"),
    Check("quota.closures", closures, "closures"),
    Check("quota.ou-depth", ou_depth, "OU depth"),
)
