"""`lz audit` against a moto server holding many member accounts: wall time and API calls.

    venv/bin/python -m benchmarks.bench_audit [N ...]      (default: 50 100 200)

Every AWS call is counted with a botocore event hook (`before-call`) on every client the
audit makes, by account: the management account's and each member's. Prints a Markdown table: wall
time, the audit's own CPU time (the rest is the moto server), calls in total, calls per
member account, and the management session's calls.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3

from landing_zone.live.audit import AuditOptions, run_audit
from landing_zone.live.session import Clients, retry_config
from tests.live.moto_server import moto_server, reset

REGION = "eu-west-1"
SIZES = (50, 100, 200)


class CallCounter:
    """Counts API calls per account: a botocore `before-call` hook on every client the audit makes."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.operations: Counter[tuple[str, str]] = Counter()  # (account label, operation name)
        self._lock = threading.Lock()
        self._original_client = Clients.client

    def install(self) -> None:
        counter, original = self, self._original_client

        def client(clients: Clients, service: str, region: str | None = None) -> Any:
            made = original(clients, service, region)
            label = clients.account_id or "management"
            handler = functools.partial(counter.count, label)
            # unique_id: one hook per client, however often the client is handed out.
            made.meta.events.register("before-call", handler, unique_id=f"lz-bench-{id(made)}")
            return made

        Clients.client = client  # type: ignore[method-assign]

    def uninstall(self) -> None:
        Clients.client = self._original_client  # type: ignore[method-assign]

    def count(self, label: str, model: Any = None, **_: Any) -> None:
        with self._lock:
            self.calls[label] += 1
            self.operations[(label, getattr(model, "name", "?"))] += 1


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
        start, start_cpu = time.perf_counter(), time.process_time()
        run_audit(clients, AuditOptions(regions=(REGION,)))
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    finally:
        counter.uninstall()
    member = [n for label, n in counter.calls.items() if label != "management"]
    management = counter.calls["management"]
    return {
        "accounts": accounts,
        "seconds": seconds,
        "cpu": cpu,
        "total": sum(counter.calls.values()),
        "management": management,
        "membersEntered": len(member),
        "perMemberMin": min(member, default=0),
        "perMemberMax": max(member, default=0),
    }


@contextlib.contextmanager
def moto_endpoint() -> Iterator[str]:
    """A moto server every boto3 client of this process talks to, with dummy credentials."""
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_MAX_ATTEMPTS="1",
    )
    os.environ.pop("AWS_PROFILE", None)
    with moto_server() as url:
        os.environ["AWS_ENDPOINT_URL"] = url
        yield url


def main(sizes: tuple[int, ...]) -> None:
    with moto_endpoint() as url:
        rows = [measure(url, n) for n in sizes]
    columns = ["member accounts", "wall s", "lz CPU s", "calls", "calls / account", "management calls"]
    columns += ["member accounts entered", "calls per member account"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    for r in rows:
        print(
            f"| {r['accounts']} | {r['seconds']:.1f} | {r['cpu']:.1f} | {r['total']} | "
            f"{r['total'] / r['accounts']:.1f} | "
            f"{r['management']} | {r['membersEntered']} | {r['perMemberMin']}-{r['perMemberMax']} |"
        )


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
