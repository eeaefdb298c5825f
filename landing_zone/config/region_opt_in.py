"""Which regions are opt-in: the one home of that rule.

AWS: "Regions launched before March 20, 2019 are enabled by default ... Default Regions cannot be
enabled or disabled"; every region launched since is an opt-in region, disabled until enabled
(https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html). The default
list is closed for ever, so a region is opt-in exactly when it is not one of them; a test pins the
list to botocore's endpoint data (every default region is a region of the aws partition).
"""

from __future__ import annotations

DEFAULT_REGIONS: frozenset[str] = frozenset(
    {
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "ca-central-1",
        "sa-east-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-southeast-1",
        "ap-southeast-2",
    }
)


def is_opt_in_region(region: str) -> bool:
    """Whether `region` (a commercial region code) is disabled until an account enables it."""
    return region not in DEFAULT_REGIONS
