"""`lz plan` at growing sizes against the floor (a bare program registering the same resources).

    venv/bin/python -m benchmarks.bench_plan [--repeats R] [--before DIR] [N ...]

Every measurement runs in a fresh process (`benchmarks.measure`: the run itself, in-process,
without start-up); the plan, the typed floor and the generic floor each run with the cyclic
collector paused (as `lz plan` runs) and left on, all in turn R times, and each keeps its
median, so that other work on a shared machine disturbs them alike. `--before DIR`: also
`lz plan` of another checkout (e.g. `git archive` of main), in the same rotation.

Prints Markdown tables: CPU and wall time with every ratio taken at the same collector setting,
the growth from N to 2N, peak memory, and `lz validate` (in-process and as a new process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (100, 250, 500, 1000)


def measure(args: tuple[str, ...], cwd: Path = ROOT) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def median(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def measure_size(n: int, tmp: Path, repeats: int, before: Path | None) -> dict[str, dict]:
    resources = tmp / f"resources-{n}.json"
    measure(("plan", str(n), "--resources-out", str(resources)))  # the floors' input
    commands: dict[str, tuple[tuple[str, ...], Path]] = {}
    for gc in ("off", "on"):
        commands[f"plan-{gc}"] = (("plan", str(n), "--gc", gc), ROOT)
        commands[f"floor-{gc}"] = (("floor", str(n), "--resources", str(resources), "--gc", gc), ROOT)
        commands[f"generic-{gc}"] = (
            ("floor", str(n), "--resources", str(resources), "--generic", "--gc", gc),
            ROOT,
        )
    if before is not None:
        commands["before"] = (("plan", str(n)), before)
    commands["validate"] = (("validate", str(n)), ROOT)
    commands["validate-cli"] = (("validate-cli", str(n)), ROOT)
    runs: dict[str, list[dict]] = {key: [] for key in commands}
    for _ in range(repeats):
        for key, (command, cwd) in commands.items():
            runs[key].append(measure(command, cwd))
    return {key: median(found) for key, found in runs.items()}


def cell(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def table(rows: dict[int, dict[str, dict]], unit: str, title: str) -> None:
    print(f"\n{title}\n")
    columns = ["accounts", "resources"]
    has_before = "before" in next(iter(rows.values()))
    if has_before:
        columns += ["before (GC on)", "after / before"]
    columns += ["plan GC off", "floor", "ratio", "generic", "ratio", "growth N->2N"]
    columns += ["plan GC on", "floor", "ratio", "generic", "ratio"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    for n, row in rows.items():
        half = rows.get(n // 2)
        cells = [str(n), str(int(row["plan-off"]["resources"]))]
        if has_before:
            cells += [cell(row["before"][unit]), cell(row["plan-off"][unit] / row["before"][unit])]
        for gc in ("off", "on"):
            plan = row[f"plan-{gc}"][unit]
            cells += [
                cell(plan),
                cell(row[f"floor-{gc}"][unit]),
                cell(plan / row[f"floor-{gc}"][unit]),
                cell(row[f"generic-{gc}"][unit]),
                cell(plan / row[f"generic-{gc}"][unit]),
            ]
            if gc == "off":
                cells.append(cell(plan / half["plan-off"][unit]) if half else "-")
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--before", type=Path)
    parser.add_argument("sizes", type=int, nargs="*")
    args = parser.parse_args()
    rows: dict[int, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes or SIZES:
            rows[n] = measure_size(n, Path(tmp), args.repeats, args.before)
            print(f"measured N={n}", file=sys.stderr)
    table(rows, "cpuSeconds", f"CPU time (s), median of {args.repeats}")
    table(rows, "seconds", f"Wall time (s), median of {args.repeats}")
    print("\nPeak memory (MiB) and lz validate\n")
    columns = ["accounts", "plan GC off", "plan GC on"]
    columns += ["before"] if args.before else []
    columns += ["floor GC off", "floor GC on", "validate CPU s", "lz validate process s"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    for n, row in rows.items():
        cells = [str(n), cell(row["plan-off"]["peakMiB"], 0), cell(row["plan-on"]["peakMiB"], 0)]
        cells += [cell(row["before"]["peakMiB"], 0)] if args.before else []
        cells += [cell(row["floor-off"]["peakMiB"], 0), cell(row["floor-on"]["peakMiB"], 0)]
        cells += [cell(row["validate"]["cpuSeconds"], 3), cell(row["validate-cli"]["seconds"])]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
