"""IAM's semantics as the pack reads them, table by table: actions, conditions, MFA, principals,
coverage and admin equivalence (policy/lz_policies/iam_semantics.py)."""

from __future__ import annotations

import pytest

from tests.policy_builders import PACK_DIR  # noqa: F401 - puts the pack on sys.path
from tests.test_shared_rules import ADMIN_STATEMENTS

from lz_policies import iam_semantics as iam  # isort: skip

# --- actions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "included", "excluded"),
    [
        ("sts:Assume*", ["sts:assumerole", "sts:assumerolewithsaml"], ["sts:getsessiontoken"]),
        ("STS:ASSUMEROLE", ["sts:assumerole"], ["sts:assumerolewithsaml"]),
        ("s3:Get?bject", ["s3:getobject"], ["s3:getobjectacl"]),
        ("iam:*", ["iam:attachrolepolicy", "iam:createuser"], ["sts:assumerole"]),
        ("*", ["ec2:runinstances", "sts:assumerole"], []),
        ("s3:GetObjekt", [], ["s3:getobject"]),
    ],
)
def test_action_patterns_name_documented_actions(pattern, included, excluded):
    matched = iam.actions_matching(pattern)
    assert set(included) <= matched
    assert not set(excluded) & matched


def test_not_action_names_everything_else():
    assert iam.allowed_actions({"NotAction": "*"}) == frozenset()
    leaves = iam.allowed_actions({"NotAction": ["iam:*", "sts:*"]})
    assert "s3:getobject" in leaves and "iam:createuser" not in leaves


# --- conditions ---------------------------------------------------------------------------------

ABSENT: dict = {}
MFA_TRUE = {"aws:multifactorauthpresent": ["true"]}
MFA_FALSE = {"aws:multifactorauthpresent": ["false"]}


@pytest.mark.parametrize(
    ("operator", "key", "values", "context", "expected"),
    [
        ("Bool", "aws:MultiFactorAuthPresent", "true", MFA_TRUE, True),
        ("Bool", "aws:MultiFactorAuthPresent", True, MFA_TRUE, True),  # JSON true is "true"
        ("Bool", "aws:MultiFactorAuthPresent", "true", MFA_FALSE, False),
        ("Bool", "aws:MultiFactorAuthPresent", "true", ABSENT, False),  # long-term keys
        ("BoolIfExists", "aws:MultiFactorAuthPresent", "true", ABSENT, True),
        ("Bool", "aws:MultiFactorAuthPresent", ["true", "false"], MFA_FALSE, True),  # values are ORed
        ("bool", "AWS:MULTIFACTORAUTHPRESENT", "TRUE", MFA_TRUE, True),  # case-insensitive key and value
        ("NumericLessThan", "aws:MultiFactorAuthAge", "3600", {"aws:multifactorauthage": ["60"]}, True),
        ("NumericLessThan", "aws:MultiFactorAuthAge", "3600", {"aws:multifactorauthage": ["7200"]}, False),
        ("NumericLessThan", "aws:MultiFactorAuthAge", "3600", ABSENT, False),
        ("NumericLessThanIfExists", "aws:MultiFactorAuthAge", "3600", ABSENT, True),
        ("NumericGreaterThanEquals", "n", "5", {"n": ["5"]}, True),
        ("Null", "aws:MultiFactorAuthAge", "true", ABSENT, True),
        ("Null", "aws:MultiFactorAuthAge", "false", ABSENT, False),
        ("Null", "aws:MultiFactorAuthAge", "false", {"aws:multifactorauthage": ["1"]}, True),
        ("StringEquals", "sts:ExternalId", "abc", {"sts:externalid": ["abc"]}, True),
        ("StringEquals", "sts:ExternalId", "abc", {"sts:externalid": ["ABC"]}, False),
        ("StringEqualsIgnoreCase", "sts:ExternalId", "abc", {"sts:externalid": ["ABC"]}, True),
        ("StringEquals", "sts:ExternalId", "abc", ABSENT, False),
        ("StringNotEquals", "sts:ExternalId", "abc", ABSENT, True),  # negated: absent key matches
        ("StringNotEquals", "sts:ExternalId", ["abc", "def"], {"sts:externalid": ["def"]}, False),
        (
            "StringLike",
            "aws:PrincipalArn",
            "arn:aws:iam::*:role/ci-?",
            {"aws:principalarn": ["arn:aws:iam::1:role/ci-a"]},
            True,
        ),
        (
            "ArnNotLike",
            "aws:PrincipalArn",
            "arn:aws:iam::*:role/ci",
            {"aws:principalarn": ["arn:aws:iam::1:role/ci"]},
            False,
        ),
        ("IpAddress", "aws:SourceIp", "10.0.0.0/8", {"aws:sourceip": ["10.1.2.3"]}, True),
        ("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", {"aws:sourceip": ["10.1.2.3"]}, False),
        ("ForAnyValue:StringEquals", "aws:TagKeys", ["a", "b"], {"aws:tagkeys": ["c", "b"]}, True),
        ("ForAnyValue:StringEquals", "aws:TagKeys", ["a"], ABSENT, False),
        ("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], {"aws:tagkeys": ["a", "c"]}, False),
        ("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], {"aws:tagkeys": ["a", "b"]}, True),
        ("ForAllValues:StringEquals", "aws:TagKeys", ["a"], ABSENT, True),  # vacuously
        ("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", {"aws:currenttime": ["x"]}, None),
        ("StringEqualsAnything", "k", "v", {"k": ["v"]}, None),
    ],
)
def test_condition_entries(operator, key, values, context, expected):
    assert iam.condition_entry_matches(operator, key, values, context) is expected


def statement(**conditions):
    return {"Effect": "Allow", "Action": "sts:AssumeRole", "Condition": conditions}


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, True),
        ({"Bool": {"aws:MultiFactorAuthPresent": True}}, True),
        ({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, False),  # long-term keys pass
        ({"Bool": {"aws:MultiFactorAuthPresent": ["true", "false"]}}, False),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, True),
        ({"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}, False),
        ({"Null": {"aws:MultiFactorAuthAge": "false"}}, True),
        ({"StringEquals": {"sts:ExternalId": "abc"}}, False),
        ({}, False),
        # Two entries ANDed: the Bool alone already refuses requests without MFA.
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}, "StringLike": {"aws:PrincipalArn": "*"}}, True),
        (
            {"DateGreaterThan": {"aws:MultiFactorAuthAge": "x"}},
            True,
        ),  # absent key: fails whatever the operator
        (
            {"StringEqualsAnything": {"aws:MultiFactorAuthPresent": "true"}},
            False,
        ),  # unknown operator: not credited
    ],
)
def test_requires_mfa(conditions, expected):
    assert iam.requires_mfa(statement(**conditions)) is expected


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}, True),
        ({"Bool": {"aws:MultiFactorAuthPresent": "false"}}, True),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, False),
        (
            {
                "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                "StringEquals": {"aws:RequestedRegion": "x"},
            },
            False,
        ),
        ({}, True),
    ],
)
def test_applies_without_mfa(conditions, expected):
    assert iam.applies_without_mfa(statement(**conditions)) is expected


# --- principals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("*", [("AWS", "*", "anyone", None)]),
        ({"AWS": "*"}, [("AWS", "*", "anyone", None)]),
        ({"AWS": "111122223333"}, [("AWS", "111122223333", "account", "111122223333")]),
        (
            {"AWS": "arn:aws:iam::111122223333:root"},
            [("AWS", "arn:aws:iam::111122223333:root", "account", "111122223333")],
        ),
        (
            {"AWS": ["arn:aws:iam::111122223333:user/bob"]},
            [("AWS", "arn:aws:iam::111122223333:user/bob", "user", "111122223333")],
        ),
        (
            {"AWS": "arn:aws:iam::111122223333:role/ci"},
            [("AWS", "arn:aws:iam::111122223333:role/ci", "role", "111122223333")],
        ),
        (
            {"AWS": "arn:aws:sts::111122223333:assumed-role/ci/s"},
            [("AWS", "arn:aws:sts::111122223333:assumed-role/ci/s", "role", "111122223333")],
        ),
        (
            {"Federated": "arn:aws:iam::111122223333:saml-provider/idp"},
            [("Federated", "arn:aws:iam::111122223333:saml-provider/idp", "other", None)],
        ),
        ({"Service": "lambda.amazonaws.com"}, [("Service", "lambda.amazonaws.com", "other", None)]),
    ],
)
def test_principals(principal, expected):
    found = [
        (kind, value, iam.principal_kind(kind, value), iam.principal_account(value))
        for kind, value in iam.principals({"Principal": principal})
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({"StringEquals": {"aws:PrincipalOrgID": "o-acme"}}, True),
        ({"StringEquals": {"aws:PrincipalAccount": ["111122223333"]}}, True),
        ({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-acme"}}, False),  # a caller in no organization
        ({"StringLike": {"aws:PrincipalOrgID": "*"}}, False),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, False),
    ],
)
def test_restricted_to_named_callers(conditions, expected):
    assert iam.restricted_to_named_callers(statement(**conditions)) is expected


# --- coverage -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement_", "everything", "anywhere"),
    [
        ({"NotAction": ["iam:CreateVirtualMFADevice", "sts:GetSessionToken"], "Resource": "*"}, True, True),
        ({"NotAction": "*", "Resource": "*"}, False, True),
        ({"Action": "*", "Resource": "arn:aws:s3:::logs/*"}, True, False),
        ({"Action": "s3:*", "Resource": "*"}, False, True),
        ({"NotAction": "s3:*", "Resource": "*"}, False, True),
        ({"Action": "*", "NotResource": "arn:aws:s3:::logs/*"}, True, True),
        ({"Action": "*", "NotResource": "*"}, True, False),
    ],
)
def test_coverage(statement_, everything, anywhere):
    assert (iam.covers_every_action(statement_), iam.covers_any_resource(statement_)) == (
        everything,
        anywhere,
    )


# --- admin equivalence --------------------------------------------------------------------------

ADMIN_DOCUMENTS = [
    ({"Effect": "Allow", "Action": "*", "Resource": "*"}, "it allows '*', which includes iam:addusertogroup"),
    (
        {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
        "it allows 'iam:*', which includes iam:addusertogroup",
    ),
    (
        {"Effect": "Allow", "Action": "iam:Put*", "Resource": "arn:*"},
        "it allows 'iam:Put*', which includes iam:putgrouppolicy",
    ),
    (
        {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
        "it allows every action but its NotAction list, which leaves iam:addusertogroup",
    ),
    (
        {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::x"},
        "it allows '*', which includes iam:addusertogroup",
    ),
    ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, None),
    ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::bucket/*"}, None),
    ({"Effect": "Deny", "Action": "*", "Resource": "*"}, None),
    ({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}, None),
]


@pytest.mark.parametrize(("statement_", "expected"), ADMIN_DOCUMENTS)
def test_admin_grant(statement_, expected):
    assert iam.admin_grant({"Statement": [statement_]}) == expected


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        ("arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess"),
        ("arn:aws-us-gov:iam::aws:policy/IAMFullAccess", "IAMFullAccess"),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", None),
        ("arn:aws:iam::111122223333:policy/AdministratorAccess", None),  # a customer's own
    ],
)
def test_admin_managed_policy(arn, expected):
    assert iam.admin_managed_policy(arn) == expected


@pytest.mark.parametrize("statement", ADMIN_STATEMENTS)
def test_admin_reads_escalations_as_the_action_database_expands_them(statement):
    # admin_grant matches patterns against the escalation actions only; the database agrees.
    expected = sorted(iam.allowed_actions(statement) & iam.ESCALATION_ACTIONS)
    assert iam._escalations(statement) == expected
