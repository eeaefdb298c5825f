"""The evaluation helper the guardrail tests rely on, against the IAM reference's rules."""

from __future__ import annotations

import parliament
import pytest

from tests.scp_evaluation import arn_like, denies, request

ROLE = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Ops_0123456789abcdef"


@pytest.mark.parametrize(
    ("pattern", "arn", "expected"),
    [
        ("arn:aws:iam::*:role/Ops", "arn:aws:iam::111122223333:role/Ops", True),
        ("arn:aws:iam::*:role/Ops", "arn:aws:iam::111122223333:role/ops", False),  # case-sensitive
        ("arn:aws:iam::*:role/Ops*", "arn:aws:iam::111122223333:role/OpsAdmin", True),
        ("arn:aws:iam::*:role/*", ROLE, True),  # `*` crosses '/' in the resource part
        (
            "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Ops_????????????????",
            ROLE,
            True,
        ),
        (
            "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Ops_???????????????",
            ROLE,
            False,
        ),
        (
            "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_????????????????",
            ROLE,
            False,
        ),
        ("arn:aws:iam::*:*", "arn:aws:iam::111122223333:role/Ops", True),
        ("arn:aws:*", "arn:aws:iam::111122223333:role/Ops", False),  # `*` stays within its part
        ("arn:aws:iam::1111222233?3:role/Ops", "arn:aws:iam::111122223333:role/Ops", True),
    ],
)
def test_arn_like_matches_each_part_with_wildcards(pattern, arn, expected):
    assert arn_like(pattern, arn) is expected


DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyStopping",
            "Effect": "Deny",
            "Action": ["cloudtrail:StopLogging", "config:Delete*"],
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalARN": ["arn:aws:iam::*:role/Ops"]}},
        },
        {
            "Sid": "DenyOutsideRegions",
            "Effect": "Deny",
            "NotAction": ["iam:*"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}},
        },
    ],
}


@pytest.mark.parametrize(
    ("action", "context", "expected"),
    [
        ("cloudtrail:StopLogging", request("arn:aws:iam::111122223333:role/Dev"), True),
        ("CloudTrail:stoplogging", request("arn:aws:iam::111122223333:role/Dev"), True),  # actions: any case
        ("cloudtrail:StopLogging", request("arn:aws:iam::111122223333:role/Ops"), False),
        ("config:DeleteDeliveryChannel", request("arn:aws:iam::111122223333:role/Dev"), True),  # expanded
        ("config:PutDeliveryChannel", request("arn:aws:iam::111122223333:role/Dev"), False),
        ("s3:ListBucket", request("arn:aws:iam::111122223333:role/Ops", "us-east-1"), True),  # NotAction
        ("iam:CreateRole", request("arn:aws:iam::111122223333:role/Ops", "us-east-1"), False),
        ("cloudtrail:StopLogging", {}, True),  # a negated operator holds when the key is absent
    ],
)
def test_denies_follows_actions_and_conditions(action, context, expected):
    assert denies(DOCUMENT, action, context) is expected


def test_an_unknown_action_or_operator_raises_rather_than_allowing():
    with pytest.raises(parliament.UnknownActionException):
        denies(DOCUMENT, "cloudtrail:StopLoging", request(ROLE))
    document = {
        "Statement": [
            {"Effect": "Deny", "Action": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}
        ]
    }
    with pytest.raises(NotImplementedError, match="IpAddress"):
        denies(document, "s3:ListBucket", request(ROLE))
