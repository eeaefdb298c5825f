"""Waiting for a new account's access role: retried while AWS says it is not there yet, bounded."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from landing_zone.live.access_role import AccessRoleNotReady, Clock, wait_until_assumable

ROLE = "arn:aws:iam::123456789012:role/OrganizationAccountAccessRole"
CREDENTIALS = {
    "Credentials": {
        "AccessKeyId": "ASIAEXAMPLEEXAMPLE12",
        "SecretAccessKey": "secret" * 5,
        "SessionToken": "token",
        "Expiration": "2026-11-30T12:00:00Z",
    }
}
EXPECTED = {"RoleArn": ROLE, "RoleSessionName": "landing-zone-ready", "DurationSeconds": 900}


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> Clock:
        return Clock(now=lambda: self.t, sleep=self._sleep)

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


@pytest.fixture
def sts():
    client = boto3.client(
        "sts", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        yield client, stubber


def test_a_role_that_appears_after_a_while_is_waited_for_with_growing_delays(sts):
    client, stubber = sts
    for _ in range(3):
        stubber.add_client_error("assume_role", "AccessDenied", expected_params=EXPECTED)
    stubber.add_response("assume_role", CREDENTIALS, EXPECTED)
    fake = FakeClock()
    assert wait_until_assumable(client, ROLE, clock=fake.clock()) == 4
    assert fake.sleeps == [5.0, 10.0, 20.0]
    stubber.assert_no_pending_responses()


def test_giving_up_says_what_to_do(sts):
    client, stubber = sts
    for _ in range(10):
        stubber.add_client_error("assume_role", "AccessDenied", expected_params=EXPECTED)
    fake = FakeClock()
    with pytest.raises(AccessRoleNotReady) as raised:
        wait_until_assumable(client, ROLE, timeout_seconds=60, clock=fake.clock())
    assert str(raised.value) == (
        f"{ROLE} could not be assumed for 60 seconds (5 attempts; last answer: AccessDenied). "
        "A new account can take a few minutes to be ready: run `pulumi up` again. If it persists, "
        "check that the role exists in the account and trusts the management account (accounts[].roleName)."
    )
    assert sum(fake.sleeps) == 60  # never sleeps past the deadline


def test_other_errors_are_not_retried(sts):
    client, stubber = sts
    stubber.add_client_error("assume_role", "MalformedPolicyDocument", expected_params=EXPECTED)
    with pytest.raises(ClientError):
        wait_until_assumable(client, ROLE, clock=FakeClock().clock())
