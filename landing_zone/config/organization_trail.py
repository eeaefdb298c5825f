"""`landing-zone:organizationTrail`: one CloudTrail trail for every account of the organization.

The trail lives in the management account; its logs go to a bucket in the log-archive account,
out of reach of the accounts it records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import StringConstraints

from .base import ConfigModel

if TYPE_CHECKING:
    from .validation import _Checker

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"


class OrganizationTrailConfig(ConfigModel):
    # The member account that owns the log bucket.
    log_archive_account: str = "log-archive"
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][\w.-]{2,127}$")] = "organization-trail"


def check_organization_trail(checker: _Checker) -> None:
    """The log-archive account exists and CloudTrail has trusted access to the organization."""
    config = checker.config
    trail = config.organization_trail
    if trail is None:
        return
    checker.check_account_defined(("organizationTrail", "logArchiveAccount"), trail.log_archive_account)
    if CLOUDTRAIL_PRINCIPAL not in config.organization.aws_service_access_principals:
        checker.report(
            ("organizationTrail",),
            f"an organization trail needs trusted access: add {CLOUDTRAIL_PRINCIPAL} "
            "to organization.awsServiceAccessPrincipals",
        )
