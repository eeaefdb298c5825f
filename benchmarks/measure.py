"""One measurement in a fresh process (so peak memory is this run's alone); prints JSON.

python -m benchmarks.measure plan N [--resources-out FILE]
python -m benchmarks.measure floor N --resources FILE
python -m benchmarks.measure validate N
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

from benchmarks.large_config import large_stack_values
from landing_zone.config import load_from_mapping
from landing_zone.plan.runner import run_program

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("plan", "floor", "validate"))
    parser.add_argument("accounts", type=int)
    parser.add_argument("--resources-out", type=Path)
    parser.add_argument("--resources", type=Path)
    args = parser.parse_args()
    values = large_stack_values(args.accounts)

    start = time.perf_counter()
    if args.mode == "validate":
        load_from_mapping(values)
        count = 0
    elif args.mode == "plan":
        load_from_mapping(values)  # what `lz plan` does before running the program
        result = run_program(ROOT, "landing-zone", "bench", values)
        count = len(result.resources)
        if args.resources_out:
            args.resources_out.write_text(json.dumps([r.to_json() for r in result.resources]))
    else:
        os.environ["FLOOR_RESOURCES"] = str(args.resources)
        result = run_program(ROOT / "benchmarks" / "floor_program", "landing-zone", "bench", {})
        count = len(result.resources)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump({"seconds": seconds, "peakMiB": peak_kib / 1024, "resources": count}, sys.stdout)


if __name__ == "__main__":
    main()
