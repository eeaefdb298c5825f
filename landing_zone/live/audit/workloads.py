"""Workloads in the management account: EC2, Lambda, RDS, ECS and S3, per enabled region.

The management account should hold only organization-level things; anything that runs
there escapes every service control policy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..session import Clients, paginate
from .model import CHECK_ERRORS, Check, Finding, describe_error

log = logging.getLogger(__name__)
REGION_WORKERS = 8


@dataclass
class RegionScan:
    region: str
    found: dict[str, list[str]] = field(default_factory=dict)  # kind -> resource ids
    trail_buckets: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def enabled_regions(clients: Clients) -> list[str]:
    """Regions enabled for the account (opt-in regions only when opted in)."""
    regions = clients.client("ec2").describe_regions()["Regions"]
    return sorted(r["RegionName"] for r in regions)


def _ec2_instances(clients: Clients, region: str) -> list[str]:
    ec2 = clients.client("ec2", region)
    return [
        instance["InstanceId"]
        for reservation in paginate(ec2, "describe_instances", "Reservations")
        for instance in reservation.get("Instances", [])
        if instance.get("State", {}).get("Name") != "terminated"
    ]


def _lambda_functions(clients: Clients, region: str) -> list[str]:
    return [
        f["FunctionName"] for f in paginate(clients.client("lambda", region), "list_functions", "Functions")
    ]


def _rds_instances(clients: Clients, region: str) -> list[str]:
    return [
        db["DBInstanceIdentifier"]
        for db in paginate(clients.client("rds", region), "describe_db_instances", "DBInstances")
    ]


def _ecs_clusters(clients: Clients, region: str) -> list[str]:
    return [
        arn.rpartition("/")[2]
        for arn in paginate(clients.client("ecs", region), "list_clusters", "clusterArns")
    ]


REGIONAL_KINDS: dict[str, Callable[[Clients, str], list[str]]] = {
    "EC2 instance": _ec2_instances,
    "Lambda function": _lambda_functions,
    "RDS instance": _rds_instances,
    "ECS cluster": _ecs_clusters,
}


def scan_region(clients: Clients, region: str) -> RegionScan:
    scan = RegionScan(region)
    for kind, lister in REGIONAL_KINDS.items():
        try:
            found = lister(clients, region)
        except CHECK_ERRORS as err:
            scan.errors.append(f"{region}: {kind}s: {describe_error(err)}")
            continue
        if found:
            scan.found[kind] = found
    try:
        trails = clients.client("cloudtrail", region).describe_trails(includeShadowTrails=True)["trailList"]
        scan.trail_buckets = {t["S3BucketName"] for t in trails if t.get("S3BucketName")}
    except CHECK_ERRORS as err:
        scan.errors.append(f"{region}: CloudTrail trails: {describe_error(err)}")
    return scan


def workload_buckets(clients: Clients, trail_buckets: set[str]) -> dict[str, list[str]]:
    """Buckets by region, leaving out those that receive CloudTrail logs."""
    s3 = clients.client("s3")
    by_region: dict[str, list[str]] = {}
    for bucket in s3.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        if name in trail_buckets:
            continue
        region = bucket.get("BucketRegion") or s3.get_bucket_location(Bucket=name).get("LocationConstraint")
        by_region.setdefault(region or "us-east-1", []).append(name)
    return by_region


def workloads(clients: Clients, regions: Sequence[str] | None = None) -> Finding:
    scanned = list(regions) if regions else enabled_regions(clients)
    with ThreadPoolExecutor(max_workers=REGION_WORKERS) as pool:
        scans = list(pool.map(lambda region: scan_region(clients, region), scanned))
    errors = [e for scan in scans for e in scan.errors]
    found: dict[str, dict[str, list[str]]] = {scan.region: dict(scan.found) for scan in scans}
    trail_buckets = {b for scan in scans for b in scan.trail_buckets}
    try:
        for region, names in workload_buckets(clients, trail_buckets).items():
            found.setdefault(region, {})["S3 bucket"] = names
    except CHECK_ERRORS as err:
        errors.append(f"S3 buckets: {describe_error(err)}")
    lines = [
        f"{region}: "
        + "; ".join(f"{_count(kind, ids)} ({', '.join(sorted(ids))})" for kind, ids in kinds.items())
        for region, kinds in sorted(found.items())
        if kinds
    ]
    if lines:
        return Finding.failed(*lines, *errors)
    if errors:
        return Finding("error", tuple(errors))
    return Finding.passed(f"no workloads in {len(scanned)} regions: {', '.join(scanned)}")


def _count(kind: str, ids: list[Any]) -> str:
    return f"{len(ids)} {kind}{'s' if len(ids) != 1 else ''}"


WORKLOADS = Check(
    "management.workloads",
    "No workloads in the management account (EC2, Lambda, RDS, ECS, S3)",
    workloads,
)
