"""Waiting until a new member account's access role can be assumed.

CreateAccount reports success before the account's `OrganizationAccountAccessRole` can be
assumed: IAM and STS are eventually consistent ("changes are not always immediately visible",
https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency),
and a provider that assumes the role at once fails now and then on a new account's first
`pulumi up`. This polls AssumeRole, bounded, and says clearly when it gives up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

log = logging.getLogger(__name__)

SESSION_NAME = "landing-zone-ready"
DEFAULT_TIMEOUT_SECONDS = 600
FIRST_DELAY_SECONDS = 5.0
MAX_DELAY_SECONDS = 30.0
# What AssumeRole answers while the role is not there yet (or not yet trusted everywhere).
NOT_YET = frozenset(
    {"AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "RegionDisabledException"}
)


class AccessRoleNotReady(Exception):
    """The role could not be assumed within the time allowed."""


@dataclass(frozen=True)
class Clock:
    """Time, as the wait sees it (tests pass their own)."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def wait_until_assumable(
    sts: Any,
    role_arn: str,
    *,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    clock: Clock | None = None,
) -> int:
    """Assume `role_arn` until it works; the number of attempts it took.

    Retries only the answers a role that is still appearing gives; anything else (throttling
    is botocore's business, a malformed ARN is ours) is raised at once.
    """
    clock = clock or Clock()
    deadline = clock.now() + timeout_seconds
    delay = FIRST_DELAY_SECONDS
    attempts = 0
    while True:
        attempts += 1
        try:
            sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME, DurationSeconds=900)
            return attempts
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code", "")
            if code not in NOT_YET:
                raise
            remaining = deadline - clock.now()
            if remaining <= 0:
                raise AccessRoleNotReady(
                    f"{role_arn} could not be assumed for {timeout_seconds:.0f} seconds "
                    f"({attempts} attempts; last answer: {code}). A new account can take a few "
                    "minutes to be ready: run `pulumi up` again. If it persists, check that the "
                    "role exists in the account and trusts the management account (accounts[].roleName)."
                ) from None
            log.info("%s not assumable yet (%s); next attempt in %.0f s", role_arn, code, delay)
            clock.sleep(min(delay, remaining))
            delay = min(delay * 2, MAX_DELAY_SECONDS)
