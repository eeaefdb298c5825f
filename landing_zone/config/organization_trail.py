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

# CloudTrail's CreateTrail Name: 3-128 ASCII letters, digits, '.', '_' and '-', a letter or digit
# at both ends, never two of '._-' in a row, not an IP address.
# https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
TRAIL_NAME = Matching(
    r"(?!\d+\.\d+\.\d+\.\d+$)(?!.*[._-][._-])[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]",
    "a trail name of 3 to 128 letters, digits, '.', '_' and '-', starting and ending with a letter "
    "or digit, without two of '.', '_', '-' in a row, not an IP address",
)
TrailName = Annotated[str, TRAIL_NAME]
# Amazon S3 User Guide, "General purpose bucket naming rules": 3-63 lowercase letters, digits,
# '.' and '-', a letter or digit at both ends, no '..', not an IP address, none of the reserved
# prefixes (xn--, sthree-, amzn-s3-demo-) and suffixes (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
BUCKET_NAME = Matching(
    r"(?!xn--|sthree-|amzn-s3-demo-)(?!.*(?:-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$)"
    r"(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
    "an S3 bucket name of 3 to 63 lowercase letters, digits, '.' and '-' that AWS does not reserve "
    "(no xn--, sthree- or amzn-s3-demo- prefix, no -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3 suffix)",
)
# Any account id gives a bucket name of the same validity: names are checked with this one.
SAMPLE_ACCOUNT_ID = "123456789012"


class OrganizationTrailConfig(ConfigModel):
    # The member account that owns the log bucket.
    log_archive_account: str = "log-archive"
    name: TrailName = "organization-trail"


def trail_bucket_name(org_name: str, log_archive_account_id: str) -> str:
    """The log bucket's name: bucket names are unique across AWS, the account id makes it ours."""
    return f"{org_name}-cloudtrail-{log_archive_account_id}"


# Checks: `checker` reports under `organizationTrail`.


def check_organization_trail(
    trail: OrganizationTrailConfig, structure: OrganizationStructure, checker: Checker
) -> None:
    """The log-archive account exists, CloudTrail has trusted access to the organization, and
    the organization's code gives a valid bucket name."""
    checker.account_defined(("logArchiveAccount",), trail.log_archive_account)
    org_name = structure.organization.name
    if not BUCKET_NAME.matches(trail_bucket_name(org_name, SAMPLE_ACCOUNT_ID)):
        checker.at("organization", "name").report(
            (),
            f"'{org_name}' gives the organization trail's bucket name "
            f"'{trail_bucket_name(org_name, '<log-archive id>')}', which is not {BUCKET_NAME.words}",
        )
    if principals.CLOUDTRAIL not in structure.organization.aws_service_access_principals:
        checker.report(
            (),
            f"an organization trail needs trusted access: add {principals.CLOUDTRAIL} "
            "to organization.awsServiceAccessPrincipals",
        )
