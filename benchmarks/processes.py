"""Whole commands as a user runs them, each in a new process: start-up, work and exit included.

    venv/bin/python -m benchmarks.processes [--repeats R] [--cwd DIR] NAME=COMMAND ...

Each COMMAND (a shell-split string, run with this Python as `python`) runs R times, the commands
in turn so that other work on a shared machine disturbs them alike. Reported per command: the
median wall time, the median CPU time of the child (user + system, from `wait4`: steadier than
wall time under load) and the median peak resident memory. Prints JSON, one object per name.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path


def run_once(command: list[str], cwd: Path) -> dict[str, float]:
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage, not that of every child so far.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read().decode() if child.stderr else ""
    if child.returncode not in (0, 1):
        raise SystemExit(f"{shlex.join(command)} exited {child.returncode}: {stderr}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": seconds, "cpuSeconds": cpu, "peakMiB": usage.ru_maxrss / 1024}


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def measure(commands: dict[str, list[str]], repeats: int, cwd: Path) -> dict[str, dict[str, float]]:
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            runs[name].append(run_once(command, cwd))
    return {name: median(found) for name, found in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cwd", type=Path, default=Path.cwd())
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args()
    commands = {}
    for spec in args.commands:
        name, _, text = spec.partition("=")
        words = shlex.split(text)
        commands[name] = [sys.executable if w == "python" else w for w in words]
    json.dump(measure(commands, args.repeats, args.cwd), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
