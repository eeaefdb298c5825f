"""The policy pack over the resources of each N, through the gRPC harness, against a no-op pack.

    venv/bin/python -m benchmarks.bench_policy [--pack DIR] [--noop-gc on|off] [--repeats R] [N ...]

For each N the program runs under mocks once; then the pack (`--pack`, default `policy/`; another
checkout's `policy/` to measure a change) and a pack of as many no-op policies
(`benchmarks/noop_pack/`, with the collector on or off as `--noop-gc` says: the same setting
as the pack measured, so that a ratio compares like with like), each started once, analyze
those resources the way the engine does: one Analyze call per resource, then one AnalyzeStack
call. Each phase is timed R times (median), in wall time and in the pack process's own CPU time
(from /proc); the pack's peak memory is read before it stops. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.large_config import large_stack_values, policy_enforcement
from landing_zone.plan.runner import RegisteredResource, run_program
from landing_zone.policy_harness import PolicyPack, Violation

ROOT = Path(__file__).resolve().parents[1]
SIZES = (100, 250, 500, 1000)
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def median_timed(pack: PolicyPack, step: Callable[[], list[Violation]], repeats: int) -> dict[str, float]:
    walls, cpus, found = [], [], []
    pid = pack._process.pid
    for _ in range(repeats):
        start, cpu = time.perf_counter(), cpu_seconds(pid)
        found = step()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds(pid) - cpu)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "violations": len(found)}


def timed(pack: PolicyPack, resources: Sequence[RegisteredResource], repeats: int) -> dict[str, dict]:
    measured = {
        "resources": median_timed(pack, lambda: pack.analyze_resources(resources), repeats),
        "stack": median_timed(pack, lambda: pack.analyze_stack(resources), repeats),
    }
    measured["peak"] = {"mib": peak_mib(pack._process.pid)}
    return measured


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pack", type=Path, default=ROOT / "policy")
    parser.add_argument("--noop-gc", choices=("on", "off"), default="off")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("sizes", type=int, nargs="*")
    args = parser.parse_args()
    os.environ["BENCH_PACK_GC"] = args.noop_gc
    columns = ["accounts", "resources", "Analyze ms/res (CPU)", "no-op", "ratio"]
    columns += ["AnalyzeStack s (wall)", "CPU s", "no-op CPU s", "ratio", "CPU ms/res"]
    columns += ["pack MiB", "violations"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns), flush=True)
    for n in args.sizes or SIZES:
        values = large_stack_values(n)
        resources = run_program(ROOT, "landing-zone", "bench", values).resources
        # The pack gets the provider keys only: the policies never read the program's config, and
        # past ~900 accounts the whole config no longer fits in the one environment variable
        # Pulumi passes it in (docs/performance.md, "the 128 KiB config limit").
        pack_config = {key: value for key, value in values.items() if key.startswith("aws:")}
        with PolicyPack(args.pack, "landing-zone", "bench", pack_config) as real:
            real.configure(policy_enforcement())
            lz = timed(real, resources, args.repeats)
        with PolicyPack(ROOT / "benchmarks" / "noop_pack", "landing-zone", "bench", pack_config) as noop:
            noop.configure()
            floor = timed(noop, resources, args.repeats)
        count = len(resources)
        cells = [
            str(n),
            str(count),
            f"{lz['resources']['cpu'] / count * 1000:.3f}",
            f"{floor['resources']['cpu'] / count * 1000:.3f}",
            f"{lz['resources']['cpu'] / floor['resources']['cpu']:.2f}",
            f"{lz['stack']['wall']:.2f}",
            f"{lz['stack']['cpu']:.2f}",
            f"{floor['stack']['cpu']:.2f}",
            f"{lz['stack']['cpu'] / max(floor['stack']['cpu'], 0.01):.2f}",
            f"{lz['stack']['cpu'] / count * 1000:.3f}",
            f"{lz['peak']['mib']:.0f}",
            str(lz["resources"]["violations"] + lz["stack"]["violations"]),
        ]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
