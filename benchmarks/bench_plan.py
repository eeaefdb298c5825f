"""`lz plan` at growing sizes against the floor (a bare program registering the same resources).

    venv/bin/python -m benchmarks.bench_plan [N ...]

Every measurement runs in a fresh process; plan, floor and generic floor run in turn three times
and each keeps its best (lowest) wall and CPU time, so that other work on the machine disturbs
them alike. Prints a Markdown table: resources, wall and CPU time of `lz plan` and of the two
floors (pulumi-aws's typed classes, the default; bare `CustomResource` objects), the ratios, peak
memory, the growth from N to 2N, and `lz validate` (in-process, and as a new process).
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


def best(runs: list[dict]) -> dict:
    return {
        "seconds": min(r["seconds"] for r in runs),
        "cpuSeconds": min(r["cpuSeconds"] for r in runs),
        "peakMiB": min(r["peakMiB"] for r in runs),
        "resources": runs[0]["resources"],
    }


def measure_size(n: int, tmp: Path) -> dict[str, dict]:
    resources = tmp / f"resources-{n}.json"
    commands = {
        "plan": ("plan", str(n), "--resources-out", str(resources)),
        "floor": ("floor", str(n), "--resources", str(resources)),
        "generic": ("floor", str(n), "--resources", str(resources), "--generic"),
        "validate": ("validate", str(n)),
        "validate-cli": ("validate-cli", str(n)),
    }
    runs: dict[str, list[dict]] = {key: [] for key in commands}
    for _ in range(REPEATS):
        for key, command in commands.items():
            runs[key].append(measure(*command))
    return {key: best(found) for key, found in runs.items()}


def ratio(rows: dict[int, dict[str, dict]], n: int, key: str, floor: str, unit: str) -> str:
    return f"{rows[n][key][unit] / rows[n][floor][unit]:.2f}"


def growth(rows: dict[int, dict[str, dict]], n: int, key: str, unit: str) -> str:
    # N -> 2N where both were measured: 250 -> 500 and 500 -> 1000 for the default sizes.
    half = rows.get(n // 2)
    return f"{rows[n][key][unit] / half[key][unit]:.2f}" if half else "-"


def main(sizes: tuple[int, ...]) -> None:
    rows: dict[int, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows[n] = measure_size(n, Path(tmp))
            print(f"measured N={n}", file=sys.stderr)
    print("Wall time (s), best of 3\n")
    columns = ["accounts", "resources", "lz plan", "floor", "ratio", "generic floor", "ratio"]
    columns += ["growth N->2N", "plan MiB", "floor MiB", "validate", "lz validate (process)"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    for n, row in rows.items():
        cells = [
            str(n),
            str(row["plan"]["resources"]),
            f"{row['plan']['seconds']:.2f}",
            f"{row['floor']['seconds']:.2f}",
            ratio(rows, n, "plan", "floor", "seconds"),
            f"{row['generic']['seconds']:.2f}",
            ratio(rows, n, "plan", "generic", "seconds"),
            growth(rows, n, "plan", "seconds"),
            f"{row['plan']['peakMiB']:.0f}",
            f"{row['floor']['peakMiB']:.0f}",
            f"{row['validate']['seconds']:.3f}",
            f"{row['validate-cli']['seconds']:.2f}",
        ]
        print("| " + " | ".join(cells) + " |")
    print("\nCPU time (s), best of 3\n")
    columns = ["accounts", "lz plan", "floor", "ratio", "generic floor", "ratio", "growth N->2N"]
    columns += ["floor growth N->2N"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " ---: |" * len(columns))
    for n, row in rows.items():
        cells = [
            str(n),
            f"{row['plan']['cpuSeconds']:.2f}",
            f"{row['floor']['cpuSeconds']:.2f}",
            ratio(rows, n, "plan", "floor", "cpuSeconds"),
            f"{row['generic']['cpuSeconds']:.2f}",
            ratio(rows, n, "plan", "generic", "cpuSeconds"),
            growth(rows, n, "plan", "cpuSeconds"),
            growth(rows, n, "floor", "cpuSeconds"),
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
