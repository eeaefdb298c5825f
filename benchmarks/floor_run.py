"""The floor as a command of its own, to compare with `lz plan` as a whole process (start-up
and exit included): `benchmarks.processes` times both.

    python -m benchmarks.floor_run RESOURCES.json [--generic] [--gc on|off]

Runs `floor_program` under the same mocks and recording runner as `lz plan` (whose module
imports pydantic, through the AWS rules: a start-up cost the floor shares with the plan), with
the cyclic collector paused as in `lz plan` (`--gc off`, the default) or left on, and exits the
way `lz` does (landing_zone/cli/exit.py).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from landing_zone.cli.exit import exit_now
from landing_zone.plan.runner import run_program

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("resources", type=Path)
    parser.add_argument("--generic", action="store_true")
    parser.add_argument("--gc", choices=("on", "off"), default="off")
    args = parser.parse_args()
    os.environ["FLOOR_RESOURCES"] = str(args.resources.resolve())
    os.environ["FLOOR_GENERIC"] = "1" if args.generic else "0"
    result = run_program(
        ROOT / "benchmarks" / "floor_program", "landing-zone", "bench", {}, pause_gc=args.gc == "off"
    )
    print(len(result.resources))
    exit_now(0)


if __name__ == "__main__":
    main()
