"""The AWS service principals the landing zone gives trusted access to the organization.

One home for these strings: config defaults and checks, components, the mock organization
and `lz audit` all read them here.
"""

from __future__ import annotations

ACCOUNT = "account.amazonaws.com"  # alternate contacts of member accounts
IDENTITY_CENTER = "sso.amazonaws.com"
CLOUDTRAIL = "cloudtrail.amazonaws.com"  # the organization trail
GUARDDUTY = "guardduty.amazonaws.com"
SECURITY_HUB = "securityhub.amazonaws.com"
ACCESS_ANALYZER = "access-analyzer.amazonaws.com"
CONFIG = "config.amazonaws.com"
IAM = "iam.amazonaws.com"  # centralized root access management of member accounts
# Inspector policies (INSPECTOR_POLICY) are enabled only with its trusted access.
INSPECTOR = "inspector2.amazonaws.com"

# Delegated administration: the config's service name -> its principal.
DELEGATED_SERVICES: dict[str, str] = {
    "guardduty": GUARDDUTY,
    "securityhub": SECURITY_HUB,
    "access-analyzer": ACCESS_ANALYZER,
    "config": CONFIG,
}
