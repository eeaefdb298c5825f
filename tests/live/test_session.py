"""Clients for the live organization: adaptive retries, and ids checked before use."""

from __future__ import annotations

import argparse

import boto3
import pytest

from landing_zone.cli.aws import clients_from_args
from landing_zone.live.session import Clients


def test_clients_use_adaptive_retries_and_honour_max_attempts(aws_env, monkeypatch):
    args = argparse.Namespace(profile=None, region="eu-west-1", max_attempts=7)
    sts = clients_from_args(args).client("sts")
    assert sts.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 7}
    # Without --max-attempts, botocore's own resolution (AWS_MAX_ATTEMPTS) applies.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "4")
    sts = clients_from_args(argparse.Namespace(profile=None, region=None, max_attempts=None)).client("sts")
    assert sts.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 4}
    assert sts.meta.region_name == "eu-west-1"  # AWS_DEFAULT_REGION


def test_clients_are_made_once_per_service_and_region(aws_env):
    clients = Clients(boto3.Session())
    assert clients.client("iam") is clients.client("iam")
    assert clients.client("ec2", "us-east-1") is not clients.client("ec2", "eu-west-1")


@pytest.mark.parametrize(
    ("account_id", "role", "message"),
    [
        (
            "12345678901",
            "OrganizationAccountAccessRole",
            "'12345678901' is not an AWS account id of 12 digits",
        ),
        (
            "123456789012\n",
            "OrganizationAccountAccessRole",
            "'123456789012\\n' is not an AWS account id of 12 digits",
        ),
        ("123456789012", "bad role", "'bad role' is not an IAM role name"),
    ],
)
def test_member_ids_are_checked_before_any_call(aws_env, account_id, role, message):
    with pytest.raises(ValueError) as raised:
        Clients(boto3.Session()).for_account(account_id, role)
    assert str(raised.value) == message


def test_member_clients_act_in_the_member_account_through_the_shared_session(planted_inprocess):
    session, planted = planted_inprocess
    management = Clients(session)
    member_id = planted.account_ids["production"]
    member = management.for_account(member_id)
    # One boto3 session for every account: its loaded service models are not loaded again.
    assert member.session is management.session
    assert member.account_id == member_id
    assert member.client("sts").get_caller_identity()["Account"] == member_id
    assert management.client("sts").get_caller_identity()["Account"] != member_id
