"""Where `lz plan --stack STACK --no-policy` spends its CPU time, phase by phase, in one process.

    venv/bin/python -m benchmarks.plan_phases [STACK] [--repeats R]

Each run is a fresh process that does what `lz plan` does, one phase at a time, and reads
`time.process_time()` between phases: the CLI's modules, Pulumi and the plan's modules, the
config (read and validated), the program's modules (components, the pulumi-aws modules they
import), the program under mocks, the report, and the exit (`exit_now`, timed from the parent
as the child's total CPU minus what it reported). Prints the median of R runs per phase.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(stack: str) -> None:
    marks = [("interpreter start-up", time.process_time())]

    def mark(name: str) -> None:
        marks.append((name, time.process_time()))

    import landing_zone.cli  # noqa: F401 - the parser's modules

    mark("lz's command modules")
    from landing_zone.plan.render import render_text
    from landing_zone.plan.stack import report_stack, run_stack

    mark("Pulumi and the plan's modules")
    from landing_zone.config import read_stack_file

    values = read_stack_file(ROOT / f"Pulumi.{stack}.yaml")
    mark("read the stack file")
    sys.path.insert(0, str(ROOT))
    import components.landing_zone  # noqa: F401

    mark("the program's modules (components, pulumi-aws)")
    run = run_stack(ROOT, "landing-zone", stack, values)
    mark("validate, run the program under mocks, AWS rules")
    render_text(report_stack(run, policies=False))
    mark("report")
    phases = {name: now - marks[i - 1][1] for i, (name, now) in enumerate(marks) if i}
    phases["interpreter start-up"] = marks[0][1]
    print(json.dumps(phases), file=sys.stderr)
    from landing_zone.cli.exit import exit_now

    exit_now(0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stack", nargs="?", default="prod")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.stack)
        return
    runs: list[dict[str, float]] = []
    for _ in range(args.repeats):
        command = [sys.executable, "-m", "benchmarks.plan_phases", args.stack, "--child"]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, _, usage = os.wait4(process.pid, 0)
        assert process.stderr is not None
        phases = json.loads(process.stderr.read().decode().splitlines()[-1])
        phases["exit"] = usage.ru_utime + usage.ru_stime - sum(phases.values())
        phases["total"] = usage.ru_utime + usage.ru_stime
        runs.append(phases)
    print("| phase | CPU s (median) |\n| --- | ---: |")
    for name in runs[0]:
        print(f"| {name} | {statistics.median(r[name] for r in runs):.3f} |")


if __name__ == "__main__":
    main()
