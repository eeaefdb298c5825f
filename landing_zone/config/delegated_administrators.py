"""`landing-zone:delegatedAdministrators`: security services administered from the audit account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from .base import ConfigModel

if TYPE_CHECKING:
    from .validation import _Checker

DelegatedService = Literal["guardduty", "securityhub", "access-analyzer", "config"]
SERVICE_PRINCIPALS: dict[str, str] = {
    "guardduty": "guardduty.amazonaws.com",
    "securityhub": "securityhub.amazonaws.com",
    "access-analyzer": "access-analyzer.amazonaws.com",
    "config": "config.amazonaws.com",
}


class DelegatedAdministratorsConfig(ConfigModel):
    account: str = "audit"
    services: tuple[DelegatedService, ...]


def check_delegated_administrators(checker: _Checker) -> None:
    """The account exists; each service is listed once and has trusted access."""
    config = checker.config
    delegated = config.delegated_administrators
    if delegated is None:
        return
    checker.check_account_defined(("delegatedAdministrators", "account"), delegated.account)
    if not delegated.services:
        checker.report(("delegatedAdministrators", "services"), "must list at least one service")
    seen: set[str] = set()
    for index, service in enumerate(delegated.services):
        key = ("delegatedAdministrators", "services", index)
        if service in seen:
            checker.report(key, f"'{service}' is listed twice")
            continue
        seen.add(service)
        principal = SERVICE_PRINCIPALS[service]
        if principal not in config.organization.aws_service_access_principals:
            checker.report(
                key,
                f"'{service}' needs trusted access: "
                f"add {principal} to organization.awsServiceAccessPrincipals",
            )
