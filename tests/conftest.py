from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.config import read_stack_file
from landing_zone.plan.runner import PlanResult, run_program

PROJECT_DIR = Path(__file__).resolve().parents[1]
STACKS = ("dev", "prod")


def plan_stack(stack: str) -> PlanResult:
    values = read_stack_file(PROJECT_DIR / f"Pulumi.{stack}.yaml")
    return run_program(PROJECT_DIR, "landing-zone", stack, values)


@pytest.fixture(scope="session")
def planned() -> dict[str, PlanResult]:
    """Each example stack's program run once under mocks."""
    return {stack: plan_stack(stack) for stack in STACKS}
