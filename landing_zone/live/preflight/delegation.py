"""Delegated administrators already registered for a service the stack delegates to its own
account: GuardDuty, Security Hub and Access Analyzer take one (registering a second fails),
AWS Config three."""

from __future__ import annotations

from landing_zone import principals

from ..session import paginate
from .model import Check, Preflight, Prerequisite, blocked, ready

# How many delegated administrators a service takes: GuardDuty ("only one delegated
# administrator account", GuardDuty User Guide, "Managing GuardDuty accounts with AWS
# Organizations"), Security Hub (one, Security Hub User Guide, "Designating a delegated
# administrator"), IAM Access Analyzer (one, IAM User Guide, "Delegated administrator for Access
# Analyzer"); AWS Config "up to 3" (Config API reference, PutOrganizationConfigRule).
MAX_DELEGATED: dict[str, int] = {"config": 3}
# How to remove another account's delegation: GuardDuty and Security Hub through their own API
# (it also deregisters the account in Organizations), the others with Organizations'.
DISABLE_ADMIN = (
    "aws {service} disable-organization-admin-account --admin-account-id {account} (in each region)"
)
REMOVE_COMMANDS = {"guardduty": DISABLE_ADMIN, "securityhub": DISABLE_ADMIN}
DEREGISTER = (
    "aws organizations deregister-delegated-administrator "
    "--account-id {account} --service-principal {principal}"
)


def delegated_administrators(preflight: Preflight) -> list[Prerequisite]:
    delegated = preflight.config.delegated_administrators
    if delegated is None:
        return []
    org = preflight.clients.client("organizations")
    # One call for every service, then one per administrator (a handful): the per-service
    # filter is refused for principals some endpoints do not know.
    admins = [a["Id"] for a in paginate(org, "list_delegated_administrators", "DelegatedAdministrators")]
    registered: dict[str, list[str]] = {}
    for account_id in admins:
        for service in paginate(
            org, "list_delegated_services_for_account", "DelegatedServices", AccountId=account_id
        ):
            registered.setdefault(service["ServicePrincipal"], []).append(account_id)
    ours = preflight.config.structure.account_import_ids.get(delegated.account)
    names = {account.id: account.name for account in preflight.live.accounts}
    results = []
    for service in delegated.services:
        principal = principals.DELEGATED_SERVICES[service]
        others = [a for a in registered.get(principal, []) if a != ours]
        limit = MAX_DELEGATED.get(service, 1)
        subject = principal
        if others and len(others) + 1 > limit:
            first = others[0]
            command = REMOVE_COMMANDS.get(service, DEREGISTER)
            command = command.format(service=service, account=first, principal=principal)
            results.append(
                blocked(
                    "delegated-administrators",
                    subject,
                    f"already delegated to account {first} ({names.get(first, 'not in the organization')}); "
                    f"AWS allows {limit}",
                    f"{command}, or set delegatedAdministrators.account to that account's name",
                )
            )
        elif others:
            results.append(
                ready(
                    "delegated-administrators",
                    subject,
                    f"also delegated to {', '.join(others)}; AWS allows {limit}",
                )
            )
        else:
            state = "registered" if ours in registered.get(principal, []) else "not delegated yet"
            results.append(ready("delegated-administrators", subject, f"{state} ({delegated.account})"))
    return results


CHECKS = (Check("delegated-administrators", delegated_administrators, "delegated administrators"),)
