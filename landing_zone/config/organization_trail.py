"""`landing-zone:organizationTrail`: one CloudTrail trail for every account of the organization.

The trail lives in the management account; its logs go to a bucket in the log-archive account,
out of reach of the accounts it records.
"""

from __future__ import annotations

from typing import Annotated

from landing_zone import principals

from .base import ConfigModel, Matching
from .checker import Checker
from .organization import OrganizationStructure

TrailName = Annotated[
    str,
    Matching(
        r"[A-Za-z0-9][\w.-]{2,127}",
        "a trail name of 3 to 128 letters, digits, '.', '_' and '-', starting with a letter or digit",
    ),
]


class OrganizationTrailConfig(ConfigModel):
    # The member account that owns the log bucket.
    log_archive_account: str = "log-archive"
    name: TrailName = "organization-trail"


# Checks: `checker` reports under `organizationTrail`.


def check_organization_trail(
    trail: OrganizationTrailConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    """The log-archive account exists and CloudTrail has trusted access to the organization."""
    checker.account_defined(("logArchiveAccount",), trail.log_archive_account)
    if principals.CLOUDTRAIL not in structure.organization.aws_service_access_principals:
        checker.report(
            (),
            f"an organization trail needs trusted access: add {principals.CLOUDTRAIL} "
            "to organization.awsServiceAccessPrincipals",
        )
