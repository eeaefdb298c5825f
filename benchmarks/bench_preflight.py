"""`lz preflight` against a moto server holding many imported member accounts: wall time and
API calls, per member account and from the management account.

    venv/bin/python -m benchmarks.bench_preflight [N ...]      (default: 20 200)

Calls are counted with the audit benchmark's `CallCounter` (a botocore `before-call` hook on
every client preflight makes). Each member gets the baseline with an alias pattern and no
analyzers (moto has no Access Analyzer; with them, add one ListAnalyzers per governed region).
"""

from __future__ import annotations

import sys
import time

import boto3

from benchmarks.bench_audit import REGION, CallCounter, moto_endpoint
from landing_zone.config import load_from_mapping
from landing_zone.live.preflight import PreflightOptions, run_preflight
from landing_zone.live.session import Clients, retry_config
from tests.live.moto_server import reset
from tests.preflight.planted import plant_members

SIZES = (20, 200)


def measure(url: str, accounts: int) -> dict[str, float]:
    reset(url)
    session = boto3.Session(region_name=REGION)
    config = load_from_mapping(plant_members(session, accounts))
    counter = CallCounter()
    counter.install()
    try:
        clients = Clients(session, retry_config(max_attempts=1))
        start = time.perf_counter()
        report = run_preflight(clients, PreflightOptions(stack="bench", config=config, home_region=REGION))
        seconds = time.perf_counter() - start
    finally:
        counter.uninstall()
    if report.counts()["blocked"]:
        raise SystemExit(f"the planted organization should be ready: {report.to_json()}")
    member = [n for label, n in counter.calls.items() if label != "management"]
    assume = counter.operations[("management", "AssumeRole")]
    return {
        "accounts": accounts,
        "seconds": seconds,
        "total": sum(counter.calls.values()),
        "management": counter.calls["management"] - assume,
        "assume": assume,
        "perMemberMin": min(member, default=0),
        "perMemberMax": max(member, default=0),
    }


def main(sizes: tuple[int, ...]) -> None:
    with moto_endpoint() as url:
        rows = [measure(url, n) for n in sizes]
    columns = [
        "member accounts",
        "wall s",
        "calls",
        "organization calls",
        "AssumeRole",
        "calls in each member",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    for r in rows:
        print(
            f"| {r['accounts']} | {r['seconds']:.1f} | {r['total']} | {r['management']} | {r['assume']} | "
            f"{r['perMemberMin']}-{r['perMemberMax']} |"
        )


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
