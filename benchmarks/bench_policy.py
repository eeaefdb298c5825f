"""The policy pack over the resources of each N, through the gRPC harness, against a no-op pack.

    venv/bin/python -m benchmarks.bench_policy [N ...]

For each N the program runs under mocks once; then the real pack (`policy/`) and a pack of as
many no-op policies (`benchmarks/noop_pack/`), each started once, analyze those resources the
way the engine does: one Analyze call per resource, then one AnalyzeStack call. Best of three.
Prints a Markdown table: time per resource for each phase, and the ratio to the no-op pack.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.large_config import large_stack_values, policy_enforcement
from landing_zone.plan.runner import RegisteredResource, run_program
from landing_zone.policy_harness import PolicyPack, Violation

ROOT = Path(__file__).resolve().parents[1]
SIZES = (100, 250, 500, 1000)
REPEATS = 3


def best_seconds(step: Callable[[], list[Violation]]) -> tuple[float, list[Violation]]:
    best, found = float("inf"), []
    for _ in range(REPEATS):
        start = time.perf_counter()
        found = step()
        best = min(best, time.perf_counter() - start)
    return best, found


def timed(pack: PolicyPack, resources: Sequence[RegisteredResource]) -> dict[str, float]:
    per_resource, resource_violations = best_seconds(lambda: pack.analyze_resources(resources))
    stack, stack_violations = best_seconds(lambda: pack.analyze_stack(resources))
    return {
        "resources": per_resource,
        "stack": stack,
        "violations": len(resource_violations) + len(stack_violations),
    }


def main(sizes: Sequence[int]) -> None:
    columns = ["accounts", "resources", "Analyze ms/res", "no-op ms/res", "ratio"]
    columns += ["AnalyzeStack s", "no-op s", "ratio", "AnalyzeStack ms/res", "violations"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns), flush=True)
    for n in sizes:
        values = large_stack_values(n)
        resources = run_program(ROOT, "landing-zone", "bench", values).resources
        # The pack gets the provider keys only: the policies never read the program's config, and
        # past ~900 accounts the whole config no longer fits in the one environment variable
        # Pulumi passes it in (docs/performance.md, "the 128 KiB config limit").
        pack_config = {key: value for key, value in values.items() if key.startswith("aws:")}
        with PolicyPack(ROOT / "policy", "landing-zone", "bench", pack_config) as real:
            real.configure(policy_enforcement())
            lz = timed(real, resources)
        with PolicyPack(ROOT / "benchmarks" / "noop_pack", "landing-zone", "bench", pack_config) as noop:
            noop.configure()
            floor = timed(noop, resources)
        count = len(resources)
        per_resource = lz["resources"] / count * 1000
        print(
            f"| {n} | {count} | {per_resource:.3f} | {floor['resources'] / count * 1000:.3f} | "
            f"{lz['resources'] / floor['resources']:.2f} | {lz['stack']:.2f} | {floor['stack']:.2f} | "
            f"{lz['stack'] / floor['stack']:.2f} | {lz['stack'] / count * 1000:.3f} | {lz['violations']} |",
            flush=True,
        )


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
