"""One measurement in a fresh process (so peak memory is this run's alone); prints JSON:
wall seconds, CPU seconds of this process (steadier than wall time when other work shares the
machine), peak resident memory, resources registered.

python -m benchmarks.measure plan N [--resources-out FILE]
python -m benchmarks.measure floor N --resources FILE [--generic]
python -m benchmarks.measure validate N       # read and validate Pulumi.bench.yaml, in-process
python -m benchmarks.measure validate-cli N   # `lz validate` as a user runs it: a new process

--gc on|off: the cyclic collector left on, or paused during the run as `lz plan` does (default
off); compare a plan and a floor with the same setting.
--no-stack-traces (diagnostic): registrations skip the stack trace Pulumi records for each
resource, to show what that trace costs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.large_config import large_stack_values
from landing_zone.config import load_from_mapping, load_stack_file
from landing_zone.plan.runner import run_program

ROOT = Path(__file__).resolve().parents[1]
STACK = "bench"


def write_project(directory: Path, accounts: int) -> Path:
    """A project directory holding Pulumi.yaml and Pulumi.bench.yaml with `accounts` accounts."""
    shutil.copy(ROOT / "Pulumi.yaml", directory / "Pulumi.yaml")
    stack_file = directory / f"Pulumi.{STACK}.yaml"
    stack_file.write_text(yaml.safe_dump({"config": large_stack_values(accounts)}, sort_keys=False))
    return stack_file


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("plan", "floor", "validate", "validate-cli"))
    parser.add_argument("accounts", type=int)
    parser.add_argument("--resources-out", type=Path)
    parser.add_argument("--resources", type=Path)
    parser.add_argument("--generic", action="store_true", help="floor with bare CustomResource objects")
    parser.add_argument("--no-stack-traces", action="store_true")
    parser.add_argument("--gc", choices=("on", "off"), default="off")
    args = parser.parse_args()
    values = large_stack_values(args.accounts)
    if args.no_stack_traces:
        from pulumi.runtime import resource as runtime_resource
        from pulumi.runtime.proto import source_pb2

        runtime_resource._get_stack_trace = source_pb2.StackTrace  # type: ignore[attr-defined]

    with tempfile.TemporaryDirectory() as tmp:
        stack_file = write_project(Path(tmp), args.accounts)
        count = 0
        start, cpu_start = time.perf_counter(), time.process_time()
        if args.mode == "validate":
            count = len(load_stack_file(stack_file).config.accounts)
        elif args.mode == "validate-cli":
            command = [sys.executable, "-m", "landing_zone.cli", "validate", "--stack", STACK]
            subprocess.run([*command, "--project-dir", tmp], check=True, capture_output=True)
            count = args.accounts
        elif args.mode == "plan":
            load_from_mapping(values)  # what `lz plan` does before running the program
            result = run_program(ROOT, "landing-zone", STACK, values, pause_gc=args.gc == "off")
            count = len(result.resources)
        else:
            os.environ["FLOOR_RESOURCES"] = str(args.resources)
            os.environ["FLOOR_GENERIC"] = "1" if args.generic else "0"
            floor = ROOT / "benchmarks" / "floor_program"
            result = run_program(floor, "landing-zone", STACK, {}, pause_gc=args.gc == "off")
            count = len(result.resources)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if args.mode == "plan" and args.resources_out:
        args.resources_out.write_text(json.dumps([r.to_json() for r in result.resources]))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    measured = {"seconds": seconds, "cpuSeconds": cpu, "peakMiB": peak_kib / 1024, "resources": count}
    json.dump(measured, sys.stdout)


if __name__ == "__main__":
    main()
