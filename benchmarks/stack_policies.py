"""Each stack policy of the pack, called in-process on the resources of each N (no gRPC).

    venv/bin/python -m benchmarks.stack_policies [N ...]

Shows which policy grows faster than the resources do: CPU seconds, best of three. Resources are
handed over as the engine would after a step: outputs with the id, dependencies as resources.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import unknown_checking_proxy

from benchmarks.large_config import large_stack_values, policy_enforcement
from landing_zone.plan.runner import RegisteredResource, run_program

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "policy"))

from lz_policies.pack import POLICIES  # noqa: E402 - the pack's directory goes on sys.path first

SIZES = (250, 500, 1000)
REPEATS = 3


def policy_resources(resources: Sequence[RegisteredResource]) -> list[PolicyResource]:
    made: dict[str, PolicyResource] = {}
    for r in resources:
        props = {**r.outputs}
        if r.custom and r.id:
            props.setdefault("id", r.id)
        options = PolicyResourceOptions(
            r.protect, r.ignore_changes, None, [], PolicyCustomTimeouts(0, 0, 0), [], None
        )
        made[r.urn] = PolicyResource(
            r.type,
            unknown_checking_proxy(props),
            r.urn,
            r.name,
            options,
            None,
            made.get(r.parent),
            [made[d] for d in r.dependencies if d in made],
            {},
        )
    return list(made.values())


def config_for(policy: StackValidationPolicy) -> dict:
    schema = policy.config_schema.properties if policy.config_schema else {}
    config = {k: v["default"] for k, v in schema.items() if "default" in v}
    override = policy_enforcement().get(policy.name)
    return {**config, **(override if isinstance(override, dict) else {})}


def main(sizes: Sequence[int]) -> None:
    stack_policies = [p for p in POLICIES if isinstance(p, StackValidationPolicy)]
    table: dict[str, dict[int, float]] = {p.name: {} for p in stack_policies}
    counts = {}
    for n in sizes:
        resources = policy_resources(
            run_program(ROOT, "landing-zone", "bench", large_stack_values(n)).resources
        )
        counts[n] = len(resources)
        # The plan's own objects stay alive in this process: keep the collector from rescanning
        # them during each policy, which the pack's own process would not hold.
        gc.collect()
        gc.freeze()
        for policy in stack_policies:
            args = StackValidationArgs(resources, config_for(policy))
            best = float("inf")
            for _ in range(REPEATS):
                start = time.process_time()
                policy.validate(args, lambda message, urn=None: None)
                best = min(best, time.process_time() - start)
            table[policy.name][n] = best
        gc.unfreeze()
        print(f"measured N={n}", file=sys.stderr)
    print(
        "| stack policy | "
        + " | ".join(f"N={n} ({counts[n]} res) CPU s" for n in sizes)
        + " | growth per doubling |"
    )
    print("| --- |" + " ---: |" * (len(sizes) + 1))
    for name, times in table.items():
        doublings = [times[n] / times[n // 2] for n in sizes if n // 2 in times]
        growth = ", ".join(f"{g:.2f}" for g in doublings) or "-"
        print(f"| {name} | " + " | ".join(f"{times[n]:.3f}" for n in sizes) + f" | {growth} |")


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
