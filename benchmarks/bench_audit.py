"""`lz audit` against a moto server holding many member accounts: time, CPU and API calls.

    venv/bin/python -m benchmarks.bench_audit [N ...]      (default: 100 200 1000 2000)

Every AWS call is counted with a botocore event hook (`before-call`) on every client the
audit makes, by account: the management account's and each member's. Prints a Markdown table:
the time to plant the accounts, the audit's wall time, its own CPU time and the moto server's
(a separate process), calls in total, calls from the management account (one AssumeRole and one
AssumeRoot per member, the rest organization-wide), the calls in each member account (min-max)
and whether every member account saw the same operations, the same number of times.

moto has no `sts:AssumeRoot`, no `iam:ListOrganizationsFeatures` and no root user, so without
help the root-credentials check would stop at its first call. `RootAccessStandIn` answers what
moto lacks in the client, after the call is counted, so the check makes every call it makes
against AWS; see its docstring for what reaches the server.

moto finds the caller's account by scanning every account on every request
(`moto.iam.models.get_account_id_from`): its CPU per call grows with N (10 ms at 1,000
accounts, 15 ms at 2,000), so 5,000 would take most of an hour on a shared machine (planting
alone had not finished after 12 minutes); 2,000 take 12 minutes. Compare the audit's own CPU
time per account across sizes, not the wall time.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from landing_zone.config.account_settings import ROOT_ACCESS_FEATURES
from landing_zone.live.audit import AuditOptions, run_audit
from landing_zone.live.session import Clients, retry_config
from tests.live.moto_server import moto_server, reset

REGION = "eu-west-1"
SIZES = (100, 200, 1000, 2000)
# The root user's own credentials, listed in a root session (no UserName: the caller's).
ROOT_LISTINGS = {
    "ListAccessKeys": {"AccessKeyMetadata": []},
    "ListMFADevices": {"MFADevices": []},
    "ListSigningCertificates": {"Certificates": []},
}


class CallCounter:
    """Counts API calls per account: a botocore `before-call` hook on every client the audit makes.

    `stand_in`, if given, is registered after the count on every client: it may answer a call
    in place of the server (the call is counted all the same).
    """

    def __init__(self, stand_in: RootAccessStandIn | None = None) -> None:
        self.calls: Counter[str] = Counter()
        self.operations: Counter[tuple[str, str]] = Counter()  # (account label, operation name)
        self._lock = threading.Lock()
        self._original_client = Clients.client
        self._stand_in = stand_in

    def install(self) -> None:
        counter, original = self, self._original_client

        def client(clients: Clients, service: str, region: str | None = None) -> Any:
            made = original(clients, service, region)
            label = clients.account_id or "management"
            handler = functools.partial(counter.count, label)
            # unique_id: one hook per client, however often the client is handed out.
            made.meta.events.register("before-call", handler, unique_id=f"lz-bench-{id(made)}")
            if counter._stand_in is not None:
                made.meta.events.register(
                    "before-call", counter._stand_in.answer, unique_id=f"lz-bench-stand-in-{id(made)}"
                )
            return made

        Clients.client = client  # type: ignore[method-assign]

    def uninstall(self) -> None:
        Clients.client = self._original_client  # type: ignore[method-assign]

    def count(self, label: str, model: Any = None, **_: Any) -> None:
        with self._lock:
            self.calls[label] += 1
            self.operations[(label, getattr(model, "name", "?"))] += 1


class RootAccessStandIn:
    """Answers, in the client, the calls of centralized root access that moto does not have.

    - `iam:ListOrganizationsFeatures`: both features on (answered here, once per audit);
    - `sts:AssumeRoot`: forwarded to the server as `AssumeRole` into the member account, so the
      server does the work of issuing credentials and the root session's calls reach that account;
    - the root user's `ListAccessKeys`, `ListMFADevices`, `ListSigningCertificates` (no UserName):
      empty (moto has no root user; it would look for the session's access key as a user's).
    `GetLoginProfile` without UserName reaches moto, which answers NoSuchEntity: no root password.
    """

    def __init__(self) -> None:
        self._sts = boto3.Session(region_name=REGION).client("sts")  # not counted: the audit's is

    def answer(self, model: Any = None, params: Any = None, **_: Any) -> tuple[AWSResponse, dict] | None:
        """(http response, parsed answer) in place of the request, or None to send it: botocore's
        `_make_api_call` takes the first `before-call` handler's answer instead of sending
        (`emit_until_response`). STS and IAM are query APIs: `params["body"]` is a dict."""
        name = getattr(model, "name", "")
        body = params.get("body") if isinstance(params, dict) else None
        if name == "ListOrganizationsFeatures":
            return _ok({"EnabledFeatures": list(ROOT_ACCESS_FEATURES)})
        if name == "AssumeRoot":
            target = body["TargetPrincipal"]
            role = f"arn:aws:iam::{target}:role/lz-bench-root"
            credentials = self._sts.assume_role(RoleArn=role, RoleSessionName="lz-bench-root")["Credentials"]
            return _ok({"Credentials": credentials})
        if name in ROOT_LISTINGS and isinstance(body, dict) and "UserName" not in body:
            return _ok(ROOT_LISTINGS[name])
        return None


def _ok(parsed: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
    return AWSResponse("http://lz-bench.invalid", 200, {}, None), {"ResponseMetadata": {}, **parsed}


def _server_pids() -> list[str]:
    """This process's children: the moto server (Linux /proc)."""
    pids: list[str] = []
    for children in Path("/proc/self/task").glob("*/children"):
        pids += children.read_text().split()
    return pids


def _server_cpu() -> float:
    """CPU seconds (user + system) the moto server has used so far."""
    total = 0
    for pid in _server_pids():
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def _server_peak_mb() -> float:
    """The moto server's peak resident memory so far (VmHWM), in MiB."""
    peak = 0
    for pid in _server_pids():
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            peak += int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return peak / 1024


def _plant(accounts: int) -> None:
    org = boto3.Session(region_name=REGION).client("organizations")
    org.create_organization(FeatureSet="ALL")
    start = time.perf_counter()
    for index in range(accounts):
        org.create_account(Email=f"aws-scale+acct{index:05d}@scale-corp.io", AccountName=f"acct{index:05d}")
        if (index + 1) % 500 == 0:  # moto slows down as accounts pile up: show how
            print(f"planted {index + 1} accounts: {time.perf_counter() - start:.0f} s", file=sys.stderr)


def measure(url: str, accounts: int) -> dict[str, Any]:
    reset(url)
    start = time.perf_counter()
    _plant(accounts)
    plant_seconds = time.perf_counter() - start
    counter = CallCounter(RootAccessStandIn())
    counter.install()
    try:
        clients = Clients(boto3.Session(region_name=REGION), retry_config(max_attempts=1))
        start, start_cpu, start_server = time.perf_counter(), time.process_time(), _server_cpu()
        report = run_audit(clients, AuditOptions(regions=(REGION,)))
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        server_cpu = _server_cpu() - start_server
    finally:
        counter.uninstall()
    errors = [r for r in report.results if r.target.kind == "account" and r.outcome == "error"]
    if errors or len(report.examined_members()) != accounts:
        raise SystemExit(f"every member account should be examined: {errors[:3]}")
    members = [label for label in counter.calls if label != "management"]
    shapes = {
        frozenset((op, n) for (label, op), n in counter.operations.items() if label == member)
        for member in members
    }
    management = Counter({op: n for (label, op), n in counter.operations.items() if label == "management"})
    per_member_sts = management["AssumeRole"] + management["AssumeRoot"]
    return {
        "accounts": accounts,
        "plant": plant_seconds,
        "seconds": seconds,
        "cpu": cpu,
        "serverCpu": server_cpu,
        "serverPeakMb": _server_peak_mb(),
        "total": sum(counter.calls.values()),
        "management": counter.calls["management"],
        "organizationWide": counter.calls["management"] - per_member_sts,
        "perMemberSts": per_member_sts,
        "membersEntered": len(members),
        "perMemberMin": min((counter.calls[m] for m in members), default=0),
        "perMemberMax": max((counter.calls[m] for m in members), default=0),
        "sameOperations": len(shapes) == 1,
        "managementOperations": management,
        "memberOperations": dict(sorted(next(iter(shapes), frozenset()))),
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


COLUMNS = (
    "member accounts",
    "plant s",
    "wall s",
    "lz CPU s",
    "lz CPU ms / account",
    "moto CPU s",
    "moto CPU ms / call",
    "moto peak MiB",
    "calls",
    "management calls",
    "of which organization-wide",
    "calls in each member",
    "load (1 min)",
)


def _row(r: dict[str, Any]) -> str:
    same = "" if r["sameOperations"] else " (operations differ!)"
    cells = [
        f"{r['accounts']:,}",
        f"{r['plant']:.1f}",
        f"{r['seconds']:.1f}",
        f"{r['cpu']:.1f}",
        f"{1000 * r['cpu'] / r['accounts']:.0f}",
        f"{r['serverCpu']:.1f}",
        f"{1000 * r['serverCpu'] / r['total']:.1f}",
        f"{r['serverPeakMb']:,.0f}",
        f"{r['total']:,}",
        f"{r['management']:,}",
        f"{r['organizationWide']}",
        f"{r['perMemberMin']}-{r['perMemberMax']}{same}",
        f"{r['load']:.1f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main(sizes: tuple[int, ...]) -> None:
    """One row per size as soon as it is measured (a large size takes minutes), then the calls
    from the management account that change with the size."""
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + " ---: |" * len(COLUMNS), flush=True)
    rows = []
    with moto_endpoint() as url:
        for n in sizes:
            row = measure(url, n)
            row["load"] = os.getloadavg()[0]
            print(_row(row), flush=True)
            rows.append(row)
    print()
    print("In each member account:", rows[-1]["memberOperations"])
    operations = sorted({op for r in rows for op in r["managementOperations"]})
    # With one size, every operation; with several, those whose count changes with the size.
    growing = [
        op for op in operations if len(rows) == 1 or len({r["managementOperations"][op] for r in rows}) > 1
    ]
    print("From the management account, by operation:")
    print("| operation | " + " | ".join(f"{r['accounts']:,}" for r in rows) + " |")
    print("| --- |" + " ---: |" * len(rows))
    for op in growing:
        print(f"| {op} | " + " | ".join(str(r["managementOperations"][op]) for r in rows) + " |")
    constant = [op for op in operations if op not in growing]
    if constant:
        print(f"The other {len(constant)} operations, the same count at every size: {', '.join(constant)}")


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
