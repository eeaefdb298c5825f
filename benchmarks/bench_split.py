"""Organizations of N accounts split across stacks (issue 17): config bytes, `lz validate --all`,
and each stack's plan and policy pack run, every stack in a fresh process.

    venv/bin/python -m benchmarks.bench_split [--repeats R] [--plan-all N]... [--json FILE] [N ...]

For each N, `benchmarks.split_config.write_split_project` writes the project into a temporary
directory (an organization stack and one account stack per 250 accounts), then:
- the config each stack gets from Pulumi (`config_environment_size` of its stack file's values);
- `lz validate --all` as a user runs it, R times (median): wall, CPU (wait4), peak memory; and the
  same command on a project of 3 accounts, R times: what start-up and imports cost on their own;
- each stack planned in its own process (`stack` below: peak memory is that stack's own), the
  organization stack first, its planned outputs saved and passed to every account stack as
  their stack reference's; then the real policy pack over gRPC on that stack's resources with
  `split_config.policy_enforcement()`. One run per stack (the account stacks are alike: their
  min/median/max is the spread), the collector paused as `lz plan` pauses it;
- for each N given to `--plan-all` (default 1000), `lz plan --all` as one command (single run).
Prints Markdown tables (docs/performance.md, "Issue 17").

    venv/bin/python -m benchmarks.bench_split stack DIR STACK --enforcement FILE \
        [--organization-outputs FILE] [--outputs-out FILE]

One stack in this process: prints JSON (plan wall/CPU, resources, peak memory, pack wall/CPU/peak
memory and violations, and the time of one validation of the stack's config: `load_stack`,
which for an account stack reads and validates the whole organization).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench_policy import cpu_seconds, peak_mib
from benchmarks.processes import run_once
from benchmarks.split_config import ORGANIZATION_STACK, policy_enforcement, write_split_project

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "landing-zone"
SIZES = (1000, 2500, 5000)
# The target for every stack's config, and Linux's limit on one environment string.
CONFIG_TARGET = 16 * 1024
CONFIG_LIMIT = 131_072
# The smallest split project: `lz validate --all` on it is start-up, imports and exit.
FLOOR_ACCOUNTS = 3


def measure_stack(
    project_dir: Path,
    stack: str,
    enforcement: Path,
    organization_outputs: dict[str, Any] | None,
) -> tuple[dict[str, float], dict[str, Any]]:
    """Plan `stack` in this process, then run the pack on it; the figures and the stack's outputs."""
    from landing_zone.config import load_stack, loading, read_stack_file
    from landing_zone.plan.policy import pack_dir_of, read_enforcement_file
    from landing_zone.plan.stack import run_stack
    from landing_zone.policy_harness import PolicyPack

    values = read_stack_file(project_dir / f"Pulumi.{stack}.yaml")
    others = {ORGANIZATION_STACK: organization_outputs} if organization_outputs is not None else None
    start, cpu = time.perf_counter(), time.process_time()
    run = run_stack(project_dir, PROJECT, stack, values, other_stacks=others)
    plan_seconds, plan_cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # One validation of the whole organization, timed alone (the process's cache of validated
    # configs emptied first): an `lz plan` of the stack does it once (the program then finds it
    # validated), a `pulumi up` once (the program).
    loading._VALIDATED.clear()
    start, cpu = time.perf_counter(), time.process_time()
    load_stack(values, stack, project_dir, PROJECT)
    validate_seconds, validate_cpu = time.perf_counter() - start, time.process_time() - cpu
    # The real pack over gRPC, as `check_policies` runs it (started, configured, Analyze per
    # resource, AnalyzeStack, stopped); its CPU and peak memory read from /proc before it stops.
    start = time.perf_counter()
    with PolicyPack(pack_dir_of(project_dir), PROJECT, stack, values) as pack:
        pack.configure(read_enforcement_file(enforcement))
        violations = pack.analyze(run.result.resources)
        pack_cpu, pack_peak = cpu_seconds(pack._process.pid), peak_mib(pack._process.pid)
    pack_seconds = time.perf_counter() - start
    figures = {
        "planSeconds": plan_seconds,
        "planCpu": plan_cpu,
        "peakMiB": peak_kib / 1024,
        "resources": len(run.result.resources),
        "accounts": len(run.settings.slice.accounts),
        "validateSeconds": validate_seconds,
        "validateCpu": validate_cpu,
        "packSeconds": pack_seconds,
        "packCpu": pack_cpu,
        "packPeakMiB": pack_peak,
        "violations": len(violations),
    }
    return figures, run.result.outputs


def stack_main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_split stack")
    parser.add_argument("project_dir", type=Path)
    parser.add_argument("stack")
    parser.add_argument("--enforcement", type=Path, required=True)
    parser.add_argument("--organization-outputs", type=Path)
    parser.add_argument("--outputs-out", type=Path)
    args = parser.parse_args(argv)
    outputs = json.loads(args.organization_outputs.read_text()) if args.organization_outputs else None
    figures, planned = measure_stack(args.project_dir, args.stack, args.enforcement, outputs)
    if args.outputs_out is not None:
        args.outputs_out.write_text(json.dumps(planned))
    json.dump(figures, sys.stdout)


def run_stack_process(project_dir: Path, stack: str, enforcement: Path, *extra: str) -> dict[str, float]:
    """`stack` planned in a new process; its figures plus the whole process's wall time."""
    command = [sys.executable, "-m", "benchmarks.bench_split", "stack", str(project_dir), stack]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--enforcement", str(enforcement), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{stack}: exited {done.returncode}: {done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout)
    figures["processSeconds"] = time.perf_counter() - start
    return figures


def config_bytes(project_dir: Path, stacks: Sequence[str]) -> dict[str, int]:
    from landing_zone.config import read_stack_file
    from landing_zone.config.loading import config_environment_size

    return {s: config_environment_size(read_stack_file(project_dir / f"Pulumi.{s}.yaml")) for s in stacks}


def lz(*words: str) -> list[str]:
    return [sys.executable, "-m", "landing_zone.cli", *words]


def validate_all(project_dir: Path, repeats: int) -> dict[str, float]:
    runs = [
        run_once(lz("validate", "--all", "--project-dir", str(project_dir)), ROOT) for _ in range(repeats)
    ]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def plan_all(project_dir: Path, enforcement: Path) -> dict[str, float]:
    """`lz plan --all` as one command (single run); fails unless every stack plans with no violation."""
    document = project_dir / "plan-all.json"
    command = lz("plan", "--all", "--project-dir", str(project_dir), "--policy-config", str(enforcement))
    figures = run_once([*command, "--format", "json", "--output", str(document)], ROOT)
    found = list(violations_in(json.loads(document.read_text())))
    for violation in found:
        print(f"lz plan --all: {violation['policy']}: {violation['message']}", file=sys.stderr)
    figures["violations"] = len(found)
    return figures


def violations_in(document: Any) -> Iterator[dict[str, Any]]:
    """The policy violations anywhere in an `lz plan --all --format json` document."""
    if isinstance(document, dict):
        if {"policy", "level", "message"} <= document.keys():
            yield document
        for value in document.values():
            yield from violations_in(value)
    elif isinstance(document, list):
        for value in document:
            yield from violations_in(value)


def spread(values: Sequence[float], digits: int = 2) -> str:
    """min / median / max, or the one value."""
    if len(values) == 1:
        return f"{values[0]:,.{digits}f}"
    return f"{min(values):,.{digits}f} / {statistics.median(values):,.{digits}f} / {max(values):,.{digits}f}"


def measure_size(accounts: int, repeats: int, with_plan_all: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"split{accounts}-") as tmp:
        project_dir = Path(tmp)
        stacks = write_split_project(project_dir, accounts)
        enforcement = project_dir / "enforcement.json"
        enforcement.write_text(json.dumps(policy_enforcement()))
        sizes = config_bytes(project_dir, stacks)
        validate = validate_all(project_dir, repeats)
        outputs = project_dir / "organization-outputs.json"
        organization = run_stack_process(project_dir, stacks[0], enforcement, "--outputs-out", str(outputs))
        account_stacks = [
            run_stack_process(project_dir, s, enforcement, "--organization-outputs", str(outputs))
            for s in stacks[1:]
        ]
        whole = plan_all(project_dir, enforcement) if with_plan_all else None
        files = sum(p.stat().st_size for p in (project_dir / "accounts").rglob("*.yaml"))
    return {
        "accounts": accounts,
        "stacks": stacks,
        "sizes": sizes,
        "accountFileBytes": files,
        "validate": validate,
        "organization": organization,
        "accountStacks": account_stacks,
        "planAll": whole,
    }


def print_tables(results: Sequence[dict[str, Any]], floor: dict[str, float]) -> None:
    def table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        print("| " + " | ".join(columns) + " |")
        print("|" + " ---: |" * len(columns))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()

    print("Config each stack gets from Pulumi (PULUMI_CONFIG, bytes):\n")
    rows = []
    for r in results:
        org = r["sizes"][r["stacks"][0]]
        largest = max(r["sizes"][s] for s in r["stacks"][1:])
        met = "met" if max(r["sizes"].values()) < CONFIG_TARGET else "MISSED"
        rows.append(
            [
                f"{r['accounts']:,}",
                str(len(r["stacks"])),
                f"{org:,}",
                f"{largest:,}",
                f"{r['accountFileBytes']:,}",
                met,
            ]
        )
    table(
        ["accounts", "stacks", "organization stack", "largest account stack", "accounts/ files", "< 16 KiB"],
        rows,
    )

    print(f"`lz validate --all` (median of the runs; start-up floor: {FLOOR_ACCOUNTS} accounts):\n")
    rows = [
        [
            f"{FLOOR_ACCOUNTS}",
            f"{floor['seconds']:.2f}",
            f"{floor['cpuSeconds']:.2f}",
            "",
            f"{floor['peakMiB']:.0f}",
            "",
        ]
    ]
    for r in results:
        v, per = r["validate"], 1000 / r["accounts"]
        work = (v["cpuSeconds"] - floor["cpuSeconds"]) * per
        rows.append(
            [
                f"{r['accounts']:,}",
                f"{v['seconds']:.2f}",
                f"{v['cpuSeconds']:.2f}",
                f"{v['cpuSeconds'] * per:.2f} ({work:.2f})",
                f"{v['peakMiB']:.0f}",
                "met" if v["cpuSeconds"] * per < 1 else "MISSED",
            ]
        )
    table(
        ["accounts", "wall s", "CPU s", "CPU s per 1,000 (less the floor)", "peak MiB", "< 1 s / 1,000"], rows
    )

    print("Plan per stack, each in its own process (account stacks: min / median / max):\n")
    rows = []
    for r in results:
        o, a = r["organization"], r["accountStacks"]
        for name, runs in (("organization", [o]), (f"{len(a)} account stacks", a)):
            rows.append(
                [
                    f"{r['accounts']:,}",
                    name,
                    spread([x["accounts"] for x in runs], 0),
                    spread([x["resources"] for x in runs], 0),
                    spread([x["planCpu"] for x in runs]),
                    spread([x["planSeconds"] for x in runs]),
                    spread([x["validateCpu"] for x in runs]),
                    spread([x["peakMiB"] for x in runs], 0),
                    spread([x["packCpu"] for x in runs]),
                    spread([x["packSeconds"] for x in runs]),
                    spread([x["packPeakMiB"] for x in runs], 0),
                    str(sum(int(x["violations"]) for x in runs)),
                ]
            )
    columns = ["accounts", "stack", "its accounts", "resources", "plan CPU s", "plan wall s"]
    columns += ["validation CPU s", "peak MiB", "pack CPU s", "pack wall s", "pack MiB", "violations"]
    table(columns, rows)

    print("Totals (every stack, one after another; per 1,000 accounts in brackets):\n")
    rows = []
    for r in results:
        runs = [r["organization"], *r["accountStacks"]]
        per = 1000 / r["accounts"]
        resources = sum(x["resources"] for x in runs)
        plan_cpu = sum(x["planCpu"] for x in runs)
        # An `lz plan` of a stack validates its config once (the program finds it validated): for
        # an account stack, the whole organization's.
        validations = sum(x["validateCpu"] for x in runs)
        plan_wall = sum(x["planSeconds"] for x in runs)
        pack_cpu = sum(x["packCpu"] for x in runs)
        process = sum(x["processSeconds"] for x in runs)
        rows.append(
            [
                f"{r['accounts']:,}",
                f"{resources:,}",
                f"{plan_cpu:.1f} ({plan_cpu * per:.1f})",
                f"{validations:.1f}",
                f"{plan_cpu - validations:.1f} ({(plan_cpu - validations) * per:.1f})",
                f"{plan_wall:.1f}",
                f"{pack_cpu:.1f} ({pack_cpu * per:.1f})",
                f"{process:.1f} ({process * per:.1f})",
                f"{max(x['peakMiB'] for x in runs):.0f}",
            ]
        )
    columns = ["accounts", "resources", "plan CPU s", "of which validations (1 per stack)"]
    columns += [
        "plan CPU less validations",
        "plan wall s",
        "pack CPU s",
        "process wall s",
        "largest peak MiB",
    ]
    table(columns, rows)

    whole = [r for r in results if r["planAll"] is not None]
    if whole:
        print("`lz plan --all` as one command (single run):\n")
        rows = [
            [
                f"{r['accounts']:,}",
                f"{r['planAll']['seconds']:.1f}",
                f"{r['planAll']['cpuSeconds']:.1f}",
                f"{r['planAll']['peakMiB']:.0f}",
                str(int(r["planAll"]["violations"])),
            ]
            for r in whole
        ]
        table(["accounts", "wall s", "CPU s (incl. packs)", "peak MiB", "violations"], rows)


def main() -> None:
    if sys.argv[1:2] == ["stack"]:
        stack_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3, help="runs of lz validate --all (median)")
    parser.add_argument(
        "--plan-all", type=int, action="append", metavar="N", help="run lz plan --all at N (default: 1000)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("sizes", type=int, nargs="*")
    args = parser.parse_args()
    # The lz commands and the stack processes run this checkout's code.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory(prefix="split-floor-") as tmp:
        write_split_project(Path(tmp), FLOOR_ACCOUNTS)
        floor = validate_all(Path(tmp), args.repeats)
    results = []
    for n in args.sizes or SIZES:
        results.append(measure_size(n, args.repeats, n in (args.plan_all or [1000])))
        print(f"{n:,} accounts measured", file=sys.stderr, flush=True)
        if args.json is not None:
            args.json.write_text(json.dumps({"floor": floor, "results": results}, indent=1))
    print_tables(results, floor)


if __name__ == "__main__":
    main()
