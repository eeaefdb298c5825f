"""`landing-zone:delegatedAdministrators`: security services administered from the audit account."""

from __future__ import annotations

from typing import Literal

from landing_zone import principals

from .base import ConfigModel
from .checker import Checker, repeats
from .organization import OrganizationStructure

DelegatedService = Literal["guardduty", "securityhub", "access-analyzer", "config"]


class DelegatedAdministratorsConfig(ConfigModel):
    account: str = "audit"
    services: tuple[DelegatedService, ...]


# Checks: `checker` reports under `delegatedAdministrators`.


def check_delegated_administrators(
    delegated: DelegatedAdministratorsConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    """The account exists; each service is listed once and has trusted access."""
    checker.account_defined(("account",), delegated.account)
    if not delegated.services:
        checker.report(("services",), "must list at least one service")
    repeated = {index for index, _ in repeats(delegated.services)}
    for index, service in enumerate(delegated.services):
        if index in repeated:
            checker.report(("services", index), f"'{service}' is listed twice")
            continue
        principal = principals.DELEGATED_SERVICES[service]
        if principal not in structure.organization.aws_service_access_principals:
            checker.report(
                ("services", index),
                f"'{service}' needs trusted access: "
                f"add {principal} to organization.awsServiceAccessPrincipals",
            )
