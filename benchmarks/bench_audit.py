"""`lz audit` against a moto server holding many member accounts: wall time and API calls.

    venv/bin/python -m benchmarks.bench_audit [N ...]      (default: 50 100 200)

Every AWS call is counted with a botocore event hook (`before-call`) on every session the
audit makes, the management account's and each member's. Prints a Markdown table: wall
time, calls in total, calls per member account, and the management session's calls.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import Counter
from typing import Any

import boto3

from landing_zone.live.audit import AuditOptions, run_audit
from landing_zone.live.session import Clients, retry_config
from tests.live.moto_server import moto_server, reset

REGION = "eu-west-1"
SIZES = (50, 100, 200)


class CallCounter:
    """Counts API calls per session label through botocore's `before-call` event."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._original_init = boto3.Session.__init__

    def install(self) -> None:
        counter = self

        def init(session: boto3.Session, *args: Any, **kwargs: Any) -> None:
            counter._original_init(session, *args, **kwargs)
            # The management session has long-lived (fake) keys; members have session tokens.
            label = "member" if kwargs.get("aws_session_token") else "management"
            label = f"{label}:{id(session)}"
            session.events.register("before-call", lambda **_: counter.count(label))

        boto3.Session.__init__ = init  # type: ignore[method-assign]

    def count(self, label: str) -> None:
        with self._lock:
            self.calls[label] += 1


def _plant(accounts: int) -> None:
    org = boto3.Session(region_name=REGION).client("organizations")
    org.create_organization(FeatureSet="ALL")
    for index in range(accounts):
        org.create_account(Email=f"aws-scale+acct{index:04d}@scale-corp.io", AccountName=f"acct{index:04d}")


def measure(url: str, accounts: int) -> dict[str, float]:
    reset(url)
    _plant(accounts)
    counter = CallCounter()
    counter.install()
    try:
        clients = Clients(boto3.Session(region_name=REGION), retry_config(max_attempts=1))
        start = time.perf_counter()
        run_audit(clients, AuditOptions(regions=(REGION,)))
        seconds = time.perf_counter() - start
    finally:
        boto3.Session.__init__ = counter._original_init  # type: ignore[method-assign]
    member = [n for label, n in counter.calls.items() if label.startswith("member")]
    management = sum(n for label, n in counter.calls.items() if label.startswith("management"))
    return {
        "accounts": accounts,
        "seconds": seconds,
        "total": sum(counter.calls.values()),
        "management": management,
        "memberSessions": len(member),
        "perMemberMin": min(member, default=0),
        "perMemberMax": max(member, default=0),
    }


def main(sizes: tuple[int, ...]) -> None:
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_MAX_ATTEMPTS="1",
    )
    os.environ.pop("AWS_PROFILE", None)
    with moto_server() as url:
        os.environ["AWS_ENDPOINT_URL"] = url
        rows = [measure(url, n) for n in sizes]
    columns = ["member accounts", "wall s", "calls", "calls / account", "management calls"]
    columns += ["member sessions", "calls per member session"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    for r in rows:
        print(
            f"| {r['accounts']} | {r['seconds']:.1f} | {r['total']} | {r['total'] / r['accounts']:.1f} | "
            f"{r['management']} | {r['memberSessions']} | {r['perMemberMin']}-{r['perMemberMax']} |"
        )


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
