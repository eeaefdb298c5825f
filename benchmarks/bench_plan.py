"""`lz plan` at growing sizes against the floor (a bare program registering the same resources).

    venv/bin/python -m benchmarks.bench_plan [N ...]

Prints a Markdown table: wall time, peak memory, resources, ratio to the floor, growth N->2N.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (100, 250, 500, 1000)
REPEATS = 3


def measure(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def best_of(*args: str) -> dict:
    runs = [measure(*args) for _ in range(REPEATS)]
    return min(runs, key=lambda r: r["seconds"])


def main(sizes: tuple[int, ...]) -> None:
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            resources = Path(tmp) / f"resources-{n}.json"
            plan = best_of("plan", str(n), "--resources-out", str(resources))
            floor = best_of("floor", str(n), "--resources", str(resources))
            validate = best_of("validate", str(n))
            rows[n] = (plan, floor, validate)
    columns = ["accounts", "resources", "lz plan s", "floor s", "ratio", "plan MiB", "floor MiB"]
    columns += ["growth N->2N", "validate s"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    for n, (plan, floor, validate) in rows.items():
        half = rows.get(n // 2)
        growth = f"{plan['seconds'] / half[0]['seconds']:.2f}" if half else "-"
        print(
            f"| {n} | {plan['resources']} | {plan['seconds']:.2f} | {floor['seconds']:.2f} | "
            f"{plan['seconds'] / floor['seconds']:.2f} | {plan['peakMiB']:.0f} | {floor['peakMiB']:.0f} | "
            f"{growth} | {validate['seconds']:.3f} |"
        )


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
